"""
CSV and JSON exports, and the read-only JSON API.

One record per claim (or article), built by the same function for every format, so the
CSV, the JSON download and the API can never disagree. Downloads are streamed in chunks
of rows, so memory stays flat however many rows the filters select. The columns are
documented in README.md ("Claim records (JSON) and columns (CSV)").
"""

import csv
import functools
import json
import threading
import weakref
from collections import defaultdict
from itertools import batched
from typing import NamedTuple

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import Case, CharField, F, Prefetch, Value, When
from django.db.models.lookups import In
from django.http import StreamingHttpResponse
from django.urls import reverse

from .links import WEB_URL_SQL, web_url
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
    Involvement,
    Source,
    Status,
)

CHUNK_SIZE = 1000
# Claims written by one COPY: their ids are part of the statement.
COPY_CHUNK = 20_000
# Downloads this worker process streams at once, on any number of threads: each holds a
# database connection and a long statement. One more answers 503 (see in_slot()).
SLOTS = threading.BoundedSemaphore(settings.EXPORTS_PER_WORKER)
# Bytes of COPY output gathered into each piece of a streamed response.
COPY_PIECE_SIZE = 64 * 1024
# In CSV, a list (actors, evidence…) is one cell with one item per line: items are
# whitespace-normalised, so a line break never occurs inside an item.
LIST_SEPARATOR = "\n"
# Cells a spreadsheet would run as a formula are prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CLAIM_COLUMNS = [
    "id",
    "url",
    "statement",
    "kind",
    "verification",
    "date",
    "date_precision",
    "when",
    "place",
    "country",
    "countries",
    "event",
    "event_url",
    "actors",
    "independent_sources",
    "publishers",
    "evidence_article_urls",
    "evidence_original_urls",
    "evidence_sources",
    "evidence_stances",
    "evidence_quotes",
    "created_at",
    "updated_at",
    "links",
    "corrections",
]

# A link as its two claims' records name it: "contradicts" from the first, its
# inverse from the second.
LINK_INVERSES = {
    ClaimLink.Type.SUPPORTS: "supported_by",
    ClaimLink.Type.CONTRADICTS: "contradicted_by",
    ClaimLink.Type.UPDATES: "updated_by",
    ClaimLink.Type.DUPLICATES: "duplicated_by",
}

ARTICLE_COLUMNS = [
    "id",
    "url",
    "title",
    "original_url",
    "source",
    "source_url",
    "authors",
    "published_at",
    "language",
    "summary",
    "claim_urls",
]


class ClaimRows:
    """
    Claims as ClaimRows of plain values, in the order of `ids` (a sequence of claim ids,
    such as the read engine's Matches): a slice is a page of the API, iterator() streams
    a download. A chunk of rows takes six queries: the claims, then their roles,
    published evidence, countries, links and corrections. No model instances: at some
    16 a row they cost many times the SQL.
    """

    def __init__(self, ids):
        self.ids = ids

    def count(self):
        return len(self.ids)

    __len__ = count

    def __getitem__(self, page):
        return list(claim_rows(self.ids[page], CHUNK_SIZE))

    def iterator(self, chunk_size=CHUNK_SIZE):
        return claim_rows(self.ids[:], chunk_size)


CLAIM_FIELDS = (
    "id",
    "slug",
    "statement",
    "kind",
    "verification",
    "occurred_on",
    "date_precision",
    "place",
    "country__code",
    "event__name",
    "event__slug",
    "independent_sources",
    "created_at",
    "updated_at",
)


class ClaimRow(NamedTuple):
    """A row of ClaimRows.claims with tuples of values for its roles and evidence."""

    claim: tuple
    roles: list
    evidence: list
    countries: list
    links: "Links"
    claim_links: list
    corrections: list


