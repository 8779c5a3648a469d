"""
Bounded work. On PostgreSQL every statement of a public request runs under
STATEMENT_TIMEOUT, a download's under the longer EXPORT_STATEMENT_TIMEOUT, the admin's
under the server's own setting, whatever request used the connection before; a
statement past its limit answers 503. Each worker streams at most EXPORTS_PER_WORKER
downloads at once; one more answers 503 with Retry-After. A HEAD of a download does none
of its work.

This module is also a URLconf (for the statement timeout tests): the project's URLs plus
a page and an API address whose query runs for a second.
"""

import json
import threading
from unittest import mock, skipUnless

import psycopg
from django.core.signals import request_finished
from django.db import OperationalError, close_old_connections, connection
from django.http import HttpResponse, JsonResponse
from django.test import Client, SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.urls import path, reverse

from articles import export
from articles.middleware import TOO_SLOW, UNREACHABLE
from articles.pg import use_statement_timeout
from newsclaims import urls as site_urls

from .factories import make_claim, state

POSTGRESQL = connection.vendor == "postgresql"


def sleep_a_second():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")


def slow_page(request):
    sleep_a_second()
    return HttpResponse("done")


def slow_api(request):
    sleep_a_second()
    return JsonResponse({"done": True})


urlpatterns = [
    path("slow/", slow_page),
    path("api/slow/", slow_api),
    *site_urls.urlpatterns,
]


