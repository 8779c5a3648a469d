"""
Every public GET parameter of every public page type, fuzzed with hypothesis: real
values, any text, long and huge values, invalid UTF-8 and repeated parameters. Whatever
arrives, the answer is never a server error.

Each page type runs MAX_EXAMPLES requests. hypothesis.extra.django.TestCase is Django's
TestCase with each example in a transaction of its own: the examples share the class's
rows (setUpTestData), and one failing query on PostgreSQL does not poison the examples
after it. Failing examples are not saved (database=None); Hypothesis still keeps caches
in .hypothesis/, which carries its own .gitignore.
"""

from urllib.parse import quote, quote_from_bytes

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.filters import SORTS
from articles.models import Actor, Claim, Event

from .factories import make_actor, make_article, make_claim, make_event, make_source, state

MAX_EXAMPLES = 60
ALLOWED = {200, 301, 302, 400, 404, 413}

FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

REAL_VALUES = {
    "q": ["Serbia", "joint drill", '"joint drill"', "serb*", "Србија", "-drill OR"],
    "country": ["rs", "cn", "RS", "Cn", "zz", "r"],
    "actor": ["serbian-armed-forces", "serbia", "china", "nobody"],
    "event": ["peace-guardian", "nothing"],
    "kind": [*Claim.Kind.values, *Event.Kind.values, *Actor.Kind.values, "nonsense"],
    "verification": [*Claim.Verification.values, "maybe"],
    "source": ["demo-wire", "nowhere"],
    "language": ["en", "sr-Latn", "zh-Hans", "EN"],
    "from": ["2025", "2025-05", "2025-05-08", "2025-13", "2025-02-30", "0000", "9999-12-31"],
    "to": ["2025", "2025-05", "2025-05-31", "1-1-1", "2024-02-29"],
    "sort": [*SORTS, "relevance"],
    "page": ["1", "2", "0", "-1", "last", "1e3", "99999999999999999999999", "2.5"],
    "page_size": ["1", "20", "100", "101", "0", "-5", "ten", "1e2"],
}

CLAIM_FILTERS = [
    "q",
    "country",
    "actor",
    "event",
    "kind",
    "verification",
    "source",
    "language",
    "from",
    "to",
    "sort",
    "page",
]
ARTICLE_FILTERS = ["source", "country", "language", "from", "to", "page"]


def values_for(name):
    """Something a reader, a crawler or an attacker might send as `name`."""
    real = st.sampled_from(REAL_VALUES.get(name, [""]))
    return st.one_of(
        real,  # thrice, so that most examples get past validation to the queries
        real,
        real,
        st.text(max_size=20),  # any Unicode, NUL and control characters included
        st.integers().map(str),
        st.text(min_size=150, max_size=400),  # long
        st.just("x" * 5000),  # huge: longer than any query string a page needs
        st.binary(max_size=12),  # bytes that are not UTF-8, percent-encoded as they are
    )


def query_strategy(names):
    """A query string over `names` (and the odd unknown name), parameters repeated at will."""
    key = st.one_of(st.sampled_from(names), st.sampled_from(names), st.text(max_size=8))
    pair = key.flatmap(lambda name: st.tuples(st.just(name), values_for(name)))
    repeated = st.builds(
        lambda name, value, times: [(name, value)] * times,
        st.sampled_from(names),
        st.sampled_from(REAL_VALUES["country"] + REAL_VALUES["page"]),
        st.integers(min_value=2, max_value=300),
    )
    pairs = st.one_of(
        st.lists(pair, max_size=6),
        st.builds(lambda a, b: a + b, st.lists(pair, max_size=3), repeated),
    )
    return pairs.map(encode)


def encode(pairs):
    parts = []
    for name, value in pairs:
        value = quote_from_bytes(value) if isinstance(value, bytes) else quote(value, safe="")
        parts.append(f"{quote(name, safe='')}={value}")
    return "&".join(parts)


class FuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        source = make_source(slug="demo-wire", name="Demo Wire")
        event = make_event(slug="peace-guardian", name="Peace Guardian")
        actor = make_actor(
            slug="serbian-armed-forces", name="Serbian Armed Forces", country=state("RS").country
        )
        for n in range(25):
            make_claim(
                [state("RS"), state("CN"), actor] if n % 2 else [state("RS"), state("CN")],
                article=make_article(source=source, language="sr-Latn" if n % 3 else "en"),
                event=event if n % 2 else None,
                statement=f"Serbia and China held joint drill number {n}.",
                verification=Claim.Verification.values[n % 4],
            )
        make_claim(status="draft", statement="A draft nobody may see.")

    def fetch(self, path, query):
        url = f"{path}?{query}" if query else path
        with transaction.atomic():
            response = self.client.get(url)
            if response.streaming:
                # Exports are generated while they are sent: read them to the end.
                b"".join(response.streaming_content)
        self.assertIn(
            response.status_code,
            ALLOWED,
            f"GET {url[:300]} answered {response.status_code}",
        )
        return response

    @FUZZ
    @given(query=query_strategy(CLAIM_FILTERS))
    def test_claims_list(self, query):
        self.fetch("/claims/", query)

    @FUZZ
    @given(query=query_strategy(ARTICLE_FILTERS))
    def test_articles_list(self, query):
        self.fetch("/articles/", query)

    @FUZZ
    @given(query=query_strategy(["kind", "country", "page"]))
    def test_events_list(self, query):
        self.fetch("/events/", query)

    @FUZZ
    @given(query=query_strategy(["kind", "country", "page"]))
    def test_actors_list(self, query):
        self.fetch("/actors/", query)

    @FUZZ
    @given(
        path=st.sampled_from(["/countries/rs/", "/countries/RS/", "/countries/rs/cn/"]),
        query=query_strategy(CLAIM_FILTERS),
    )
    def test_country_and_pair_pages(self, path, query):
        self.fetch(path, query)

    @FUZZ
    @given(
        path=st.sampled_from(
            [
                "/claims/feed/",
                "/countries/rs/feed/",
                "/countries/rs/cn/feed/",
                "/events/peace-guardian/feed/",
            ]
        ),
        query=query_strategy(CLAIM_FILTERS),
    )
    def test_feeds(self, path, query):
        self.fetch(path, query)

    @FUZZ
    @given(
        fmt=st.sampled_from(["csv", "json"]),
        query=query_strategy(CLAIM_FILTERS),
    )
    def test_claim_exports(self, fmt, query):
        self.fetch(f"/claims/export.{fmt}", query)

    @FUZZ
    @given(
        fmt=st.sampled_from(["csv", "json"]),
        query=query_strategy(ARTICLE_FILTERS),
    )
    def test_article_exports(self, fmt, query):
        self.fetch(f"/articles/export.{fmt}", query)

    @FUZZ
    @given(query=query_strategy([*CLAIM_FILTERS, "page_size"]))
    def test_claims_api(self, query):
        self.fetch("/api/claims/", query)

    @FUZZ
    @given(query=query_strategy([*ARTICLE_FILTERS, "page_size"]))
    def test_articles_api(self, query):
        self.fetch("/api/articles/", query)

    @FUZZ
    @given(
        path=st.sampled_from(
            ["/sources/demo-wire/", "/actors/serbian-armed-forces/", "/countries/", "/", "/healthz"]
        ),
        query=query_strategy(["page"]),
    )
    def test_other_pages_with_a_page_parameter(self, path, query):
        self.fetch(path, query)

    @FUZZ
    @given(
        segment=st.one_of(st.text(min_size=1, max_size=30), st.binary(min_size=1, max_size=12)).map(
            lambda v: quote_from_bytes(v) if isinstance(v, bytes) else quote(v, safe="")
        )
    )
    def test_odd_addresses(self, segment):
        for pattern in (
            "/claims/{}/",
            "/claims/1/{}/",
            "/articles/{}/",
            "/sources/{}/",
            "/countries/{}/",
            "/countries/rs/{}/",
            "/events/{}/",
            "/actors/{}/",
            "/claims/export.{}",
        ):
            self.fetch(pattern.format(segment), "")
