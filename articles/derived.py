"""
Derived data: what readers see that is computed from what editors enter.

Editors (through the admin), importers and the data generator write the source rows:
claims, their actors and roles, evidence quotes, articles, events, actors, sources.
From them this module, and nothing else, derives

- each claim's country links (`Involvement`): its actors' countries (`by_actor`, its
  partners) and where it happened, with copies of the claim's status, kind and date;
- its search document (PostgreSQL computes the tsvector from it), its number of
  quotes from published articles, and its independent sources: the distinct
  publishers of those articles, a syndicated copy counted as its originating agency
  (the "best sourced" order);
- its facets: what it was last filtered and counted by (`Claim.facets`);
- the claim counts of countries, actors and events, moved by the difference between a
  claim's old and new facets rather than recounted;
- the change log (`Change`): one entry per committed change that readers can see.

Writers only say what they touched: the signals (signals.py) call touch(). Inside
batch() — every admin request that writes, the demo loader, importers — the touches are
collected and refreshed once, just before the transaction commits, with a fixed number
of statements however many claims they reach; outside a batch each touch is refreshed
at once. `manage.py refresh_claims` runs rebuild() (everything again, from scratch) or
check() (recompute in memory and compare).

    editor ─▶ admin ─▶ source rows ─▶ signals: touch(ids) ─▶ at commit: refresh(claims)
        ─▶ links, documents, facets, counts ─▶ Change(seq, claims) ─▶ caches, read index
"""

import contextlib
import dataclasses
import itertools
import json
from collections import Counter
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Aggregate, Exists, F, JSONField, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONArray

from .models import (
    Actor,
    Change,
    Claim,
    ClaimActor,
    ClaimLink,
    Country,
    Event,
    Evidence,
    Involvement,
    Status,
    split_aliases,
)
from .search import fold

# Claims read and written per round trip: big sets (a renamed actor, a rebuild) are
# refreshed in chunks of this many, inside the same transaction.
CHUNK = 2000
# A change log entry lists at most this many claims; past it, it says "every claim".
MAX_LOGGED = 50_000
# Taken (until commit) before appending to the change log, so that entries become
# visible in the order of their numbers: a reader that has seen entry N has seen every
# entry before it. Any constant of our own.
CHANGE_LOG_LOCK = 0x6E657773  # "news"

COUNTED = {"country": Country, "actor": Actor, "event": Event}


# --- what writers say ---------------------------------------------------------------------


@dataclasses.dataclass
class Touched:
    """What a transaction wrote, by kind, as ids; `removed`: deleted claims' last facets."""

    claims: set = dataclasses.field(default_factory=set)
    actors: set = dataclasses.field(default_factory=set)
    events: set = dataclasses.field(default_factory=set)
    articles: set = dataclasses.field(default_factory=set)
    sources: set = dataclasses.field(default_factory=set)
    countries: set = dataclasses.field(default_factory=set)
    removed: dict = dataclasses.field(default_factory=dict)
    # A page readers see changed even if no claim did (an article's text, an event's
    # participants): the change log moves on, so cached pages are not served again.
    public: bool = False

    def add(self, *, removed=None, public=False, **ids):
        for kind, values in ids.items():
            getattr(self, kind).update(value for value in values if value is not None)
        self.removed.update(removed or {})
        self.public = self.public or public


_pending = ContextVar("derived_data_pending", default=None)


def touch(**what):
    """
    Say what a write touched: claims=, actors=, events=, articles=, sources=,
    countries= (ids), removed= ({claim id: its facets} for deleted claims), public=.
    Refreshed at the end of the current batch(), or at once outside one.
    """
    pending = _pending.get()
    if pending is not None:
        pending.add(**what)
        return
    touched = Touched()
    touched.add(**what)
    with transaction.atomic(savepoint=False):
        flush(touched)


@contextlib.contextmanager
def batch():
    """
    A transaction whose touches are refreshed once, just before it commits. A batch
    inside another joins it.
    """
    if _pending.get() is not None:
        yield
        return
    pending = Touched()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            flush(pending)
    finally:
        if token is not None:
            _pending.reset(token)


