"""
How search engines and feed readers find the site: sitemap.xml, robots.txt, schema.org
JSON-LD, canonical and Open Graph tags, and <link rel="alternate"> feed advertising.
Drafts, and pages reachable only through drafts, are never announced.
"""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import StringIO
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import sitemaps
from articles.models import Claim, ClaimLink

from .factories import make_claim, serbia_china_world, state

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """The <link>, <meta> and JSON-LD <script> elements of a page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links, self.metas, self.json_ld = [], [], []
        self._in_json_ld = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.metas.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1, f"one canonical link, not {found}"
        return found[0]

    def og(self, name):
        found = [meta.get("content") for meta in self.metas if meta.get("property") == f"og:{name}"]
        assert len(found) == 1, f"one og:{name}, not {found}"
        return found[0]

    def feeds(self):
        return [
            link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
        ]

    def structured_data(self):
        assert len(self.json_ld) == 1, f"one JSON-LD block, not {len(self.json_ld)}"
        return json.loads(self.json_ld[0])


def head(response):
    return Head(response.content.decode())


class DiscoveryFixture(TestCase):
    """serbia_china_world(): the exercise, claims around it, and drafts (tests/factories.py)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = serbia_china_world()


def sitemap_entries(test):
    """Every <url> of every section /sitemap.xml (a sitemap index) leads to."""
    response = test.client.get(reverse("sitemap"))
    test.assertEqual(response.status_code, 200)
    test.assertIn("xml", response["Content-Type"])
    index = ET.fromstring(response.content)
    test.assertEqual(index.tag, f"{SITEMAP}sitemapindex")
    entries = []
    for section in index.findall(f"{SITEMAP}sitemap"):
        page = test.client.get(section.findtext(f"{SITEMAP}loc"))
        test.assertEqual(page.status_code, 200)
        test.assertNotIn("zanzibarite", page.content.decode().lower())
        entries.extend(ET.fromstring(page.content).findall(f"{SITEMAP}url"))
    return entries


class SitemapTests(DiscoveryFixture):
    def locations(self):
        return [url.findtext(f"{SITEMAP}loc") for url in sitemap_entries(self)]

    def paths(self):
        return {urlsplit(location).path for location in self.locations()}

    def test_the_sitemap_lists_published_pages_of_every_kind(self):
        w = self.world
        paths = self.paths()
        expected = [
            reverse("home"),
            reverse("claim_list"),
            *(claim.get_absolute_url() for claim in (w.exercise, w.drones, w.formula)),
            w.article.get_absolute_url(),
            w.earlier.get_absolute_url(),
            "/countries/rs/",
            "/countries/cn/",
            w.peace_guardian.get_absolute_url(),
            w.serbia.get_absolute_url(),
            w.china.get_absolute_url(),
            w.pla.get_absolute_url(),
            w.wire.get_absolute_url(),
        ]
        for path in expected:
            with self.subTest(path):
                self.assertIn(path, paths)

    def test_the_sitemap_never_lists_drafts_or_what_only_drafts_reach(self):
        w = self.world
        paths = self.paths()
        self.assertIn(w.exercise.get_absolute_url(), paths)
        hidden = [
            w.draft_claim.get_absolute_url(),
            w.secret_draft.get_absolute_url(),
            w.draft_article.get_absolute_url(),
            "/countries/fr/",
            w.secret_event.get_absolute_url(),
            w.secret_actor.get_absolute_url(),
            w.hidden_source.get_absolute_url(),
        ]
        for path in hidden:
            with self.subTest(path):
                self.assertNotIn(path, paths)
        self.assertNotIn(
            "zanzibarite", self.client.get(reverse("sitemap")).content.decode().lower()
        )

    def test_locations_are_absolute_and_unique(self):
        locations = self.locations()
        self.assertIn("http://testserver" + self.world.exercise.get_absolute_url(), locations)
        self.assertEqual(len(locations), len(set(locations)))
        for location in locations:
            self.assertTrue(location.startswith("http://testserver/"), location)

    def test_every_listed_page_exists(self):
        locations = self.locations()
        self.assertIn("http://testserver" + self.world.exercise.get_absolute_url(), locations)
        for location in locations:
            with self.subTest(location):
                self.assertEqual(self.client.get(location).status_code, 200)

    def test_claims_and_articles_say_when_they_last_changed(self):
        w = self.world
        lastmod = {
            urlsplit(url.findtext(f"{SITEMAP}loc")).path: url.findtext(f"{SITEMAP}lastmod")
            for url in sitemap_entries(self)
        }
        w.exercise.refresh_from_db()
        self.assertEqual(
            lastmod[w.exercise.get_absolute_url()][:10], w.exercise.updated_at.date().isoformat()
        )
        self.assertTrue(lastmod[w.article.get_absolute_url()])

    def test_the_index_dates_each_section_with_an_aggregate_not_every_row(self):
        def index():
            with CaptureQueriesContext(connection) as queries:
                root = ET.fromstring(self.client.get(reverse("sitemap")).content)
            return root, [query["sql"] for query in queries]

        root, before = index()
        self.assertTrue(any('MAX("articles_claim"."updated_at")' in sql for sql in before))
        claims = next(
            entry for entry in root if entry.findtext(f"{SITEMAP}loc").endswith("claims.xml")
        )
        latest = Claim.objects.published().latest("updated_at").updated_at
        self.assertEqual(claims.findtext(f"{SITEMAP}lastmod")[:10], latest.date().isoformat())
        for _ in range(3):
            make_claim([state("RS")])
        self.assertEqual(len(index()[1]), len(before))

    def test_an_unpublished_claim_leaves_the_sitemap_with_what_only_it_reached(self):
        # Niger's exit is the only claim about Niger and the only one at the ECOWAS summit.
        w = self.world
        reached = [
            w.niger_exit.get_absolute_url(),
            w.ecowas_summit.get_absolute_url(),
            "/countries/ne/",
            w.niger.get_absolute_url(),
        ]
        self.assertLessEqual(set(reached), self.paths())
        w.niger_exit.status = "draft"
        w.niger_exit.save()
        self.assertFalse(set(reached) & self.paths())

    def test_a_duplicate_of_a_published_claim_leaves_the_sitemap_for_the_address_it_redirects_to(
        self,
    ):
        w = self.world
        link = ClaimLink.objects.create(from_claim=w.drones, type="duplicates", to_claim=w.formula)
        paths = self.paths()
        self.assertNotIn(w.drones.get_absolute_url(), paths)
        self.assertIn(w.formula.get_absolute_url(), paths)
        link.delete()
        self.assertIn(w.drones.get_absolute_url(), self.paths())

    def test_every_claim_is_reachable_when_claims_fill_more_than_one_sitemap_page(self):
        """
        Each section lists at most `limit` URLs (10,000 claims). Beyond that the rest
        must still be reachable from /sitemap.xml, through its index; the limit is
        lowered here to show it with the five published claims.
        """
        w = self.world
        claims = [w.exercise, w.drones, w.observer, w.formula, w.niger_exit]
        with mock.patch.object(sitemaps.ClaimSitemap, "limit", 2):
            found = {urlsplit(url.findtext(f"{SITEMAP}loc")).path for url in sitemap_entries(self)}
        self.assertLessEqual({claim.get_absolute_url() for claim in claims}, found)


