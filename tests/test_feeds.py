"""
Atom feeds of new claims: filtered (/claims/feed/?…), per country, per country pair and
per event. Each response is checked against the requirements of RFC 4287 (Atom 1.0)
with xml.etree, and never carries a draft.
"""

import inspect
import re
import xml.etree.ElementTree as ET
from io import StringIO
from urllib.parse import parse_qs, urlsplit

from django.core.management import call_command
from django.test import Client, RequestFactory, TestCase
from django.urls import resolve, reverse

from articles.feeds import FEED_SIZE
from articles.models import Actor, Claim, Country, Event

from .factories import make_article, make_claim, make_event, state

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time, as RFC 4287 §3.3 requires (upper-case T and Z).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

BOTH = "Serbia and China held a joint drill."
SERBIA_ONLY = "Serbia bought radar systems."
CHINA_ONLY = "China opened a new port."
US_RS = "The United States criticised Serbia."
DRAFT = "Zanzibarite draft about Serbia and China."


def is_absolute(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class AtomTestCase(TestCase):
    def atom(self, response):
        """
        The feed of an Atom response, checked against RFC 4287: returns the root and
        its entries. Fails the test on any missing or repeated required element.
        """
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            response["Content-Type"].startswith("application/atom+xml"), response["Content-Type"]
        )
        root = ET.fromstring(response.content)
        self.assertEqual(root.tag, f"{ATOM}feed")
        for name in ["id", "title", "updated"]:
            self.assertEqual(len(root.findall(f"{ATOM}{name}")), 1, f"feed has one atom:{name}")
        self.assertTrue(root.findtext(f"{ATOM}title").strip())
        self.assertTrue(is_absolute(root.findtext(f"{ATOM}id")), "feed id is an absolute IRI")
        self.assertRegex(root.findtext(f"{ATOM}updated"), RFC3339)
        alternates = self.alternate_links(root)
        self.assertEqual(len(alternates), 1, "feed has one link rel=alternate")
        self.assertTrue(is_absolute(alternates[0]))
        feed_authors = root.findall(f"{ATOM}author")
        for author in feed_authors:
            self.assertTrue(author.findtext(f"{ATOM}name"), "an author has a name")
        entries = root.findall(f"{ATOM}entry")
        ids = []
        for entry in entries:
            for name in ["id", "title", "updated"]:
                self.assertEqual(
                    len(entry.findall(f"{ATOM}{name}")), 1, f"entry has one atom:{name}"
                )
            self.assertRegex(entry.findtext(f"{ATOM}updated"), RFC3339)
            if entry.find(f"{ATOM}published") is not None:
                self.assertRegex(entry.findtext(f"{ATOM}published"), RFC3339)
            self.assertTrue(is_absolute(entry.findtext(f"{ATOM}id")))
            links = self.alternate_links(entry)
            self.assertEqual(len(links), 1, "entry has one link rel=alternate")
            self.assertTrue(is_absolute(links[0]), links[0])
            if not feed_authors:
                self.assertTrue(entry.findall(f"{ATOM}author"), "every entry has an author")
            # No atom:content, so the entry must have an alternate link (§4.1.1): it has.
            ids.append(entry.findtext(f"{ATOM}id"))
        self.assertEqual(len(ids), len(set(ids)), "entry ids are unique")
        return root, entries

    @staticmethod
    def alternate_links(element):
        return [
            link.get("href")
            for link in element.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]

    def titles(self, response):
        _, entries = self.atom(response)
        return [entry.findtext(f"{ATOM}title") for entry in entries]

    @staticmethod
    def self_link(root):
        return next(
            link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"
        )


