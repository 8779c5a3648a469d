"""
Read-engine candidates measured on the same data set (docs/read-engine.md):

    python -m bench.engines [--engines bitmaps,tantivy,postgresql] [--repeat 5]

For a fixed set of filters drawn from the data (none, one big country, two countries,
a country with a kind and a year, one actor, an event, a source, a date range, …) each
candidate answers what a claims list needs: the exact total, the ids of page 1 and page
20, and every facet's counts (countries, kinds, verifications, actors, events, sources,
languages, years). Times are per answer, one thread, p50 and max of --repeat runs; the
build time and the resident memory it added are printed too.

- bitmaps: articles/engine.py (Roaring bitmaps and NumPy arrays in the process).
- tantivy: an embedded Tantivy index (the `tantivy` package, installed by hand for
  this comparison only: pip install tantivy) built from the same rows, filters as term
  queries, facets as terms aggregations.
- postgresql: the SQL the app ran before the engine: a filtered query per facet.

Runs against DATABASE_URL, or the bench cluster (bench/cluster.py).
"""

import argparse
import datetime
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cluster  # noqa: E402


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times), max(times)


def filter_cases():
    """(name, Filters) drawn from the data: the biggest values of each kind."""
    from articles.engine import Filters
    from articles.models import Actor, Claim, Country, Event, Source

    countries = list(Country.objects.order_by("-claim_count").values_list("pk", flat=True)[:3])
    actor = (
        Actor.objects.exclude(kind="state")
        .order_by("-claim_count")
        .values_list("pk", flat=True)
        .first()
    )
    small_actor = (
        Actor.objects.filter(claim_count__gt=0)
        .order_by("claim_count")
        .values_list("pk", flat=True)
        .first()
    )
    event = Event.objects.order_by("-claim_count").values_list("pk", flat=True).first()
    source = Source.objects.values_list("pk", flat=True).first()
    return [
        ("no filter", Filters()),
        ("1 country (largest)", Filters(countries=(countries[0],))),
        ("2 countries", Filters(countries=tuple(countries[:2]))),
        (
            "country + kind + year",
            Filters(
                countries=(countries[0],),
                kinds=(Claim.Kind.MILITARY,),
                date_from=datetime.date(2024, 1, 1),
                date_to=datetime.date(2024, 12, 31),
            ),
        ),
        ("1 actor (largest non-state)", Filters(actors=(actor,))),
        ("1 actor (smallest)", Filters(actors=(small_actor,))),
        ("1 event (largest)", Filters(event=event)),
        ("1 source", Filters(source=source)),
        (
            "date range (2023-05-08 … 2024-02)",
            Filters(date_from=datetime.date(2023, 5, 8), date_to=datetime.date(2024, 2, 29)),
        ),
        (
            "3 kinds (any of) + verification",
            Filters(kinds=("military", "arms", "economic"), verifications=("corroborated",)),
        ),
    ]


def bitmaps(cases, repeat):
    from articles import engine

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = engine.ClaimIndex.build()
    build = time.perf_counter() - started
    gc.collect()
    print(f"bitmaps: built in {build:.1f} s, +{rss_mb() - before:.0f} MB resident", flush=True)

    def answer(filters):
        matches = index.matching(filters)
        index.page(matches, "recent", 0, 20)
        index.page(matches, "recent", 380, 20)
        limits = {dimension: None for dimension in ("country", "year", "language")}
        limits.update({dimension: 10 for dimension in engine.MANY_VALUED})
        facets = index.facets(matches, limits)
        for dimension, field in (("kind", "kinds"), ("verification", "verifications")):
            others = index.matching(filters.without(**{field: ()}))
            facets.update(index.facets(others, {dimension: None}))
        return len(matches), facets

    rows = []
    for name, filters in cases:
        (total, _), p50, worst = timed(lambda filters=filters: answer(filters), repeat)
        rows.append((name, total, p50, worst))
    return {"build_s": build, "rows": rows}