class RobotsTests(TestCase):
    def test_robots_txt_names_the_sitemap_and_keeps_robots_out_of_the_admin(self):
        response = self.client.get(reverse("robots_txt"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)

    def test_robots_txt_is_at_the_root(self):
        self.assertEqual(reverse("robots_txt"), "/robots.txt")
        self.assertEqual(reverse("sitemap"), "/sitemap.xml")

    def test_the_named_sitemap_exists(self):
        lines = self.client.get("/robots.txt").content.decode().splitlines()
        (sitemap,) = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap:")]
        self.assertEqual(self.client.get(sitemap).status_code, 200)

    def test_public_pages_are_not_disallowed(self):
        lines = self.client.get("/robots.txt").content.decode().splitlines()
        self.assertNotIn("Disallow: /", lines)
        self.assertNotIn("Disallow: /claims/", lines)


class ClaimStructuredDataTests(DiscoveryFixture):
    def data(self, claim):
        return head(self.client.get(claim.get_absolute_url())).structured_data()

    def test_a_reported_claim_is_a_schema_org_claim(self):
        drones = self.world.drones
        data = self.data(drones)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Claim")
        self.assertEqual(data["text"], drones.statement)
        self.assertEqual(data["url"], "http://testserver" + drones.get_absolute_url())
        self.assertNotIn("reviewRating", data)

    def test_only_published_articles_are_appearances(self):
        w = self.world
        data = self.data(w.exercise)
        claim = data["itemReviewed"]  # the exercise is corroborated: a ClaimReview
        self.assertEqual(
            [appearance["headline"] for appearance in claim["appearance"]],
            ["Chinese ministry announces drill", "Serbian forces train in China"],
        )
        # The earlier article has no original URL: its page here stands in.
        self.assertEqual(
            [appearance["url"] for appearance in claim["appearance"]],
            [
                "http://testserver" + w.earlier.get_absolute_url(),
                "https://example.org/serbian-forces",
            ],
        )
        self.assertEqual(claim["firstAppearance"]["headline"], "Chinese ministry announces drill")
        self.assertNotIn("Zanzibarite", json.dumps(data))

    def test_an_assessed_claim_is_a_claim_review_with_a_rating(self):
        for verification, rating in [("corroborated", 5), ("disputed", 3), ("refuted", 1)]:
            with self.subTest(verification):
                claim = make_claim(
                    [self.world.serbia],
                    statement=f"A {verification} claim.",
                    verification=verification,
                )
                data = self.data(claim)
                self.assertEqual(data["@type"], "ClaimReview")
                self.assertEqual(data["claimReviewed"], claim.statement)
                self.assertEqual(data["url"], "http://testserver" + claim.get_absolute_url())
                self.assertEqual(data["itemReviewed"]["@type"], "Claim")
                self.assertEqual(data["itemReviewed"]["text"], claim.statement)
                self.assertEqual(data["author"]["name"], "newsclaims")
                self.assertEqual(
                    data["reviewRating"],
                    {
                        "@type": "Rating",
                        "ratingValue": rating,
                        "bestRating": 5,
                        "worstRating": 1,
                        "alternateName": verification.capitalize(),
                    },
                )

    def test_a_statement_cannot_close_the_script_element(self):
        statement = 'Officials said "</script><script>alert(1)</script><!-- & more'
        claim = make_claim([self.world.serbia], statement=statement)
        response = self.client.get(claim.get_absolute_url())
        page = response.content.decode()
        self.assertNotIn("<script>alert(1)", page)
        self.assertNotIn("<!--", page)
        self.assertEqual(head(response).structured_data()["text"], statement)


class ArticleAndEventStructuredDataTests(DiscoveryFixture):
    def test_an_article_page_is_a_news_article(self):
        data = head(self.client.get(self.world.article.get_absolute_url())).structured_data()
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["headline"], "Serbian forces train in China")
        self.assertEqual(data["url"], "http://testserver" + self.world.article.get_absolute_url())
        self.assertEqual(data["publisher"]["name"], "Demo Wire")
        self.assertEqual(data["isBasedOn"], "https://example.org/serbian-forces")
        self.assertEqual(
            [author["name"] for author in data["author"]], ["Ana Author", "Ben Writer"]
        )
        self.assertEqual(data["datePublished"], self.world.article.published_at.isoformat())

    def test_an_event_page_is_an_event(self):
        data = head(self.client.get(self.world.peace_guardian.get_absolute_url())).structured_data()
        self.assertEqual(data["@type"], "Event")
        self.assertEqual(data["name"], "Peace Guardian 2025")
        self.assertEqual(data["startDate"], "2025-05-12")
        self.assertEqual(data["endDate"], "2025-05-21")
        self.assertEqual(data["location"]["name"], "Hebei province")
        self.assertEqual(data["location"]["address"]["addressCountry"], "CN")
        self.assertEqual(
            data["url"], "http://testserver" + self.world.peace_guardian.get_absolute_url()
        )


