import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import TestCase

from articles import derived, engine, export


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Each test's database starts from the same change log number, so pages cached by
    # an earlier test would otherwise look current.
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_read_index(request, django_db_blocker):
    # Each test's database is rolled back, and on SQLite the change log's numbers with
    # it: an index built by an earlier test could look current. A TestCase's is built
    # now, from what setUpTestData made, as a server's is before its first request: the
    # queries a test counts are its pages', not the index's first build.
    engine.reset()
    if isinstance(request.instance, TestCase):
        with django_db_blocker.unblock():
            engine.current(derived.change_seq())


@pytest.fixture(autouse=True)
def free_download_slots(monkeypatch):
    # The test client never closes a streamed download that a test does not read, so its
    # slot only comes back when the garbage collector gets to it: each test starts with
    # all the worker's slots free.
    monkeypatch.setattr(export, "SLOTS", threading.BoundedSemaphore(settings.EXPORTS_PER_WORKER))
