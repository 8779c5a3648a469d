"""
The read engine: which published claims match a filter, in what order, and how many of
them have each facet value — exact, in milliseconds at a million claims.

Each worker holds it in memory, built from PostgreSQL (every published claim's derived
facets, see derived.py): one Roaring bitmap of claim ids per facet value (a country, a
partner country, an actor, an event, a source, a language, a kind, a verification, a
number of independent sources, a year, a month), NumPy
arrays of sort keys by claim id, and each claim's values so that an edit can take them
out again. Filtering is intersecting bitmaps; a facet count is the size of an
intersection; a page is the first matches in a precomputed order.

It stays current from the change log: before answering, a worker applies the entries
after the last one it applied, reading the claims they name again (published ones go
in, the rest come out). Drafts never enter. Detail pages read PostgreSQL directly, and
words are matched by PostgreSQL's full-text search (search.py), whose ids are one more
bitmap to intersect.
"""

import contextlib
import dataclasses
import datetime
import fcntl
import heapq
import json
import os
import threading
from array import array
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Func, TextField
from pyroaring import BitMap

from .models import Change, Claim, Status

# Matches beyond this many are ordered by walking a precomputed order rather than by
# sorting their keys.
SORT_DIRECTLY = 20_000
# Changed claims are ordered apart from the precomputed orders until there are this
# many; then the orders are computed again.
MAX_DIRTY = 50_000
SORTS = ("recent", "oldest", "added", "sourced", "updated")
# Facets with many values: only the first few are counted exactly for a page, the
# rest on their own page ("more").
MANY_VALUED = ("actor", "event", "source")
# Up to this many matches, facets are counted by tallying the matches' own postings;
# past it, by intersecting each value's bitmap with them.
TALLY_AT_MOST = 100_000
DIMENSIONS = (
    "country",
    # Countries of the claims' actors only, not where they happened: partners and pairs.
    "partner",
    "actor",
    "event",
    "source",
    "language",
    "kind",
    "verification",
    # How many independent sources: "1", "2" or "3+" (sourcing()).
    "independent_sources",
    "year",
    "month",
)
SOURCING = ("1", "2", "3+")
# Days are counted from 0001-01-01 (date.toordinal()); 0 means "no date".
NO_DAY = 0
LAST_DAY = datetime.date.max.toordinal() + 1


@dataclasses.dataclass(frozen=True)
class Filters:
    """A claims filter: every country and actor, any kind and verification, …"""

    countries: tuple = ()
    # Countries of the claims' actors (a pair page's two countries).
    partners: tuple = ()
    actors: tuple = ()
    event: int | None = None
    kinds: tuple = ()
    verifications: tuple = ()
    # Any of SOURCING.
    independent_sources: tuple = ()
    source: int | None = None
    language: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Claim ids matching the words (from PostgreSQL), or None for no words.
    words: BitMap | None = None

    def without(self, **fields):
        return dataclasses.replace(self, **fields)


@dataclasses.dataclass(slots=True)
class Values:
    """What one published claim is filtered, counted and sorted by."""

    countries: list
    partners: list
    actors: list
    sources: list
    languages: list
    event: int | None
    kind: str
    verification: str
    day: int
    month_known: bool
    created: int
    evidence: int
    independent_sources: int
    updated: int

    def postings(self):
        """(dimension, value) pairs: the bitmaps the claim belongs to."""
        yield from (("country", value) for value in self.countries)
        yield from (("partner", value) for value in self.partners)
        yield from (("actor", value) for value in self.actors)
        yield from (("source", value) for value in self.sources)
        yield from (("language", value) for value in self.languages)
        if self.event:
            yield "event", self.event
        yield "kind", self.kind
        yield "verification", self.verification
        if self.independent_sources:
            yield "independent_sources", sourcing(self.independent_sources)
        if self.day:
            date = datetime.date.fromordinal(self.day)
            yield "year", date.year
            yield "month", date.year * 12 + date.month - 1


def sourcing(independent_sources):
    """The facet value of a number of independent sources: "1", "2" or "3+"."""
    return SOURCING[min(independent_sources, len(SOURCING)) - 1]


