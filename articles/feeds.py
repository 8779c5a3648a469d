"""
Atom feeds of new claims: for any filtered claims list (/claims/feed/?country=rs&…),
and for a country, a country pair and an event. They read claims through the same
FilterSet and QuerySet methods as the pages, so a feed shows what its page shows.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .filters import ClaimFilter
from .models import Claim, Country, Event

FEED_SIZE = 50


class ClaimsFeed(Feed):
    feed_type = Atom1Feed
    author_name = "newsclaims"

    def get_object(self, request, **kwargs):
        self.request = request
        return {"claims": Claim.objects.published(), "title": "New claims", "link": None}

    def title(self, obj):
        return f"{obj['title']} · newsclaims"

    def subtitle(self, obj):
        return "Geopolitical news claims, each traced to the quote that supports it."

    def link(self, obj):
        if obj["link"]:
            return obj["link"]
        query = self.request.GET.urlencode()
        return reverse("claim_list") + (f"?{query}" if query else "")

    def items(self, obj):
        filterset = ClaimFilter(self.request.GET, queryset=obj["claims"])
        if not filterset.is_valid():
            raise BadRequest("These filters cannot be used: " + filterset.errors.as_text())
        return filterset.qs.for_list().order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, claim):
        return claim.statement

    def item_description(self, claim):
        actors = ", ".join(
            f"{role.actor.name} ({role.get_role_display().lower()})" for role in claim.roles.all()
        )
        parts = [claim.when, claim.get_kind_display(), claim.get_verification_display(), actors]
        return " · ".join(part for part in parts if part)

    def item_pubdate(self, claim):
        return claim.created_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_categories(self, claim):
        return [claim.get_kind_display()]


class CountryFeed(ClaimsFeed):
    def get_object(self, request, code):
        self.request = request
        country = get_object_or_404(Country, code=code.upper())
        return {
            "claims": Claim.objects.published().involving(country),
            "title": f"New claims involving {country.name}",
            "link": country.get_absolute_url(),
        }


class CountryPairFeed(ClaimsFeed):
    def get_object(self, request, code, other):
        self.request = request
        country = get_object_or_404(Country, code=code.upper())
        partner = get_object_or_404(Country, code=other.upper())
        return {
            "claims": Claim.objects.published().involving(country, partner),
            "title": f"New claims involving {country.name} and {partner.name}",
            "link": reverse("country_pair", args=[country.slug, partner.slug]),
        }


class EventFeed(ClaimsFeed):
    def get_object(self, request, slug):
        self.request = request
        event = get_object_or_404(Event, slug=slug)
        claims = event.claims.published()
        if not claims.exists():
            raise Http404("No published claims about this event yet.")
        return {
            "claims": claims,
            "title": f"New claims about {event.name}",
            "link": event.get_absolute_url(),
        }
