"""The settings module read from a clean environment, in a fresh interpreter each time."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parent.parent

# Printed by the child so a test can check what the settings came to.
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
)


def run_settings(code="import django; django.setup()", **env):
    """Run `code` in a new Python with only the essentials and `env` in its environment."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "newsclaims.settings",
        # Both test runs (SQLite and PostgreSQL) pass their database through; setup()
        # does not connect, so any parseable URL would do.
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


class SettingsTests(SimpleTestCase):
    def test_production_without_secret_key_refuses_to_start(self):
        result = run_settings(DEBUG="false")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_debug_defaults_to_false_so_a_bare_environment_refuses_to_start(self):
        result = run_settings()
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_empty_secret_key_counts_as_missing(self):
        result = run_settings(DEBUG="false", SECRET_KEY="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_production_with_secret_key_starts(self):
        result = run_settings(
            SHOW, DEBUG="false", SECRET_KEY="a-test-key-for-settings", ALLOWED_HOSTS="example.org"
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False ['example.org'] True True")

    def test_debug_must_be_true_or_false(self):
        result = run_settings(DEBUG="maybe", SECRET_KEY="a-test-key-for-settings")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("DEBUG", result.stderr)
        self.assertIn("maybe", result.stderr)

    def test_debug_true_runs_without_secret_key_on_local_hosts(self):
        result = run_settings(SHOW, DEBUG="true")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(), "True ['localhost', '127.0.0.1', '[::1]'] False False"
        )

    def test_secret_key_file_is_read(self):
        with tempfile.TemporaryDirectory() as directory:
            key_file = Path(directory) / "secret_key"
            key_file.write_text("key-from-a-file\n")
            result = run_settings(
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.SECRET_KEY == 'key-from-a-file')",
                DEBUG="false",
                SECRET_KEY_FILE=str(key_file),
                ALLOWED_HOSTS="example.org",
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "True")

    def test_secret_key_file_wins_over_secret_key(self):
        with tempfile.TemporaryDirectory() as directory:
            key_file = Path(directory) / "secret_key"
            key_file.write_text("key-from-a-file")
            result = run_settings(
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.SECRET_KEY == 'key-from-a-file')",
                DEBUG="false",
                SECRET_KEY="key-from-the-environment",
                SECRET_KEY_FILE=str(key_file),
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "True")

    def test_unreadable_secret_key_file_refuses_to_start(self):
        with tempfile.TemporaryDirectory() as directory:
            missing = Path(directory) / "no-such-file"
            result = run_settings(DEBUG="false", SECRET_KEY_FILE=str(missing))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY_FILE", result.stderr)
        self.assertIn("cannot be read", result.stderr)

    def test_empty_secret_key_file_counts_as_missing(self):
        with tempfile.TemporaryDirectory() as directory:
            key_file = Path(directory) / "secret_key"
            key_file.write_text("\n")
            result = run_settings(DEBUG="false", SECRET_KEY_FILE=str(key_file))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)


class PageCacheSettingTests(SimpleTestCase):
    SHOW_CACHE = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )

    def test_pages_are_cached_in_memory_by_default(self):
        result = run_settings(self.SHOW_CACHE, DEBUG="true")
        self.assertEqual(result.stdout.strip(), "LocMemCache", result.stderr)

    def test_the_page_cache_can_be_turned_off(self):
        result = run_settings(self.SHOW_CACHE, DEBUG="true", PAGE_CACHE="false")
        self.assertEqual(result.stdout.strip(), "DummyCache", result.stderr)


class BoundedWorkSettingTests(SimpleTestCase):
    SHOW_LIMITS = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STATEMENT_TIMEOUT, s.EXPORT_STATEMENT_TIMEOUT, s.EXPORTS_PER_WORKER)"
    )

    def test_public_requests_get_five_seconds_and_downloads_five_minutes_by_default(self):
        result = run_settings(self.SHOW_LIMITS, DEBUG="true")
        self.assertEqual(result.stdout.strip(), "5000 300000 1", result.stderr)

    def test_timeouts_are_read_in_postgresqls_units(self):
        result = run_settings(
            self.SHOW_LIMITS,
            DEBUG="true",
            STATEMENT_TIMEOUT="750ms",
            EXPORT_STATEMENT_TIMEOUT="2min",
            EXPORTS_PER_WORKER="3",
        )
        self.assertEqual(result.stdout.strip(), "750 120000 3", result.stderr)
        result = run_settings(self.SHOW_LIMITS, DEBUG="true", STATEMENT_TIMEOUT="0")
        self.assertEqual(result.stdout.strip(), "None 300000 1", result.stderr)

    def test_a_timeout_that_is_not_a_duration_refuses_to_start(self):
        for name in ("STATEMENT_TIMEOUT", "EXPORT_STATEMENT_TIMEOUT"):
            for value in ("5", "5 seconds", "-1s", "1.5s", "", "0s"):
                with self.subTest(name=name, value=value):
                    result = run_settings(DEBUG="true", **{name: value})
                    self.assertNotEqual(result.returncode, 0)
                    self.assertIn("ImproperlyConfigured", result.stderr)
                    self.assertIn(name, result.stderr)

    def test_a_worker_streams_at_least_one_download(self):
        for value in ("0", "two", "-1", ""):
            with self.subTest(value):
                result = run_settings(DEBUG="true", EXPORTS_PER_WORKER=value)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("EXPORTS_PER_WORKER", result.stderr)