class CanonicalAndOpenGraphTests(DiscoveryFixture):
    def pages(self):
        return {
            "home": reverse("home"),
            "claim list": reverse("claim_list"),
            "claim": self.world.exercise.get_absolute_url(),
            "article list": reverse("article_list"),
            "article": self.world.article.get_absolute_url(),
            "source": self.world.wire.get_absolute_url(),
            "country list": reverse("country_list"),
            "country": "/countries/rs/",
            "country pair": "/countries/rs/cn/",
            "event list": reverse("event_list"),
            "event": self.world.peace_guardian.get_absolute_url(),
            "actor list": reverse("actor_list"),
            "actor": self.world.serbia.get_absolute_url(),
        }

    def test_every_page_type_has_a_canonical_url_and_open_graph_tags(self):
        for name, url in self.pages().items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                tags = head(response)
                canonical = tags.canonical()
                self.assertTrue(canonical.startswith("http://testserver/"), canonical)
                self.assertTrue(tags.og("title").strip())
                self.assertTrue(tags.og("description").strip())
                self.assertEqual(tags.og("url"), canonical)

    def test_a_claims_canonical_url_is_its_full_address(self):
        expected = "http://testserver" + self.world.exercise.get_absolute_url()
        for url in [
            self.world.exercise.get_absolute_url(),
            self.world.exercise.get_absolute_url() + "?utm_source=newsletter",
        ]:
            with self.subTest(url):
                tags = head(self.client.get(url))
                self.assertEqual(tags.canonical(), expected)
                self.assertEqual(tags.og("title"), self.world.exercise.statement)
                self.assertEqual(tags.og("type"), "article")

    def test_the_short_claim_address_redirects_to_the_canonical_one(self):
        response = self.client.get(reverse("claim_detail_short", args=[self.world.exercise.pk]))
        self.assertRedirects(response, self.world.exercise.get_absolute_url(), status_code=301)

    def test_an_articles_canonical_url_and_description(self):
        tags = head(self.client.get(self.world.article.get_absolute_url() + "?ref=x"))
        self.assertEqual(
            tags.canonical(), "http://testserver" + self.world.article.get_absolute_url()
        )
        self.assertEqual(tags.og("description"), "Troops trained together.")
        self.assertEqual(tags.og("type"), "article")

    def test_both_orders_of_a_country_pair_share_one_canonical_url(self):
        first = head(self.client.get("/countries/rs/cn/")).canonical()
        second = head(self.client.get("/countries/cn/rs/")).canonical()
        self.assertEqual(first, second)
        self.assertEqual(first, "http://testserver/countries/cn/rs/")

    def test_a_page_without_parameters_has_no_query_string_in_its_canonical_url(self):
        """
        A tracking parameter does not make a new page: the canonical URL of a page that
        reads no parameters is its plain address, or search engines index duplicates.
        """
        for url in [
            reverse("home"),
            reverse("country_list"),
            self.world.peace_guardian.get_absolute_url(),
        ]:
            with self.subTest(url):
                tags = head(self.client.get(url + "?utm_source=newsletter"))
                self.assertEqual(tags.canonical(), "http://testserver" + url)

    def test_open_graph_text_is_escaped(self):
        claim = make_claim([self.world.serbia], statement='He said "no" & <left>.')
        page = self.client.get(claim.get_absolute_url()).content.decode()
        self.assertIn('content="He said &quot;no&quot; &amp; &lt;left&gt;."', page)
        self.assertEqual(
            head(self.client.get(claim.get_absolute_url())).og("title"), claim.statement
        )

    def test_draft_pages_are_not_found(self):
        for url in [
            self.world.draft_claim.get_absolute_url(),
            self.world.secret_draft.get_absolute_url(),
            self.world.draft_article.get_absolute_url(),
            self.world.secret_event.get_absolute_url(),
            self.world.secret_actor.get_absolute_url(),
            self.world.hidden_source.get_absolute_url(),
        ]:
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)