def flush(touched):
    """Refresh what `touched` reaches and append to the change log if readers can tell."""
    claims = touched.claims | set(touched.removed) | claims_using(touched)
    changed = refresh(claims, removed=touched.removed) if claims else set()
    if changed or touched.public:
        append_to_log(changed)


def claims_using(touched):
    """The claims that use the touched actors, events, articles, sources or countries."""
    uses = [
        (touched.actors, ClaimActor.objects.filter(actor__in=touched.actors), "claim_id"),
        (touched.events, Claim.objects.filter(event__in=touched.events), "pk"),
        (touched.articles, Evidence.objects.filter(article__in=touched.articles), "claim_id"),
        (touched.sources, Evidence.objects.filter(article__source__in=touched.sources), "claim_id"),
        # … and those that count it as the originating agency of a syndicated copy.
        (touched.sources, Evidence.objects.filter(article__agency__in=touched.sources), "claim_id"),
        # A country's name is in the documents of the claims that happened there.
        (touched.countries, Claim.objects.filter(country__in=touched.countries), "pk"),
    ]
    queries = [rows.order_by().values_list(column) for ids, rows, column in uses if ids]
    if not queries:
        return set()
    return {pk for (pk,) in queries[0].union(*queries[1:]).order_by()}


# --- deriving ----------------------------------------------------------------------------


class JSONArrayAgg(Aggregate):
    """The grouped values as one JSON array."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def inputs(claims, lock=False):
    """
    Everything the derived data of `claims` (a Q) is computed from, one row per claim
    with its roles and published quotes as JSON: one query. With `lock`, the claims'
    rows are locked until commit (PostgreSQL), so two editors saving the same claim
    refresh it one after the other, each from what the other committed.
    """
    roles = (
        ClaimActor.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(
            rows=JSONArrayAgg(
                JSONArray("role", "actor_id", "actor__name", "actor__aliases", "actor__country_id")
            )
        )
        .values("rows")
    )
    quotes = (
        Evidence.objects.filter(claim=OuterRef("pk"), article__status=Status.PUBLISHED)
        .order_by()
        .values("claim")
        .annotate(
            rows=JSONArrayAgg(
                JSONArray(
                    "article__published_at",
                    "id",
                    "quote",
                    "article__title",
                    "article__source_id",
                    "article__language",
                    # Who wrote it: a syndicated copy is its agency's story.
                    Coalesce("article__agency_id", "article__source_id"),
                )
            )
        )
        .values("rows")
    )
    # A published claim that duplicates a published one is not listed (nor counted):
    # its address redirects to the other. The claims that duplicate this one follow
    # whether it is published.
    duplicates = ClaimLink.objects.filter(type=ClaimLink.Type.DUPLICATES)
    duplicated_by = (
        duplicates.filter(to_claim=OuterRef("pk"))
        .order_by()
        .values("to_claim")
        .annotate(rows=JSONArrayAgg(F("from_claim")))
        .values("rows")
    )
    rows = (
        Claim.objects.filter(claims)
        .order_by("pk")
        .annotate(
            role_rows=Subquery(roles, output_field=JSONField()),
            quote_rows=Subquery(quotes, output_field=JSONField()),
            duplicate_of_published=Exists(
                duplicates.filter(from_claim=OuterRef("pk"), to_claim__status=Status.PUBLISHED)
            ),
            duplicated_by=Subquery(duplicated_by, output_field=JSONField()),
        )
        .values_list(
            "pk",
            "statement",
            "status",
            "kind",
            "occurred_on",
            "country_id",
            "country__name",
            "event_id",
            "event__name",
            "search_document",
            "evidence_count",
            "independent_sources",
            "facets",
            "role_rows",
            "quote_rows",
            "duplicate_of_published",
            "duplicated_by",
            named=True,
        )
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    return {row.pk: row for row in rows}


@dataclasses.dataclass
class Derived:
    document: str
    evidence_count: int
    independent_sources: int
    facets: dict


def one_line(text):
    return " ".join(text.split())


def derive(claim):
    """A claim's derived values, from one row of inputs()."""
    # Ordered like the admin lists them: by role, then name; quotes by publication.
    roles = sorted(claim.role_rows or (), key=lambda role: (role[0], role[2]))
    quotes = sorted(claim.quote_rows or (), key=lambda quote: (quote[0], quote[1]))
    names = []
    for _, _, name, aliases, _ in roles:
        names.append(name)
        names.extend(split_aliases(aliases))
    if claim.event_id:
        names.append(claim.event__name)
    if claim.country_id:
        names.append(claim.country__name)
    texts = [text for _, _, quote, title, *_ in quotes for text in (quote, title)]
    document = "\n".join(
        fold(one_line(part)) for part in (claim.statement, " ".join(names), " ".join(texts))
    )
    # Partners: the countries of its actors. Where it happened is involved too (the
    # country filter finds it), but a meeting held in Moscow makes no partner of Russia.
    partners = {role[4] for role in roles} - {None}
    countries = partners | {claim.country_id}
    # Every article has a source (Article.source is required), so every quote counts.
    publishers = {quote[6] for quote in quotes}
    occurred_on = claim.occurred_on.isoformat() if claim.occurred_on else None
    facets = {
        # Listed: published, and not a duplicate of a published claim.
        "published": claim.status == Status.PUBLISHED and not claim.duplicate_of_published,
        "kind": claim.kind,
        "occurred_on": occurred_on,
        "countries": sorted(countries - {None}),
        "partners": sorted(partners),
        "actors": sorted({role[1] for role in roles}),
        "event": claim.event_id,
        "sources": sorted({quote[4] for quote in quotes}),
        "publishers": sorted(publishers),
        "languages": sorted({quote[5].lower() for quote in quotes}),
    }
    return Derived(document, len(quotes), len(publishers), facets)