def claim_rows(ids, chunk_size):
    """ClaimRows for the claims of `ids`, in their order, six queries a chunk."""
    links = Links()
    for chunk_ids in batched(ids, chunk_size):
        found = {
            claim.id: claim
            for claim in Claim.objects.filter(InArray(F("id"), list(chunk_ids)))
            .filter(status=Status.PUBLISHED)
            .order_by()
            .values_list(*CLAIM_FIELDS, named=True)
        }
        chunk = [found[pk] for pk in chunk_ids if pk in found]
        ids = [claim.id for claim in chunk]
        roles = by_claim(
            ClaimActor.objects.filter(InArray(F("claim"), ids))
            .order_by("role", "actor__name")
            .values_list(
                "claim",
                "actor__name",
                "actor__slug",
                "actor__kind",
                "actor__country__code",
                "role",
            )
        )
        evidence = by_claim(
            Evidence.objects.filter(InArray(F("claim"), ids), article__status=Status.PUBLISHED)
            .order_by("article__published_at", "id")
            .values_list(
                "claim",
                "id",
                "stance",
                "quote",
                "article",
                "article__slug",
                "article__title",
                "article__url",
                "article__source__name",
                "article__published_at",
                "article__language",
                "article__source_id",
                "article__agency_id",
                "article__agency__name",
            )
        )
        countries = by_claim(
            Involvement.objects.filter(InArray(F("claim"), ids))
            .order_by("country__code")
            .values_list("claim", "country__code")
        )
        claim_links = by_claim(links_of(ids))
        corrections = by_claim(
            Correction.objects.filter(InArray(F("claim"), ids))
            .order_by("created_at", "id")
            .values_list("claim", "created_at", "note")
        )
        for claim in chunk:
            yield ClaimRow(
                claim,
                roles[claim.id],
                evidence[claim.id],
                [code for (code,) in countries[claim.id]],
                links,
                claim_links[claim.id],
                corrections[claim.id],
            )


def links_of(ids):
    """
    (claim, type, other claim's id, its slug) for the links of these claims both ways,
    between published claims only, by date: one query.
    """
    published = ClaimLink.objects.filter(
        from_claim__status=Status.PUBLISHED, to_claim__status=Status.PUBLISHED
    ).order_by()
    inverse = Case(
        *(When(type=kind, then=Value(name)) for kind, name in LINK_INVERSES.items()),
        output_field=CharField(),
    )
    outgoing = published.filter(InArray(F("from_claim"), ids)).values_list(
        "from_claim", "type", "to_claim", "to_claim__slug", "recorded_on", "id"
    )
    incoming = (
        published.filter(InArray(F("to_claim"), ids))
        .annotate(inverse=inverse)
        .values_list("to_claim", "inverse", "from_claim", "from_claim__slug", "recorded_on", "id")
    )
    rows = outgoing.union(incoming, all=True).order_by("recorded_on", "id")
    return [row[:4] for row in rows]


class InArray(In):
    """
    `in`, given to PostgreSQL as `= ANY(%s)` with one array: a list of a thousand
    parameters takes longer to build, send and parse than the query takes to run.
    """

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def by_claim(rows):
    """Rows starting with a claim id, the rest of each listed by claim, in their order."""
    groups = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row[1:])
    return groups


class Links:
    """
    The URLs of the list pages, which claim_record() extends into links to detail pages:
    reverse() and build_absolute_uri() for each of some seven links a row would take
    longer than the rest of the export.
    """

    def __init__(self):
        # Reversed for each export, not at import, so they keep the request's script prefix.
        self.paths = [
            reverse(name) for name in ["claim_list", "article_list", "actor_list", "event_list"]
        ]
        self.absolute = self.urls = None

    def made_absolute(self, absolute):
        # Each record is given the same function: the URLs are made once.
        if absolute != self.absolute:
            self.absolute, self.urls = absolute, [absolute(path) for path in self.paths]
        return self.urls


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@functools.cache
def when(occurred_on, date_precision):
    """
    The date as precisely as it is known ("8 May 2025", "May 2025", "2025"), once for
    each date and precision however many claims share it. In English whatever the page's
    language, as the rest of the record is data, and spelt as the PostgreSQL COPY path
    spells it (years without leading zeros): not through the locale's date formats.
    """
    if occurred_on is None:
        return ""
    if date_precision == Claim.Precision.YEAR:
        return f"{occurred_on.year}"
    month = f"{MONTHS[occurred_on.month - 1]} {occurred_on.year}"
    return month if date_precision == Claim.Precision.MONTH else f"{occurred_on.day} {month}"


def publishers(evidence):
    """
    The distinct publishers of these evidence rows (a syndicated copy's being its
    originating agency), in the order of their first quote: what a claim's
    independent_sources counts (derived.py).
    """
    names = {}
    for *_, source, _, _, source_id, agency_id, agency in evidence:
        names.setdefault(agency_id or source_id, agency if agency_id else source)
    return list(names.values())


