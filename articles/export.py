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
from collections import defaultdict
from itertools import batched
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Prefetch
from django.db.models.lookups import In
from django.http import StreamingHttpResponse
from django.urls import reverse

from .models import Claim, ClaimActor, Evidence, Involvement, Status

CHUNK_SIZE = 1000
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
    "evidence_article_urls",
    "evidence_original_urls",
    "evidence_sources",
    "evidence_stances",
    "evidence_quotes",
    "created_at",
    "updated_at",
]

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


def claims_for_export(queryset):
    """The claims of `queryset` as rows for claim_record(): see ClaimRows."""
    return ClaimRows(queryset)


class ClaimRows:
    """
    The claims of a queryset as ClaimRows of plain values, read like a queryset: a slice
    is a page of the API, iterator() streams a download. A chunk of rows takes four
    queries: the claims, then their roles, published evidence and countries. No model
    instances: at some 16 a row they cost many times the SQL.
    """

    def __init__(self, queryset):
        self.queryset = queryset
        self.claims = queryset.values_list(
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
            "created_at",
            "updated_at",
            named=True,
        )

    def __getitem__(self, page):
        return list(claim_rows(self.claims[page], CHUNK_SIZE))

    def iterator(self, chunk_size):
        return claim_rows(self.claims.iterator(chunk_size=chunk_size), chunk_size)


class ClaimRow(NamedTuple):
    """A row of ClaimRows.claims with tuples of values for its roles and evidence."""

    claim: tuple
    roles: list
    evidence: list
    countries: list
    links: "Links"


def claim_rows(claims, chunk_size):
    """ClaimRows for `claims`, with the related rows of each chunk in three queries."""
    links = Links()
    for chunk in batched(claims, chunk_size):
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
            )
        )
        countries = by_claim(
            Involvement.objects.filter(InArray(F("claim"), ids))
            .order_by("country__code")
            .values_list("claim", "country__code")
        )
        for claim in chunk:
            yield ClaimRow(
                claim,
                roles[claim.id],
                evidence[claim.id],
                [code for (code,) in countries[claim.id]],
                links,
            )


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


@functools.cache
def when(occurred_on, date_precision):
    """Claim.when, once for each date (and precision) however many claims share it."""
    return Claim(occurred_on=occurred_on, date_precision=date_precision).when


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
        "evidence": [
            {
                "article_url": f"{articles}{article_pk}/{article_slug}/#evidence-{pk}",
                "original_url": url or None,
                "title": title,
                "source": source,
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
            ) in row.evidence
        ],
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
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
        join(item["article_url"] for item in evidence),
        join(item["original_url"] or "" for item in evidence),
        join(item["source"] for item in evidence),
        join(item["stance"] for item in evidence),
        join(item["quote"] for item in evidence),
        record["created_at"].isoformat(),
        record["updated_at"].isoformat(),
    ]


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
        "original_url": article.url or None,
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
        yield "\ufeff"  # a byte-order mark, so spreadsheets read the file as UTF-8
        yield writer.writerow(columns)
        # A piece of the response per chunk of rows, not per row: each piece is encoded and
        # written to the socket on its own.
        for chunk in batched(records, CHUNK_SIZE):
            yield "".join(
                writer.writerow([safe_cell(value) for value in to_row(record)]) for record in chunk
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def stream_json(records, filename):
    def chunks():
        yield "[\n"
        separator = ""
        for chunk in batched(records, CHUNK_SIZE):
            yield separator + ",\n".join(map(to_json, chunk))
            separator = ",\n"
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


def to_json(data, **kwargs):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **kwargs)


def records(queryset, to_record, absolute):
    """Records from a queryset, read CHUNK_SIZE rows (and their related rows) at a time."""
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield to_record(obj, absolute)
