"""The editors' whole workflow: articles, their claims, actors, events and quotes."""

import itertools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, csrf_protect_m
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import derived, detection, workbench
from .models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    ClaimLink,
    Correction,
    Country,
    Event,
    Evidence,
    Source,
    Status,
)

admin.site.site_header = _("newsclaims editors")
admin.site.site_title = "newsclaims"
admin.site.index_title = _("Articles, claims and what backs them")
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
                gettext(
                    "A published claim needs at least one evidence quote from a published "
                    "article. Add one, publish the article first, or save the claim as a draft."
                )
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
                gettext(
                    "Only a Publisher can add, change or remove the evidence of a published "
                    "claim, as for any edit of it: %(claims)s. Ask one, or back a draft claim."
                ),
                params={
                    "claims": ", ".join(
                        gettext("“%(claim)s”") % {"claim": claim} for claim in published
                    )
                },
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
            raise ValidationError(
                gettext(
                    "A published claim needs at least one actor: who did or said it. Add one, "
                    "or save the claim as a draft."
                )
            )


class EvidenceInline(NamedAutocompleteMixin, admin.StackedInline):
    model = Evidence
    formset = EvidenceFormSet
    extra = 1
    fields = ["claim", "article", "stance", "quote"]
    autocomplete_fields = ["claim", "article"]


def prefilled_rows(request, model):
    """
    The rows of a claim's inline that the add form's address fills in (the workbench's
    links): ?actor=<id> (repeated) for its actors, ?article=<id>&quote=… for its
    evidence. Only on the add form's GET: a POST says everything itself.
    """
    if request.method != "GET" or not request.resolver_match.url_name.endswith("_add"):
        return []
    if model is ClaimActor:
        actors = [pk for pk in request.GET.getlist("actor") if pk.isdigit()]
        return [{"actor": pk, "role": ClaimActor.Role.PARTICIPANT} for pk in actors[:20]]
    if model is Evidence and request.GET.get("article", "").isdigit():
        quote = request.GET.get("quote", "")
        return [{"article": request.GET["article"], "quote": quote}]
    return []


class ArticleEvidenceInline(EvidenceInline):
    fields = ["claim", "stance", "quote"]
    verbose_name = _("claim this article backs")
    verbose_name_plural = _("claims this article backs")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.may_change_published_claims = request.user.has_perm("articles.publish_claim")
        return formset


class PrefilledInlineMixin:
    """An inline of the claim add form with as many rows as its address fills in."""

    def get_extra(self, request, obj=None, **kwargs):
        return max(
            super().get_extra(request, obj, **kwargs), len(prefilled_rows(request, self.model))
        )


class ClaimEvidenceInline(PrefilledInlineMixin, EvidenceInline):
    fields = ["article", "stance", "quote"]


class ClaimActorInline(PrefilledInlineMixin, LabelledTabularInline):
    model = ClaimActor
    formset = ClaimActorFormSet
    extra = 2
    autocomplete_fields = ["actor"]


class ClaimLinkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The database allows one "duplicates" link a claim; two new rows of this form
        # would pass each row's own check and fail only at the INSERT.
        duplicates = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("type") == ClaimLink.Type.DUPLICATES
        ]
        if len(duplicates) > 1:
            raise ValidationError(
                gettext("A claim duplicates at most one other claim: keep one row.")
            )


class ClaimLinkForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django adds a hidden copy of a field with a callable default (today) to tell
        # whether it changed; it copies the field's aria-describedby, which a hidden
        # input may not carry. A new row counts as filled in by its other fields instead.
        self.fields["recorded_on"].show_hidden_initial = False

    def has_changed(self):
        if self.instance.pk is not None:
            return super().has_changed()
        return any(name != "recorded_on" for name in self.changed_data)