def claim_record(row, absolute):
    """A ClaimRow as a JSON-ready dict. `absolute` turns a path into a full URL."""
    claim = row.claim
    # The links are what get_absolute_url() and Evidence.anchor give (tests/test_export.py
    # checks): ids and slugs appended to the list pages' URLs, as urls.py has them.
    claims, articles, actors, events = row.links.made_absolute(absolute)
    return {
        "id": claim.id,
        "url": f"{claims}{claim.id}/{claim.slug}/",
        "statement": claim.statement,
        "kind": claim.kind,
        "verification": claim.verification,
        "date": claim.occurred_on,
        "date_precision": claim.date_precision or None,
        "when": when(claim.occurred_on, claim.date_precision),
        "place": claim.place,
        "country": claim.country__code,
        "countries": row.countries,
        "event": None
        if claim.event__slug is None
        else {
            "name": claim.event__name,
            "slug": claim.event__slug,
            "url": f"{events}{claim.event__slug}/",
        },
        "actors": [
            {
                "name": name,
                "slug": slug,
                "kind": kind,
                "country": country,
                "role": role,
                "url": f"{actors}{slug}/",
            }
            for name, slug, kind, country, role in row.roles
        ],
        "independent_sources": claim.independent_sources,
        "publishers": publishers(row.evidence),
        "evidence": [
            {
                "article_url": f"{articles}{article_pk}/{article_slug}/#evidence-{pk}",
                "original_url": web_url(url) or None,
                "title": title,
                "source": source,
                "agency": agency,
                "published_at": published_at,
                "language": language,
                "stance": stance,
                "quote": quote,
            }
            for (
                pk,
                stance,
                quote,
                article_pk,
                article_slug,
                title,
                url,
                source,
                published_at,
                language,
                _,
                _,
                agency,
            ) in row.evidence
        ],
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "links": [
            {"type": kind, "claim": f"{claims}{other}/{slug}/"}
            for kind, other, slug in row.claim_links
        ],
        "corrections": [{"date": date, "note": note} for date, note in row.corrections],
    }


def claim_csv_row(record):
    evidence = record["evidence"]
    return [
        record["id"],
        record["url"],
        record["statement"],
        record["kind"],
        record["verification"],
        record["date"] or "",
        record["date_precision"] or "",
        record["when"],
        record["place"],
        record["country"] or "",
        join(record["countries"]),
        record["event"]["name"] if record["event"] else "",
        record["event"]["url"] if record["event"] else "",
        join(f"{actor['name']} ({actor['role']})" for actor in record["actors"]),
        record["independent_sources"],
        join(record["publishers"]),
        join(item["article_url"] for item in evidence),
        join(item["original_url"] or "" for item in evidence),
        join(item["source"] for item in evidence),
        join(item["stance"] for item in evidence),
        join(item["quote"] for item in evidence),
        record["created_at"].isoformat(),
        record["updated_at"].isoformat(),
        join(f"{link['type']} {link['claim']}" for link in record["links"]),
        join(f"{item['date'].isoformat()} {item['note']}" for item in record["corrections"]),
    ]


# What str.split() splits on (tests/test_export.py checks), for a PostgreSQL bracket
# expression: its \s is narrower and depends on the database's locale. join() folds a
# run of them into a space; only text matching UNFOLDED has any to fold.
WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
FOLD = f"[{WHITESPACE}]+"
UNFOLDED = f"^ | $|  |[{WHITESPACE.replace(' ', '')}]"


def copy_claim_rows(ids, absolute):
    """
    The rows stream_csv() would write with claim_csv_row() for the claims of `ids`, in
    their order, written by PostgreSQL with a COPY for each COPY_CHUNK of them instead,
    as pieces of bytes; None on other databases.
    """
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return None
    return (
        piece
        for chunk in batched(ids[:], COPY_CHUNK)
        for piece in copy_chunk(connection, list(chunk), absolute)
    )