def counted(facets):
    """What a claim adds to the counts: its countries, actors and event, if published."""
    if not facets or not facets["published"]:
        return Counter()
    keys = [("country", pk) for pk in facets["countries"]]
    keys += [("actor", pk) for pk in facets["actors"]]
    if facets["event"]:
        keys.append(("event", facets["event"]))
    return Counter(keys)


def involvements(pk, facets):
    copies = {
        "status": Status.PUBLISHED if facets["published"] else Status.DRAFT,
        "kind": facets["kind"],
        "occurred_on": facets["occurred_on"],
    }
    partners = set(facets.get("partners", ()))
    return [
        Involvement(claim_id=pk, country_id=country, by_actor=country in partners, **copies)
        for country in facets["countries"]
    ]


def links_key(facets):
    """What a claim's country links hold: they are rewritten when this changes."""
    if not facets:
        return None
    return (
        facets["countries"],
        # Facets stored before partners were told apart lack them: rewritten once.
        facets.get("partners"),
        facets["published"],
        facets["kind"],
        facets["occurred_on"],
    )


# --- refreshing ----------------------------------------------------------------------------


def refresh(claim_ids, removed=None, done=frozenset()):
    """
    Bring the derived data of these claims up to date, trusting each one's stored facets
    as what it is counted by now; `removed` gives deleted claims' last facets. Returns
    the ids of the claims whose public face may have changed (published before or after).
    A fixed number of statements per CHUNK claims, plus one per kind of count moved.
    """
    removed = removed or {}
    public, deltas, followers = set(), Counter(), set()
    for chunk in itertools.batched(sorted(claim_ids), CHUNK):
        rows = inputs(Q(pk__in=chunk), lock=True)
        followers.update(pk for row in rows.values() for pk in row.duplicated_by or ())
        old = {pk: rows[pk].facets if pk in rows else removed.get(pk) for pk in chunk}
        new = {pk: derive(row) for pk, row in rows.items()}
        write_claims(rows, new)
        stale, wanted = [], []
        for pk, derived in new.items():
            if links_key(old[pk]) != links_key(derived.facets):
                if old[pk]:
                    gone = set(old[pk]["countries"]) - set(derived.facets["countries"])
                    stale += [(pk, country) for country in gone]
                wanted += involvements(pk, derived.facets)
        write_links(stale, wanted)
        for pk in chunk:
            facets = new[pk].facets if pk in new else None
            deltas.update(counted(facets))
            deltas.subtract(counted(old[pk]))
            if any(face and face["published"] for face in (old[pk], facets)):
                public.add(pk)
    move_counts(deltas)
    # Whether a duplicate is listed depends on its original's status: the few claims
    # marked as duplicates of these are read again (no query when there are none).
    # (`done`: those already read, should a cycle of duplicates slip past validation.)
    done = done | set(claim_ids)
    if followers := followers - done:
        public |= refresh(followers, done=done)
    return public


