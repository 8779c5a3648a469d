"""Countries: the index by region, a country's page, and a pair of countries."""

import re
from collections import defaultdict

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy

from .. import describe, engine, facets, listing, worldmap
from ..charts import monthly_chart
from ..models import Claim, Country, Event
from ..names import country_name, sort_key
from ..pagination import ExactPaginator, paginate
from ..pairs import pair_choices
from .claims import NO_FILTERS, browse, query_string

PARTNERS = 10
CODE = re.compile(r"^[A-Za-z]{2}$")
# The UN M49 regions the countries are stored with, as the index's headings say them.
REGIONS = {
    "Africa": pgettext_lazy("world region", "Africa"),
    "Americas": pgettext_lazy("world region", "Americas"),
    "Asia": pgettext_lazy("world region", "Asia"),
    "Europe": pgettext_lazy("world region", "Europe"),
    "Oceania": pgettext_lazy("world region", "Oceania"),
    "": pgettext_lazy("world region", "Other"),
}


def country_list(request):
    countries = Country.objects.public().order_by("region")
    regions = defaultdict(list)
    # Within each region, by sub-region, then by name in the page's language and alphabet.
    for country in sorted(countries, key=lambda c: (c.region, c.subregion, sort_key(c.local_name))):
        regions[str(REGIONS.get(country.region, country.region or REGIONS[""]))].append(country)
    return render(
        request,
        "articles/country_list.html",
        {"title": gettext("Countries"), "regions": dict(regions)},
    )


def get_country(code):
    if (country := Country.objects.by_code(code)) is None:
        raise Http404(gettext("There is no country with the code “%(code)s”.") % {"code": code})
    return country


def events_by_date(counted):
    """The events of (id, count) pairs, the latest first."""
    return list(Event.objects.filter(pk__in=[pk for pk, _ in counted]).order_by("-start_date"))


def country_detail(request, code):
    country = get_country(code)
    if code != country.slug:
        url = reverse("country_detail", args=[country.slug])
        return redirect(url + query_string(request.GET), permanent=True)
    index = engine.for_request(request)
    # Everything about the country, whatever the reader's filters: partners, events, chart.
    involving = index.matching(engine.Filters(countries=(country.pk,)))
    if not involving:
        raise Http404(gettext("No published claims involve this country yet."))
    found = listing.find(request, countries=[country])
    context, status = browse(request, found, [country])
    counted = index.facets(involving, {"event": PARTNERS})
    # Partners: the countries of the actors of claims with one of its own actors. A
    # claim that only happened in the country makes no partners of it.
    partnered = index.bitmap("partner", country.pk)
    counted.update(index.facets(partnered, {"partner": PARTNERS + 1}))
    partners = facets.names_of({"partner": counted["partner"]}, index)["partner"]
    context.update(
        title=country.local_name,
        description=gettext(
            "Published claims involving %(country)s: partners, events and a timeline."
        )
        % {"country": country.local_name},
        feed_title=describe.describe(countries=[country]).title(),
        feed_url=reverse("country_feed", args=[country.slug]),
        country=country,
        partners=[
            {
                "code": partners[pk][0],
                "name": country_name(partners[pk][0].upper(), partners[pk][1]),
                "count": n,
            }
            for pk, n in counted["partner"]
            if pk != country.pk
        ][:PARTNERS],
        events=events_by_date(counted["event"]),
        chart=monthly_chart(index.months(involving)),
        # Its partners shaded, for the reader's filters as the list below.
        map=worldmap.page_map(found, request.GET, [country]) if found.valid else None,
    )
    return render(request, "articles/country_detail.html", context, status=status)


def country_pair_picker(request):
    """
    /countries/pair/?a=rs&b=cn, the home page's picker without JavaScript: a redirect to
    the pair's page. Missing, malformed or identical codes re-show the form with what is
    wrong (400); a well-formed code that is no country is a 404, as the pair page's is.
    """
    first, second = (request.GET.get(key, "").strip() for key in ("a", "b"))
    errors = {}
    for key, value, missing in (
        ("a", first, gettext("Choose the first country.")),
        ("b", second, gettext("Choose the second country.")),
    ):
        if not value:
            errors[key] = missing
        elif not CODE.match(value):
            errors[key] = gettext(
                "“%(value)s” is not a country code: use two letters, such as rs or cn."
            ) % {"value": value[:20]}
    if not errors and first.lower() == second.lower():
        errors["b"] = gettext("Choose two different countries.")
    if not errors:
        codes = [first.upper(), second.upper()]
        found = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
        for value in (first, second):
            if value.upper() not in found:
                raise Http404(
                    gettext("There is no country with the code “%(code)s”.") % {"code": value}
                )
        return redirect("country_pair", first.lower(), second.lower())
    return render(
        request,
        "articles/country_pair_picker.html",
        {
            "title": gettext("Choose two countries"),
            "pair_countries": pair_choices(),
            "pair_a": first.lower(),
            "pair_b": second.lower(),
            "pair_errors": errors,
        },
        status=400,
    )


def country_pair(request, code, other):
    country, partner = get_country(code), get_country(other)
    if country == partner:
        return redirect("country_detail", country.slug, permanent=True)
    if (code, other) != (country.slug, partner.slug):
        return redirect("country_pair", country.slug, partner.slug, permanent=True)
    # Claims with actors of both countries: one held in a third country pairs only its
    # actors' countries, not the place.
    found = listing.find(request, params=NO_FILTERS, partners=[country, partner])
    pair_names = {"country": country.local_name, "partner": partner.local_name}
    pair_title = gettext("%(country)s and %(partner)s") % pair_names
    if not found.total:
        page = paginate(request, [], paginator=ExactPaginator)  # ?page=2 is still a 404
        # Two real countries that share no published claim yet: a page that says so,
        # kept out of search engines, with the way to each country.
        return render(
            request,
            "articles/country_pair.html",
            {
                "title": pair_title,
                "description": gettext(
                    "No published claims have actors of both %(country)s and %(partner)s yet."
                )
                % pair_names,
                "noindex": True,
                "country": country,
                "partner": partner,
                "page_obj": page,
                "claims": [],
                "empty": True,
                "pair_members": [country, partner],
            },
        )
    page = paginate(request, found.claims(), paginator=ExactPaginator)
    counted = found.index.facets(found.matches.bitmap, {"kind": None, "event": None})
    return render(
        request,
        "articles/country_pair.html",
        {
            "title": pair_title,
            "description": gettext(
                "Published claims with actors of both %(country)s and %(partner)s."
            )
            % pair_names,
            "feed_title": describe.describe(countries=[country, partner]).title(),
            "feed_url": reverse("country_pair_feed", args=[country.slug, partner.slug]),
            "country": country,
            "partner": partner,
            "page_obj": page,
            "claims": page.object_list,
            # /countries/rs/cn/ and /countries/cn/rs/ are the same page; search engines
            # are told to index one of them.
            "canonical_url": request.build_absolute_uri(
                reverse("country_pair", args=sorted([country.slug, partner.slug]))
            ),
            "kinds": [(Claim.Kind(kind).label, kind, n) for kind, n in counted["kind"]],
            "events": events_by_date(counted["event"]),
        },
    )