def values_from_row(row):
    """Values from a row of CLAIM_COLUMNS, or None when the claim is not published."""
    _, facets, verification, precision, created_at, evidence_count, independent, updated_at = row[
        :LEXEMES
    ]
    if not facets or not facets["published"]:
        return None
    occurred_on = facets["occurred_on"]
    return Values(
        countries=facets["countries"],
        partners=facets["partners"],
        actors=facets["actors"],
        sources=facets["sources"],
        languages=facets["languages"],
        event=facets["event"],
        kind=facets["kind"],
        verification=verification,
        day=datetime.date.fromisoformat(occurred_on).toordinal() if occurred_on else NO_DAY,
        month_known=bool(occurred_on) and precision != Claim.Precision.YEAR,
        created=int(created_at.timestamp()),
        evidence=evidence_count,
        independent_sources=independent,
        updated=int(updated_at.timestamp()),
    )


CLAIM_COLUMNS = (
    "pk",
    "facets",
    "verification",
    "date_precision",
    "created_at",
    "evidence_count",
    "independent_sources",
    "updated_at",
)
# Where a row of claim_rows() holds the lexemes, on PostgreSQL.
LEXEMES = len(CLAIM_COLUMNS)


def claim_rows(claims):
    """
    Rows of CLAIM_COLUMNS for the published claims of `claims` (a queryset), and on
    PostgreSQL the lexemes of their search documents last (for words).
    """
    claims = claims.filter(status=Status.PUBLISHED).order_by()
    if connection.vendor != "postgresql":
        return claims.values_list(*CLAIM_COLUMNS)
    lexemes = Func(
        "search_vector", function="tsvector_to_array", output_field=ArrayField(TextField())
    )
    return claims.annotate(lexemes=lexemes).values_list(*CLAIM_COLUMNS, "lexemes")


def sort_keys(pks, days, created, evidence, sources, updated):
    """
    Each sort's key for these claims (NumPy arrays), larger first: the date then the
    id ("recent"), the reverse but undated claims last ("oldest"), when it was added
    then the id ("added"), the number of independent sources then of quotes then the
    date then the id ("sourced"; ten bits hold both numbers: past 31 they tie), when it
    was last saved then the id ("updated": the feeds, where a corrected claim comes
    back).
    """
    pks, days = pks.astype(np.uint64), days.astype(np.uint64)
    quotes = (np.minimum(sources, 31).astype(np.uint64) << np.uint64(5)) | np.minimum(
        evidence, 31
    ).astype(np.uint64)
    # "oldest": the earliest date first, then the lowest id; undated claims last.
    later = np.where(days == 0, np.uint64(0), np.uint64(LAST_DAY) - days)
    return {
        "recent": (days << np.uint64(32)) | pks,
        "oldest": (later << np.uint64(32)) | (np.uint64(0xFFFFFFFF) - pks),
        "added": (created.astype(np.uint64) << np.uint64(32)) | pks,
        "sourced": (quotes << np.uint64(54)) | (days << np.uint64(32)) | pks,
        "updated": (updated.astype(np.uint64) << np.uint64(32)) | pks,
    }


