"""
Derived data has one owner, articles/derived.py: writers say what they touched, and one
refresh at the end of the transaction brings country links, search documents, facets,
counts and the change log up to date, with a number of statements that does not grow
with the number of claims.
"""

import ast
import re
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import derived
from articles.models import (
    Article,
    Change,
    Claim,
    ClaimActor,
    Correction,
    Country,
    Evidence,
    Involvement,
    Status,
)

from .factories import (
    BODY,
    country,
    make_actor,
    make_article,
    make_claim,
    make_event,
    make_source,
    state,
)
from .test_admin import admin_url, make_publisher, management_form

ROOT = Path(__file__).resolve().parent.parent


def new_entries(since):
    return list(
        Change.objects.filter(seq__gt=since).order_by("seq").values_list("claims", flat=True)
    )


def writes_to(queries, table):
    """The statements among `queries` that write to `table`."""
    pattern = re.compile(rf'^(UPDATE|INSERT INTO|DELETE FROM) "?{table}"?\b')
    return [query["sql"] for query in queries if pattern.match(query["sql"])]


class AdminSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        cls.article = make_article(title="Published report")

    def setUp(self):
        self.client.force_login(self.publisher)

    def claim_form(self, **fields):
        data = {
            "statement": "Serbia and China held a joint drill.",
            "language": "en",
            "slug": "serbia-china-drill",
            "kind": "military",
            "verification": "reported",
            "occurred_on": "2025-05-08",
            "date_precision": "day",
            "place": "",
            "country": "",
            "event": "",
            "status": "published",
            **management_form("roles", 2),
            **management_form("evidence", 1),
            **management_form("links_from", 0),
            **management_form("corrections", 0),
            "evidence-0-article": self.article.pk,
            "evidence-0-stance": "reports",
            "evidence-0-quote": BODY.splitlines()[0],
            "_save": "Save",
        }
        for index, actor in enumerate([state("RS"), state("CN")]):
            data[f"roles-{index}-actor"] = actor.pk
            data[f"roles-{index}-role"] = "participant"
        data.update(fields)
        return data

    def test_saving_a_claim_with_two_actors_and_a_quote_refreshes_once_in_25_queries(self):
        before = derived.change_seq()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(admin_url("claim", "add"), self.claim_form())
        self.assertRedirects(response, admin_url("claim"))
        claim = Claim.objects.get()
        # Session, user, permissions, the actors and the article the form names, the
        # claim, two roles and the quote with a history record each, the admin log,
        # the admin's savepoint; then the refresh: its inputs, the claim's derived
        # columns, its country links, the counts of countries and actors, the log.
        self.assertLessEqual(len(queries), 25, "\n".join(q["sql"] for q in queries))
        self.assertEqual(new_entries(before), [[claim.pk]])
        self.assertEqual(country("RS").claim_count, 1)
        self.assertEqual(derived.check(), [])

    def test_editing_a_statement_moves_no_count(self):
        claim = make_claim(
            [state("RS"), state("CN")], article=self.article, statement="Serbia met China."
        )
        data = self.claim_form(statement="Serbia and China met again.", slug=claim.slug)
        # The inlines as the change form shows them: the rows the claim has.
        data.update(management_form("roles", 2, initial=2) | management_form("evidence", 1, 1))
        for index, role in enumerate(claim.roles.order_by("role", "actor__name")):
            data.update({f"roles-{index}-id": role.pk, f"roles-{index}-claim": claim.pk})
            data[f"roles-{index}-actor"] = role.actor_id
        evidence = claim.evidence.get()
        data.update({"evidence-0-id": evidence.pk, "evidence-0-claim": claim.pk})
        before = derived.change_seq()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(admin_url("claim", "change", claim.pk), data)
        self.assertRedirects(response, admin_url("claim"))
        for table in ("articles_country", "articles_actor", "articles_event"):
            self.assertEqual(writes_to(queries, table), [], table)
        self.assertEqual(new_entries(before), [[claim.pk]])
        claim.refresh_from_db()
        self.assertIn("again", claim.search_document)
        self.assertEqual(derived.check(), [])


class PublishActionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        article = make_article()
        cls.drafts = [
            make_claim([state("RS"), state("CN")], article=article, status=Status.DRAFT)
            for _ in range(55)
        ]

    def publish(self, claims):
        self.client.force_login(self.publisher)
        data = {"action": "publish", "_selected_action": [claim.pk for claim in claims]}
        before = derived.change_seq()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(admin_url("claim"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(new_entries(before), [sorted(claim.pk for claim in claims)])
        return len(queries)

    def test_publishing_5_or_50_claims_costs_the_same_number_of_queries(self):
        five = self.publish(self.drafts[:5])
        self.assertEqual(self.publish(self.drafts[5:]), five)
        self.assertEqual(country("RS").claim_count, 55)
        published = Claim.history.filter(history_type="~", status=Status.PUBLISHED)
        self.assertEqual(published.count(), 55)
        self.assertEqual(set(published.values_list("history_user", flat=True)), {self.publisher.pk})
        self.assertEqual(derived.check(), [])


class RefreshTests(TestCase):
    def test_refreshing_an_unchanged_claim_only_reads_it(self):
        claim = make_claim([state("RS"), state("CN")], country=country("HU"))
        with self.assertNumQueries(1):  # its inputs, locked
            self.assertEqual(derived.refresh([claim.pk]), {claim.pk})

    def test_the_statements_do_not_grow_with_the_number_of_claims(self):
        counts = []
        for size in (1, 30):
            with derived.batch():
                claims = [
                    make_claim([state("RS"), make_actor(country=country("CN"))])
                    for _ in range(size)
                ]
            # Changed behind the app's back: every one of them needs writing again.
            Claim.objects.filter(pk__in=[c.pk for c in claims]).update(kind=Claim.Kind.ARMS)
            with CaptureQueriesContext(connection) as queries:
                derived.refresh([claim.pk for claim in claims])
            counts.append(len(queries))
            self.assertEqual(derived.check(), [])
        self.assertEqual(counts[0], counts[1])

    def test_a_batch_refreshes_and_logs_once(self):
        before = derived.change_seq()
        with derived.batch():
            claims = [make_claim([state("RS")]) for _ in range(3)]
            self.assertEqual(derived.change_seq(), before)
        self.assertEqual(new_entries(before), [sorted(claim.pk for claim in claims)])

    def test_a_failed_batch_leaves_nothing_behind(self):
        before = derived.change_seq()
        with self.assertRaises(ZeroDivisionError), derived.batch():
            make_claim([state("RS")])
            1 / 0  # noqa: B018
        self.assertFalse(Claim.objects.exists())
        self.assertEqual(derived.change_seq(), before)
        self.assertEqual(country("RS").claim_count, 0)


class ChangeLogTests(TestCase):
    def setUp(self):
        self.claim = make_claim([state("RS"), state("CN")], event=make_event())
        self.draft = make_claim([state("RS")], status=Status.DRAFT)
        self.before = derived.change_seq()

    def test_editing_a_draft_is_not_a_change_readers_see(self):
        self.draft.statement = "Still a draft, reworded."
        self.draft.save()
        make_article(status=Status.DRAFT, source=self.claim.evidence.get().article.source)
        self.assertEqual(new_entries(self.before), [])

    def test_publishing_and_unpublishing_log_the_claim(self):
        for status in (Status.PUBLISHED, Status.DRAFT):
            self.draft.status = status
            self.draft.save()
        self.assertEqual(new_entries(self.before), [[self.draft.pk], [self.draft.pk]])

    def test_deleting_a_published_claim_logs_it_and_uncounts_it(self):
        Claim.objects.get(pk=self.claim.pk).delete()
        self.assertEqual(new_entries(self.before), [[self.claim.pk]])
        self.assertEqual((country("CN").claim_count, state("CN").claim_count), (0, 0))
        self.assertEqual(derived.check(), [])

    def test_renaming_an_actor_logs_its_published_claims_and_their_documents_follow(self):
        actor = state("CN")
        actor.aliases = "Zhongguo"
        actor.save()
        self.assertEqual(new_entries(self.before), [[self.claim.pk]])
        self.claim.refresh_from_db()
        self.assertIn("zhongguo", self.claim.search_document)

    def test_renaming_an_event_logs_its_claims(self):
        event = self.claim.event
        event.name = "Peace Guardian 2025"
        event.save()
        self.assertEqual(new_entries(self.before), [[self.claim.pk]])
        self.claim.refresh_from_db()
        self.assertIn("peace guardian 2025", self.claim.search_document)

    def test_moving_an_article_to_another_source_logs_the_claims_it_backs(self):
        article = Article.objects.get(evidence__claim=self.claim)
        article.source = make_source()
        article.save()
        self.assertEqual(new_entries(self.before)[-1], [self.claim.pk])
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.facets["sources"], [article.source_id])

    def test_a_correction_logs_its_claim(self):
        Correction.objects.create(claim=self.claim, note="The date was wrong.")
        self.assertEqual(new_entries(self.before), [[self.claim.pk]])

    def test_giving_a_role_to_another_actor_moves_both_counts(self):
        role = ClaimActor.objects.get(claim=self.claim, actor=state("CN"))
        role.actor = state("RU")
        role.save()
        self.assertEqual((country("CN").claim_count, country("RU").claim_count), (0, 1))
        self.assertEqual(derived.check(), [])

    def test_healthz_reports_the_latest_change(self):
        response = self.client.get(reverse("healthz"))
        self.assertEqual(response.json()["change_seq"], self.before)
        self.client.get(reverse("claim_list"))  # the read index catches up
        self.assertEqual(self.client.get(reverse("healthz")).json()["index_lag"], 0)


class CheckCommandTests(TestCase):
    def check_output(self):
        out = StringIO()
        try:
            call_command("refresh_claims", "--check", stdout=out, stderr=StringIO())
        except CommandError as error:
            return out.getvalue(), str(error)
        return out.getvalue(), None

    def test_the_demo_is_consistent(self):
        call_command("load_demo", stdout=StringIO())
        out, error = self.check_output()
        self.assertIsNone(error, out)
        self.assertIn("Derived data matches the source rows.", out)

    def test_a_wrong_count_and_a_stale_document_are_listed_and_fail(self):
        claim = make_claim([state("RS")], statement="Serbia did something.")
        Country.objects.filter(code="RS").update(claim_count=99)
        Claim.objects.filter(pk=claim.pk).update(statement="Serbia did something else.")
        Involvement.objects.filter(claim=claim).delete()
        out, error = self.check_output()
        self.assertEqual(error, "3 differences in the derived data.")
        self.assertIn("country RS (id", out)
        self.assertIn("claim_count is 99, expected 1", out)
        self.assertIn(f"claim {claim.pk}: search_document is", out)
        self.assertIn(f"claim {claim.pk}: country links are {{}}", out)

    def test_refresh_claims_repairs_what_check_finds(self):
        make_claim([state("RS")])
        Country.objects.filter(code="RS").update(claim_count=99)
        Evidence.objects.update(quote="Serbian and Chinese troops")  # no signals
        call_command("refresh_claims", stdout=StringIO())
        self.assertEqual(self.check_output(), ("Derived data matches the source rows.\n", None))
        self.assertIsNone(Change.objects.latest("seq").claims)  # every claim


class OwnershipTests(SimpleTestCase):
    """No module but articles/derived.py writes derived data, and nothing imports in a circle."""

    def test_search_does_not_import_the_models(self):
        tree = ast.parse((ROOT / "articles" / "search.py").read_text())
        imported = {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        self.assertNotIn("models", imported)
        self.assertNotIn("articles.models", imported)

    def test_only_the_derived_module_writes_derived_tables_and_columns(self):
        writes = re.compile(
            r"(INSERT INTO|UPDATE|DELETE FROM|COPY|TRUNCATE) \"?articles_(involvement|change)\b"
            r"|Involvement\.objects\.(bulk_)?create"
            r"|Change\.objects\.create|\.update\([^)]*\b(claim_count|search_document|"
            r"evidence_count|independent_sources|facets)\s*="
        )
        allowed = {ROOT / "articles" / "derived.py"}
        offenders = []
        for folder in ("articles", "bench", "newsclaims"):
            for path in (ROOT / folder).rglob("*.py"):
                if path in allowed or "migrations" in path.parts:
                    continue
                for number, line in enumerate(path.read_text().splitlines(), start=1):
                    if writes.search(line):
                        offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
        self.assertEqual(offenders, [])

    def test_migrations_hold_no_derived_data_sql_of_their_own(self):
        for path in (ROOT / "articles" / "migrations").glob("0*.py"):
            with self.subTest(path.name):
                text = path.read_text()
                self.assertNotRegex(
                    text, r"UPDATE articles_(country|actor|event|claim|involvement)"
                )