def session_statement_timeout(column="setting"):
    """The connection's statement_timeout in milliseconds (0: none); reset_val: the server's."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM pg_settings WHERE name = 'statement_timeout'"  # noqa: S608
        )
        return int(cursor.fetchone()[0])


@skipUnless(POSTGRESQL, "statement timeouts are PostgreSQL's")
@override_settings(STATEMENT_TIMEOUT=1500, EXPORT_STATEMENT_TIMEOUT=120_000)
class StatementTimeoutTests(SimpleTestCase):
    """
    As in production: no test transaction (a SimpleTestCase allowed the database, whose
    requests only read), one persistent connection in autocommit, requests one after
    another on it.
    """

    databases = {"default"}

    def setUp(self):
        self.assertFalse(connection.in_atomic_block)
        self.server_default = session_statement_timeout("reset_val")
        self.client = Client(raise_request_exception=False)

        def restore():
            # Later tests run outside any request: the server's own limit again.
            use_statement_timeout(None)
            self.assertEqual(session_statement_timeout(), self.server_default)

        self.addCleanup(restore)

    def test_a_public_request_runs_under_the_public_limit(self):
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
        self.assertEqual(session_statement_timeout(), 1500)

    def test_an_admin_request_does_not_inherit_the_limit_of_a_public_one(self):
        self.client.get(reverse("healthz"))
        self.assertEqual(self.client.get(reverse("admin:login")).status_code, 200)
        self.assertEqual(session_statement_timeout(), self.server_default)
        self.client.get(reverse("healthz"))
        self.assertEqual(session_statement_timeout(), 1500)

    def test_a_new_connection_gets_the_limit_of_the_request_that_opens_it(self):
        self.client.get(reverse("healthz"))
        connection.close()
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
        self.assertEqual(session_statement_timeout(), 1500)

    def test_the_limit_is_sent_once_for_requests_in_a_row(self):
        def statements_sent(*requests):
            execute = psycopg.Cursor.execute
            with mock.patch.object(
                psycopg.Cursor, "execute", autospec=True, side_effect=execute
            ) as spy:
                for url in requests:
                    self.client.get(url)
            return [str(call.args[1]) for call in spy.call_args_list]

        sent = statements_sent(reverse("healthz"))
        self.assertIn("SET statement_timeout = 1500", sent)
        sent = statements_sent(reverse("healthz"), reverse("robots_txt"), reverse("healthz"))
        # The spy sees what is sent: healthz's query for the change log number, twice.
        self.assertEqual(len([sql for sql in sent if "articles_change" in sql]), 2)
        self.assertEqual([sql for sql in sent if "statement_timeout" in sql], [])

    @override_settings(ROOT_URLCONF=__name__, STATEMENT_TIMEOUT=100)
    def test_a_statement_past_the_limit_answers_503(self):
        with self.assertLogs("django.request", "ERROR") as logs:
            page = self.client.get("/slow/")
            api = self.client.get("/api/slow/")
        self.assertEqual(page.status_code, 503)
        self.assertEqual(page["Retry-After"], "60")
        self.assertContains(page, "longer than the site allows", status_code=503)
        self.assertEqual(api.status_code, 503)
        self.assertEqual(api.json(), {"error": TOO_SLOW})
        self.assertIn("Statement timeout: /slow/", logs.output[0])
        # The connection goes on serving.
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)

    @override_settings(ROOT_URLCONF=__name__, STATEMENT_TIMEOUT=None)
    def test_without_a_limit_the_servers_setting_applies(self):
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
        self.assertEqual(session_statement_timeout(), self.server_default)


@skipUnless(POSTGRESQL, "statement timeouts are PostgreSQL's")
@override_settings(STATEMENT_TIMEOUT=1500, EXPORT_STATEMENT_TIMEOUT=120_000)
class DownloadStatementTimeoutTests(TransactionTestCase):
    """A download reads tables: the test database, in autocommit as in production."""

    serialized_rollback = True  # keep the countries loaded by the data migration

    def _fixture_teardown(self):
        # Leave the database as it was found (see tests/test_backup.py).
        super()._fixture_teardown()
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)

    def setUp(self):
        self.addCleanup(use_statement_timeout, None)

    def test_a_download_runs_under_the_longer_limit_and_the_next_page_does_not(self):
        make_claim([state("RS"), state("CN")])
        response = self.client.get(reverse("claim_export", args=["json"]))
        self.assertEqual(len(json.loads(b"".join(response.streaming_content))), 1)
        self.assertEqual(session_statement_timeout(), 120_000)
        self.client.get(reverse("healthz"))
        self.assertEqual(session_statement_timeout(), 1500)


class DownloadCapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_claim([state("RS"), state("CN")])

    def setUp(self):
        self.client = Client(raise_request_exception=False)
        slots = mock.patch.object(export, "SLOTS", threading.BoundedSemaphore(1))
        slots.start()
        self.addCleanup(slots.stop)

    def download(self, fmt="csv", **params):
        return self.client.get(reverse("claim_export", args=[fmt]), params)

    def test_a_download_past_the_cap_answers_503_with_retry_after(self):
        running = self.download()
        self.assertEqual(running.status_code, 200)
        for fmt, content_type in [("csv", "text/csv; charset=utf-8"), ("json", "application/json")]:
            with self.subTest(fmt):
                refused = self.download(fmt)
                self.assertEqual(refused.status_code, 503)
                self.assertEqual(refused["Content-Type"], content_type)
                self.assertEqual(refused["Retry-After"], "60")
                self.assertIn(b"Too many downloads", refused.content)
        # Read to the end (the client closes the response): the slot is free again.
        b"".join(running.streaming_content)
        self.assertEqual(self.download("json").status_code, 200)

    def test_a_download_that_breaks_off_gives_its_slot_back(self):
        def failing_records(*args):
            yield from ()
            raise OperationalError("server closed the connection unexpectedly")

        with mock.patch.object(export, "records", failing_records):
            response = self.download("json")
            self.assertEqual(response.status_code, 200)
            with self.assertRaises(OperationalError):
                b"".join(response.streaming_content)
        self.assertEqual(b"".join(self.download("json").streaming_content)[:1], b"[")

    def test_with_the_database_down_a_download_answers_503_before_it_starts(self):
        down = mock.patch.object(
            connection,
            "ensure_connection",
            side_effect=OperationalError("connection refused"),
        )
        for fmt, content_type in [("csv", "text/csv; charset=utf-8"), ("json", "application/json")]:
            with self.subTest(fmt), down:
                response = self.download(fmt)
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Content-Type"], content_type)
            self.assertEqual(response["Retry-After"], "60")
            self.assertIn(UNREACHABLE.encode(), response.content)
        self.assertEqual(self.download().status_code, 200)

    def test_a_download_closed_before_it_is_read_gives_its_slot_back_at_once(self):
        # What the server does when the client goes away before the first byte. (A bug:
        # the slot came back only when the garbage collector found the response.)
        for fmt in ("csv", "json"):
            with self.subTest(fmt):
                left = self.download(fmt)
                self.assertEqual(left.status_code, 200)
                # The server closes the response. (Not the database connection: the
                # test's transaction is on it, as the test client knows.)
                request_finished.disconnect(close_old_connections)
                try:
                    left.close()
                finally:
                    request_finished.connect(close_old_connections)
                again = self.download(fmt)
                self.assertEqual(again.status_code, 200, "the slot is free")
                self.assertIsNotNone(left)  # kept alive: only close() gave the slot back
                b"".join(again.streaming_content)

    def test_pages_and_the_api_are_not_capped(self):
        running = self.download()
        self.assertEqual(self.client.get(reverse("api_claims")).status_code, 200)
        self.assertEqual(self.client.get(reverse("claim_list")).status_code, 200)
        b"".join(running.streaming_content)

    def test_a_head_request_does_none_of_the_work(self):
        for fmt, content_type in [("csv", "text/csv; charset=utf-8"), ("json", "application/json")]:
            with self.subTest(fmt), self.assertNumQueries(0):
                response = self.client.head(reverse("claim_export", args=[fmt]))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], content_type)
            self.assertIn("attachment", response["Content-Disposition"])
        # Nor does it take a slot.
        self.assertEqual(self.download().status_code, 200)


class DownloadSlotTests(SimpleTestCase):
    def setUp(self):
        slots = mock.patch.object(export, "SLOTS", threading.BoundedSemaphore(2))
        slots.start()
        self.addCleanup(slots.stop)

    def free_slots(self):
        taken = 0
        while export.SLOTS.acquire(blocking=False):
            taken += 1
        for _ in range(taken):
            export.SLOTS.release()
        return taken

    def test_threads_share_the_workers_slots(self):
        barrier = threading.Barrier(6)
        taken, busy = [], []

        def download():
            barrier.wait()
            try:
                taken.append(export.in_slot(iter(["first row", "second row"])))
            except export.Busy:
                busy.append(True)

        threads = [threading.Thread(target=download) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual((len(taken), len(busy)), (2, 4))
        self.assertEqual(self.free_slots(), 0)
        for rows in taken:
            self.assertEqual(list(rows), ["first row", "second row"])
        self.assertEqual(self.free_slots(), 2)

    def test_rows_closed_part_way_give_their_slot_back(self):
        # What the server does when the client goes away in the middle of a download.
        rows = export.in_slot(iter(["first row", "second row"]))
        self.assertEqual(next(rows), "first row")
        self.assertEqual(self.free_slots(), 1)
        rows.close()
        self.assertEqual(self.free_slots(), 2)

    def test_rows_dropped_without_being_read_give_their_slot_back(self):
        rows = export.in_slot(iter(["never read"]))
        self.assertEqual(self.free_slots(), 1)
        del rows
        self.assertEqual(self.free_slots(), 2)

    def test_a_slot_is_given_back_once(self):
        rows = export.in_slot(iter(["row"]))
        self.assertEqual(list(rows), ["row"])
        rows.close()
        del rows
        self.assertEqual(self.free_slots(), 2)  # a BoundedSemaphore would raise on a third
