"""
Pairs of countries: the busiest ones, counted by the read index, and the choices of the
pair picker (the home page and /countries/pair/).
"""

import heapq

from django.urls import reverse
from django.utils.translation import gettext

from .models import Country
from .names import by_name, country_name

# The busiest pairs the home page lists, and how many of the busiest countries are
# paired to find them: a bound on the work whatever the number of countries.
PAIRS = 8
PAIR_CANDIDATES = 100


def busiest_pairs(index, limit=PAIRS):
    """
    [(country id, country id, shared claims)] of the `limit` pairs of countries sharing
    the most published claims, most first, from the read index's bitmaps (no query).
    Countries are taken largest first; a pair shares at most the smaller one's claims,
    so the search stops at the first country smaller than the last pair kept.
    """
    # Partners, as the pair pages count: actors of both countries, not a place.
    bitmaps = index.bitmaps["partner"]
    best = []  # a heap of (shared, tie-break, a, b): the least of the best first
    larger = []
    for rank, value in enumerate(index.ranked("partner")[:PAIR_CANDIDATES]):
        bitmap = bitmaps[value]
        if len(best) == limit and len(bitmap) <= best[0][0]:
            break
        for other_rank, other in enumerate(larger):
            shared = bitmap.intersection_cardinality(bitmaps[other])
            # Ties go to the pair of the larger countries: those found first.
            item = (shared, -(rank * PAIR_CANDIDATES + other_rank), other, value)
            if shared and len(best) < limit:
                heapq.heappush(best, item)
            elif shared and item > best[0]:
                heapq.heapreplace(best, item)
        larger.append(value)
    return [(a, b, shared) for shared, _, a, b in sorted(best, reverse=True)]


def pair_links(index, countries):
    """The busiest pairs as {href, label, count}; `countries` names them, by id."""
    return [
        {
            "href": reverse("country_pair", args=[countries[a].slug, countries[b].slug]),
            "label": gettext("%(country)s and %(partner)s")
            % {"country": countries[a].local_name, "partner": countries[b].local_name},
            "count": shared,
        }
        for a, b, shared in busiest_pairs(index)
        if a in countries and b in countries
    ]


def pair_choices():
    """The pair picker's countries, those readers can visit: (code, name) by name."""
    return by_name(
        [
            (code.lower(), country_name(code, name))
            for code, name in Country.objects.public().values_list("code", "name")
        ],
        name=lambda choice: choice[1],
    )
