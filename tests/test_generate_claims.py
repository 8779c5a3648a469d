"""
bench/generate.py at a small size: deterministic for a seed, quotes that occur in their
articles, only source rows written by the generator itself (the derived data comes from
articles/derived.py, and check() finds nothing to correct), refusal on a non-empty
database, and --append.
"""

import contextlib
import datetime
import io
import os
from unittest import mock, skipUnless

from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import TestCase
from django.utils.text import slugify

from articles import derived, search
from articles.models import (
    Actor,
    Article,
    Change,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Involvement,
    Source,
    Status,
)
from bench import generate as generator

from .factories import make_claim, state

ON_POSTGRES = connection.vendor == "postgresql"


def generate(**options):
    """The generator's summary and its progress messages."""
    messages = []
    summary = generator.generate(say=messages.append, **options)
    return summary, "\n".join(messages)


def snapshot():
    """The generated content, without ids (which depend on the database's sequences)."""
    claims = []
    for claim in Claim.objects.order_by("id").select_related("country", "event"):
        claims.append(
            (
                claim.statement,
                claim.slug,
                claim.kind,
                claim.occurred_on,
                claim.date_precision,
                claim.place,
                claim.country and claim.country.code,
                claim.event and claim.event.slug,
                claim.verification,
                claim.status,
                claim.created_at,
                claim.search_document,
                sorted(claim.roles.values_list("actor__slug", "role")),
                list(claim.evidence.order_by("id").values_list("article__slug", "quote", "stance")),
                sorted(claim.involvements.values_list("country__code", flat=True)),
            )
        )
    articles = list(
        Article.objects.order_by("id").values_list(
            "title", "slug", "url", "source__slug", "authors", "published_at", "language",
            "body", "summary", "status",
        )
    )  # fmt: skip
    actors = list(
        Actor.objects.exclude(kind=Actor.Kind.STATE)
        .order_by("id")
        .values_list("name", "slug", "kind", "country__code", "aliases")
    )
    events = list(
        Event.objects.order_by("id").values_list(
            "name", "slug", "kind", "start_date", "end_date", "place", "host_country__code"
        )
    )
    sources = list(Source.objects.order_by("id").values_list("name", "slug", "country__code"))
    return claims, articles, actors, events, sources


