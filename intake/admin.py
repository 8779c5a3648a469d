"""
The intake queue in the admin: GDELT events to accept (a draft article and claim, opened
for editing) or dismiss, filtered by country, country pair, date, CAMEO root code and
status, most mentioned first. Events come from `manage.py import_gdelt` only: nothing
here adds, edits or deletes them.
"""

import urllib.parse
from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.models import Country

from . import codes
from .accept import accept, dismiss, editing_url
from .models import GdeltEvent, GdeltMention

# Mentions listed on an event's page, most confident first.
MENTIONS_SHOWN = 100
# Country pairs offered in the filter, most frequent first.
PAIRS_OFFERED = 40


class CountryFilter(admin.SimpleListFilter):
    title = _("country (either actor, or where it happened)")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        columns = ["actor1_country", "actor2_country", "action_country"]
        used = [
            GdeltEvent.objects.filter(**{f"{column}__isnull": False})
            .order_by()
            .values_list(column)
            .distinct()
            for column in columns
        ]
        ids = used[0].union(*used[1:])
        return Country.objects.filter(pk__in=ids).values_list("code", "name")

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.involving(Country.objects.by_code(self.value()))


class CountryPairFilter(admin.SimpleListFilter):
    title = _("country pair (the two actors)")
    parameter_name = "pair"

    def lookups(self, request, model_admin):
        pairs = (
            GdeltEvent.objects.filter(actor1_country__isnull=False, actor2_country__isnull=False)
            .exclude(actor1_country=F("actor2_country"))
            .order_by()
            .values_list("actor1_country__code", "actor2_country__code")
            .annotate(n=Count("*"))
            .order_by("-n")[: PAIRS_OFFERED * 2]
        )
        counts = Counter()
        for first, second, n in pairs:
            counts[tuple(sorted((first, second)))] += n
        names = dict(Country.objects.values_list("code", "name"))
        return [
            (f"{first}-{second}", f"{names[first]} – {names[second]}")
            for (first, second), _ in counts.most_common(PAIRS_OFFERED)
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        first, _, second = self.value().partition("-")
        return queryset.between(Country.objects.by_code(first), Country.objects.by_code(second))


class RootCodeFilter(admin.SimpleListFilter):
    title = _("CAMEO root code")
    parameter_name = "root"

    def lookups(self, request, model_admin):
        return [(code, f"{code} {label.capitalize()}") for code, label in codes.root_codes()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(event_root_code=self.value())


def link(url, text=None):
    """A link to a web address (models' link and url properties give only those)."""
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, text or url)


def country_text(code, country):
    """An actor's or place's country: our code, or GDELT's own followed by "?"."""
    if country is not None:
        return country.code
    return f"{code}?" if code else ""


@admin.register(GdeltEvent)
class GdeltEventAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "occurred_on",
        "actor1",
        "event",
        "actor2",
        "place",
        "quad_class",
        "goldstein_scale",
        "counts",
        "tone",
        "mentions_here",
        "source",
        "review",
    ]
    list_filter = [
        "status",
        CountryFilter,
        CountryPairFilter,
        ("occurred_on", admin.DateFieldListFilter),
        RootCodeFilter,
        "quad_class",
    ]
    date_hierarchy = "occurred_on"
    search_fields = ["=id", "actor1_name", "actor2_name", "action_geo_name", "source_url"]
    ordering = ["-num_mentions", "-id"]
    list_select_related = ["actor1_country", "actor2_country", "action_country"]
    actions = ["accept_selected", "dismiss_selected"]
    fieldsets = [
        (
            _("Event"),
            {
                "fields": [
                    "id",
                    ("occurred_on", "date_added"),
                    "event",
                    ("quad_class", "goldstein"),
                    ("num_mentions", "num_sources", "num_articles"),
                    ("avg_tone", "is_root_event"),
                ]
            },
        ),
        (
            _("Actors"),
            {
                "fields": [
                    ("actor1_name", "actor1_code", "actor1_country_code", "actor1_country"),
                    ("actor1_geo_country_code", "actor1_geo_country"),
                    ("actor2_name", "actor2_code", "actor2_country_code", "actor2_country"),
                    ("actor2_geo_country_code", "actor2_geo_country"),
                ]
            },
        ),
        (
            _("Where"),
            {
                "fields": [
                    ("action_geo_name", "action_geo_type"),
                    ("action_geo_country_code", "action_country"),
                ]
            },
        ),
        (_("Source"), {"fields": ["source_link", "mention_table"]}),
        (_("Review"), {"fields": [("status", "decided_by", "decided_at"), ("article", "claim")]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in self.flat(fieldset[1]["fields"])]

    @staticmethod
    def flat(fields):
        for item in fields:
            yield from item if isinstance(item, tuple) else [item]

    def get_queryset(self, request):
        here = (
            GdeltMention.objects.filter(event=OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(mention_total=Coalesce(Subquery(here, output_field=IntegerField()), 0))
        )

    # Events come from GDELT files: none is added, edited or deleted by hand.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_accept_permission(self, request):
        """Accepting changes the event and adds an article and a claim."""
        return request.user.has_perms(
            ["intake.change_gdeltevent", "articles.add_article", "articles.add_claim"]
        )

    # --- columns ---------------------------------------------------------------------

    @admin.display(description=_("actor 1"), ordering="actor1_name")
    def actor1(self, obj):
        return self.actor(obj.actor1_name, obj.actor1_country_code, obj.actor1_country)

    @admin.display(description=_("actor 2"), ordering="actor2_name")
    def actor2(self, obj):
        return self.actor(obj.actor2_name, obj.actor2_country_code, obj.actor2_country)

    @staticmethod
    def actor(name, code, country):
        country = country_text(code, country)
        return f"{name} ({country})" if country else name

    @admin.display(description=_("CAMEO event"), ordering="event_code")
    def event(self, obj):
        return f"{obj.event_code} {obj.event_label}"

    @admin.display(description=_("where"), ordering="action_geo_name")
    def place(self, obj):
        country = country_text(obj.action_geo_country_code, obj.action_country)
        return f"{obj.action_geo_name} ({country})" if country else obj.action_geo_name

    # Three columns in one, so that the row fits: sorted by NumMentions.
    @admin.display(description="NumMentions", ordering="num_mentions")
    def counts(self, obj):
        sources = ngettext("%(count)d source", "%(count)d sources", obj.num_sources) % {
            "count": obj.num_sources
        }
        articles = ngettext("%(count)d article", "%(count)d articles", obj.num_articles) % {
            "count": obj.num_articles
        }
        return f"{obj.num_mentions} ({sources}, {articles})"

    @admin.display(description="Goldstein", ordering="goldstein")
    def goldstein_scale(self, obj):
        return obj.goldstein

    @admin.display(description=_("tone"), ordering="avg_tone")
    def tone(self, obj):
        return obj.avg_tone

    @admin.display(description=_("mentions here"), ordering="mention_total")
    def mentions_here(self, obj):
        return obj.mention_total

    @admin.display(description=_("source"))
    def source(self, obj):
        if obj.link:
            return link(obj.link, urllib.parse.urlsplit(obj.link).hostname)
        return obj.source_citation

    @admin.display(description="SOURCEURL")
    def source_link(self, obj):
        return link(obj.link) if obj.link else obj.source_citation

    @admin.display(description=_("review"), ordering="status")
    def review(self, obj):
        if obj.status == GdeltEvent.Status.NEW:
            return obj.get_status_display()
        who = obj.decided_by or gettext("someone since removed")
        text = gettext("%(status)s by %(user)s, %(date)s") % {
            "status": obj.get_status_display(),
            "user": who,
            "date": f"{obj.decided_at:%Y-%m-%d %H:%M}",
        }
        if obj.article_id:
            url = reverse("admin:articles_article_change", args=[obj.article_id])
            return format_html(gettext('{} (<a href="{}">article</a>)'), text, url)
        return text

    @admin.display(description=_("mentions in the intake"))
    def mention_table(self, obj):
        mentions = obj.mentions.all()[:MENTIONS_SHOWN]
        if not mentions:
            return gettext("None yet: they come with mentions files.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    mention.source_name,
                    link(mention.url) if mention.url else mention.identifier,
                    f"{mention.confidence}%",
                    mention.sentence_id,
                    mention.language or "?",
                )
                for mention in mentions
            ),
        )
        headings = format_html_join(
            "",
            "<th scope='col'>{}</th>",
            (
                (heading,)
                for heading in (
                    gettext("Source"),
                    gettext("Document"),
                    gettext("Confidence"),
                    gettext("Sentence"),
                    gettext("Language"),
                )
            ),
        )
        return format_html(
            "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", headings, rows
        )

    # --- deciding -----------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/accept/",
                view(self.accept_view),
                name="{}_{}_accept".format(*info),
            ),
            path(
                "<path:object_id>/dismiss/",
                view(self.dismiss_view),
                name="{}_{}_dismiss".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"title": gettext("GDELT events to review"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        context = {
            "title": gettext("Review GDELT event"),
            # Nothing on the page is edited: deciding is all there is to do.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_accept": self.has_accept_permission(request),
            "can_dismiss": self.has_change_permission(request, event),
            "article_url": editing_url(event.article) if event and event.article else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def deciding(self, request, object_id, allowed):
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404(gettext("No such GDELT event."))
        if not allowed:
            raise PermissionDenied
        return event

    @method_decorator(require_POST)
    def accept_view(self, request, object_id):
        event = self.deciding(request, object_id, self.has_accept_permission(request))
        article = self.accepted(request, event)
        if article is None:
            return redirect("admin:intake_gdeltevent_change", event.pk)
        self.message_user(
            request,
            gettext("Accepted: draft article “%(article)s” and its draft claim.")
            % {"article": article},
            messages.SUCCESS,
        )
        return redirect(editing_url(article))

    def accepted(self, request, event):
        """The draft article `event` becomes, or None with the reason told to the editor."""
        try:
            return accept(event, request.user)
        except ValidationError as error:
            # GDELT's text may be what our articles refuse: the editor hears why, and the
            # event stays new, with nothing half made.
            self.message_user(
                request,
                gettext("Could not accept %(event)s: %(reasons)s")
                % {"event": event, "reasons": " ".join(error.messages)},
                messages.ERROR,
            )
            return None

    @method_decorator(require_POST)
    def dismiss_view(self, request, object_id):
        event = self.deciding(request, object_id, self.has_change_permission(request))
        if dismiss(GdeltEvent.objects.filter(pk=event.pk), request.user):
            message = gettext("Dismissed %(event)s.") % {"event": event}
            self.message_user(request, message, messages.SUCCESS)
        else:
            message = gettext("Only a new event can be dismissed.")
            self.message_user(request, message, messages.WARNING)
        return redirect("admin:intake_gdeltevent_changelist")

    @admin.action(
        description=_("Accept the selected event (opens its draft)"), permissions=["accept"]
    )
    def accept_selected(self, request, queryset):
        events = list(queryset[:2])
        if len(events) != 1:
            self.message_user(
                request,
                gettext("Accept one event at a time: each opens its own draft."),
                messages.ERROR,
            )
            return None
        article = self.accepted(request, events[0])
        return redirect(editing_url(article)) if article else None

    @admin.action(description=_("Dismiss the selected events"), permissions=["change"])
    def dismiss_selected(self, request, queryset):
        count = dismiss(queryset, request.user)
        self.message_user(
            request,
            ngettext("Dismissed %d event.", "Dismissed %d events.", count) % count,
            messages.SUCCESS,
        )
