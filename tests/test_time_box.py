"""
Facets and the country pages' counts are time-boxed on PostgreSQL: a slow one is left
out, and the page says so, instead of holding up the page.
"""

import contextlib
import time
from unittest import mock, skipUnless

from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from articles import facets, views
from articles.pg import StatementTimeout, statement_timeout
from tests.factories import make_claim, state

POSTGRESQL = connection.vendor == "postgresql"


def sleep(seconds=0.2):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [seconds])
    return ["never shown"]


def statement_timeout_setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@skipUnless(POSTGRESQL, "PostgreSQL cancels statements; SQLite cannot")
class StatementTimeoutTests(TestCase):
    def test_a_statement_past_the_limit_is_cancelled(self):
        with self.assertRaises(StatementTimeout), statement_timeout("20ms"):
            sleep(5)
        # The test's own transaction survived, and the limit did not outlive the block.
        self.assertEqual(statement_timeout_setting(), "0")

    def test_a_slow_computation_is_left_out_and_the_others_still_run(self):
        with mock.patch.object(facets, "TIMEOUT", "20ms"):
            results = facets.time_boxed(
                {"before": lambda: [1], "slow": lambda: sleep(5), "after": lambda: [2]}
            )
        self.assertEqual(results, {"before": [1], "slow": None, "after": [2]})


class CancelledAtTheEndTests(TestCase):
    def test_a_timeout_after_the_last_facet_keeps_every_result(self):
        # Bug: the time limit cancelled the statement that ends the time box (releasing
        # its savepoint, or the commit outside a transaction) after the last facet had
        # been counted, and time_boxed() popped from an empty list: 500.
        @contextlib.contextmanager
        def cancelled_on_the_way_out(limit):
            yield
            raise StatementTimeout

        with mock.patch.object(facets, "statement_timeout", cancelled_on_the_way_out):
            results = facets.time_boxed({"first": lambda: [1], "last": lambda: [2]})
        self.assertEqual(results, {"first": [1], "last": [2]})


class BudgetTests(TestCase):
    def test_once_the_budget_is_spent_the_rest_are_left_out_unrun(self):
        ran = []

        def slow():
            time.sleep(0.05)
            ran.append("slow")
            return [1]

        def never():
            ran.append("never")
            return [2]

        with mock.patch.object(facets, "BUDGET", 0.01):
            results = facets.time_boxed({"slow": slow, "never": never})
        self.assertEqual(results, {"slow": [1], "never": None})
        self.assertEqual(ran, ["slow"])


@skipUnless(POSTGRESQL, "PostgreSQL cancels statements; SQLite cannot")
class OutsideATransactionTests(TransactionTestCase):
    """How requests run in production: in autocommit, with no test transaction around."""

    serialized_rollback = True  # keep the countries loaded by the data migration

    def test_the_limit_applies_inside_the_block_only(self):
        # Afterwards the session's own limit again: the server's, or a request's
        # (STATEMENT_TIMEOUT, which earlier requests on this connection may have set).
        before = statement_timeout_setting()
        with self.assertRaises(StatementTimeout), statement_timeout("20ms"):
            sleep(5)
        with statement_timeout("1s"):
            sleep(0.01)
        self.assertEqual(statement_timeout_setting(), before)
        sleep(0.05)  # no 20 ms limit afterwards


class LeftOutFacetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_claim([state("RS"), state("CN")], statement="Serbia met China.")

    @skipUnless(POSTGRESQL, "PostgreSQL cancels statements; SQLite cannot")
    def test_a_slow_facet_is_left_out_and_says_so(self):
        with (
            mock.patch.object(facets, "TIMEOUT", "20ms"),
            mock.patch.object(facets, "choice_facet", lambda *args: sleep(5)),
        ):
            response = self.client.get(reverse("claim_list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Serbia met China.")
        self.assertIsNone(response.context["facets"]["kinds"])
        self.assertTrue(response.context["facets"]["left_out"])
        self.assertContains(response, "Not counted: too many claims to count in time.", 2)
        self.assertContains(response, "China")  # the countries facet was counted

    @skipUnless(POSTGRESQL, "PostgreSQL cancels statements; SQLite cannot")
    def test_a_slow_chart_is_left_out_of_the_country_page(self):
        with (
            mock.patch.object(facets, "TIMEOUT", "20ms"),
            mock.patch.object(views, "monthly_chart", lambda claims: sleep(5)),
        ):
            response = self.client.get(reverse("country_detail", args=["rs"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["chart"], None)
        self.assertContains(response, "Not counted: too many claims to count in time.", 1)
        self.assertContains(response, "Serbia and China")  # partners were counted

    def test_facets_counted_in_time_are_all_shown(self):
        response = self.client.get(reverse("claim_list"))
        self.assertFalse(response.context["facets"]["left_out"])
        self.assertNotContains(response, "Not counted")