def tantivy_engine(cases, repeat):
    try:
        import tantivy
    except ImportError:
        return {"skipped": "the tantivy package is not installed (pip install tantivy)"}
    from articles.models import Claim, Status

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in ("country", "actor", "event", "source"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in ("language", "kind", "verification"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("recent", fast=True)
    schema = builder.build()
    directory = tempfile.TemporaryDirectory(prefix="engines-tantivy-")
    index = tantivy.Index(schema, path=directory.name)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    writer = index.writer(heap_size=500_000_000)
    rows = (
        Claim.objects.filter(status=Status.PUBLISHED)
        .values_list("pk", "facets", "verification")
        .iterator(chunk_size=20_000)
    )
    for pk, facets, verification in rows:
        day = (
            datetime.date.fromisoformat(facets["occurred_on"]).toordinal()
            if facets["occurred_on"]
            else 0
        )
        document = {
            "id": pk,
            "country": facets["countries"],
            "actor": facets["actors"],
            "event": [facets["event"]] if facets["event"] else [],
            "source": facets["sources"],
            "language": facets["languages"],
            "kind": facets["kind"],
            "verification": verification,
            "year": [day and datetime.date.fromordinal(day).year] if day else [],
            "day": day,
            "recent": (day << 32) | pk,
        }
        writer.add_document(tantivy.Document.from_dict(document, schema))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    build = time.perf_counter() - started
    print(f"tantivy: built in {build:.1f} s, +{rss_mb() - before:.0f} MB resident", flush=True)

    def query(filters):
        clauses = []
        occur = tantivy.Occur.Must
        for value in filters.countries:
            clauses.append((occur, tantivy.Query.term_query(schema, "country", value)))
        for value in filters.actors:
            clauses.append((occur, tantivy.Query.term_query(schema, "actor", value)))
        if filters.event:
            clauses.append((occur, tantivy.Query.term_query(schema, "event", filters.event)))
        if filters.source:
            clauses.append((occur, tantivy.Query.term_query(schema, "source", filters.source)))
        for field, values in (("kind", filters.kinds), ("verification", filters.verifications)):
            if values:
                clauses.append(
                    (
                        occur,
                        tantivy.Query.boolean_query(
                            [
                                (tantivy.Occur.Should, tantivy.Query.term_query(schema, field, v))
                                for v in values
                            ]
                        ),
                    )
                )
        if filters.date_from or filters.date_to:
            low = filters.date_from.toordinal() if filters.date_from else 1
            high = filters.date_to.toordinal() if filters.date_to else 10**7
            clauses.append(
                (
                    occur,
                    tantivy.Query.range_query(schema, "day", tantivy.FieldType.Integer, low, high),
                )
            )
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)

    def answer(filters):
        q = query(filters)
        total = searcher.search(q, limit=1, count=True).count
        searcher.search(q, limit=20, order_by_field="recent")
        searcher.search(q, limit=20, offset=380, order_by_field="recent")
        aggregations = {
            name: {
                "terms": {
                    "field": name,
                    "size": 10 if name in ("actor", "event", "source") else 300,
                }
            }
            for name in (
                "country",
                "actor",
                "event",
                "source",
                "language",
                "kind",
                "verification",
                "year",
            )
        }
        result = searcher.aggregate(q, aggregations)
        return total, result

    results = []
    for name, filters in cases:
        (total, _), p50, worst = timed(lambda filters=filters: answer(filters), repeat)
        results.append((name, total, p50, worst))
    directory.cleanup()
    return {"build_s": build, "rows": results}


def postgresql(cases, repeat, timeout_s):
    """The pre-engine SQL: one filtered query per facet, as facets.py used to run them."""
    from django.db import connection
    from django.db.models import Count, Exists, OuterRef
    from django.db.models.functions import ExtractYear

    from articles.models import Claim, ClaimActor, Evidence, Involvement, Status

    def claims(filters, skip=()):
        qs = Claim.objects.filter(status=Status.PUBLISHED)
        for pk in filters.countries:
            qs = qs.filter(Exists(Involvement.objects.filter(claim=OuterRef("pk"), country=pk)))
        for pk in filters.actors:
            qs = qs.filter(Exists(ClaimActor.objects.filter(claim=OuterRef("pk"), actor=pk)))
        if filters.event:
            qs = qs.filter(event=filters.event)
        if filters.kinds and "kind" not in skip:
            qs = qs.filter(kind__in=filters.kinds)
        if filters.verifications and "verification" not in skip:
            qs = qs.filter(verification__in=filters.verifications)
        if filters.source:
            qs = qs.filter(
                Exists(
                    Evidence.objects.filter(
                        claim=OuterRef("pk"),
                        article__status=Status.PUBLISHED,
                        article__source=filters.source,
                    )
                )
            )
        if filters.date_from:
            qs = qs.filter(occurred_on__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(occurred_on__lte=filters.date_to)
        return qs

    def answer(filters):
        ids = claims(filters).values("pk")
        claims(filters).count()
        list(claims(filters).order_by("-occurred_on", "-id").values_list("pk", flat=True)[:20])
        list(claims(filters).order_by("-occurred_on", "-id").values_list("pk", flat=True)[380:400])
        list(
            Involvement.objects.filter(claim__in=ids)
            .values_list("country")
            .annotate(n=Count("claim"))
        )
        list(
            ClaimActor.objects.filter(claim__in=ids)
            .values_list("actor")
            .annotate(n=Count("claim", distinct=True))
            .order_by("-n")[:10]
        )
        list(claims(filters).values_list("event").annotate(n=Count("pk")).order_by("-n")[:10])
        list(
            claims(filters)
            .annotate(y=ExtractYear("occurred_on"))
            .values_list("y")
            .annotate(n=Count("pk"))
        )
        list(claims(filters, skip={"kind"}).values_list("kind").annotate(n=Count("pk")))
        list(
            claims(filters, skip={"verification"})
            .values_list("verification")
            .annotate(n=Count("pk"))
        )
        list(
            Evidence.objects.filter(claim__in=ids, article__status=Status.PUBLISHED)
            .values_list("article__source")
            .annotate(n=Count("claim", distinct=True))
            .order_by("-n")[:10]
        )
        return None

    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [f"{timeout_s}s"])
    for name, filters in cases:
        try:
            _, p50, worst = timed(lambda filters=filters: answer(filters), repeat)
            rows.append((name, claims(filters).count(), p50, worst))
        except Exception as error:  # a statement past the time limit
            rows.append((name, None, None, f"over {timeout_s} s ({type(error).__name__})"))
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [f"{timeout_s}s"])
    return {"rows": rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--engines", default="bitmaps,tantivy,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql-repeat", type=int, default=1)
    parser.add_argument("--sql-timeout", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", cluster.ensure_started())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsclaims.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from articles.models import Claim

    cases = filter_cases()
    report = {"claims": Claim.objects.count(), "published": Claim.objects.published().count()}
    for name in args.engines.split(","):
        print(f"measuring {name}", flush=True)
        if name == "bitmaps":
            report[name] = bitmaps(cases, args.repeat)
        elif name == "tantivy":
            report[name] = tantivy_engine(cases, args.repeat)
        elif name == "postgresql":
            report[name] = postgresql(cases, args.sql_repeat, args.sql_timeout)
        for case, total, p50, worst in report[name].get("rows", []):
            p50 = "-" if p50 is None else f"{p50:.1f}"
            worst = worst if isinstance(worst, str) else f"{worst:.1f}"
            print(f"  {case:<36} total {total!s:>8}  p50 {p50:>7} ms  max {worst} ms", flush=True)
    print(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