class FeedFixture(AtomTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rs, cls.cn, cls.us = state("RS"), state("CN"), state("US")
        cls.event = make_event(name="Peace Guardian", slug="peace-guardian")
        cls.secret_event = make_event(name="Secret manoeuvres", slug="secret-manoeuvres")
        cls.article = make_article()
        cls.both = make_claim([cls.rs, (cls.cn, "host")], statement=BOTH, event=cls.event)
        cls.serbia_only = make_claim([cls.rs], statement=SERBIA_ONLY, kind="arms")
        cls.china_only = make_claim([cls.cn], statement=CHINA_ONLY, event=cls.event)
        cls.us_rs = make_claim([cls.us, cls.rs], statement=US_RS, kind="diplomatic")
        cls.draft = make_claim([cls.rs, cls.cn], statement=DRAFT, status="draft", event=cls.event)
        cls.secret = make_claim(
            [cls.rs], statement="Zanzibarite secret claim.", status="draft", event=cls.secret_event
        )


class ClaimsFeedTests(FeedFixture):
    def test_the_feed_of_new_claims_is_valid_atom(self):
        response = self.client.get(reverse("claim_feed"))
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        self.assertCountEqual(self.titles(response), [BOTH, SERBIA_ONLY, CHINA_ONLY, US_RS])

    def test_the_feed_has_an_author(self):
        root, _ = self.atom(self.client.get(reverse("claim_feed")))
        self.assertEqual(root.findtext(f"{ATOM}author/{ATOM}name"), "newsclaims")

    def test_newest_claims_come_first(self):
        self.assertEqual(
            self.titles(self.client.get(reverse("claim_feed"))),
            [US_RS, CHINA_ONLY, SERBIA_ONLY, BOTH],
        )

    def test_two_countries_select_claims_involving_both(self):
        response = self.client.get(reverse("claim_feed"), {"country": ["rs", "cn"]})
        self.assertEqual(self.titles(response), [BOTH])

    def test_one_country_selects_its_claims(self):
        response = self.client.get(reverse("claim_feed"), {"country": "rs"})
        self.assertCountEqual(self.titles(response), [BOTH, SERBIA_ONLY, US_RS])

    def test_other_filters_work_as_on_the_list(self):
        cases = [
            ({"kind": "arms"}, [SERBIA_ONLY]),
            ({"event": "peace-guardian"}, [BOTH, CHINA_ONLY]),
            ({"actor": "united-states"}, [US_RS]),
            ({"q": "radar"}, [SERBIA_ONLY]),
            ({"q": "Zanzibarite"}, []),
        ]
        for params, expected in cases:
            with self.subTest(params):
                response = self.client.get(reverse("claim_feed"), params)
                self.assertCountEqual(self.titles(response), expected)

    def test_an_entry_links_to_the_claims_page(self):
        _, entries = self.atom(self.client.get(reverse("claim_feed"), {"country": ["rs", "cn"]}))
        (entry,) = entries
        (href,) = self.alternate_links(entry)
        self.assertEqual(urlsplit(href).path, self.both.get_absolute_url())
        self.assertEqual(self.client.get(href).status_code, 200)

    def test_an_entry_summarises_actors_and_roles(self):
        _, entries = self.atom(self.client.get(reverse("claim_feed"), {"country": ["rs", "cn"]}))
        summary = entries[0].findtext(f"{ATOM}summary")
        self.assertIn("China (host)", summary)
        self.assertIn("Serbia (participant)", summary)

    def test_the_feeds_alternate_link_is_the_filtered_list(self):
        root, _ = self.atom(self.client.get(reverse("claim_feed"), {"country": ["rs", "cn"]}))
        (href,) = self.alternate_links(root)
        self.assertEqual(urlsplit(href).path, reverse("claim_list"))
        self.assertEqual(parse_qs(urlsplit(href).query), {"country": ["rs", "cn"]})

    def test_the_self_link_of_a_filtered_feed_keeps_its_filters(self):
        """
        atom:link rel="self" is where the feed itself lives (RFC 4287 §4.2.7.2): feed
        readers subscribe to it. A filtered feed that points to the unfiltered one sends
        subscribers every claim instead of the ones they chose.
        """
        root, _ = self.atom(self.client.get(reverse("claim_feed"), {"country": ["rs", "cn"]}))
        href = self.self_link(root)
        self.assertEqual(urlsplit(href).path, reverse("claim_feed"))
        self.assertEqual(parse_qs(urlsplit(href).query), {"country": ["rs", "cn"]})

    def test_filtered_feeds_have_distinct_ids(self):
        ids = {
            ET.fromstring(self.client.get(reverse("claim_feed"), params).content).findtext(
                f"{ATOM}id"
            )
            for params in [{}, {"country": "rs"}, {"country": "cn"}]
        }
        self.assertEqual(len(ids), 3)

    def test_an_empty_feed_is_still_valid(self):
        root, entries = self.atom(self.client.get(reverse("claim_feed"), {"kind": "economic"}))
        self.assertEqual(entries, [])

    def test_invalid_filters_are_a_400_not_a_500(self):
        for params in [
            {"country": "zz"},
            {"kind": "bogus"},
            {"from": "2025-13"},
            {"actor": "nobody"},
            {"sort": "sideways"},
            {"q": "x" * 201},
            {"country": [f"c{n}" for n in range(11)]},
        ]:
            with self.subTest(params):
                response = self.client.get(reverse("claim_feed"), params)
                self.assertEqual(response.status_code, 400)

    def test_malformed_searches_give_valid_feeds(self):
        for text in ['"unclosed', "-", "or or", "!!!", "& | ! :*", "'); drop table", "ü" * 200]:
            with self.subTest(text):
                self.atom(self.client.get(reverse("claim_feed"), {"q": text}))

    def test_at_most_fifty_entries(self):
        for n in range(FEED_SIZE + 1 - 4):
            make_claim([self.us], article=self.article, statement=f"Extra claim {n}.")
        self.assertEqual(Claim.objects.published().count(), FEED_SIZE + 1)
        titles = self.titles(self.client.get(reverse("claim_feed")))
        self.assertEqual(len(titles), FEED_SIZE)
        self.assertNotIn(BOTH, titles, "the oldest claim is the one left out")

    def test_a_statement_with_a_control_character_does_not_break_the_feed(self):
        """
        Text pasted from a word processor can hold a vertical tab (Word's manual line
        break). The admin accepts it; XML 1.0 cannot carry it, and Django's feed writer
        raises rather than write it.
        """
        make_claim([self.rs], statement="Serbia signed\x0ba pact.")
        response = Client(raise_request_exception=False).get(reverse("claim_feed"))
        titles = self.titles(response)
        self.assertTrue(any(title.startswith("Serbia signed") for title in titles))

    def test_concurrent_requests_do_not_share_filters(self):
        """
        One Feed instance serves every request to its URL, possibly on several threads at
        once. Interleave two requests the way two threads can: the first request's items
        must still be chosen by the first request's filters.
        """
        feed = inspect.unwrap(resolve(reverse("claim_feed")).func)  # the Feed, not its cache
        factory = RequestFactory()
        first = factory.get(reverse("claim_feed"), {"country": ["rs", "cn"]})
        second = factory.get(reverse("claim_feed"), {"kind": "diplomatic"})
        first_obj = feed.get_object(first)
        feed.get_object(second)  # the second request arrives before the first is written
        self.assertEqual([claim.statement for claim in feed.items(first_obj)], [BOTH])


class CountryFeedTests(FeedFixture):
    def test_a_countrys_feed_has_its_claims(self):
        response = self.client.get(reverse("country_feed", args=["rs"]))
        self.assertCountEqual(self.titles(response), [BOTH, SERBIA_ONLY, US_RS])

    def test_the_feed_links_to_the_country_page(self):
        root, _ = self.atom(self.client.get(reverse("country_feed", args=["rs"])))
        self.assertEqual(urlsplit(self.alternate_links(root)[0]).path, "/countries/rs/")
        self.assertIn("Serbia", root.findtext(f"{ATOM}title"))

    def test_the_country_feed_url_is_documented(self):
        self.assertEqual(reverse("country_feed", args=["rs"]), "/countries/rs/feed/")

    def test_filters_narrow_a_countrys_feed(self):
        response = self.client.get(reverse("country_feed", args=["rs"]), {"kind": "arms"})
        self.assertEqual(self.titles(response), [SERBIA_ONLY])

    def test_invalid_filters_are_a_400(self):
        response = self.client.get(reverse("country_feed", args=["rs"]), {"kind": "bogus"})
        self.assertEqual(response.status_code, 400)

    def test_an_unknown_country_is_a_404(self):
        self.assertEqual(self.client.get("/countries/zz/feed/").status_code, 404)

    def test_a_country_pair_feed_has_claims_involving_both(self):
        response = self.client.get(reverse("country_pair_feed", args=["rs", "cn"]))
        self.assertEqual(self.titles(response), [BOTH])
        self.assertEqual(
            self.titles(self.client.get(reverse("country_pair_feed", args=["cn", "rs"]))), [BOTH]
        )

    def test_the_pair_feed_links_to_the_pair_page(self):
        root, _ = self.atom(self.client.get(reverse("country_pair_feed", args=["rs", "us"])))
        self.assertEqual(self.titles(self.client.get("/countries/rs/us/feed/")), [US_RS])
        self.assertEqual(urlsplit(self.alternate_links(root)[0]).path, "/countries/rs/us/")

    def test_a_pair_with_an_unknown_country_is_a_404(self):
        self.assertEqual(self.client.get("/countries/rs/zz/feed/").status_code, 404)
        self.assertEqual(self.client.get("/countries/zz/rs/feed/").status_code, 404)

    def test_a_pair_feed_with_invalid_filters_is_a_400(self):
        response = self.client.get("/countries/rs/cn/feed/", {"from": "tomorrow"})
        self.assertEqual(response.status_code, 400)


class EventFeedTests(FeedFixture):
    def test_an_events_feed_has_its_published_claims(self):
        response = self.client.get(reverse("event_feed", args=["peace-guardian"]))
        self.assertCountEqual(self.titles(response), [BOTH, CHINA_ONLY])
        root = ET.fromstring(response.content)
        self.assertEqual(
            urlsplit(self.alternate_links(root)[0]).path, self.event.get_absolute_url()
        )

    def test_an_event_with_only_draft_claims_has_no_feed(self):
        response = self.client.get(reverse("event_feed", args=["secret-manoeuvres"]))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Zanzibarite", status_code=404)

    def test_an_unknown_event_is_a_404(self):
        self.assertEqual(self.client.get("/events/no-such-event/feed/").status_code, 404)

    def test_invalid_filters_are_a_400(self):
        response = self.client.get(reverse("event_feed", args=["peace-guardian"]), {"kind": "x"})
        self.assertEqual(response.status_code, 400)

    def test_a_control_character_in_an_events_name_does_not_break_its_feed(self):
        # Saved past the admin's validation (an importer, the ORM): the feed's own title
        # is cleaned like its entries.
        Event.objects.filter(pk=self.event.pk).update(name="EV admin\x0bentry")
        response = Client(raise_request_exception=False).get(
            reverse("event_feed", args=["peace-guardian"])
        )
        root, _ = self.atom(response)
        self.assertEqual(root.findtext(f"{ATOM}title"), "Claims: EV admin entry · newsclaims")


class ControlCharactersInFeedsTests(FeedFixture):
    """Every text that goes into a feed is cleaned of what XML 1.0 cannot carry."""

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def test_a_control_character_in_a_countrys_name_does_not_break_its_feeds(self):
        # Titles name a country in the reader's language (CLDR's name for its code), so
        # the stored name's control character never reaches them; the feeds stay valid.
        Country.objects.filter(code="RS").update(name="Ser\x01bia")
        for url in ["/countries/rs/feed/", "/countries/rs/cn/feed/"]:
            with self.subTest(url):
                root, _ = self.atom(self.client.get(url))
                self.assertIn("Serbia", root.findtext(f"{ATOM}title"))

    def test_a_control_character_in_an_actors_name_does_not_break_the_summaries(self):
        Actor.objects.filter(pk=self.rs.pk).update(name="Re\x1fpublic of Serbia")
        _, entries = self.atom(self.client.get(reverse("claim_feed")))
        summaries = [entry.findtext(f"{ATOM}summary") for entry in entries]
        self.assertTrue(any("Re public of Serbia" in summary for summary in summaries))


class DemoDataFeedTests(AtomTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def feed_urls(self):
        urls = [
            reverse("claim_feed"),
            reverse("claim_feed") + "?country=rs&country=cn",
            reverse("claim_feed") + "?q=drones",
            reverse("country_feed", args=["rs"]),
            reverse("country_feed", args=["cn"]),
            reverse("country_pair_feed", args=["rs", "cn"]),
            reverse("country_pair_feed", args=["cn", "rs"]),
        ]
        urls += [
            reverse("event_feed", args=[slug])
            for slug in Event.objects.values_list("slug", flat=True)
        ]
        return urls

    def test_every_feed_is_valid_atom_without_the_draft(self):
        for url in self.feed_urls():
            with self.subTest(url):
                response = self.client.get(url)
                self.atom(response)
                self.assertNotIn("zanzibarite", response.content.decode().lower())

    def test_the_serbia_china_feed_has_the_seed_claims(self):
        titles = self.titles(self.client.get(reverse("country_pair_feed", args=["rs", "cn"])))
        self.assertIn(
            "China and Serbia held their first joint military exercise, Peace Guardian 2025, "
            "in Hebei province.",
            titles,
        )
