"""
Backups (PostgreSQL only): backup_database writes a pg_dump of the database,
restore_database restores it into a new database, and every row comes back.
"""

import io
import os
import shutil
import stat
import subprocess
import tempfile
import unittest
import uuid
from pathlib import Path

import psycopg
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from articles.models import Claim, Correction

from .factories import make_actor, make_article, make_claim, make_event, make_source, state
from .test_admin import make_editor, make_publisher

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRESQL = connection.vendor == "postgresql"


def libpq_arguments(settings_dict, dbname):
    """psycopg.connect() arguments for `dbname` on the server of `settings_dict`."""
    arguments = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": dbname,
    }
    return {key: value for key, value in arguments.items() if value is not None}


def tables_and_contents(cursor, tables):
    """{table: (row count, md5 of all its rows in a stable order)}."""
    result = {}
    for table in tables:
        cursor.execute(
            f'SELECT count(*), md5(coalesce(string_agg(t::text, %s ORDER BY t::text), %s)) FROM "{table}" t',  # noqa: E501, S608 - names from introspection
            ["\n", ""],
        )
        result[table] = tuple(cursor.fetchone())
    return result


@unittest.skipUnless(POSTGRESQL, "backups use pg_dump and pg_restore: PostgreSQL only")
class BackupAndRestoreTests(TransactionTestCase):
    # pg_dump runs in a process of its own and sees only committed rows. A TestCase keeps
    # every test inside a transaction that is rolled back, so the dump would see none of
    # the rows made here: this one needs a TransactionTestCase, whose rows are committed
    # (and removed afterwards by flushing the tables).
    #
    # The flush would also remove what the migrations put in (countries, their state
    # actors, the Editors and Publishers groups) which other tests rely on: serialized
    # rollback reloads it before this test, and _fixture_teardown reloads it again after
    # the flush, so the tests that run after this one find the database as it was.
    serialized_rollback = True

    def _fixture_teardown(self):
        super()._fixture_teardown()
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)

    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="newsclaims-backup-"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        self.target = f"newsclaims_restored_{uuid.uuid4().hex[:12]}"
        self.addCleanup(self.drop_target)
        self.make_data()

    def make_data(self):
        source = make_source(name="Радио Слободна Европа", slug="rse")
        event = make_event(slug="peace-guardian")
        actor = make_actor(name="Vojska Srbije", slug="vojska-srbije", country=state("RS").country)
        article = make_article(source=source, title="Заједничка вежба", summary="“Quoted” text")
        claims = [
            make_claim([state("RS"), state("CN"), actor], article=article, event=event),
            make_claim([(state("CN"), "supplier"), (state("RS"), "buyer")], kind="arms"),
            make_claim(status="draft", statement="A draft is backed up too."),
        ]
        publisher = make_publisher()
        make_editor()
        Correction.objects.create(claim=claims[0], note="The date was wrong.", created_by=publisher)
        User.objects.create_superuser("root", password="not-used")
        AccessAttempt.objects.create(
            username="someone",
            ip_address="192.0.2.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/admin/login/",
            failures_since_start=2,
        )
        claims[1].statement = "A changed statement, so there is history."
        claims[1].save()

    def drop_target(self):
        arguments = libpq_arguments(connection.settings_dict, connection.settings_dict["NAME"])
        with psycopg.connect(**arguments, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.target}" WITH (FORCE)')

    def test_a_backup_restores_every_row_into_a_new_database(self):
        backup = self.directory / "newsclaims.dump"
        call_command("backup_database", str(backup), stdout=io.StringIO())
        self.assertGreater(backup.stat().st_size, 0)
        call_command("restore_database", str(backup), self.target, stdout=io.StringIO())

        tables = sorted(
            name
            for name in connection.introspection.table_names()
            if name.startswith(("articles_", "auth_"))
        )
        self.assertIn("articles_claim", tables)
        self.assertIn("articles_historicalclaim", tables)
        self.assertIn("auth_user", tables)
        with connection.cursor() as cursor:
            original = tables_and_contents(cursor, tables)
            cursor.execute("SELECT id FROM articles_claim")
            original_claims = {row[0] for row in cursor.fetchall()}
        self.assertEqual(original_claims, set(Claim.objects.values_list("pk", flat=True)))
        self.assertEqual(len(original_claims), 3)
        self.assertGreater(original["articles_country"][0], 200)

        arguments = libpq_arguments(connection.settings_dict, self.target)
        with psycopg.connect(**arguments) as restored, restored.cursor() as cursor:
            copy = tables_and_contents(cursor, tables)
            cursor.execute("SELECT id FROM articles_claim")
            restored_claims = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT statement FROM articles_claim ORDER BY id")
            statements = [row[0] for row in cursor.fetchall()]

        counts = {table: rows for table, (rows, _) in original.items()}
        self.assertEqual({table: rows for table, (rows, _) in copy.items()}, counts)
        self.assertEqual(copy, original, "same row counts, different contents")
        self.assertEqual(restored_claims, original_claims)
        self.assertIn("A changed statement, so there is history.", statements)


