"""
Atom feeds of new claims: for any filtered claims list (/claims/feed/?country=rs&…),
and for a country, a country pair and an event. They find their claims as the pages do
(listing.py), so a feed shows what its page shows, the most recently saved first: a
claim that is corrected or edited comes back to the top, its entry updated, with its
corrections and its links to other claims.

Django makes one Feed instance per URL pattern and shares it between requests, so
everything a request brings travels in the object get_object() returns, never on self.
"""

import re

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import describe, engine, listing
from .models import Claim, Country, Event

FEED_SIZE = 50
# Characters XML 1.0 cannot carry (editors paste them from word processors).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """A text with what XML 1.0 cannot carry replaced by spaces; lists of texts each."""
    if isinstance(value, str):
        return NOT_XML.sub(" ", value)
    if isinstance(value, (list, tuple)):
        return [xml_text(item) for item in value]
    return value


class XMLTextAtom1Feed(Atom1Feed):
    """
    Atom whose every text is cleaned by xml_text(): the feed's own (its title names a
    country or an event) as well as its entries'. Django's writer raises on a control
    character rather than write it, so one name saved past the admin's validation would
    otherwise make the whole feed a 500.
    """

    def __init__(self, **kwargs):
        super().__init__(**{key: xml_text(value) for key, value in kwargs.items()})

    def add_item(self, **kwargs):
        super().add_item(**{key: xml_text(value) for key, value in kwargs.items()})


class ClaimsFeed(Feed):
    feed_type = XMLTextAtom1Feed
    author_name = "newsclaims"
    subtitle = _(
        "Geopolitical news claims, new or updated, each traced to the quote that supports it."
    )

    def get_object(self, request, **kwargs):
        return self.subscription(request, None)

    def subscription(self, request, page_url, **fixed):
        """
        What one request asks for: its claims, links, and a title that says what it
        holds ("Claims: Serbia and China, military"), its page's own countries or event
        first, then the reader's filters.
        """
        found = listing.find(request, **fixed)
        if not found.valid:
            # The message names no value: exception messages end up in the log.
            raise BadRequest("The feed's filters cannot be used.")
        title = describe.describe(
            found.filterset,
            request.GET,
            countries=[*fixed.get("countries", ()), *fixed.get("partners", ())],
            event=fixed.get("event"),
        ).title()
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        newest = engine.Matches(found.index, found.matches.bitmap, "updated")
        claims = listing.in_order(
            newest[:FEED_SIZE],
            Claim.objects.for_list().prefetch_related("corrections").with_links(),
        )
        for claim in claims:
            # Entries name the linked claims by their full address (items carry no request).
            claim.absolute_url = request.build_absolute_uri
        return {
            "claims": claims,
            "title": title,
            "link": page_url or reverse("claim_list") + suffix,
            "self": request.path + suffix,
        }

    def title(self, obj):
        return f"{obj['title']} · newsclaims"

    def link(self, obj):
        return obj["link"]

    def feed_url(self, obj):
        return obj["self"]

    def items(self, obj):
        return obj["claims"]

    def item_title(self, claim):
        return claim.statement

    def item_description(self, claim):
        actors = ", ".join(
            gettext("%(actor)s (%(role)s)")
            % {"actor": role.actor.local_name, "role": role.get_role_display().lower()}
            for role in claim.roles.all()
        )
        parts = [claim.when, claim.get_kind_display(), claim.get_verification_display(), actors]
        parts += [
            gettext("Correction, %(date)s: %(note)s")
            % {"date": date_format(correction.created_at), "note": correction.note}
            for correction in claim.corrections.all()
        ]
        parts += [
            gettext("%(phrase)s “%(claim)s” (%(url)s), %(date)s")
            % {
                "phrase": phrase,
                "claim": other.statement,
                "url": claim.absolute_url(other.get_absolute_url()),
                "date": date_format(link.recorded_on),
            }
            for phrase, other, link in claim.shown_links()
        ]
        return " · ".join(part for part in parts if part)

    def item_pubdate(self, claim):
        return claim.created_at

    def item_updateddate(self, claim):
        # A correction is news about the claim, whether or not the claim was saved with it.
        return max([claim.updated_at, *(c.created_at for c in claim.corrections.all())])

    def item_categories(self, claim):
        return [claim.get_kind_display()]


def country_or_404(code):
    if (country := Country.objects.by_code(code)) is None:
        raise Http404(gettext("There is no country with the code “%(code)s”.") % {"code": code})
    return country


class CountryFeed(ClaimsFeed):
    def get_object(self, request, code):
        country = country_or_404(code)
        if not country.claim_count:
            raise Http404(gettext("No published claims involve this country yet."))
        return self.subscription(request, country.get_absolute_url(), countries=[country])


class CountryPairFeed(ClaimsFeed):
    def get_object(self, request, code, other):
        country, partner = country_or_404(code), country_or_404(other)
        return self.subscription(
            request,
            # One pair, one feed id, whichever order the URL names them in.
            reverse("country_pair", args=sorted([country.slug, partner.slug])),
            # As the pair's page: actors of both countries, not a claim held in one.
            partners=[country, partner],
        )


class EventFeed(ClaimsFeed):
    def get_object(self, request, slug):
        event = Event.objects.filter(slug=slug).first()
        if event is None or not event.claim_count:
            raise Http404(gettext("No published claims about this event yet."))
        return self.subscription(request, event.get_absolute_url(), event=event)
