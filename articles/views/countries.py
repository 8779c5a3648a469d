"""Countries: the index by region, a country's page, and a pair of countries."""

from collections import defaultdict

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import engine, facets, listing
from ..charts import monthly_chart
from ..models import Claim, Country, Event
from ..pagination import ExactPaginator, paginate
from .claims import NO_FILTERS, browse, query_string

PARTNERS = 10


def country_list(request):
    countries = Country.objects.public().order_by("region", "subregion", "name")
    regions = defaultdict(list)
    for country in countries:
        regions[country.region or "Other"].append(country)
    return render(
        request,
        "articles/country_list.html",
        {"title": "Countries", "regions": dict(regions)},
    )


def get_country(code):
    if (country := Country.objects.by_code(code)) is None:
        raise Http404(f"There is no country with the code “{code}”.")
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
        raise Http404("No published claims involve this country yet.")
    context, status = browse(request, listing.find(request, countries=[country]), [country])
    counted = index.facets(involving, {"event": PARTNERS})
    # Partners: the countries of the actors of claims with one of its own actors. A
    # claim that only happened in the country makes no partners of it.
    partnered = index.bitmap("partner", country.pk)
    counted.update(index.facets(partnered, {"partner": PARTNERS + 1}))
    partners = facets.names_of({"partner": counted["partner"]}, index)["partner"]
    context.update(
        title=country.name,
        description=f"Published claims involving {country.name}: partners, events and a timeline.",
        feed_title=f"New claims involving {country.name}",
        feed_url=reverse("country_feed", args=[country.slug]),
        country=country,
        partners=[
            {"code": partners[pk][0], "name": partners[pk][1], "count": n}
            for pk, n in counted["partner"]
            if pk != country.pk
        ][:PARTNERS],
        events=events_by_date(counted["event"]),
        chart=monthly_chart(index.months(involving)),
    )
    return render(request, "articles/country_detail.html", context, status=status)


def country_pair(request, code, other):
    country, partner = get_country(code), get_country(other)
    if country == partner:
        return redirect("country_detail", country.slug, permanent=True)
    if (code, other) != (country.slug, partner.slug):
        return redirect("country_pair", country.slug, partner.slug, permanent=True)
    # Claims with actors of both countries: one held in a third country pairs only its
    # actors' countries, not the place.
    found = listing.find(request, params=NO_FILTERS, partners=[country, partner])
    if not found.total:
        raise Http404("No published claims have actors of both of these countries yet.")
    page = paginate(request, found.claims(), paginator=ExactPaginator)
    counted = found.index.facets(found.matches.bitmap, {"kind": None, "event": None})
    return render(
        request,
        "articles/country_pair.html",
        {
            "title": f"{country.name} and {partner.name}",
            "description": f"Published claims involving both {country.name} and {partner.name}.",
            "feed_title": f"New claims involving {country.name} and {partner.name}",
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