class FeedAdvertisingTests(DiscoveryFixture):
    def assert_advertises(self, url, feed_url):
        feeds = head(self.client.get(url)).feeds()
        self.assertEqual(feeds, [feed_url])
        response = self.client.get(feed_url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))

    def test_the_claims_list_advertises_its_feed(self):
        self.assert_advertises(reverse("claim_list"), reverse("claim_feed"))

    def test_a_filtered_claims_list_advertises_the_feed_with_the_same_filters(self):
        response = self.client.get(
            reverse("claim_list"),
            {"country": ["rs", "cn"], "kind": "military", "page": "1", "sort": "added"},
        )
        (feed,) = head(response).feeds()
        self.assertEqual(urlsplit(feed).path, reverse("claim_feed"))
        self.assertEqual(
            parse_qs(urlsplit(feed).query), {"country": ["rs", "cn"], "kind": ["military"]}
        )
        self.assertEqual(self.client.get(feed).status_code, 200)

    def test_a_country_page_advertises_the_countrys_feed(self):
        self.assert_advertises("/countries/rs/", reverse("country_feed", args=["rs"]))

    def test_a_pair_page_advertises_the_pairs_feed(self):
        self.assert_advertises("/countries/rs/cn/", reverse("country_pair_feed", args=["rs", "cn"]))

    def test_an_event_page_advertises_the_events_feed(self):
        self.assert_advertises(
            self.world.peace_guardian.get_absolute_url(),
            reverse("event_feed", args=["peace-guardian-2025"]),
        )

    def test_detail_pages_without_a_feed_advertise_none(self):
        for url in [self.world.exercise.get_absolute_url(), self.world.article.get_absolute_url()]:
            with self.subTest(url):
                self.assertEqual(head(self.client.get(url)).feeds(), [])


class DemoDataDiscoveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_the_sitemap_never_mentions_the_draft(self):
        response = self.client.get(reverse("sitemap"))
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertNotIn("zanzibarite", text.lower())
        self.assertNotIn("/actors/draft-only-actor-zanzibarite/", text)

    def test_every_page_in_the_demo_sitemap_exists_and_hides_the_draft(self):
        entries = sitemap_entries(self)
        self.assertGreater(len(entries), 50)
        for url in entries:
            location = url.findtext(f"{SITEMAP}loc")
            with self.subTest(location):
                response = self.client.get(location)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("zanzibarite", response.content.decode().lower())

    def test_the_seed_claims_structured_data_leaves_out_the_draft_evidence(self):
        claim = Claim.objects.get(slug="china-and-serbia-hold-first-joint-military-exercise")
        response = self.client.get(claim.get_absolute_url())
        data = head(response).structured_data()
        self.assertEqual(data["@type"], "ClaimReview")
        self.assertEqual(len(data["itemReviewed"]["appearance"]), 2)
        self.assertNotIn("zanzibarite", response.content.decode().lower())
