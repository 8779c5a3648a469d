import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Each test's database starts from the same content version, so pages cached by an
    # earlier test would otherwise look current.
    cache.clear()
