"""
The read engine answers exactly what PostgreSQL would: for random worlds and random
combinations of filters, its totals, pages and facet counts equal counts made from
scratch in SQL over the source rows; and it follows publication, edits and deletion.
"""

import datetime
import io
import random
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear, Lower
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from articles import derived, engine
from articles.engine import Filters
from articles.models import Change, Claim, ClaimActor, Evidence, Involvement, Status

from .factories import country, make_actor, make_article, make_claim, make_event, make_source, state

KINDS = Claim.Kind.values
VERIFICATIONS = Claim.Verification.values


class World:
    def __init__(self, rng, claims=40):
        self.actors = [
            state("RS"),
            state("CN"),
            state("HU"),
            make_actor(name="Army", country=country("RS")),
            make_actor(name="Alliance"),
        ]
        self.events = [make_event(), make_event()]
        self.sources = [make_source(), make_source(), make_source()]
        self.articles = [
            make_article(
                source=rng.choice(self.sources),
                language=rng.choice(["en", "sr-Latn", "EN"]),
                status=rng.choice([Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT]),
            )
            for _ in range(6)
        ]
        with derived.batch():
            for _ in range(claims):
                day = rng.choice(
                    [
                        None,
                        datetime.date(
                            rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                    ]
                )
                make_claim(
                    rng.sample(self.actors, rng.randint(0, 3)),
                    article=rng.choice(self.articles),
                    kind=rng.choice(KINDS),
                    verification=rng.choice(VERIFICATIONS),
                    occurred_on=day,
                    date_precision=rng.choice(Claim.Precision.values) if day else "",
                    country=rng.choice([None, None, country("RU"), country("RS")]),
                    event=rng.choice([None, *self.events]),
                    status=rng.choice([Status.PUBLISHED] * 4 + [Status.DRAFT]),
                )
            for _ in range(claims // 4):  # a second quote, from another article
                claim = rng.choice(list(Claim.objects.all()))
                article = rng.choice(self.articles)
                Evidence.objects.get_or_create(
                    claim=claim,
                    article=article,
                    defaults={"quote": "Officials described the partnership as a model"},
                )

    def random_filters(self, rng):
        """One to three filters, their values drawn from what the world holds."""
        countries = [country(code).pk for code in ("RS", "CN", "HU", "RU")]
        # Bounds are often a day some published claim has: they are inclusive.
        days = list(
            Claim.objects.published()
            .exclude(occurred_on=None)
            .values_list("occurred_on", flat=True)
        )

        def day():
            if days and rng.random() < 0.6:
                return rng.choice(days)
            return datetime.date(rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28))

        choices = {
            "countries": lambda: tuple(rng.sample(countries, rng.randint(1, 2))),
            "actors": lambda: tuple(a.pk for a in rng.sample(self.actors, rng.randint(1, 2))),
            "event": lambda: rng.choice(self.events).pk,
            "kinds": lambda: tuple(rng.sample(KINDS, rng.randint(1, 3))),
            "verifications": lambda: tuple(rng.sample(VERIFICATIONS, rng.randint(1, 2))),
            "source": lambda: rng.choice(self.sources).pk,
            "language": lambda: rng.choice(["en", "sr-latn", "fr"]),
            "date_from": day,
            "date_to": day,
        }
        fields = {name: choices[name]() for name in rng.sample(sorted(choices), rng.randint(1, 3))}
        return Filters(**fields)


def sql_matches(filters, skip=()):
    """The published claims passing `filters`, counted from scratch in SQL."""
    claims = Claim.objects.filter(status=Status.PUBLISHED)
    for pk in filters.countries:
        claims = claims.filter(Exists(Involvement.objects.filter(claim=OuterRef("pk"), country=pk)))
    for pk in filters.actors:
        claims = claims.filter(Exists(ClaimActor.objects.filter(claim=OuterRef("pk"), actor=pk)))
    if filters.event:
        claims = claims.filter(event=filters.event)
    if filters.kinds and "kind" not in skip:
        claims = claims.filter(kind__in=filters.kinds)
    if filters.verifications and "verification" not in skip:
        claims = claims.filter(verification__in=filters.verifications)
    quotes = Evidence.objects.filter(claim=OuterRef("pk"), article__status=Status.PUBLISHED)
    if filters.source:
        claims = claims.filter(Exists(quotes.filter(article__source=filters.source)))
    if filters.language:
        claims = claims.filter(Exists(quotes.filter(article__language__iexact=filters.language)))
    if filters.date_from:
        claims = claims.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        claims = claims.filter(occurred_on__lte=filters.date_to)
    return claims


def sql_counts(rows):
    return sorted(
        ((value, n) for value, n in rows if value is not None), key=lambda r: (-r[1], r[0])
    )


class ExactnessTests(HypothesisTestCase):
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(st.integers(0, 2**32), st.lists(st.integers(0, 2**32), min_size=1, max_size=8))
    def test_totals_pages_and_facets_equal_a_count_from_scratch(self, world_seed, filter_seeds):
        engine.reset()
        world = World(random.Random(world_seed))
        index = engine.current(derived.change_seq())
        for seed in filter_seeds:
            filters = world.random_filters(random.Random(seed))
            matches = index.matching(filters)
            expected = sql_matches(filters)
            self.assertEqual(set(matches), set(expected.values_list("pk", flat=True)))
            ids = expected.values("pk")
            self.assertEqual(
                index.counts("country", matches),
                sql_counts(
                    Involvement.objects.filter(claim__in=ids)
                    .values_list("country")
                    .annotate(n=Count("claim"))
                ),
            )
            self.assertEqual(
                index.counts("actor", matches),
                sql_counts(
                    ClaimActor.objects.filter(claim__in=ids)
                    .values_list("actor")
                    .annotate(n=Count("claim", distinct=True))
                ),
            )
            self.assertEqual(
                index.counts("actor", matches, limit=2),
                index.counts("actor", matches)[:2],
            )
            # Counted by tallying the matches' postings, or by intersecting bitmaps.
            limits = {dimension: None for dimension in engine.DIMENSIONS}
            limits.update(actor=2, event=1)
            tallied = index.facets(matches, limits)
            with mock.patch.object(engine, "TALLY_AT_MOST", -1):
                self.assertEqual(index.facets(matches, limits), tallied)
            for dimension, limit in limits.items():
                self.assertEqual(tallied[dimension], index.counts(dimension, matches)[:limit])
            self.assertEqual(
                index.counts("event", matches),
                sql_counts(expected.values_list("event").annotate(n=Count("pk"))),
            )
            published_quotes = Evidence.objects.filter(
                claim__in=ids, article__status=Status.PUBLISHED
            )
            self.assertEqual(
                index.counts("source", matches),
                sql_counts(
                    published_quotes.values_list("article__source").annotate(
                        n=Count("claim", distinct=True)
                    )
                ),
            )
            self.assertEqual(
                index.counts("language", matches),
                sql_counts(
                    published_quotes.annotate(language=Lower("article__language"))
                    .values_list("language")
                    .annotate(n=Count("claim", distinct=True))
                ),
            )
            self.assertEqual(
                index.counts("year", matches),
                sql_counts(
                    expected.annotate(year=ExtractYear("occurred_on"))
                    .values_list("year")
                    .annotate(n=Count("pk"))
                ),
            )
            without_kind = index.matching(filters.without(kinds=()))
            self.assertEqual(
                index.counts("kind", without_kind),
                sql_counts(
                    sql_matches(filters, skip={"kind"}).values_list("kind").annotate(n=Count("pk"))
                ),
            )
            for sort, ordering in {
                "recent": [Claim._meta.ordering[0], "-id"],
                "added": ["-created_at", "-id"],
                "sourced": [
                    "-independent_sources",
                    "-evidence_count",
                    Claim._meta.ordering[0],
                    "-id",
                ],
                "updated": ["-updated_at", "-id"],
            }.items():
                self.assertEqual(
                    index.page(matches, sort, 3, 5),
                    list(expected.order_by(*ordering).values_list("pk", flat=True)[3:8]),
                    sort,
                )


class FollowsChangesTests(HypothesisTestCase):
    def test_publishing_editing_and_deleting_move_lists_and_facets(self):
        engine.reset()
        claim = make_claim([state("RS")], status=Status.DRAFT, kind=Claim.Kind.ARMS)
        serbia = Filters(countries=(country("RS").pk,))

        def index():
            return engine.current(derived.change_seq())

        self.assertEqual(set(index().matching(serbia)), set())
        claim.status = Status.PUBLISHED
        claim.save()
        self.assertEqual(set(index().matching(serbia)), {claim.pk})
        self.assertEqual(index().counts("kind", index().published), [("arms", 1)])
        ClaimActor.objects.create(claim=claim, actor=state("CN"))
        self.assertEqual(
            index().counts("country", index().matching(serbia)),
            [(country("CN").pk, 1), (country("RS").pk, 1)],
        )
        claim.status = Status.DRAFT
        claim.save()
        self.assertEqual(set(index().matching(serbia)), set())
        claim.status = Status.PUBLISHED
        claim.save()
        Claim.objects.get(pk=claim.pk).delete()
        self.assertEqual(len(index().published), 0)
        self.assertEqual(index().counts("country", index().published), [])


class SavedIndexTests(TestCase):
    """Workers of one server share one build: the first saves it, the others load it."""

    @classmethod
    def setUpTestData(cls):
        with derived.batch():
            for n in range(12):
                make_claim(
                    [state("RS"), state(["CN", "HU"][n % 2])],
                    kind=KINDS[n % 3],
                    occurred_on=datetime.date(2024, n % 12 + 1, 5),
                    event=None,
                )

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.path = Path(self.folder.name) / "claims-index.npz"

    def answers(self, index):
        serbia = Filters(countries=(country("RS").pk,))
        matches = index.matching(serbia)
        limits = {dimension: None for dimension in engine.DIMENSIONS}
        return (
            sorted(matches),
            index.facets(matches, limits),
            [index.page(matches, sort, 2, 5) for sort in engine.SORTS],
            index.months(matches),
        )

    def test_a_saved_index_loads_with_the_same_answers(self):
        built = engine.ClaimIndex.build()
        built.save(self.path)
        loaded = engine.ClaimIndex.load(self.path)
        self.assertEqual(loaded.seq, built.seq)
        self.assertEqual(self.answers(loaded), self.answers(built))

    def test_changes_since_are_folded_in_before_saving(self):
        index = engine.ClaimIndex.build()
        claim = make_claim([state("RS"), state("JP")], kind=Claim.Kind.ARMS)
        index.catch_up(derived.change_seq())
        index.save(self.path)
        loaded = engine.ClaimIndex.load(self.path)
        self.assertIn(claim.pk, loaded.matching(Filters(countries=(country("JP").pk,))))
        self.assertEqual(self.answers(loaded), self.answers(engine.ClaimIndex.build()))

    def test_the_next_worker_loads_what_the_first_saved_and_applies_the_log(self):
        with override_settings(READ_INDEX_PATH=str(self.path)):
            engine.reset()
            engine.current(derived.change_seq())
            self.assertTrue(self.path.exists())
            claim = make_claim([state("RS"), state("JP")])
            engine.reset()  # another worker, after the edit
            with mock.patch.object(engine.ClaimIndex, "build") as build:
                index = engine.current(derived.change_seq())
            build.assert_not_called()
            self.assertIn(claim.pk, index.matching(Filters(countries=(country("JP").pk,))))

    def test_rebuild_index_saves_a_new_index_that_workers_swap_in(self):
        with override_settings(READ_INDEX_PATH=str(self.path)):
            engine.reset()
            before = engine.current(derived.change_seq())
            out = io.StringIO()
            call_command("rebuild_index", stdout=out)
            self.assertIn("Indexed 12 published claims", out.getvalue())
            self.assertIsNone(Change.objects.latest("seq").claims)  # every claim
            with mock.patch.object(engine.ClaimIndex, "build") as build:
                after = engine.current(derived.change_seq())
            build.assert_not_called()
            self.assertIsNot(after, before)
            self.assertEqual(self.answers(after), self.answers(before))
