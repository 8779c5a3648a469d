"""
Every public GET parameter of every public page type, fuzzed with hypothesis: real
values, any text, long and huge values, invalid UTF-8 and repeated parameters. Then every
public URL pattern with hostile headers (Host, the proxies' X-Forwarded-*, cookies…)
under production's proxy settings, and with every method and junk bodies. Whatever
arrives, the answer is never a server error.

Each page type runs MAX_EXAMPLES requests. hypothesis.extra.django.TestCase is Django's
TestCase with each example in a transaction of its own: the examples share the class's
rows (setUpTestData), and one failing query on PostgreSQL does not poison the examples
after it. Failing examples are not saved (database=None); Hypothesis still keeps caches
in .hypothesis/, which carries its own .gitignore.
"""

from urllib.parse import quote, quote_from_bytes

from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles import urls as public_urls
from articles.filters import SORTS
from articles.models import Actor, Article, Claim, Event

from .factories import make_actor, make_article, make_claim, make_event, make_source, state

MAX_EXAMPLES = 60
# 405: a method the address does not take; 429: the login refusing a locked-out pair.
ALLOWED = {200, 301, 302, 400, 404, 405, 413, 429}

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


# What a WSGI server hands over: header values are Latin-1 text.
LATIN1 = st.characters(max_codepoint=255)
HOSTILE_HOSTS = [
    "evil.example",
    "",
    "127.0.0.1:8500@evil",
    "\t",
    "%00",
    "A" * 300,
    "testserver:99999",
    "[::1",
    "testserver.",
    "TESTSERVER:80",
]
FORWARDED_FOR = [
    "192.0.2.10",
    "1.2.3.4:5678",
    "[2001:db8::1]",
    "[2001:db8::1]:443",
    "not-an-ip",
    "1.2.3.999",
    "x" * 3000,
    "unknown, 10.0.0.1",
    ", ,",
    "fe80::1%eth0",
]
# Real and hostile values for each header; "https" often, so most requests get past
# SecurityMiddleware's redirect to the view.
HEADER_VALUES = {
    "Host": ["testserver", "testserver", *HOSTILE_HOSTS],
    "X-Forwarded-For": FORWARDED_FOR,
    "X-Forwarded-Proto": ["https", "https", "https", "http", "https, http", "", "ftp"],
    "X-Forwarded-Host": HOSTILE_HOSTS,
    "X-Forwarded-Port": ["443", "80", "x", "99999"],
    "Forwarded": ["for=192.0.2.60;proto=https", 'for="[2001:db8::1]"', ";;;"],
    "Cookie": [
        "sessionid=nonsense",
        "sessionid=" + "a" * 4000,
        "csrftoken=;;;",
        "=",
        "messages=x",
        "sessionid=\x7f",
    ],
    "Accept": ["application/json", "*/*;q=x", "text/html" * 100],
    "Accept-Language": ["sr-Latn", "*", "x" * 300, "en;q=nan"],
    "Accept-Encoding": ["gzip", "br;q=2", "x" * 300],
    "User-Agent": ["sqlmap/1.8", "() { :; }; echo", "x" * 5000],
    "Referer": ["javascript:alert(6)", "http://evil.example/", "//"],
    "Origin": ["null", "http://evil.example", "https://testserver"],
    "If-Modified-Since": ["Sat, 29 Oct 1994 19:43:31 GMT", "yesterday", "0"],
    "If-None-Match": ['"x"', "*", "W/"],
    "Range": ["bytes=0-10", "bytes=x", "bytes=-1,-2,-3"],
}


def header_value(real):
    return st.one_of(
        st.sampled_from(real),
        st.sampled_from(real),
        st.text(LATIN1, max_size=40),
        st.text(LATIN1, min_size=200, max_size=3000),
    )