def schema():
    """Index and constraint definitions of the tables the generator fills (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'articles_%%' "
            "ORDER BY 1"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'articles_%%' ORDER BY 1"
        )
        return indexes, cursor.fetchall()


def generated(**options):
    """A snapshot of what the generator makes, rolled back afterwards."""
    with transaction.atomic():
        generate(**options)
        result = snapshot()
        transaction.set_rollback(True)
    return result


class GeneratedDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.schema_before = schema() if ON_POSTGRES else None
        cls.changes_before = list(Change.objects.values_list("seq", flat=True))
        cls.output, cls.progress = generate(claims=400, seed=7, draft_fraction=0.1)

    @skipUnless(ON_POSTGRES, "only the PostgreSQL writer drops and recreates indexes")
    def test_indexes_and_foreign_keys_are_back(self):
        indexes, constraints = schema()
        self.assertIn("dropped", self.progress)
        self.assertIn("claim_search_vector_idx", dict(indexes))
        self.assertEqual((indexes, constraints), self.schema_before)

    def test_counts_and_shape(self):
        self.assertEqual(Claim.objects.count(), 400)
        self.assertIn("Generated 400 claims", self.output)
        self.assertIn("claims 400/400 (100%)", self.progress)
        self.assertAlmostEqual(Article.objects.count(), 120, delta=25)
        actors_per_claim = set(Claim.objects.annotate(n=Count("roles")).values_list("n", flat=True))
        self.assertLessEqual(actors_per_claim, {1, 2, 3, 4})
        self.assertIn(2, actors_per_claim)
        quotes_per_claim = set(
            Claim.objects.annotate(n=Count("evidence")).values_list("n", flat=True)
        )
        self.assertLessEqual(quotes_per_claim, {1, 2, 3, 4, 5})
        self.assertIn(1, quotes_per_claim)
        self.assertGreater(Claim.objects.exclude(status=Status.PUBLISHED).count(), 0)
        self.assertGreater(Article.objects.exclude(status=Status.PUBLISHED).count(), 0)
        dates = Claim.objects.exclude(occurred_on=None).values_list("occurred_on", flat=True)
        self.assertGreaterEqual(min(dates), datetime.date(2011, 1, 1))
        self.assertLessEqual(max(dates), datetime.date(2025, 12, 31))
        self.assertGreater(max(dates).year - min(dates).year, 5)

    def test_coverage_is_skewed_towards_a_few_countries(self):
        top = list(
            Involvement.objects.values_list("country__code")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("country__code", flat=True)[:5]
        )
        self.assertTrue({"RS", "CN", "US", "RU", "UA"} & set(top[:2]), top)

    def test_every_quote_occurs_in_its_article(self):
        for evidence in Evidence.objects.select_related("article"):
            self.assertIsNotNone(evidence.span(), (evidence.quote, evidence.article.body))

    def test_published_claims_have_a_quote_from_a_published_article(self):
        for claim in Claim.objects.published():
            self.assertEqual(claim.publication_problem(), "", claim)

    def test_every_claim_has_its_derived_data_and_check_finds_nothing_to_correct(self):
        self.assertFalse(
            Claim.objects.filter(Q(facets__isnull=True) | Q(search_document="")).exists()
        )
        # Claims of alliances alone, happening nowhere in particular, involve no country.
        linked = Claim.objects.filter(involvements__isnull=False).distinct().count()
        self.assertGreater(linked, 380)
        self.assertFalse(Claim.objects.published().filter(evidence_count=0).exists())
        self.assertGreater(Country.objects.filter(claim_count__gt=0).count(), 5)
        self.assertEqual(derived.check(), [])

    def test_one_change_log_entry_lists_the_new_published_claims(self):
        entries = Change.objects.exclude(seq__in=self.changes_before)
        self.assertEqual(entries.count(), 1)
        published = sorted(Claim.objects.published().values_list("pk", flat=True))
        self.assertTrue(published)
        self.assertEqual(entries.get().claims, published)

    @skipUnless(ON_POSTGRES, "SQLite has no tsvector: search reads the document (test below)")
    def test_postgresql_computes_each_search_vector_from_the_document(self):
        claim = Claim.objects.published().order_by("id").first()
        word = max(search.WORD.findall(search.fold(claim.statement)), key=len)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE search_vector = ''::tsvector), "
                "bool_or(id = %s AND search_vector @@ to_tsquery('english', %s || ':A')) "
                "FROM articles_claim",
                [claim.pk, word],
            )
            empty, found = cursor.fetchone()
        self.assertEqual(empty, 0)
        self.assertTrue(found, word)

    def test_filters_and_search_find_generated_claims(self):
        country = Involvement.objects.filter(claim__status=Status.PUBLISHED).first().country
        response = self.client.get(f"/claims/?country={country.code.lower()}")
        self.assertEqual(response.status_code, 200)
        self.assertGreater(response.context["page_obj"].paginator.count, 0)
        claim = Claim.objects.published().filter(evidence__isnull=False).order_by("id").first()
        word = max(search.WORD.findall(claim.statement), key=len)
        found, _, _ = search.matching(Claim.objects.published(), word)
        self.assertIn(claim.pk, found)

    def test_new_rows_get_fresh_ids(self):
        make_claim(actors=[state("RS")], statement="Made after the generator.")
        self.assertEqual(Claim.objects.count(), 401)

    def test_refused_on_a_database_with_content(self):
        before = snapshot()
        with self.assertRaisesMessage(generator.Refused, "already has content"):
            generate(claims=10)
        self.assertEqual(snapshot(), before)

    def test_the_command_line_refuses_then_appends_when_asked(self):
        stdout, stderr = io.StringIO(), io.StringIO()
        # A DATABASE_URL of its own: without one the command starts the bench cluster.
        with (
            mock.patch.dict(os.environ, {"DATABASE_URL": "sqlite://"}),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            self.assertEqual(generator.main(["--claims", "20"]), 1)
            self.assertIn("--append", stderr.getvalue())
            self.assertEqual(Claim.objects.count(), 400)
            self.assertEqual(generator.main(["--claims", "20", "--seed", "2", "--append"]), 0)
        self.assertIn("Generated 20 claims", stdout.getvalue())
        self.assertEqual(Claim.objects.count(), 420)
        self.assertEqual(derived.check(), [])


class DeterminismTests(TestCase):
    def test_same_seed_same_data_other_seed_other_data(self):
        first = generated(claims=150, seed=3)
        self.assertEqual(len(first[0]), 150)
        self.assertEqual(generated(claims=150, seed=3), first)
        self.assertNotEqual(generated(claims=150, seed=4)[0], first[0])

    def test_generated_rows_pass_the_models_field_validation(self):
        # Written with COPY or bulk_create, past full_clean(): the same rules hold anyway
        # (web addresses only, no control characters in names and statements).
        generate(claims=150, seed=3)
        for model in [Source, Article, Actor, Event, Claim]:
            relations = [field.name for field in model._meta.fields if field.is_relation]
            rows = model.objects.all()
            self.assertTrue(rows.exists(), model)
            for row in rows:
                with self.subTest(f"{model.__name__} {row.pk}"):
                    row.clean_fields(exclude=relations)

    def test_fast_slugify_matches_django(self):
        for text in ["Vučić and Đorđe", "Србија", "Yıldız ﬁ “quoted”", "€5 million", "A_b -- c"]:
            self.assertEqual(generator.fast_slugify(text), slugify(text))


class SourceRowsOnlyTests(TestCase):
    def test_the_generator_writes_no_derived_data_itself(self):
        changes = Change.objects.count()
        with (
            mock.patch.object(derived, "refresh", return_value=set()) as refresh,
            mock.patch.object(derived, "rebuild") as rebuild,
            mock.patch.object(derived, "append_to_log") as append_to_log,
        ):
            generate(claims=120, seed=2, chunk=50)
        # It hands every new claim to the refresh, a chunk at a time, and logs once.
        refreshed = [list(call.args[0]) for call in refresh.call_args_list]
        self.assertGreater(len(refreshed), 1)
        self.assertEqual(
            sorted(pk for chunk in refreshed for pk in chunk),
            sorted(Claim.objects.values_list("pk", flat=True)),
        )
        rebuild.assert_not_called()
        append_to_log.assert_called_once()
        self.assertEqual(Claim.objects.count(), 120)
        self.assertFalse(Involvement.objects.exists())
        self.assertEqual(
            set(Claim.objects.values_list("search_document", "evidence_count", "facets")),
            {("", 0, None)},
        )
        for model in (Country, Actor, Event):
            self.assertFalse(model.objects.filter(claim_count__gt=0).exists(), model)
        self.assertEqual(Change.objects.count(), changes)


class AppendTests(TestCase):
    def test_append_keeps_what_is_there(self):
        existing = make_claim(actors=[state("RS"), state("CN")], statement="Kept as it is.")
        before = Claim.objects.values().get(pk=existing.pk)
        links = set(existing.involvements.values_list("country__code", flat=True))
        with self.assertRaisesMessage(generator.Refused, "--append"):
            generate(claims=50)
        generate(claims=50, seed=5, append=True)
        self.assertEqual(Claim.objects.count(), 51)
        self.assertEqual(Claim.objects.values().get(pk=existing.pk), before)
        self.assertEqual(set(existing.involvements.values_list("country__code", flat=True)), links)
        new = Claim.objects.exclude(pk=existing.pk)
        self.assertTrue(all(pk > existing.pk for pk in new.values_list("pk", flat=True)))
        self.assertFalse(new.filter(search_document="").exists())
        self.assertFalse(new.filter(~Q(involvements__isnull=False)).exists())
        for evidence in Evidence.objects.filter(claim__in=new).select_related("article"):
            self.assertIsNotNone(evidence.span())
        # Adding again with the same seed: taken slugs and URLs get another one.
        generate(claims=50, seed=5, append=True)
        self.assertEqual(Claim.objects.count(), 101)
        self.assertEqual(Article.objects.values("slug").distinct().count(), Article.objects.count())
        self.assertEqual(ClaimActor.objects.filter(claim=existing).count(), 2)
        # The counts include the existing claim and the added ones, once each.
        self.assertEqual(derived.check(), [])
