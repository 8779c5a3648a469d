"""The editors' whole workflow: articles, their claims, actors, events and quotes."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import derived
from .models import (
    NO_ACTOR,
    Actor,
    Article,
    Claim,
    ClaimActor,
    Correction,
    Country,
    Event,
    Evidence,
    Source,
    Status,
)

admin.site.site_header = "newsclaims editors"
admin.site.site_title = "newsclaims"
admin.site.index_title = "Articles, claims and what backs them"
admin.site.site_url = "/"


# --- Accessible widgets -----------------------------------------------------------------
# Django's autocomplete fields (select2 4.0.13) and tabular inlines fall short of valid
# HTML and WCAG 2.1 AA; tests/e2e/test_pages.py checks every admin form for both.

NAMES_JS = "articles/admin-names.js"


class NamedAutocompleteSelect(AutocompleteSelect):
    """
    An autocomplete <select> that is valid HTML: its empty choice says "---------" (an
    empty <option> needs text), and a required one has it too (a required <select> needs
    an empty first option). admin-names.js names select2's combobox after the label.
    """

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        blank = BLANK_CHOICE_DASH[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = blank
        else:
            selected = any(option["selected"] for option in options)
            options.insert(0, self.create_option(name, "", blank, not selected, 0))
        return groups

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/autocomplete.js", NAMES_JS])


class NamedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/autocomplete.js", NAMES_JS])


class NamedAutocompleteMixin:
    """Use the widgets above for autocomplete_fields, in admins and inlines alike."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LabelledTabularInline(NamedAutocompleteMixin, admin.TabularInline):
    """A tabular inline heads its columns with <th> only: name each field for screen readers."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    if not field.widget.is_hidden:
                        field.widget.attrs.setdefault("aria-label", str(field.label))

        return LabelledFormSet


class EvidenceFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Django only sets the parent's id, which a new article does not have yet; give
        # each evidence the article itself so its quote is checked against the body
        # typed into the same form.
        if self.instance.pk is None and self.fk.name == "article":
            form.instance.article = self.instance
        return form

    # Set by the inline for the user at hand: whether they may change published claims.
    may_change_published_claims = False

    def clean(self):
        super().clean()
        if self.fk.name == "article":
            self.check_published_claims()
            return
        claim = self.instance
        if claim.status != Status.PUBLISHED:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # A row without an article already shows "This field is required."
        if not any(
            data.get("article") and data["article"].status == Status.PUBLISHED for data in kept
        ):
            raise ValidationError(
                "A published claim needs at least one evidence quote from a published "
                "article. Add one, publish the article first, or save the claim as a draft."
            )

    def check_published_claims(self):
        """
        Evidence added to, changed on or taken from a published claim through an article
        changes what readers see of that claim (now, or when the article is published):
        the same review as editing the claim, so only Publishers may.
        """
        if self.may_change_published_claims:
            return
        published = []
        for form in self.forms:
            if not form.has_changed():
                continue
            # The claim it is for now, and the one it was for.
            claims = [
                form.cleaned_data.get("claim"),
                form.instance.claim if form.instance.claim_id else None,
            ]
            published += [
                claim
                for claim in claims
                if claim is not None and claim.status == Status.PUBLISHED and claim not in published
            ]
        if published:
            # Not on the row: a row marked for deletion shows no errors.
            raise ValidationError(
                "Only a Publisher can add, change or remove the evidence of a published claim, "
                "as for any edit of it: %(claims)s. Ask one, or back a draft claim.",
                params={"claims": ", ".join(f"“{claim}”" for claim in published)},
            )


class ClaimActorFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Status.PUBLISHED:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not any(data.get("actor") for data in kept):
            raise ValidationError(f"{NO_ACTOR} Add one, or save the claim as a draft.")


class EvidenceInline(NamedAutocompleteMixin, admin.StackedInline):
    model = Evidence
    formset = EvidenceFormSet
    extra = 1
    fields = ["claim", "article", "stance", "quote"]
    autocomplete_fields = ["claim", "article"]


class ArticleEvidenceInline(EvidenceInline):
    fields = ["claim", "stance", "quote"]
    verbose_name = "claim this article backs"
    verbose_name_plural = "claims this article backs"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.may_change_published_claims = request.user.has_perm("articles.publish_claim")
        return formset


class ClaimEvidenceInline(EvidenceInline):
    fields = ["article", "stance", "quote"]


class ClaimActorInline(LabelledTabularInline):
    model = ClaimActor
    formset = ClaimActorFormSet
    extra = 2
    autocomplete_fields = ["actor"]


class CorrectionInline(admin.StackedInline):
    """Public corrections: Publishers only (the Correction permissions)."""

    model = Correction
    extra = 0
    fields = ["note", "created_at"]
    readonly_fields = ["created_at"]


class RefreshOnceAdmin(admin.ModelAdmin):
    """
    Whatever an admin request writes (the object, its inlines, a bulk action), derived
    data is refreshed once, just before its transaction commits (articles/derived.py).
    """

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        # What Django's changeform_view does, with the batch as its transaction.
        with derived.batch():
            return self._changeform_view(request, object_id, form_url, extra_context)

    @csrf_protect_m
    def delete_view(self, request, object_id, extra_context=None):
        with derived.batch():
            return self._delete_view(request, object_id, extra_context)

    def response_action(self, request, *args, **kwargs):
        with derived.batch():
            return super().response_action(request, *args, **kwargs)


class HistoryAdmin(NamedAutocompleteMixin, RefreshOnceAdmin, SimpleHistoryAdmin):
    """Every change is kept and can be read; old versions are never written back."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert would save an old version whole, status included, past the
        # Editors/Publishers rules: reading it is all this view may do.
        if request.method == "POST":
            raise PermissionDenied("Old versions cannot be restored; edit the object instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class PublishingAdmin(HistoryAdmin):
    """
    Articles and claims: Editors write drafts; only Publishers (the publish_<model>
    permission) change the status, publish or unpublish, or touch what is published.
    Every change is kept in the history.
    """

    actions = ["publish", "unpublish"]

    def can_publish(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.publish_{self.opts.model_name}")

    has_publish_permission = can_publish  # what @admin.action(permissions=["publish"]) asks

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.can_publish(request) else [*fields, "status"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED and not self.can_publish(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED and not self.can_publish(request):
            return False
        return super().has_delete_permission(request, obj)

    def publication_problem(self, obj):
        return ""

    def with_publication_checks(self, queryset):
        return queryset

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        ready, refused = [], []
        for obj in self.with_publication_checks(queryset.exclude(status=Status.PUBLISHED)):
            if problem := self.publication_problem(obj):
                refused.append(f"“{obj}”: {problem}")
            else:
                ready.append(obj)
        if published := self.set_status(request, ready, Status.PUBLISHED):
            self.message_user(
                request,
                ngettext("Published %d item.", "Published %d items.", published) % published,
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, f"Not published: {reason}", messages.ERROR)

    @admin.action(
        description="Unpublish selected %(verbose_name_plural)s (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        count = self.set_status(request, queryset.filter(status=Status.PUBLISHED), Status.DRAFT)
        self.message_user(
            request,
            ngettext("Moved %d item back to draft.", "Moved %d items back to draft.", count)
            % count,
            messages.SUCCESS,
        )

    def set_status(self, request, objs, status):
        """
        Give `objs` the status, with a history record each and one refresh of what
        follows: the same handful of statements for 5 objects or 500.
        """
        objs, now = list(objs), timezone.now()
        for obj in objs:
            obj.status, obj.updated_at = status, now
        pks = [obj.pk for obj in objs]
        self.model.objects.filter(pk__in=pks).update(status=status, updated_at=now)
        self.model.history.bulk_history_create(objs, update=True, default_user=request.user)
        derived.touch(**{self.touched: pks}, public=True)
        return len(objs)


@admin.register(Article)
class ArticleAdmin(PublishingAdmin):
    touched = "articles"
    # The claim-count annotation groups rows, which drops Meta.ordering: say it again.
    ordering = ["-published_at", "-id"]
    list_display = ["title", "source", "published_at", "language", "status", "claim_count"]
    list_filter = ["status", "language", "source"]
    search_fields = ["title", "authors", "url", "source__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ArticleEvidenceInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "source", "url", "authors", "published_at"]}),
        ("Text", {"fields": ["language", "body", "summary"]}),
        ("Publication", {"fields": ["status", "created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source")
            .annotate(claim_total=Count("evidence"))
        )

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, obj):
        return obj.claim_total

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Claim)
class ClaimAdmin(PublishingAdmin):
    touched = "claims"
    list_display = ["statement", "kind", "when", "verification", "status", "event"]
    list_filter = [
        "status",
        "kind",
        "verification",
        ("involvements__country", admin.RelatedOnlyFieldListFilter),
        ("evidence__article__source", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["statement", "evidence__quote", "actors__name", "actors__aliases"]
    date_hierarchy = "occurred_on"
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["country", "event"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ClaimActorInline, ClaimEvidenceInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "kind", "verification"]}),
        ("When and where", {"fields": [("occurred_on", "date_precision"), "place", "country"]}),
        ("Context", {"fields": ["event"]}),
        ("Publication", {"fields": ["status", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    def publication_problem(self, obj):
        return obj.publication_problem()

    def with_publication_checks(self, queryset):
        return queryset.with_publication_checks()

    def response_add(self, request, obj, post_url_continue=None):
        warn_about_lookalikes(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        warn_about_lookalikes(request, obj)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                correction.created_by = correction.created_by or request.user
                correction.save()
            formset.save_m2m()
            for obj in formset.deleted_objects:
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


class SharedAdmin(HistoryAdmin):
    """
    Actors, events and sources: published pages show them. Once one is in public use
    (in_public_use), renaming or deleting it changes those pages at once, so only
    Publishers may; Editors see it read-only. Every change is kept in the history, and
    deleting one that claims use is refused with the list of them (PROTECT).
    """

    in_use_message = "Published claims use this {name}: only a Publisher can change or delete it."

    def in_public_use(self, obj):
        raise NotImplementedError

    def may_change_shared(self, request, obj):
        if obj is None or request.user.has_perm("articles.publish_claim"):
            return True
        if not hasattr(obj, "public_use"):
            obj.public_use = self.in_public_use(obj)
        return not obj.public_use

    def has_change_permission(self, request, obj=None):
        return self.may_change_shared(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_change_shared(request, obj) and super().has_delete_permission(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not self.may_change_shared(request, obj):
            name = self.opts.verbose_name
            self.message_user(request, self.in_use_message.format(name=name), messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)


def warn_about_lookalikes(request, claim):
    """A warning (not a refusal) naming the claims that `claim` looks like, with links."""
    countries = {
        country
        for (country,) in ClaimActor.objects.filter(claim=claim).values_list("actor__country")
    }
    countries = sorted((countries | {claim.country_id}) - {None})
    similar = Claim.objects.similar_to(claim, countries)
    if not similar:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">“{}”</a> ({})',
        (
            (
                reverse("admin:articles_claim_change", args=[other.pk]),
                other.statement,
                other.get_status_display().lower(),
            )
            for other in similar
        ),
    )
    messages.warning(
        request,
        format_html(
            "This claim looks like {} on the same date and countries: check that it is not "
            "a duplicate.",
            links,
        ),
    )


@admin.register(Actor)
class ActorAdmin(SharedAdmin):
    list_display = ["name", "kind", "country", "wikidata_id"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "aliases", "country__name", "country__code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    list_select_related = ["country"]

    def in_public_use(self, obj):
        return obj.claim_count > 0  # published claims with a role for it (derived.py)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # The claims, rather than "Actor and role: Xi Jinping (participant)".
            protected = [
                format_html(
                    'Claim: <a href="{}">{}</a>',
                    reverse("admin:articles_claim_change", args=[claim.pk]),
                    claim.statement,
                )
                for claim in Claim.objects.filter(roles__actor__in=objs).distinct()
            ]
        return deleted, counts, perms_needed, protected


@admin.register(Event)
class EventAdmin(SharedAdmin):
    list_display = ["name", "kind", "start_date", "end_date", "host_country"]
    list_filter = ["kind", ("host_country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "place", "description"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host_country", "participants"]
    list_select_related = ["host_country"]

    def in_public_use(self, obj):
        return obj.claim_count > 0  # published claims at it (derived.py)


@admin.register(Source)
class SourceAdmin(SharedAdmin):
    list_display = ["name", "domain", "country"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    in_use_message = "This source has published articles: only a Publisher can change or delete it."

    def in_public_use(self, obj):
        # Its name is on every published article and claim quoting it, and it has a page.
        return Source.objects.public().filter(pk=obj.pk).exists()


@admin.register(Country)
class CountryAdmin(RefreshOnceAdmin):
    list_display = ["name", "code", "alpha3", "region", "subregion"]
    list_filter = ["region", "subregion"]
    search_fields = ["name", "code", "alpha3"]