def write_claims(rows, new):
    """Store the derived columns of the claims whose values changed: one statement."""
    changed = [
        (
            pk,
            derived.document,
            derived.evidence_count,
            derived.independent_sources,
            json.dumps(derived.facets),
        )
        for pk, derived in new.items()
        if (
            rows[pk].search_document,
            rows[pk].evidence_count,
            rows[pk].independent_sources,
            rows[pk].facets,
        )
        != (derived.document, derived.evidence_count, derived.independent_sources, derived.facets)
    ]
    update_rows(
        Claim, ["search_document", "evidence_count", "independent_sources", "facets"], changed
    )


def write_links(stale, wanted):
    """Delete the stale (claim, country) links and insert or update the wanted ones."""
    if stale:
        condition = Q()
        for claim, country in stale:
            condition |= Q(claim_id=claim, country_id=country)
        Involvement.objects.filter(condition).delete()
    if wanted:
        Involvement.objects.bulk_create(
            wanted,
            update_conflicts=True,
            unique_fields=["claim", "country"],
            update_fields=["status", "kind", "occurred_on", "by_actor"],
        )


def move_counts(deltas):
    """Add each (kind, id) → difference to the claim counts: a statement per kind."""
    for kind, model in COUNTED.items():
        rows = [(pk, n) for (key, pk), n in deltas.items() if key == kind and n]
        update_rows(model, ["claim_count"], rows, add=True)


def update_rows(model, fields, rows, add=False):
    """
    Set `fields` (with `add`: add to them) in many rows of `model` at once; `rows` are
    (pk, *values). One statement: UPDATE … FROM unnest(arrays) on PostgreSQL, one
    prepared statement run for every row elsewhere.
    """
    if not rows:
        return
    opts, quote = model._meta, connection.ops.quote_name
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    columns = [quote(opts.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [opts.pk.cast_db_type(connection)]
            types += [opts.get_field(name).cast_db_type(connection) for name in fields]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            names = ", ".join(["pk", *(f"v{index}" for index in range(len(fields)))])
            assignments = ", ".join(
                f"{column} = " + (f"{table}.{column} + " if add else "") + f"new.v{index}"
                for index, column in enumerate(columns)
            )
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # nosec B608: identifiers from model metadata
                f"FROM unnest({arrays}) AS new({names}) WHERE {table}.{pk} = new.pk",
                [list(values) for values in zip(*rows, strict=True)],
            )
        else:
            assignments = ", ".join(
                f"{column} = " + (f"{column} + " if add else "") + "%s" for column in columns
            )
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # nosec B608: identifiers from model metadata
                [(*values, pk_value) for pk_value, *values in rows],
            )


def append_to_log(claims):
    """One change log entry for `claims` (ids; None: every claim). Returns its number."""
    ids = None if claims is None or len(claims) > MAX_LOGGED else sorted(claims)
    if connection.vendor != "postgresql":
        return Change.objects.create(claims=ids).seq
    table = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (claims) SELECT %s::jsonb "  # nosec B608: identifiers from model metadata
            "FROM (SELECT pg_advisory_xact_lock(%s)) AS serialised RETURNING seq",
            [json.dumps(ids), CHANGE_LOG_LOCK],
        )
        return cursor.fetchone()[0]