def copy_chunk(connection, ids, absolute):
    claims, articles, _, events = Links().made_absolute(absolute)
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in [
            Actor,
            Article,
            Claim,
            ClaimActor,
            ClaimLink,
            Correction,
            Country,
            Event,
            Evidence,
            Involvement,
            Source,
        ]
    }
    # links_of(): "supports" from the first claim, "supported_by" from the second.
    inverse = "CASE l.type " + " ".join("WHEN %s THEN %s" for _ in LINK_INVERSES) + " END"
    inverse_params = [value for pair in LINK_INVERSES.items() for value in pair]
    # The claims in the order of `ids` (CLAIM_FIELDS).
    claims_sql = f"""
        SELECT c.id, c.slug, c.statement, c.kind, c.verification, c.occurred_on,
            c.date_precision, c.place, co.code, ev.name, ev.slug, c.independent_sources,
            c.created_at, c.updated_at
        FROM unnest(%s::bigint[]) WITH ORDINALITY AS wanted (id, position)
        JOIN {table[Claim]} AS c ON c.id = wanted.id
        LEFT JOIN {table[Country]} AS co ON co.id = c.country_id
        LEFT JOIN {table[Event]} AS ev ON ev.id = c.event_id
        WHERE c.status = %s
        ORDER BY wanted.position
    """  # nosec B608: the tables' names
    claims_params = [ids, Status.PUBLISHED]

    def cell(value):
        # safe_cell(), and NULL for "": COPY would quote an empty string.
        return (
            f"NULLIF(CASE WHEN left({value}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
            f"THEN '''' || {value} ELSE {value} END, '')"
        )

    def fold(value, unfolded=None):
        # join()'s " ".join(item.split()), only where `unfolded` (SQL) says it might change
        # the value: a match is far cheaper than a replacement, which is seldom needed.
        if unfolded is None:
            unfolded = f"{value} ~ %s"
        return (
            f"CASE WHEN {unfolded} THEN btrim(regexp_replace({value}, %s, ' ', 'g'), ' ') "
            f"ELSE {value} END"
        )

    def isoformat(value):
        # datetime.isoformat() in UTC, as Django reads it: microseconds only if not zero.
        return (
            f"replace(to_char({value} AT TIME ZONE 'UTC', "
            f"'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'), '.000000', '')"
        )

    # Only the parameters vary (B608): the rest is fixed SQL and the tables' names. Each
    # claim's related rows are aggregated in a nested loop over the sorted claims, which
    # keeps their order. Each list is sorted in a subquery: ordered aggregates would sort
    # once each (before PostgreSQL 16), five times for the evidence. An evidence row's
    # four folded values are matched once, joined by spaces: they match if any does.
    sql = f"""COPY (
            SELECT
                c.id,
                %s || c.id || '/' || c.slug || '/',
                {cell("c.statement")},
                {cell("c.kind")},
                {cell("c.verification")},
                to_char(c.occurred_on, 'YYYY-MM-DD'),
                {cell("c.date_precision")},
                CASE
                    WHEN c.occurred_on IS NULL THEN NULL
                    WHEN c.date_precision = %s THEN date_part('year', c.occurred_on)::text
                    WHEN c.date_precision = %s THEN to_char(c.occurred_on, 'FMMonth ')
                        || date_part('year', c.occurred_on)::text
                    ELSE date_part('day', c.occurred_on)::text
                        || to_char(c.occurred_on, ' FMMonth ')
                        || date_part('year', c.occurred_on)::text
                END,
                {cell("c.place")},
                {cell("c.country")},
                {cell("i.countries")},
                {cell("c.event_name")},
                %s || c.event_slug || '/',
                {cell("r.actors")},
                c.independent_sources,
                {cell("p.publishers")},
                {cell("e.article_urls")},
                {cell("e.original_urls")},
                {cell("e.sources")},
                {cell("e.stances")},
                {cell("e.quotes")},
                {isoformat("c.created_at")},
                {isoformat("c.updated_at")},
                {cell("l.links")},
                {cell("k.corrections")}
            FROM ({claims_sql}) AS c (
                id, slug, statement, kind, verification, occurred_on, date_precision,
                place, country, event_name, event_slug, independent_sources, created_at,
                updated_at
            )
            LEFT JOIN LATERAL (
                SELECT string_agg(code, E'\\n') AS countries
                FROM (
                    SELECT co.code
                    FROM {table[Involvement]} AS i
                    JOIN {table[Country]} AS co ON co.id = i.country_id
                    WHERE i.claim_id = c.id
                    ORDER BY co.code
                ) AS i
            ) AS i ON true
            LEFT JOIN LATERAL (
                SELECT string_agg(actor, E'\\n') AS actors
                FROM (
                    SELECT {fold("a.name || ' (' || r.role || ')'")} AS actor
                    FROM {table[ClaimActor]} AS r
                    JOIN {table[Actor]} AS a ON a.id = r.actor_id
                    WHERE r.claim_id = c.id
                    ORDER BY r.role, a.name
                ) AS r
            ) AS r ON true
            LEFT JOIN LATERAL (
                SELECT string_agg({fold("name")}, E'\\n') AS publishers
                FROM (
                    SELECT name
                    FROM (
                        -- Each publisher once, at its first quote: the publisher of a
                        -- syndicated copy is its originating agency.
                        SELECT DISTINCT ON (coalesce(a.agency_id, a.source_id))
                            coalesce(ag.name, s.name) AS name, a.published_at, e.id
                        FROM {table[Evidence]} AS e
                        JOIN {table[Article]} AS a ON a.id = e.article_id
                        JOIN {table[Source]} AS s ON s.id = a.source_id
                        LEFT JOIN {table[Source]} AS ag ON ag.id = a.agency_id
                        WHERE e.claim_id = c.id AND a.status = %s
                        ORDER BY coalesce(a.agency_id, a.source_id), a.published_at, e.id
                    ) AS first
                    ORDER BY published_at, id
                ) AS p
            ) AS p ON true
            LEFT JOIN LATERAL (
                SELECT
                    string_agg(article_url, E'\\n') AS article_urls,
                    string_agg({fold("url", "unfolded")}, E'\\n') AS original_urls,
                    string_agg({fold("source", "unfolded")}, E'\\n') AS sources,
                    string_agg({fold("stance", "unfolded")}, E'\\n') AS stances,
                    string_agg({fold("quote", "unfolded")}, E'\\n') AS quotes
                FROM (
                    SELECT
                        %s || a.id || '/' || a.slug || '/#evidence-' || e.id AS article_url,
                        CASE WHEN a.url ~* %s THEN a.url ELSE '' END AS url,
                        s.name AS source,
                        e.stance,
                        e.quote,
                        concat_ws(' ', a.url, s.name, e.stance, e.quote) ~ %s AS unfolded
                    FROM {table[Evidence]} AS e
                    JOIN {table[Article]} AS a ON a.id = e.article_id
                    JOIN {table[Source]} AS s ON s.id = a.source_id
                    WHERE e.claim_id = c.id AND a.status = %s
                    ORDER BY a.published_at, e.id
                ) AS e
            ) AS e ON true
            LEFT JOIN LATERAL (
                SELECT string_agg(item, E'\\n') AS links
                FROM (
                    SELECT l.kind || ' ' || %s || o.id || '/' || o.slug || '/' AS item
                    FROM (
                        SELECT l.type AS kind, l.to_claim_id AS other, l.recorded_on, l.id
                        FROM {table[ClaimLink]} AS l
                        WHERE l.from_claim_id = c.id
                        UNION ALL
                        SELECT {inverse}, l.from_claim_id, l.recorded_on, l.id
                        FROM {table[ClaimLink]} AS l
                        WHERE l.to_claim_id = c.id
                    ) AS l
                    JOIN {table[Claim]} AS o ON o.id = l.other AND o.status = %s
                    ORDER BY l.recorded_on, l.id
                ) AS l
            ) AS l ON true
            LEFT JOIN LATERAL (
                SELECT string_agg({fold("k.item")}, E'\\n') AS corrections
                FROM (
                    SELECT {isoformat("k.created_at")} || ' ' || k.note AS item
                    FROM {table[Correction]} AS k
                    WHERE k.claim_id = c.id
                    ORDER BY k.created_at, k.id
                ) AS k
            ) AS k ON true
        ) TO STDOUT WITH (FORMAT csv)
    """  # nosec B608
    params = [
        claims,
        Claim.Precision.YEAR,
        Claim.Precision.MONTH,
        events,
        *claims_params,
        *[UNFOLDED, FOLD],
        *[UNFOLDED, FOLD, Status.PUBLISHED],
        *[FOLD] * 4,
        articles,
        WEB_URL_SQL,
        UNFOLDED,
        Status.PUBLISHED,
        claims,
        *inverse_params,
        Status.PUBLISHED,
        UNFOLDED,
        FOLD,
    ]
    # COPY takes no bound parameters: they are quoted into the statement, as for the log.
    return copy_rows(connection, connection.ops.compose_sql(sql, params))


