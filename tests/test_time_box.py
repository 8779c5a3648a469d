"""
Time boxes on PostgreSQL: a statement past its limit is cancelled and says so
(StatementTimeout), and the limit never outlives its block.
"""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase, TransactionTestCase

from articles.pg import StatementTimeout, statement_timeout

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
        # What the connection had: "0", or a request's limit if an earlier test's request
        # ran on it (the test that ran before this one decides).
        before = statement_timeout_setting()
        with self.assertRaises(StatementTimeout), statement_timeout("20ms"):
            sleep(5)
        # The test's own transaction survived, and the limit did not outlive the block.
        self.assertEqual(statement_timeout_setting(), before)


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
