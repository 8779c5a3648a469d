"""
CSV and JSON exports, and the read-only JSON API.

One record per claim (or article), built by the same function for every format, so the
CSV, the JSON download and the API can never disagree. Downloads are streamed in chunks
of rows, so memory stays flat however many rows the filters select. The columns are
documented in README.md ("Claim records (JSON) and columns (CSV)").
"""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import StreamingHttpResponse

from .models import ClaimActor, Evidence, Involvement, Status

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
    """Everything a claim record needs, in a fixed number of queries per chunk of rows."""
    return queryset.select_related("country", "event").prefetch_related(
        Prefetch(
            "roles",
            queryset=ClaimActor.objects.select_related("actor__country").order_by(
                "role", "actor__name"
            ),
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(article__status=Status.PUBLISHED)
            .select_related("article__source")
            .order_by("article__published_at", "id"),
            to_attr="published_evidence",
        ),
        Prefetch(
            "involvements",
            queryset=Involvement.objects.select_related("country").order_by("country__code"),
        ),
    )


def claim_record(claim, absolute):
    """A claim as a JSON-ready dict. `absolute` turns a path into a full URL."""
    return {
        "id": claim.pk,
        "url": absolute(claim.get_absolute_url()),
        "statement": claim.statement,
        "kind": claim.kind,
        "verification": claim.verification,
        "date": claim.occurred_on,
        "date_precision": claim.date_precision or None,
        "when": claim.when,
        "place": claim.place,
        "country": claim.country.code if claim.country else None,
        "countries": [involvement.country.code for involvement in claim.involvements.all()],
        "event": claim.event
        and {
            "name": claim.event.name,
            "slug": claim.event.slug,
            "url": absolute(claim.event.get_absolute_url()),
        },
        "actors": [
            {
                "name": role.actor.name,
                "slug": role.actor.slug,
                "kind": role.actor.kind,
                "country": role.actor.country.code if role.actor.country else None,
                "role": role.role,
                "url": absolute(role.actor.get_absolute_url()),
            }
            for role in claim.roles.all()
        ],
        "evidence": [
            {
                "article_url": absolute(item.article.get_absolute_url() + f"#{item.anchor}"),
                "original_url": item.article.url or None,
                "title": item.article.title,
                "source": item.article.source.name,
                "published_at": item.article.published_at,
                "language": item.article.language,
                "stance": item.stance,
                "quote": item.quote,
            }
            for item in claim.published_evidence
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
        for record in records:
            yield writer.writerow([safe_cell(value) for value in to_row(record)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def stream_json(records, filename):
    def chunks():
        yield "[\n"
        for index, record in enumerate(records):
            yield ("" if index == 0 else ",\n") + to_json(record)
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


def to_json(data, **kwargs):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **kwargs)


def records(queryset, to_record, absolute):
    """Records from a queryset, read CHUNK_SIZE rows (and their prefetches) at a time."""
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield to_record(obj, absolute)