def copy_rows(connection, sql):
    """
    The output of `sql`, a COPY … TO STDOUT WITH (FORMAT csv), in pieces of some
    COPY_PIECE_SIZE bytes, with rows ending in "\r\n" like csv.writer's, not "\n".
    """
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        quoted = False
        piece = bytearray()
        for data in copy:
            piece += data
            if len(piece) >= COPY_PIECE_SIZE:
                crlf_piece, quoted = with_crlf(piece, quoted)
                yield crlf_piece
                piece = bytearray()
        if piece:
            yield with_crlf(piece, quoted)[0]


def with_crlf(piece, quoted):
    """
    A piece of CSV with "\r\n" for each "\n" outside quotes (a line break in a cell is
    kept), and whether it ends inside quotes; `quoted` is whether it starts inside them.
    Splitting at quotes gives parts alternately outside and inside them: a doubled quote
    in a cell leaves an empty part between its two.
    """
    parts = piece.split(b'"')
    outside = slice(1 if quoted else 0, None, 2)
    parts[outside] = [part.replace(b"\n", b"\r\n") for part in parts[outside]]
    return b'"'.join(parts), quoted != (len(parts) % 2 == 0)


def articles_for_export(queryset):
    return queryset.select_related("source").prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(claim__status=Status.PUBLISHED)
            .select_related("claim")
            .order_by("claim_id"),
            to_attr="published_evidence",
        )
    )


