import threading

import pytest
from django.conf import settings
from django.core.cache import cache

from articles import export


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Each test's database starts from the same content version, so pages cached by an
    # earlier test would otherwise look current.
    cache.clear()


@pytest.fixture(autouse=True)
def free_download_slots(monkeypatch):
    # The test client never closes a streamed download that a test does not read, so its
    # slot only comes back when the garbage collector gets to it: each test starts with
    # all the worker's slots free.
    monkeypatch.setattr(export, "SLOTS", threading.BoundedSemaphore(settings.EXPORTS_PER_WORKER))
