"""The demo data: what `manage.py load_demo` creates, and that it can be run again."""

from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from articles import demo_data
from articles.models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Event,
    Evidence,
    Source,
    Status,
)


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every table the app owns, many-to-many tables included."""
    tables = {}
    for model in apps.get_app_config("articles").get_models(include_auto_created=True):
        tables[model._meta.db_table] = list(model._default_manager.order_by("pk").values())
    return tables


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo()

    def test_loading_creates_the_expected_rows(self):
        self.assertEqual(Source.objects.count(), 3)
        self.assertEqual(Article.objects.count(), 8)
        self.assertEqual(Article.objects.published().count(), 7)
        self.assertEqual(Claim.objects.count(), 24)
        self.assertEqual(Claim.objects.published().count(), 23)
        self.assertEqual(Evidence.objects.count(), 31)
        self.assertEqual(Event.objects.count(), 5)
        # 250 state actors from the migrations, plus the demo's own.
        self.assertEqual(Actor.objects.exclude(kind=Actor.Kind.STATE).count(), 12)
        self.assertTrue(ClaimActor.objects.exists())

    def test_the_summary_is_one_line_with_the_counts(self):
        self.assertEqual(self.output.count("\n"), 1)
        self.assertIn("Demo data: 8 articles, 24 claims", self.output)
        self.assertRegex(
            self.output, r"\(rows created [1-9]\d*, updated \d+, already present \d+\)"
        )

    def test_running_twice_changes_nothing(self):
        before = snapshot()
        output = load_demo()
        self.assertEqual(snapshot(), before)
        self.assertIn("rows created 0, updated 0,", output)

    def test_a_changed_value_is_put_back_and_nothing_else_is_saved(self):
        article = Article.objects.get(slug="coral-tide-2025-begins")
        Article.objects.filter(pk=article.pk).update(title="Edited")
        before = snapshot()
        output = load_demo()
        article.refresh_from_db()
        self.assertEqual(article.title, "Japanese and Philippine forces begin Coral Tide 2025")
        self.assertIn("rows created 0, updated 1,", output)
        after = snapshot()
        self.assertEqual(
            [row for row in after["articles_article"] if row["id"] != article.pk],
            [row for row in before["articles_article"] if row["id"] != article.pk],
        )

    def test_every_evidence_quote_occurs_in_its_article(self):
        for evidence in Evidence.objects.select_related("article"):
            with self.subTest(claim=evidence.claim_id, article=evidence.article.slug):
                evidence.full_clean()
                self.assertIsNotNone(evidence.span())

    def test_every_evidence_quote_meets_the_rules_for_a_new_quote(self):
        for evidence in Evidence.objects.select_related("article"):
            with self.subTest(claim=evidence.claim_id, article=evidence.article.slug):
                typed = Evidence(
                    claim=evidence.claim, article=evidence.article, quote=evidence.quote
                )
                self.assertEqual(typed.quote_problem(), "")

    def test_every_published_claim_has_evidence_from_a_published_article(self):
        for claim in Claim.objects.published():
            with self.subTest(claim=claim.slug):
                self.assertEqual(claim.publication_problem(), "")

    def test_every_claim_has_actors_and_a_valid_date(self):
        for claim in Claim.objects.all():
            with self.subTest(claim=claim.slug):
                self.assertTrue(claim.roles.exists())
                claim.full_clean()

    def test_serbia_and_china_share_at_least_eight_published_claims(self):
        pair = Claim.objects.published().involving("RS", "CN").distinct()
        self.assertGreaterEqual(pair.count(), 8)

    def test_a_serbia_china_claim_is_backed_by_two_published_articles(self):
        claims = Claim.objects.published().involving("RS", "CN").distinct()
        self.assertTrue(any(claim.evidence_count >= 2 for claim in claims))

    def test_the_seed_article_is_kept_exactly_as_published(self):
        seed = Article.objects.get(slug="peace-guardian-2025")
        path = settings.DEMO_DATA_DIR / "peace-guardian-2025.txt"
        self.assertEqual(seed.body, path.read_bytes().decode("utf-8"))
        for typo in ("Bejing", "wassaid", "militaires"):
            self.assertIn(typo, seed.body)
        self.assertEqual(seed.status, Status.PUBLISHED)
        self.assertIn("approximate", seed.summary)

    def test_the_seed_article_shows_a_publisher_and_a_link_to_the_original(self):
        seed = Article.objects.get(slug="peace-guardian-2025")
        # On a reserved example domain: the original's publisher was not recorded, and
        # the summary says the attribution is illustrative.
        self.assertEqual(seed.source.domain, "dailybulletin.example")
        self.assertTrue(seed.url.startswith("https://www.dailybulletin.example/"))
        self.assertIn("2025/07", seed.url)
        self.assertIn("peace-guardian-2025", seed.url)
        self.assertIn("illustrative", seed.summary)
        page = self.client.get(seed.get_absolute_url())
        self.assertContains(page, seed.source.name)
        self.assertContains(page, f'href="{seed.url}"')

    def test_the_seed_claims_cover_the_exercise_and_its_context(self):
        exercise = Event.objects.get(slug="peace-guardian-2025")
        self.assertEqual(exercise.host_country.code, "CN")
        self.assertEqual(
            set(exercise.participants.values_list("slug", flat=True)),
            {"peoples-liberation-army", "serbian-armed-forces"},
        )
        arms = Claim.objects.get(slug="serbia-acquired-chinese-drones-and-air-defence")
        self.assertEqual(
            set(arms.roles.values_list("actor__slug", "role")),
            {("china", "supplier"), ("serbia", "buyer")},
        )
        friend = Claim.objects.get(slug="vucic-calls-china-most-precious-friend")
        self.assertEqual(friend.when, "May 2025")
        neutrality = Claim.objects.get(slug="serbia-follows-military-neutrality")
        self.assertIsNone(neutrality.occurred_on)
        self.assertEqual(neutrality.date_precision, "")

    def test_the_state_actors_get_their_aliases(self):
        self.assertIn("Србија", Actor.objects.get(slug="serbia").alias_list)
        self.assertIn("中国", Actor.objects.get(slug="china").alias_list)

    def test_every_other_article_is_marked_illustrative_with_an_example_source(self):
        for article in Article.objects.exclude(slug="peace-guardian-2025").select_related("source"):
            with self.subTest(article=article.slug):
                self.assertEqual(article.body.splitlines()[0], demo_data.ILLUSTRATIVE)
                self.assertIn(article.source.domain, {"example.org", "example.com"})
                self.assertTrue(article.url.startswith(f"https://{article.source.domain}/"))

    def test_the_demo_covers_several_verifications_stances_and_precisions(self):
        published = Claim.objects.published()
        self.assertTrue(
            {"reported", "corroborated", "disputed", "refuted"}
            <= set(published.values_list("verification", flat=True))
        )
        self.assertTrue(
            {"day", "month", "year", ""} <= set(published.values_list("date_precision", flat=True))
        )
        self.assertTrue(
            {"asserts", "reports", "disputes", "denies"}
            <= set(Evidence.objects.values_list("stance", flat=True))
        )

    def test_the_zanzibarite_draft_article_and_claim_stay_drafts(self):
        article = Article.objects.get(title__contains="Zanzibarite")
        claim = Claim.objects.get(statement__contains="Zanzibarite")
        self.assertEqual(article.status, Status.DRAFT)
        self.assertEqual(claim.status, Status.DRAFT)
        self.assertEqual(
            set(claim.evidence.values_list("article__status", flat=True)), {Status.DRAFT}
        )
        actor = Actor.objects.get(name__contains="Zanzibarite")
        self.assertFalse(actor.claims.published().exists())
        self.assertFalse(Article.objects.published().filter(body__contains="Zanzibarite").exists())
        self.assertFalse(
            Claim.objects.published().filter(statement__contains="Zanzibarite").exists()
        )