class ClaimIndex:
    def __init__(self, seq=0):
        self.seq = seq  # the change log entry applied last
        self.published = BitMap()
        self.bitmaps = {dimension: {} for dimension in DIMENSIONS}
        # Claims dated to a year only: in January's bitmap, left out of the month chart.
        self.year_only = BitMap()
        # Each claim's postings as codes, to take it out of its bitmaps again: a slice
        # of `base` for the claims as built, `overlay` for those added since.
        self.code_of, self.posting_of = {}, []
        self.base = np.zeros(0, dtype=np.int32)
        self.base_start = np.zeros(0, dtype=np.int64)
        self.base_length = np.zeros(0, dtype=np.int16)
        self.overlay = {}
        self.overlaid = BitMap()
        self._codes_of, self._codes_known = {}, None
        self.days = np.zeros(0, dtype=np.int32)
        self.keys = {sort: np.zeros(0, dtype=np.uint64) for sort in SORTS}
        self.orders = {sort: np.zeros(0, dtype=np.uint32) for sort in SORTS}
        # Claims whose sort keys changed since the orders were computed.
        self.dirty = BitMap()
        self._ranked = {}
        # What pages call the facets' values, (dimension, id) → (parameter, label):
        # kept until the next change (see facets.names_of()).
        self.names = {}
        # Words (PostgreSQL): the claims whose documents hold each lexeme. Claims changed
        # since are `stale_words`, matched against their lexemes in `overlay_words`.
        self.words_indexed = False
        self.lexemes = {}
        self.stale_words = BitMap()
        self.overlay_words = {}

    def code(self, posting):
        if (code := self.code_of.get(posting)) is None:
            code = self.code_of[posting] = len(self.posting_of)
            self.posting_of.append(posting)
        return code

    # --- building and keeping current

    @classmethod
    def build(cls, seq=None, progress=None):
        """
        Everything published, from the database: the change log's number first (`seq`
        if the caller has just read it), then the claims, so that a change committed in
        between is applied again rather than missed.
        """
        from .derived import change_seq

        index = cls(seq=change_seq() if seq is None else seq)
        rows = claim_rows(Claim.objects.all()).iterator(chunk_size=20_000)
        pks, starts, lengths, codes = array("q"), array("q"), array("h"), array("i")
        days, created, evidence, year_only = array("i"), array("q"), array("i"), array("I")
        sources = array("i")
        updated = array("q")
        members = {}  # code → claim ids
        words = {}  # lexeme → claim ids
        for done, row in enumerate(rows, start=1):
            if (values := values_from_row(row)) is None:
                continue
            pk = row[0]
            for lexeme in row[LEXEMES] if len(row) > LEXEMES else ():
                if (ids := words.get(lexeme)) is None:
                    ids = words[lexeme] = array("I")
                ids.append(pk)
            claim_codes = [index.code(posting) for posting in values.postings()]
            pks.append(pk)
            starts.append(len(codes))
            lengths.append(len(claim_codes))
            codes.extend(claim_codes)
            for code in claim_codes:
                if (ids := members.get(code)) is None:
                    ids = members[code] = array("I")
                ids.append(pk)
            days.append(values.day)
            created.append(values.created)
            evidence.append(values.evidence)
            sources.append(values.independent_sources)
            updated.append(values.updated)
            if values.day and not values.month_known:
                year_only.append(pk)
            if progress and done % 100_000 == 0:
                progress(done)
        for code, ids in members.items():
            dimension, value = index.posting_of[code]
            index.bitmaps[dimension][value] = BitMap(ids)
        index.lexemes = {lexeme: BitMap(ids) for lexeme, ids in words.items()}
        index.words_indexed = connection.vendor == "postgresql"
        index.published = BitMap(array("I", pks))
        index.year_only = BitMap(year_only)
        pk_array = np.frombuffer(pks, dtype=np.int64)
        index.grow(int(pk_array.max()) if len(pk_array) else 0)
        index.base = np.frombuffer(codes, dtype=np.int32).copy()
        index.base_start[pk_array] = np.frombuffer(starts, dtype=np.int64)
        index.base_length[pk_array] = np.frombuffer(lengths, dtype=np.int16)
        day_array = np.frombuffer(days, dtype=np.int32)
        index.days[pk_array] = day_array
        keys = sort_keys(
            pk_array,
            day_array,
            np.frombuffer(created, dtype=np.int64),
            np.frombuffer(evidence, dtype=np.int32),
            np.frombuffer(sources, dtype=np.int32),
            np.frombuffer(updated, dtype=np.int64),
        )
        for sort in SORTS:
            index.keys[sort][pk_array] = keys[sort]
        index.compute_orders()
        return index

    # --- saving and loading

    ARRAYS = ("base", "base_start", "base_length", "days")

    def save(self, path):
        """
        Write the index to `path` (a .npz file), through a file beside it renamed into
        place, so that a worker reading it never sees half of one.
        """
        self.compact()
        blobs, offsets = [], [0]
        for code in range(len(self.posting_of)):
            dimension, value = self.posting_of[code]
            bitmap = self.bitmaps[dimension].get(value, BitMap())
            blobs.append(bitmap.serialize())
            offsets.append(offsets[-1] + len(blobs[-1]))
        words = sorted(self.lexemes)
        word_blobs = [self.lexemes[lexeme].serialize() for lexeme in words]
        word_offsets = np.cumsum([0, *map(len, word_blobs)], dtype=np.int64)
        arrays = {name: getattr(self, name) for name in self.ARRAYS}
        arrays.update({f"keys_{sort}": keys for sort, keys in self.keys.items()})
        arrays.update({f"order_{sort}": order for sort, order in self.orders.items()})
        meta = {
            "seq": self.seq,
            "postings": self.posting_of,
            "words": words,
            "words_indexed": self.words_indexed,
        }
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        with partial.open("wb") as file:
            np.savez(
                file,
                meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                bitmaps=np.frombuffer(b"".join(blobs), dtype=np.uint8),
                bitmap_offsets=np.array(offsets, dtype=np.int64),
                published=np.frombuffer(self.published.serialize(), dtype=np.uint8),
                year_only=np.frombuffer(self.year_only.serialize(), dtype=np.uint8),
                lexemes=np.frombuffer(b"".join(word_blobs), dtype=np.uint8),
                lexeme_offsets=word_offsets,
                **arrays,
            )
        partial.replace(path)

    @classmethod
    def load(cls, path):
        """An index saved by save(), or None when there is none at `path` (or an older one)."""
        try:
            data = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            return None
        with data:
            if any(f"keys_{sort}" not in data for sort in SORTS):
                return None  # saved before a sort was added: built again instead
            meta = json.loads(data["meta"].tobytes())
            index = cls(seq=meta["seq"])
            index.posting_of = [tuple(posting) for posting in meta["postings"]]
            index.code_of = {posting: code for code, posting in enumerate(index.posting_of)}
            blobs, offsets = data["bitmaps"].tobytes(), data["bitmap_offsets"]
            for code, (dimension, value) in enumerate(index.posting_of):
                bitmap = BitMap.deserialize(blobs[offsets[code] : offsets[code + 1]])
                if bitmap:
                    index.bitmaps[dimension][value] = bitmap
            blobs, offsets = data["lexemes"].tobytes(), data["lexeme_offsets"]
            index.lexemes = {
                lexeme: BitMap.deserialize(blobs[offsets[n] : offsets[n + 1]])
                for n, lexeme in enumerate(meta["words"])
            }
            index.words_indexed = meta["words_indexed"]
            index.published = BitMap.deserialize(data["published"].tobytes())
            index.year_only = BitMap.deserialize(data["year_only"].tobytes())
            for name in cls.ARRAYS:
                setattr(index, name, data[name])
            index.keys = {sort: data[f"keys_{sort}"] for sort in SORTS}
            index.orders = {sort: data[f"order_{sort}"] for sort in SORTS}
        return index

    def compact(self):
        """Fold the claims changed since the build into the base arrays and the orders."""
        if self.stale_words:
            for lexeme in list(self.lexemes):
                self.lexemes[lexeme] -= self.stale_words
            for pk, lexemes in self.overlay_words.items():
                for lexeme in lexemes if pk in self.published else ():
                    self.lexemes.setdefault(lexeme, BitMap()).add(pk)
            self.lexemes = {lexeme: bitmap for lexeme, bitmap in self.lexemes.items() if bitmap}
            self.stale_words, self.overlay_words = BitMap(), {}
        if not self.overlay:
            if self.dirty:
                self.compute_orders()
            return
        codes, starts, lengths = (
            [],
            np.zeros(len(self.days), np.int64),
            np.zeros(len(self.days), np.int16),
        )
        position = 0
        for pk in map(int, self.published):
            claim = self.postings(pk)
            starts[pk], lengths[pk] = position, len(claim)
            codes.extend(claim)
            position += len(claim)
        self.base = np.array(codes, dtype=np.int32)
        self.base_start, self.base_length = starts, lengths
        self.overlay, self.overlaid = {}, BitMap()
        self.compute_orders()

    def catch_up(self, seq):
        """Apply the change log entries after self.seq, up to `seq`; False: rebuild."""
        entries = Change.objects.filter(seq__gt=self.seq, seq__lte=seq).values_list("claims")
        claims = set()
        for (ids,) in entries:
            if ids is None:  # every claim may have changed
                return False
            claims.update(ids)
        self.refresh(claims)
        self.seq = seq
        self.names.clear()  # a name may have changed
        return True

    def refresh(self, claim_ids):
        """Read these claims again: published ones go in (again), the others out."""
        if not claim_ids:
            return
        rows = {row[0]: row for row in claim_rows(Claim.objects.filter(pk__in=claim_ids))}
        for pk in claim_ids:
            if pk in self.published:
                self.remove(pk)
            # A published claim may still be unlisted (a duplicate: see derived.py).
            row = rows.get(pk)
            if row is not None and (values := values_from_row(row)) is not None:
                self.add(pk, values)
            # Its words as they are now: its old ones are somewhere in the lexemes' bitmaps.
            self.stale_words.add(pk)
            self.overlay_words[pk] = frozenset(
                row[LEXEMES] if row is not None and len(row) > LEXEMES else ()
            )
        if len(self.dirty) > MAX_DIRTY:
            self.compute_orders()

    def postings(self, pk):
        if pk in self.overlay:
            return self.overlay[pk]
        start = self.base_start[pk]
        return self.base[start : start + self.base_length[pk]].tolist()

    def add(self, pk, values):
        codes = [self.code(posting) for posting in values.postings()]
        self.overlay[pk] = codes
        self.overlaid.add(pk)
        self.published.add(pk)
        for code in codes:
            dimension, value = self.posting_of[code]
            if (bitmap := self.bitmaps[dimension].get(value)) is None:
                bitmap = self.bitmaps[dimension][value] = BitMap()
            bitmap.add(pk)
        if values.day and not values.month_known:
            self.year_only.add(pk)
        self.grow(pk)
        self.days[pk] = values.day
        keys = sort_keys(
            np.array([pk]),
            np.array([values.day]),
            np.array([values.created]),
            np.array([values.evidence]),
            np.array([values.independent_sources]),
            np.array([values.updated]),
        )
        for sort in SORTS:
            self.keys[sort][pk] = keys[sort][0]
        self.dirty.add(pk)
        self._ranked.clear()

    def remove(self, pk):
        for code in self.postings(pk):
            dimension, value = self.posting_of[code]
            bitmap = self.bitmaps[dimension][value]
            bitmap.discard(pk)
            if not bitmap:
                del self.bitmaps[dimension][value]
        self.overlay[pk] = []
        self.overlaid.add(pk)
        self.published.discard(pk)
        self.year_only.discard(pk)
        self.dirty.add(pk)  # out of date in the orders: skipped when walking them
        self._ranked.clear()

    def grow(self, pk):
        """Make the arrays indexed by claim id long enough for `pk`."""
        size = len(self.days)
        if pk < size:
            return
        size = max(pk + 1, size * 2, 1024)

        def grown(old):
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            return new

        self.days, self.base_start, self.base_length = map(
            grown, (self.days, self.base_start, self.base_length)
        )
        self.keys = {sort: grown(keys) for sort, keys in self.keys.items()}

    def compute_orders(self):
        """Every published claim in each sort's order; nothing is dirty any more."""
        ids = np.frombuffer(self.published.to_array(), dtype=np.uint32)
        for sort in SORTS:
            # Claim ids fit 32 bits: half the memory of NumPy's default.
            self.orders[sort] = ids[np.argsort(self.keys[sort][ids])[::-1]]
        self.dirty = BitMap()

    # --- matching

    def matching(self, filters):
        """The published claims that pass `filters`, as a bitmap."""
        parts = []
        for dimension, values in (
            ("country", filters.countries),
            ("partner", filters.partners),
            ("actor", filters.actors),
        ):
            parts.extend(self.bitmap(dimension, value) for value in values)
        if filters.event is not None:
            parts.append(self.bitmap("event", filters.event))
        if filters.source is not None:
            parts.append(self.bitmap("source", filters.source))
        if filters.language is not None:
            parts.append(self.bitmap("language", filters.language.lower()))
        for dimension, values in (
            ("kind", filters.kinds),
            ("verification", filters.verifications),
            ("independent_sources", filters.independent_sources),
        ):
            if values:
                parts.append(BitMap.union(*(self.bitmap(dimension, value) for value in values)))
        if filters.date_from is not None or filters.date_to is not None:
            parts.append(self.dated(filters.date_from, filters.date_to))
        if filters.words is not None:
            parts.append(filters.words)
        if not parts:
            return self.published
        parts.sort(key=len)  # smallest first: every intersection is then small
        result = parts[0] & self.published
        for part in parts[1:]:
            result &= part
        return result

    def bitmap(self, dimension, value):
        return self.bitmaps[dimension].get(value) or BitMap()

    def dated(self, first, last):
        """Claims dated from `first` to `last` (either may be None), as a bitmap."""
        low = first.toordinal() if first else 1
        high = last.toordinal() if last else datetime.date.max.toordinal()
        parts = []
        for year, bitmap in self.bitmaps["year"].items():
            start = datetime.date(year, 1, 1).toordinal()
            end = datetime.date(year, 12, 31).toordinal()
            if low <= start and end <= high:
                parts.append(bitmap)
            elif start <= high and low <= end:  # the first or the last year: month by month
                for month in range(12):
                    bitmap = self.bitmaps["month"].get(year * 12 + month)
                    start = datetime.date(year, month + 1, 1).toordinal()
                    end = (
                        datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1).toordinal()
                        - 1
                    )
                    if bitmap is None or end < low or high < start:
                        continue
                    if low <= start and end <= high:
                        parts.append(bitmap)
                    else:  # the first or the last month: day by day
                        ids = np.frombuffer(bitmap.to_array(), dtype=np.uint32)
                        days = self.days[ids]
                        parts.append(BitMap(ids[(low <= days) & (days <= high)]))
        return BitMap.union(*parts) if parts else BitMap()

    def words(self, node):
        """
        The published claims whose documents match a search.tsquery() tree, as a
        bitmap. Phrases are matched as all their words: search.verified() checks them.
        """
        found = self.evaluate(node) & self.published
        if not self.stale_words:
            return found
        found -= self.stale_words
        for pk in self.stale_words & self.published:
            if holds(node, self.overlay_words.get(pk, frozenset())):
                found.add(pk)
        return found

    def evaluate(self, node):
        kind = node[0]
        if kind == "word":
            return self.lexemes.get(node[1]) or BitMap()
        if kind == "not":
            return self.published - self.evaluate(node[1])
        parts = [self.evaluate(child) for child in node[1]]
        return BitMap.union(*parts) if kind == "or" else BitMap.intersection(*parts)

    # --- ordering

    def page(self, matches, sort, offset, limit):
        """Ids of matches[offset:offset + limit] in the order of `sort`, larger keys first."""
        wanted = offset + limit
        keys = self.keys[sort]
        if len(matches) <= SORT_DIRECTLY:
            ids = np.frombuffer(matches.to_array(), dtype=np.uint32).astype(np.int64)
            return self.top(ids, keys, wanted)[offset:].tolist()
        # The precomputed order, skipping the claims that changed since, merged with
        # the changed ones that match, sorted on their own.
        member = np.zeros(len(keys), dtype=bool)
        member[np.frombuffer(matches.to_array(), dtype=np.uint32)] = True
        changed = matches & self.dirty
        if self.dirty:
            member[np.frombuffer(self.dirty.to_array(), dtype=np.uint32)] = False
        order, found, start = self.orders[sort], [], 0
        step = max(4096, wanted * 4)
        while start < len(order) and sum(map(len, found)) < wanted:
            chunk = order[start : start + step]
            found.append(chunk[member[chunk]])
            start += step
        ids = np.concatenate([*found, np.frombuffer(changed.to_array(), dtype=np.uint32)])
        return self.top(ids.astype(np.int64), keys, wanted)[offset:].tolist()

    @staticmethod
    def top(ids, keys, count):
        """The `count` ids with the largest keys, largest first."""
        if count < len(ids):
            ids = ids[np.argpartition(keys[ids], len(ids) - count)[len(ids) - count :]]
        return ids[np.argsort(keys[ids])[::-1]]

    # --- counting

    def facets(self, matches, limits):
        """
        {dimension: [(value, count)]} for each dimension of `limits` ({dimension: the
        number of values wanted, or None for all}), most first, ties by value. Up to
        TALLY_AT_MOST matches, their postings are tallied in one NumPy pass; beyond it,
        or for one dimension of few values, each value's bitmap is intersected with
        them (see counts()).
        """
        few = len(limits) == 1 and all(len(self.bitmaps[d]) <= 64 for d in limits)
        if few or len(matches) > TALLY_AT_MOST:
            return {
                dimension: self.counts(dimension, matches, limit)
                for dimension, limit in limits.items()
            }
        tally = self.tally(matches)
        found = {}
        for dimension, limit in limits.items():
            codes = self.codes_of(dimension)
            counts = tally[codes]
            nonzero = np.flatnonzero(counts)
            codes, counts = codes[nonzero], counts[nonzero]
            if limit is not None and limit < len(codes):
                # Enough to settle ties at the cut: every code counted as the last kept.
                cut = np.partition(counts, len(counts) - limit)[len(counts) - limit]
                keep = counts >= cut
                codes, counts = codes[keep], counts[keep]
            pairs = sorted(
                ((self.posting_of[code][1], int(n)) for code, n in zip(codes, counts, strict=True)),
                key=lambda item: (-item[1], item[0]),
            )
            found[dimension] = pairs if limit is None else pairs[:limit]
        return found

    def codes_of(self, dimension):
        """The posting codes of `dimension`, as an array (kept until a new code appears)."""
        if self._codes_known != len(self.posting_of):
            by_dimension = {name: [] for name in DIMENSIONS}
            for code, (name, _) in enumerate(self.posting_of):
                by_dimension[name].append(code)
            self._codes_of = {
                name: np.array(codes, dtype=np.int64) for name, codes in by_dimension.items()
            }
            self._codes_known = len(self.posting_of)
        return self._codes_of[dimension]

    def tally(self, matches):
        """How many of `matches` each posting code has: an array indexed by code."""
        overlaid = matches & self.overlaid
        ids = np.frombuffer((matches - overlaid).to_array(), dtype=np.uint32)
        starts = self.base_start[ids]
        lengths = self.base_length[ids].astype(np.int64)
        ends = np.cumsum(lengths)
        positions = np.repeat(starts - (ends - lengths), lengths) + np.arange(
            ends[-1] if len(ends) else 0
        )
        tally = np.bincount(self.base[positions], minlength=len(self.posting_of))
        for pk in overlaid:
            for code in self.overlay[pk]:
                tally[code] += 1
        return tally

    def counts(self, dimension, matches, limit=None, exclude=()):
        """
        [(value, count)] of `dimension` among `matches`, most first (ties by value),
        without zeros. With `limit`, only the first `limit` values: values are tried in
        order of their total, and counting stops when no total left can make the list.
        """
        bitmaps = self.bitmaps[dimension]
        everything = matches is self.published
        if limit is None:
            found = [
                (value, len(bitmap) if everything else matches.intersection_cardinality(bitmap))
                for value, bitmap in bitmaps.items()
                if value not in exclude
            ]
            return sorted(((v, n) for v, n in found if n), key=lambda item: (-item[1], item[0]))
        best = []  # a heap of (count, -value): the smallest of the best first
        for value in self.ranked(dimension):
            bitmap = bitmaps[value]
            if len(best) == limit and len(bitmap) < best[0][0]:
                break
            if value in exclude:
                continue
            n = len(bitmap) if everything else matches.intersection_cardinality(bitmap)
            if n and (len(best) < limit or (n, -value) > best[0]):
                if len(best) == limit:
                    heapq.heapreplace(best, (n, -value))
                else:
                    heapq.heappush(best, (n, -value))
        return sorted(((-value, n) for n, value in best), key=lambda item: (-item[1], item[0]))

    def ranked(self, dimension):
        """The values of `dimension`, largest total first (kept until the next change)."""
        if dimension not in self._ranked:
            bitmaps = self.bitmaps[dimension]
            self._ranked[dimension] = sorted(bitmaps, key=lambda value: -len(bitmaps[value]))
        return self._ranked[dimension]

    def months(self, matches):
        """[(year, month, count)] of claims whose month is known, in date order."""
        counts = []
        for key in sorted(self.bitmaps["month"]):
            bitmap = self.bitmaps["month"][key]
            n = matches.intersection_cardinality(bitmap)
            if key % 12 == 0 and n:  # January holds the claims dated to a year only
                n -= matches.intersection_cardinality(bitmap & self.year_only)
            if n:
                counts.append((key // 12, key % 12 + 1, n))
        return counts


class Matches:
    """
    The claims matching a filter, in the order asked for, as ids: what Django's
    Paginator pages through (it asks for count() and for slices). `ranks`, when given
    ({id: relevance}), orders them by relevance first, then by date.
    """

    def __init__(self, index, bitmap, sort="recent", ranks=None):
        self.index, self.bitmap, self.sort, self.ranks = index, bitmap, sort, ranks
        self._ranked = None

    def count(self):
        return len(self.bitmap)

    __len__ = count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self.ids(key, 1)[0]
        start = key.start or 0
        stop = len(self) if key.stop is None else min(key.stop, len(self))
        return self.ids(start, max(0, stop - start))

    def ids(self, offset, limit):
        if self.ranks is None:
            return self.index.page(self.bitmap, self.sort, offset, limit)
        if self._ranked is None:
            recent = self.index.keys["recent"]
            self._ranked = sorted(
                self.bitmap, key=lambda pk: (-self.ranks.get(pk, 0), -int(recent[pk]))
            )
        return self._ranked[offset : offset + limit]


def holds(node, lexemes):
    """Whether a document with these lexemes matches a search.tsquery() tree."""
    kind = node[0]
    if kind == "word":
        return node[1] in lexemes
    if kind == "not":
        return not holds(node[1], lexemes)
    found = (holds(child, lexemes) for child in node[1])
    return any(found) if kind == "or" else all(found)


# --- the index of this process ---------------------------------------------------------

_lock = threading.RLock()
_index = None


def current(seq):
    """The index, brought up to change log entry `seq` (derived.change_seq())."""
    global _index
    with _lock:
        if _index is not None and _index.seq == seq:
            return _index
        if _index is None or seq < _index.seq or not _index.catch_up(seq):
            # First use, the log went back (a restored database), or every claim changed.
            _index = fresh(seq)
        return _index


def fresh(seq):
    """
    An index at change log entry `seq`: the one saved at READ_INDEX_PATH brought up to
    date, or else one built from the database, then saved there for the next worker.
    Workers of one server take turns (a lock beside the file), so one builds while the
    others wait and then load what it saved.
    """
    path = settings.READ_INDEX_PATH
    if not path:
        return ClaimIndex.build(seq)
    with building(path):
        saved = ClaimIndex.load(path)
        if saved is not None and saved.seq <= seq and saved.catch_up(seq):
            return saved
        index = ClaimIndex.build(seq)
        index.save(path)
        return index


@contextlib.contextmanager
def building(path):
    """An exclusive lock, among the processes of this server, on building the index at `path`."""
    lock = Path(path).with_name(Path(path).name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def for_request(request):
    """The index, current for this request (the page cache has read the change log)."""
    from .derived import change_seq

    if getattr(request, "change_seq", None) is None:
        request.change_seq = change_seq()
    return current(request.change_seq)


def lag():
    """How many change log entries this process has not applied yet (None: no index yet)."""
    with _lock:
        if _index is None:
            return None
        return Change.objects.filter(seq__gt=_index.seq).count()


def reset():
    """Forget the index: the next use builds it again (tests, after a rebuild)."""
    global _index
    with _lock:
        _index = None
