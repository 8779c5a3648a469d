"""
manage.py generate_claims at a small size: deterministic for a seed, quotes that occur
in their articles, country links and search documents exactly as the model would build
them (so filters and search work), refusal on a non-empty database and --add.
"""

import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import TestCase

from articles import search
from articles.management.commands.generate_claims import fast_fold, fast_slugify
from articles.models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Involvement,
    Source,
    Status,
)

from .factories import make_claim, state


def generate(*args):
    out, err = StringIO(), StringIO()
    call_command("generate_claims", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


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
    if connection.vendor != "postgresql":
        return None
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


def generated(*args):
    """A snapshot of what the generator makes, rolled back afterwards."""
    with transaction.atomic():
        generate(*args)
        result = snapshot()
        transaction.set_rollback(True)
    return result


class GeneratedDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.schema_before = schema()
        cls.output, cls.progress = generate("--claims", "400", "--seed", "7", "--drafts", "0.1")

    def test_indexes_and_foreign_keys_are_back(self):
        # On PostgreSQL, loading into an empty database drops and recreates them.
        self.assertEqual(schema(), self.schema_before)

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

    def test_country_links_and_search_documents_are_what_the_model_builds(self):
        links = ("country_id", "status", "kind", "occurred_on")
        for claim in Claim.objects.select_related("event", "country").order_by("id")[::23]:
            involved = set(claim.involvements.values_list(*links))
            evidence_count = claim.evidence_count
            document = claim.search_document
            vector = self.vector(claim)
            self.assertTrue(document)
            claim.refresh_denormalised()
            claim.refresh_from_db()
            self.assertEqual(set(claim.involvements.values_list(*links)), involved)
            self.assertEqual(claim.evidence_count, evidence_count)
            self.assertEqual(claim.search_document, document)
            self.assertEqual(self.vector(claim), vector)

    def test_claim_counts_are_what_the_models_count(self):
        for model in (Country, Actor, Event):
            stored = dict(model.objects.values_list("pk", "claim_count"))
            self.assertTrue(any(stored.values()), model)
            model.objects.refresh_claim_counts()
            self.assertEqual(dict(model.objects.values_list("pk", "claim_count")), stored)

    def vector(self, claim):
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector::text FROM articles_claim WHERE id = %s", [claim.pk]
            )
            value = cursor.fetchone()[0]
        self.assertTrue(value)
        return value

    def test_filters_and_search_find_generated_claims(self):
        country = Involvement.objects.filter(claim__status=Status.PUBLISHED).first().country
        response = self.client.get(f"/claims/?country={country.code.lower()}")
        self.assertEqual(response.status_code, 200)
        self.assertGreater(response.context["page_obj"].paginator.count, 0)
        claim = Claim.objects.published().filter(evidence__isnull=False).order_by("id").first()
        word = max(search.WORD.findall(claim.statement), key=len)
        found, _ = search.search_claims(Claim.objects.published(), word)
        self.assertIn(claim, found)

    def test_new_rows_get_fresh_ids(self):
        make_claim(actors=[state("RS")], statement="Made after the generator.")
        self.assertEqual(Claim.objects.count(), 401)

    def test_refused_on_a_database_with_content(self):
        with self.assertRaisesMessage(CommandError, "already has content"):
            generate("--claims", "10")
        self.assertEqual(Claim.objects.count(), 400)


class DeterminismTests(TestCase):
    def test_same_seed_same_data_other_seed_other_data(self):
        first = generated("--claims", "150", "--seed", "3")
        self.assertEqual(len(first[0]), 150)
        self.assertEqual(generated("--claims", "150", "--seed", "3"), first)
        self.assertNotEqual(generated("--claims", "150", "--seed", "4")[0], first[0])

    def test_generated_rows_pass_the_models_field_validation(self):
        # Written with COPY or bulk_create, past full_clean(): the same rules hold anyway
        # (web addresses only, no control characters in names and statements).
        for model in [Source, Article, Actor, Event, Claim]:
            relations = [field.name for field in model._meta.fields if field.is_relation]
            for row in model.objects.all():
                with self.subTest(f"{model.__name__} {row.pk}"):
                    row.clean_fields(exclude=relations)

    def test_helpers_match_the_app(self):
        from django.utils.text import slugify

        for text in ["Vučić and Đorđe", "Србија", "Yıldız ﬁ “quoted”", "€5 million", "A_b -- c"]:
            self.assertEqual(fast_fold(text), search.fold(text))
            self.assertEqual(fast_slugify(text), slugify(text))


class AddTests(TestCase):
    def test_add_keeps_what_is_there(self):
        existing = make_claim(actors=[state("RS"), state("CN")], statement="Kept as it is.")
        before = Claim.objects.values().get(pk=existing.pk)
        links = set(existing.involvements.values_list("country__code", flat=True))
        with self.assertRaisesMessage(CommandError, "--add"):
            generate("--claims", "50")
        generate("--claims", "50", "--seed", "5", "--add")
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
        generate("--claims", "50", "--seed", "5", "--add")
        self.assertEqual(Claim.objects.count(), 101)
        self.assertEqual(Article.objects.values("slug").distinct().count(), Article.objects.count())
        self.assertEqual(ClaimActor.objects.filter(claim=existing).count(), 2)