def article_record(article, absolute):
    return {
        "id": article.pk,
        "url": absolute(article.get_absolute_url()),
        "title": article.title,
        "original_url": web_url(article.url) or None,
        "source": article.source.name,
        "source_url": absolute(article.source.get_absolute_url()),
        "authors": article.authors,
        "published_at": article.published_at,
        "language": article.language,
        "summary": article.summary,
        "claim_urls": [
            absolute(item.claim.get_absolute_url()) for item in article.published_evidence
        ],
    }


def article_csv_row(record):
    return [
        record["id"],
        record["url"],
        record["title"],
        record["original_url"] or "",
        record["source"],
        record["source_url"],
        record["authors"],
        record["published_at"].isoformat(),
        record["language"],
        record["summary"],
        join(record["claim_urls"]),
    ]


def join(items):
    return LIST_SEPARATOR.join(" ".join(str(item).split()) for item in items)


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write() returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def stream_csv(records, columns, to_row, filename):
    writer = csv.writer(Echo())

    def rows():
        # A piece of the response per chunk of rows, not per row: each piece is encoded and
        # written to the socket on its own.
        for chunk in batched(records, CHUNK_SIZE):
            yield "".join(
                writer.writerow([safe_cell(value) for value in to_row(record)]) for record in chunk
            )

    return csv_response(rows(), columns, filename, source=records)


def csv_response(rows, columns, filename, source=None):
    """A CSV download of `columns` then `rows`: pieces of text, or of UTF-8 bytes."""

    def pieces():
        yield "\ufeff"  # a byte-order mark, so spreadsheets read the file as UTF-8
        yield csv.writer(Echo()).writerow(columns)
        yield from rows

    return Download(pieces(), source or rows, f"{filename}.csv", "text/csv; charset=utf-8")


def stream_json(records, filename):
    def chunks():
        yield "[\n"
        separator = ""
        for chunk in batched(records, CHUNK_SIZE):
            yield separator + ",\n".join(map(to_json, chunk))
            separator = ",\n"
        yield "\n]\n"

    return Download(chunks(), records, f"{filename}.json", "application/json")


class Download(StreamingHttpResponse):
    """
    A streamed attachment. Closing it, as the server does after every response whether
    it was read or not, also closes `source` (what its pieces are read from): a client
    that goes away before the first byte gives the download's slot back at once.
    """

    def __init__(self, pieces, source, filename, content_type):
        super().__init__(pieces, content_type=content_type)
        self["Content-Disposition"] = f'attachment; filename="{filename}"'
        self.source = source

    def close(self):
        try:
            if hasattr(self.source, "close"):
                self.source.close()
        finally:
            super().close()


def to_json(data, **kwargs):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **kwargs)


class Busy(Exception):
    """Every download slot of this worker is taken."""


def in_slot(rows):
    """
    `rows` (records, or pieces of CSV) read under one of the worker's download slots,
    taken now: Busy when none is free. See InSlot for when it is given back.
    """
    slots = SLOTS  # the one given back (tests replace it)
    if not slots.acquire(blocking=False):
        raise Busy
    return InSlot(rows, slots.release)


class InSlot:
    """
    An iterator over `rows` that gives its slot back once: when the rows run out or fail,
    when it is closed (by the response, read or not), or when it is dropped unclosed.
    """

    def __init__(self, rows, release):
        self.rows = iter(rows)
        self.give_back = weakref.finalize(self, release)  # at most once

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.rows)
        except BaseException:
            self.close()
            raise

    def close(self):
        try:
            if hasattr(self.rows, "close"):
                self.rows.close()
        finally:
            self.give_back()


def records(queryset, to_record, absolute):
    """Records from a queryset, read CHUNK_SIZE rows (and their related rows) at a time."""
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield to_record(obj, absolute)