HEADERS = st.fixed_dictionaries(
    {}, optional={name: header_value(values) for name, values in HEADER_VALUES.items()}
)
# Which of FuzzTests.addresses(), modulo their number: every one of them, however many.
ANY_ADDRESS = st.integers(min_value=0, max_value=999)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain; charset=utf-99",
    "",
]
# Production's proxy settings (README): the proxy says which requests came over HTTPS
# and appends the client's address; the app redirects plain HTTP.
BEHIND_A_PROXY = override_settings(
    PROXY_COUNT=1,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
)


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
        cls.claim = Claim.objects.published().first()
        cls.article = Article.objects.published().first()

    def addresses(self):
        """(URL pattern name, address): every public pattern, and the admin's login."""
        claim, article = self.claim, self.article
        return [
            ("home", reverse("home")),
            ("claim_list", reverse("claim_list")),
            ("claim_feed", reverse("claim_feed")),
            ("claim_map", reverse("claim_map")),
            ("claim_facet", reverse("claim_facet", args=["actor"])),
            ("claim_facet", reverse("claim_facet", args=["country"])),
            ("claim_export", reverse("claim_export", args=["csv"])),
            ("claim_export", reverse("claim_export", args=["json"])),
            ("claim_detail_short", reverse("claim_detail_short", args=[claim.pk])),
            ("claim_detail", claim.get_absolute_url()),
            ("claim_history", reverse("claim_history", args=[claim.pk, claim.slug])),
            ("article_list", reverse("article_list")),
            ("article_export", reverse("article_export", args=["csv"])),
            ("article_export", reverse("article_export", args=["json"])),
            ("article_detail_short", reverse("article_detail_short", args=[article.pk])),
            ("article_detail", article.get_absolute_url()),
            ("source_detail", reverse("source_detail", args=["demo-wire"])),
            ("country_list", reverse("country_list")),
            ("country_detail", reverse("country_detail", args=["rs"])),
            ("country_feed", reverse("country_feed", args=["rs"])),
            ("country_pair", reverse("country_pair", args=["rs", "cn"])),
            ("country_pair_feed", reverse("country_pair_feed", args=["rs", "cn"])),
            ("country_pair_picker", reverse("country_pair_picker") + "?a=rs&b=cn"),
            ("event_list", reverse("event_list")),
            ("event_detail", reverse("event_detail", args=["peace-guardian"])),
            ("event_feed", reverse("event_feed", args=["peace-guardian"])),
            ("actor_list", reverse("actor_list")),
            ("actor_detail", reverse("actor_detail", args=["serbian-armed-forces"])),
            ("api_claims", reverse("api_claims")),
            ("api_articles", reverse("api_articles")),
            ("sitemap", reverse("sitemap")),
            ("sitemap_section", reverse("sitemap_section", args=["claims"])),
            ("robots_txt", reverse("robots_txt")),
            ("healthz", reverse("healthz")),
            ("choose_language", reverse("choose_language") + "?language=sr&next=/claims/"),
            ("admin:login", reverse("admin:login")),
        ]

    def address(self, number):
        """One of addresses(), however many there are."""
        addresses = self.addresses()
        return addresses[number % len(addresses)][1]

    def fetch(self, path, query="", method="GET", body=b"", content_type="", headers=None):
        url = f"{path}?{query}" if query else path
        with transaction.atomic():
            response = self.client.generic(
                method, url, body, content_type=content_type, headers=headers
            )
            if response.streaming:
                # Exports are generated while they are sent: read them to the end.
                b"".join(response.streaming_content)
        self.assertIn(
            response.status_code,
            ALLOWED,
            f"{method} {url[:300]} {str(headers)[:300]} answered {response.status_code}",
        )
        return response

    def test_every_public_url_pattern_is_fuzzed(self):
        patterns = {pattern.name for pattern in [*public_urls.pages, *public_urls.urlpatterns]}
        self.assertEqual({name for name, _ in self.addresses()} - {"admin:login"}, patterns)
        for _, address in self.addresses():
            with self.subTest(address):
                # 302: the pair picker sends readers on to the pair's page.
                self.assertIn(self.fetch(address).status_code, {200, 301, 302})

    @BEHIND_A_PROXY
    def test_every_address_with_each_hostile_header(self):
        secure = {"X-Forwarded-Proto": "https"}
        for _, address in self.addresses():
            for name, values in HEADER_VALUES.items():
                for value in values:
                    with self.subTest(address=address, header=name, value=value[:40]):
                        self.fetch(address, headers={**secure, name: value})

    @BEHIND_A_PROXY
    def test_signing_in_with_each_hostile_header(self):
        # Login throttling records the address from X-Forwarded-For (newsclaims/client_ip).
        for name, values in HEADER_VALUES.items():
            for value in values:
                with self.subTest(header=name, value=value[:40]):
                    self.fetch(
                        reverse("admin:login"),
                        method="POST",
                        body=b"username=alice&password=wrong",
                        content_type="application/x-www-form-urlencoded",
                        headers={"X-Forwarded-Proto": "https", name: value},
                    )

    @BEHIND_A_PROXY
    @settings(FUZZ, max_examples=150)
    @given(
        address=ANY_ADDRESS,
        query=query_strategy([*CLAIM_FILTERS, "page_size"]),
        headers=HEADERS,
    )
    def test_hostile_headers_and_parameters(self, address, query, headers):
        self.fetch(self.address(address), query, headers=headers)

    @BEHIND_A_PROXY
    @settings(FUZZ, max_examples=100)
    @given(
        address=ANY_ADDRESS,
        method=st.sampled_from(METHODS),
        body=st.one_of(
            st.binary(max_size=2000),
            st.just(b"username=alice&password=wrong"),
            st.just(b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb'),
        ),
        content_type=st.one_of(st.sampled_from(CONTENT_TYPES), st.text(LATIN1, max_size=30)),
        headers=HEADERS,
    )
    def test_every_method_with_hostile_bodies(self, address, method, body, content_type, headers):
        self.fetch(
            self.address(address),
            method=method,
            body=body,
            content_type=content_type,
            headers={"X-Forwarded-Proto": "https", **headers},
        )

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