class ClaimLinkInline(LabelledTabularInline):
    """This claim supports, contradicts, updates or duplicates another (readers see both ends)."""

    model = ClaimLink
    form = ClaimLinkForm
    formset = ClaimLinkFormSet
    fk_name = "from_claim"
    extra = 0
    fields = ["type", "to_claim", "recorded_on", "note"]
    autocomplete_fields = ["to_claim"]


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
            raise PermissionDenied(
                gettext("Old versions cannot be restored; edit the object instead.")
            )
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

    @admin.action(
        description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"]
    )
    def publish(self, request, queryset):
        ready, refused = [], []
        for obj in self.with_publication_checks(queryset.exclude(status=Status.PUBLISHED)):
            if problem := self.publication_problem(obj):
                refused.append((obj, problem))
            else:
                ready.append(obj)
        if published := self.set_status(request, ready, Status.PUBLISHED):
            self.message_user(
                request,
                ngettext("Published %d item.", "Published %d items.", published) % published,
                messages.SUCCESS,
            )
        for obj, problem in refused:
            self.message_user(
                request,
                gettext("Not published: “%(object)s”: %(problem)s")
                % {"object": obj, "problem": problem},
                messages.ERROR,
            )

    @admin.action(
        description=_("Unpublish selected %(verbose_name_plural)s (back to draft)"),
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
    autocomplete_fields = ["source", "agency"]
    readonly_fields = ["created_by", "created_at", "updated_at", "detected"]
    inlines = [ArticleEvidenceInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "source", "agency", "url", "authors", "published_at"]},
        ),
        (_("Text"), {"fields": ["language", "body", "detected", "summary"]}),
        (_("Publication"), {"fields": ["status", "created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source")
            .annotate(claim_total=Count("evidence"))
        )

    @admin.display(description=_("claims"), ordering="claim_total")
    def claim_count(self, obj):
        return obj.claim_total

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("detected in this text"))
    def detected(self, obj):
        if obj is None or not obj.pk:
            return gettext("Save the article to see the countries and actors its text names.")
        found = detection.detect(obj.body)
        states = dict(
            Actor.objects.filter(
                kind=Actor.Kind.STATE, country__code__in=found.countries
            ).values_list("country__code", "name")
        )
        none = gettext("none")
        countries = ", ".join(states.get(code, code) for code in found.countries) or none
        actors = ", ".join(actor.name for actor in found.actors) or none
        return gettext("Countries: %(countries)s. Actors: %(actors)s.") % {
            "countries": countries,
            "actors": actors,
        }

    # --- the workbench ------------------------------------------------------------------

    def get_urls(self):
        workbench = path(
            "<path:object_id>/workbench/",
            self.admin_site.admin_view(self.workbench_view),
            name="articles_article_workbench",
        )
        return [workbench, *super().get_urls()]

    def workbench_view(self, request, object_id):
        """
        The article's sentences with what they name, its claims, a form that makes a
        claim from a quote, and (for Publishers) publishing the article with its ready
        claims. Writes run in one derived.batch() each.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        here = reverse("admin:articles_article_workbench", args=[article.pk])
        if request.method == "POST" and request.POST.get("action") == "publish":
            self.publish_with_claims(request, article)
            return HttpResponseRedirect(here)
        evidence = workbench.article_evidence(article)
        rows = workbench.rows(article, evidence)
        actors = workbench.candidate_actors(rows, evidence)
        events = {row.event.pk: row.event for row in itertools.chain(*rows) if row.event}
        events |= {item.claim.event.pk: item.claim.event for item in evidence if item.claim.event}
        may_add = request.user.has_perm("articles.add_claim") and request.user.has_perm(
            "articles.add_evidence"
        )
        form = workbench.QuickClaimForm(
            request.POST if request.method == "POST" else None,
            actors=actors,
            events=events.values(),
            initial={"kind": Claim.Kind.OTHER},
        )
        if request.method == "POST":
            if not may_add:
                raise PermissionDenied
            if claim := self.quick_claim(request, article, form):
                self.message_user(
                    request,
                    format_html(
                        gettext('Saved the draft claim <a href="{}">“{}”</a>.'),
                        reverse("admin:articles_claim_change", args=[claim.pk]),
                        claim.statement,
                    ),
                    messages.SUCCESS,
                )
                warn_about_lookalikes(request, claim)
                return HttpResponseRedirect(here + "#claims")
        claims = {}
        for item in evidence:
            claims.setdefault(item.claim, []).append(item)
        problems = dict(workbench.readiness([c for c in claims if c.status == Status.DRAFT]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Workbench: %(article)s") % {"article": article.title},
            "article": article,
            "rows": rows,
            "claims": [(claim, items, problems.get(claim, "")) for claim, items in claims.items()],
            "form": form,
            "may_add": may_add,
            "may_publish": self.can_publish(request)
            and request.user.has_perm("articles.publish_claim"),
            "preview_url": article.get_absolute_url(),
        }
        return TemplateResponse(request, "admin/articles/article/workbench.html", context)

    def quick_claim(self, request, article, form):
        """The claim the workbench's form describes, saved as a draft; None if invalid."""
        if not form.is_valid():
            return None
        data = form.cleaned_data
        chosen = [actor for actor in form.actor_choices if str(actor.pk) in data["actors"]]
        claim = Claim(
            statement=data["statement"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            date_precision=data["date_precision"] or "",
            event_id=data["event"] or None,
            status=Status.DRAFT,
        )
        evidence = Evidence(
            claim=claim, article=article, quote=data["quote"], stance=data["stance"]
        )
        try:
            claim.full_clean(exclude=["slug"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                field = field if field in form.fields else None
                for problem in problems:
                    form.add_error(field, problem)
        if problem := evidence.quote_problem():
            form.add_error("quote", problem)
        link = None
        if data.get("link_to"):
            if not request.user.has_perm("articles.add_claimlink"):
                raise PermissionDenied
            link = ClaimLink(from_claim=claim, type=data["link_type"], to_claim=data["link_to"])
        if not form.is_valid():
            return None
        with derived.batch():
            claim.save()
            for actor in chosen:
                ClaimActor.objects.create(claim=claim, actor=actor, role=data[f"role_{actor.pk}"])
            evidence.claim = claim
            evidence.save()
            if link is not None:
                # A new claim: no link of its own can clash with it, nor close a cycle.
                link.from_claim = claim
                link.save()
            self.log_addition(request, claim, [{"added": {}}])
        return claim

    def publish_with_claims(self, request, article):
        """Publish the article and every draft claim of it that is ready; say which are not."""
        if not (self.can_publish(request) and request.user.has_perm("articles.publish_claim")):
            raise PermissionDenied
        claim_admin = self.admin_site._registry[Claim]
        with derived.batch():
            published_article = article.status != Status.PUBLISHED
            if published_article:
                self.set_status(request, [article], Status.PUBLISHED)
            checked = workbench.readiness(workbench.draft_claims(article))
            ready = [claim for claim, problem in checked if not problem]
            claim_admin.set_status(request, ready, Status.PUBLISHED)
        if published_article:
            done = ngettext(
                "Published the article, and %(count)d claim.",
                "Published the article, and %(count)d claims.",
                len(ready),
            )
        else:
            done = ngettext(
                "The article was published, and %(count)d claim.",
                "The article was published, and %(count)d claims.",
                len(ready),
            )
        self.message_user(request, done % {"count": len(ready)}, messages.SUCCESS)
        for claim, problem in checked:
            if problem:
                self.message_user(
                    request,
                    gettext("Not published: “%(object)s”: %(problem)s")
                    % {"object": claim, "problem": problem},
                    messages.ERROR,
                )


class ClaimForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Filled in from the statement by the admin's script, or here without it.
            self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        return slug or slugify(self.cleaned_data.get("statement", ""))[:80].strip("-") or "claim"


@admin.register(Claim)
class ClaimAdmin(PublishingAdmin):
    touched = "claims"
    form = ClaimForm
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
    inlines = [ClaimActorInline, ClaimEvidenceInline, ClaimLinkInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["statement", "language", "slug", "kind", "verification"]}),
        (_("When and where"), {"fields": [("occurred_on", "date_precision"), "place", "country"]}),
        (_("Context"), {"fields": ["event"]}),
        (_("Publication"), {"fields": ["status", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @admin.display(description=_("when"))
    def when(self, obj):
        return obj.when

    def publication_problem(self, obj):
        return obj.publication_problem()

    def with_publication_checks(self, queryset):
        return queryset.with_publication_checks()

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if rows := prefilled_rows(request, inline.model):
            kwargs["initial"] = rows
        return kwargs

    def response_add(self, request, obj, post_url_continue=None):
        warn_about_lookalikes(request, obj)
        response = super().response_add(request, obj, post_url_continue)
        # Opened from a sentence of the workbench (?article=…): back to it, to the next one.
        article = request.GET.get("article", "")
        back = "_save" in request.POST and IS_POPUP_VAR not in request.POST
        if back and article.isdigit() and Article.objects.filter(pk=article).exists():
            url = reverse("admin:articles_article_workbench", args=[article])
            return HttpResponseRedirect(url + "#claims")
        return response

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

    in_use_message = _("Published claims use it: only a Publisher can change or delete it.")

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
            self.message_user(request, self.in_use_message, messages.INFO)
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
            gettext(
                "This claim looks like {} on the same date and countries: check that it is not "
                "a duplicate."
            ),
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
    in_use_message = _("Published claims use this actor: only a Publisher can change or delete it.")

    def in_public_use(self, obj):
        return obj.claim_count > 0  # published claims with a role for it (derived.py)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # The claims, rather than "Actor and role: Xi Jinping (participant)".
            protected = [
                format_html(
                    gettext('Claim: <a href="{}">{}</a>'),
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
    in_use_message = _("Published claims use this event: only a Publisher can change or delete it.")

    def in_public_use(self, obj):
        return obj.claim_count > 0  # published claims at it (derived.py)


@admin.register(Source)
class SourceAdmin(SharedAdmin):
    list_display = ["name", "domain", "country"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    in_use_message = _(
        "This source has published articles: only a Publisher can change or delete it."
    )

    def in_public_use(self, obj):
        # Its name is on every published article and claim quoting it, and it has a page.
        return Source.objects.public().filter(pk=obj.pk).exists()


@admin.register(Country)
class CountryAdmin(RefreshOnceAdmin):
    list_display = ["name", "code", "alpha3", "region", "subregion"]
    list_filter = ["region", "subregion"]
    search_fields = ["name", "code", "alpha3"]