def change_seq():
    """The number of the latest change readers can see (0 before the first)."""
    return Change.objects.aggregate(seq=Max("seq"))["seq"] or 0


# --- rebuilding and checking --------------------------------------------------------------


def claim_ranges():
    """The claims' ids in ranges (lowest, highest) of CHUNK ids."""
    bounds = Claim.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    return [(low, low + CHUNK - 1) for low in range(bounds["low"], bounds["high"] + 1, CHUNK)]


def links_between(low, high):
    """The stored country links of claims low…high: {(claim, country): copies}."""
    rows = Involvement.objects.filter(claim__gte=low, claim__lte=high).values_list(
        "claim_id", "country_id", "status", "kind", "occurred_on", "by_actor"
    )
    return {
        (claim, country): (status, kind, occurred_on.isoformat() if occurred_on else None, actor)
        for claim, country, status, kind, occurred_on, actor in rows
    }


def link_copies(link):
    return (link.status, link.kind, link.occurred_on, link.by_actor)


def rebuild(progress=None):
    """
    Derive everything again for every claim, trusting nothing stored: documents, facets,
    links, then every count from the new facets. For rows loaded in bulk without
    touch(), and to repair what check() finds. Appends one change log entry: every
    claim. `progress(done, total)` is called after each chunk.
    """
    totals = Counter()
    ranges = claim_ranges()
    for done, (low, high) in enumerate(ranges, start=1):
        rows = inputs(Q(pk__range=(low, high)), lock=True)
        new = {pk: derive(row) for pk, row in rows.items()}
        write_claims(rows, new)
        stored = links_between(low, high)
        wanted = {
            (link.claim_id, link.country_id): link
            for pk, derived in new.items()
            for link in involvements(pk, derived.facets)
        }
        write_links(
            [key for key in stored if key not in wanted],
            [link for key, link in wanted.items() if stored.get(key) != link_copies(link)],
        )
        for derived in new.values():
            totals.update(counted(derived.facets))
        if progress:
            progress(done, len(ranges))
    for kind, model in COUNTED.items():
        update_rows(
            model,
            ["claim_count"],
            [
                (pk, totals[kind, pk])
                for pk, count in model.objects.values_list("pk", "claim_count")
                if count != totals[kind, pk]
            ],
        )
    append_to_log(None)


def check(progress=None):
    """
    Recompute every claim's derived data and every count in memory, and compare them
    with what is stored. Returns the differences, one line each (none: all is well).
    """
    problems, totals = [], Counter()
    ranges = claim_ranges()
    for done, (low, high) in enumerate(ranges, start=1):
        rows = inputs(Q(pk__range=(low, high)))
        stored_links = {}
        for (claim, country), copies in links_between(low, high).items():
            stored_links.setdefault(claim, {})[country] = copies
        for pk, row in rows.items():
            derived = derive(row)
            totals.update(counted(derived.facets))
            for name in ("search_document", "evidence_count", "independent_sources", "facets"):
                stored, expected = (
                    getattr(row, name),
                    getattr(derived, name.removeprefix("search_")),
                )
                if stored != expected:
                    problems.append(f"claim {pk}: {name} is {stored!r}, expected {expected!r}")
            wanted = {
                link.country_id: link_copies(link) for link in involvements(pk, derived.facets)
            }
            stored = stored_links.get(pk, {})
            if stored != wanted:
                problems.append(f"claim {pk}: country links are {stored!r}, expected {wanted!r}")
        if progress:
            progress(done, len(ranges))
    for kind, model in COUNTED.items():
        label = "code" if model is Country else "slug"
        for pk, name, count in model.objects.values_list("pk", label, "claim_count"):
            if count != totals[kind, pk]:
                problems.append(
                    f"{kind} {name} (id {pk}): claim_count is {count}, expected {totals[kind, pk]}"
                )
    return problems