@unittest.skipUnless(POSTGRESQL, "backups use pg_dump and pg_restore: PostgreSQL only")
class BackupCommandFailureTests(TestCase):
    """Refusals need no committed rows: a TestCase will do."""

    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="newsclaims-backup-"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)

    def test_restoring_never_overwrites_an_existing_database(self):
        backup = self.directory / "newsclaims.dump"
        call_command("backup_database", str(backup), stdout=io.StringIO())
        before = Claim.objects.count()
        with self.assertRaises(CommandError) as refused:
            call_command("restore_database", str(backup), connection.settings_dict["NAME"])
        self.assertIn("createdb failed", str(refused.exception))
        self.assertEqual(Claim.objects.count(), before)

    def test_a_backup_is_readable_by_its_owner_alone(self):
        # It holds password hashes and sessions. Whatever the umask, and whatever mode a
        # file of that name had.
        old_umask = os.umask(0o022)
        self.addCleanup(os.umask, old_umask)
        backup = self.directory / "newsclaims.dump"
        call_command("backup_database", str(backup), stdout=io.StringIO())
        self.assertEqual(stat.S_IMODE(backup.stat().st_mode), 0o600)
        backup.chmod(0o644)
        call_command("backup_database", str(backup), stdout=io.StringIO())
        self.assertEqual(stat.S_IMODE(backup.stat().st_mode), 0o600)

    def test_a_backup_to_an_unwritable_place_fails_loudly(self):
        with self.assertRaises(CommandError) as failed:
            call_command("backup_database", str(self.directory / "no" / "such" / "dir.dump"))
        self.assertIn("pg_dump failed", str(failed.exception))


@unittest.skipIf(POSTGRESQL, "on PostgreSQL the backup commands work: see BackupAndRestoreTests")
class SQLiteBackupTests(SimpleTestCase):
    def test_the_backup_commands_say_they_need_postgresql(self):
        with self.assertRaisesMessage(CommandError, "Backups are for PostgreSQL"):
            call_command("backup_database", "/tmp/never-written.dump")  # noqa: S108
        with self.assertRaisesMessage(CommandError, "Restoring needs PostgreSQL"):
            call_command("restore_database", "/tmp/never-read.dump", "newsclaims_copy")  # noqa: S108


@unittest.skipUnless(shutil.which("make"), "make is not installed")
class MakeTargetUsageTests(SimpleTestCase):
    def make(self, *arguments):
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")
        }
        # --old-file: use .venv as it is, never reinstall the requirements from a test.
        return subprocess.run(
            ["make", "--no-print-directory", "--old-file=.venv/.installed-run", *arguments],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def test_make_backup_without_database_url_is_a_usage_error(self):
        result = self.make("backup")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("set DATABASE_URL", result.stderr)
        self.assertNotIn("backup_database", result.stdout)

    def test_make_restore_without_its_arguments_is_a_usage_error(self):
        result = self.make("restore")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("usage:", result.stderr)
        self.assertIn("FILE=", result.stderr)
        self.assertIn("TARGET=", result.stderr)
