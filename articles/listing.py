"""
Claims lists as readers ask for them: the filters of the URL (filters.ClaimFilter), plus
what a page stands for (its country, pair, actor or event), answered by the read engine
(engine.py). Lists, country, pair, actor and event pages, the API, the feeds and the
downloads all find their claims here, so they never disagree.
"""

import dataclasses

from django.db import connection
from pyroaring import BitMap

from . import engine, search
from .filters import ClaimFilter
from .models import Claim


@dataclasses.dataclass
class Listing:
    filterset: ClaimFilter
    index: engine.ClaimIndex | None = None
    filters: engine.Filters | None = None
    # The matching claims' ids in the order asked for (None when the filters are wrong).
    matches: engine.Matches | None = None
    # The words to highlight in statements.
    words: list = dataclasses.field(default_factory=list)
    # A search with too many matches to rank: listed by date instead of relevance.
    unranked: bool = False

    @property
    def valid(self):
        return self.matches is not None

    @property
    def total(self):
        return len(self.matches)

    def claims(self):
        """The matches as Claim objects, for Django's Paginator."""
        return Claims(self.matches)


def find(request, params=None, sort=None, filterset=None, **fixed):
    """
    The claims a request asks for (its GET parameters, or `params`, or the `filterset`
    already made of them), with `fixed` countries, actors or event added (see
    ClaimFilter.engine_filters()). `sort` is the order when the reader chose none (by
    default, the most recent first; by relevance for a search).
    """
    if filterset is None:
        filterset = ClaimFilter(request.GET if params is None else params)
    if not filterset.is_valid():
        return Listing(filterset)
    index = engine.for_request(request)
    data = filterset.form.cleaned_data
    words, ranks, highlighted = (None, None, [])
    if data.get("q"):
        words, ranks, highlighted = words_matching(index, data["q"])
    filters = filterset.engine_filters(words, **fixed)
    bitmap = index.matching(filters)
    chosen = data.get("sort")
    ranked = unranked = False
    if words is not None and not chosen and connection.vendor == "postgresql":
        # By relevance, when there are few enough matches to score.
        if len(bitmap) <= search.RANK_AT_MOST:
            if ranks is None:
                ranks = search.ranks(Claim.objects.published(), list(bitmap), data["q"])
            ranked = True
        else:
            unranked = True
    matches = engine.Matches(index, bitmap, chosen or sort or "recent", ranks if ranked else None)
    return Listing(filterset, index, filters, matches, highlighted, unranked)


def words_matching(index, text):
    """
    The claims whose documents match the words searched for, as claim ids (None: the
    text holds no word to look for), their relevance when already known, and the words
    to highlight. The read index matches them on PostgreSQL; SQLite, words PostgreSQL
    drops ("the") and misspellings go to search.matching().
    """
    if index.words_indexed:
        node = search.tsquery(text)
        if node is not None:
            found = index.words(node)
            if found and search.has_phrase(node):
                # Phrases were matched as all their words: keep those with them in order.
                found = BitMap(search.verified(Claim.objects.published(), list(found), text))
            if found:
                return found, None, search.Query(text).words
    ids, ranks, highlighted = search.matching(Claim.objects.published(), text)
    return (None if ids is None else BitMap(ids)), ranks, highlighted


class Claims:
    """
    A Matches read as claims: what Django's Paginator pages through. A slice is a page
    of Claim objects with what a list row shows (Claim.objects.for_list(): two queries).
    """

    def __init__(self, matches):
        self.matches = matches

    def count(self):
        return self.matches.count()

    __len__ = count

    def __getitem__(self, key):
        return in_order(self.matches[key] if isinstance(key, slice) else [self.matches[key]])


def in_order(ids, queryset=None):
    """The published claims with these ids, in the order of the ids."""
    queryset = Claim.objects.for_list() if queryset is None else queryset
    claims = {claim.pk: claim for claim in queryset.published().filter(pk__in=ids)}
    return [claims[pk] for pk in ids if pk in claims]
