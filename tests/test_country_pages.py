"""Country pages: the index by region, a country's page, and a pair of countries."""

import datetime
import html
import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles.models import Claim

from .factories import (
    country,
    hand_counted_world,
    make_claim,
    make_event,
    state,
)

STATEMENT = re.compile(r'<p class="claim-statement"><a href="[^"]*">(.*?)</a></p>', re.S)


def statements(response):
    return [
        html.unescape(re.sub(r"</?mark>", "", text))
        for text in STATEMENT.findall(response.content.decode())
    ]


def listed(response):
    """The claims listed, in page order, found by their statements."""
    texts = statements(response)
    claims = {claim.statement: claim for claim in Claim.objects.filter(statement__in=texts)}
    return [claims[text] for text in texts]


def section(response, heading_id):
    """The HTML of the <section aria-labelledby=heading_id>."""
    page = response.content.decode()
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


class CountryFixture(TestCase):
    """hand_counted_world()'s claims: its table (tests/factories.py) has the counts."""

    @classmethod
    def setUpTestData(cls):
        cls.world = hand_counted_world()

    def get(self, name, *args, query=""):
        return self.client.get(reverse(name, args=args) + query)


class CountryListTests(CountryFixture):
    def test_countries_are_grouped_by_region_in_order(self):
        response = self.get("country_list")
        regions = re.findall(r'<h2 id="region-\d+">(.*?)</h2>', response.content.decode())
        self.assertEqual(regions, ["Americas", "Asia", "Europe"])

    def test_each_country_shows_how_many_published_claims_involve_it(self):
        response = self.get("country_list")
        for code, name, count in [
            ("rs", "Serbia", 7),
            ("cn", "China", 4),
            ("ru", "Russia", 3),
            ("us", "United States", 1),
        ]:
            with self.subTest(name):
                self.assertContains(
                    response,
                    f'<a href="/countries/{code}/">{name}</a> <span class="count">{count}</span>',
                    html=True,
                )

    def test_a_country_is_listed_under_its_region(self):
        response = self.get("country_list")
        page = response.content.decode()
        europe = page[page.index(">Europe</h2>") :]
        self.assertIn("Serbia", europe)
        self.assertIn("Russia", europe)
        self.assertNotIn("China", europe)

    def test_countries_with_only_draft_claims_are_left_out(self):
        response = self.get("country_list")
        self.assertContains(response, "Serbia")
        self.assertNotContains(response, "France")


class CountryDetailTests(CountryFixture):
    def test_lists_the_claims_involving_the_country(self):
        w = self.world
        response = self.get("country_detail", "rs")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            listed(response),
            [w.summit, w.observers, w.trilateral, w.drill, w.missiles, w.gas, w.neutrality],
        )
        self.assertContains(response, "<h1>Serbia</h1>", html=True)

    def test_partners_are_ranked_by_shared_claims_and_link_to_the_pair_page(self):
        partners = section(self.get("country_detail", "rs"), "partners-heading")
        links = re.findall(
            r'<a href="([^"]*)">Serbia and (.*?)</a> <span class="count">(\d+)</span>', partners
        )
        # China: the drill, the missiles and the trilateral meeting (not the summit, where
        # Serbia is only the place); Russia: the gas deal (not the meeting held there).
        self.assertEqual(
            links, [("/countries/rs/cn/", "China", "3"), ("/countries/rs/ru/", "Russia", "1")]
        )

    def test_a_country_that_is_only_the_place_of_a_meeting_is_no_partner(self):
        # The trilateral meeting of Serbia and China was held in Russia: Russia's page lists
        # it, but makes no partners of Serbia or China through it.
        response = self.get("country_detail", "ru")
        self.assertIn(self.world.trilateral, listed(response))
        partners = section(response, "partners-heading")
        self.assertIn("Russia and Serbia", partners)  # the gas deal
        self.assertNotIn("China", partners)

    def test_partners_through_drafts_only_are_left_out(self):
        # Only the draft involves Serbia and the United States.
        partners = section(self.get("country_detail", "rs"), "partners-heading")
        self.assertIn("China", partners)
        self.assertNotIn("United States", partners)

    def test_lists_the_countrys_events(self):
        w = self.world
        events = section(self.get("country_detail", "rs"), "events-heading")
        self.assertIn(f'<a href="{w.peace_guardian.get_absolute_url()}">Peace Guardian</a>', events)
        self.assertIn(
            f'<a href="{w.belgrade_summit.get_absolute_url()}">Belgrade summit</a>', events
        )
        # The draft involving Serbia is at the draft-only event.
        self.assertNotIn("Zanzibarite", events)

    def test_draws_an_inline_svg_chart_of_claims_per_month(self):
        response = self.get("country_detail", "rs")
        chart = section(response, "chart-heading")
        self.assertIn("<svg", chart)
        # Drill, missiles (dated to the month), trilateral and observers; then the summit.
        self.assertIn("<title>May 2025: 4</title>", chart)
        self.assertIn("<title>June 2025: 1</title>", chart)
        # The gas deal is dated to 2024 only: its month is unknown, so it is not drawn.
        self.assertNotIn("2024", chart)
        # The draft is dated July 2025: it must not stretch the chart.
        self.assertNotIn("July 2025", chart)

    def test_a_claim_that_happened_in_the_country_is_on_its_page(self):
        # The trilateral meeting's actors are Serbia and China; it happened in Russia.
        self.assertIn(self.world.trilateral, listed(self.get("country_detail", "ru")))

    def test_the_claims_on_the_page_can_be_filtered(self):
        w = self.world
        response = self.get("country_detail", "rs", query="?kind=military")
        self.assertEqual(listed(response), [w.observers, w.trilateral, w.drill])

    def test_a_capitalised_code_redirects_permanently_to_the_lower_case_page(self):
        response = self.get("country_detail", "RS")
        self.assertRedirects(response, reverse("country_detail", args=["rs"]), status_code=301)

    def test_an_unknown_code_is_404(self):
        self.assertEqual(self.get("country_detail", "zz").status_code, 404)
        # Not two letters: no such URL at all.
        self.assertEqual(self.client.get("/countries/serbia/").status_code, 404)

    def test_a_country_with_no_published_claims_is_404(self):
        self.assertEqual(self.get("country_detail", "fr").status_code, 404)
        self.assertEqual(self.get("country_detail", "de").status_code, 404)

    def test_a_country_with_no_published_claims_is_404_whatever_the_query_string(self):
        # A query string must not turn a page that does not exist into an empty one.
        for query in ("?page=2", "?sort=added"):
            with self.subTest(query):
                self.assertEqual(self.get("country_detail", "fr", query=query).status_code, 404)


class CountryPairTests(CountryFixture):
    def test_shows_the_claims_with_actors_of_both(self):
        w = self.world
        response = self.get("country_pair", "rs", "cn")
        self.assertEqual(response.status_code, 200)
        # Not the summit: China criticised it, Serbia was only where it took place.
        self.assertEqual(listed(response), [w.trilateral, w.drill, w.missiles])
        self.assertContains(response, "<h1>Serbia and China</h1>", html=True)

    def test_the_other_order_shows_the_same_claims(self):
        w = self.world
        self.assertEqual(
            listed(self.get("country_pair", "cn", "rs")),
            [w.trilateral, w.drill, w.missiles],
        )

    def test_a_claim_held_in_one_of_the_two_is_not_a_shared_claim(self):
        # Serbia and Russia share the gas deal; the Serbia–China meeting held in Moscow is
        # not theirs.
        response = self.get("country_pair", "rs", "ru")
        self.assertEqual(listed(response), [self.world.gas])

    def test_both_orders_name_the_same_canonical_url(self):
        canonical = '<link rel="canonical" href="http://testserver/countries/cn/rs/">'
        self.assertContains(self.get("country_pair", "rs", "cn"), canonical, html=True)
        self.assertContains(self.get("country_pair", "cn", "rs"), canonical, html=True)

    def test_counts_by_kind_most_first(self):
        # Drill and trilateral; then the missiles. The summit is not theirs (Serbia was
        # only its place).
        kinds = section(self.get("country_pair", "rs", "cn"), "kinds-heading")
        found = re.findall(r'kind=(\w+)">(.*?)</a> <span class="count">(\d+)</span>', kinds)
        self.assertEqual(
            found, [("military", "Military cooperation", "2"), ("arms", "Arms transfer", "1")]
        )

    def test_a_kind_links_to_the_filtered_claims_list(self):
        response = self.get("country_pair", "rs", "cn")
        self.assertContains(response, "/claims/?partner=rs&amp;partner=cn&amp;kind=military")
        listed_there = listed(self.client.get("/claims/?partner=rs&partner=cn&kind=military"))
        self.assertEqual(listed_there, [self.world.trilateral, self.world.drill])

    def test_shared_events(self):
        events = section(self.get("country_pair", "rs", "cn"), "events-heading")
        self.assertIn("Peace Guardian", events)
        # The Belgrade summit's only actor is China.
        self.assertNotIn("Belgrade summit", events)
        # The draft involving both is at the draft-only event.
        self.assertNotIn("Zanzibarite", events)
        # Serbia and Russia share only the gas deal, at no event: the trilateral meeting
        # at Peace Guardian was held in Russia, without Russian actors.
        events = section(self.get("country_pair", "rs", "ru"), "events-heading")
        self.assertNotIn("Peace Guardian", events)
        self.assertNotIn("Belgrade summit", events)

    def test_the_same_code_twice_redirects_permanently_to_the_country_page(self):
        # Like a capitalised code, /countries/rs/rs/ is another address for a page that
        # never changes: search engines are told so with a permanent redirect.
        country_page = reverse("country_detail", args=["rs"])
        self.assertRedirects(self.get("country_pair", "rs", "rs"), country_page, status_code=301)
        self.assertRedirects(self.get("country_pair", "rs", "RS"), country_page, status_code=301)

    def test_capitalised_codes_redirect_permanently(self):
        response = self.get("country_pair", "RS", "Cn")
        self.assertRedirects(response, reverse("country_pair", args=["rs", "cn"]), status_code=301)

    def test_a_pair_sharing_only_a_draft_says_it_has_no_claims_yet(self):
        response = self.get("country_pair", "rs", "us")
        self.assertContains(response, "No claims yet")
        self.assertNotContains(response, "Zanzibarite")
        self.assertEqual(statements(response), [])

    def test_a_pair_without_shared_claims_answers_200_with_links_to_each_country(self):
        # China and the United States share no claim; each has claims of its own.
        response = self.get("country_pair", "cn", "us")
        self.assertContains(response, "<h1>China and United States</h1>", html=True)
        self.assertContains(response, "No claims yet")
        self.assertContains(response, '<a href="/countries/cn/">Claims involving China</a>')
        self.assertContains(response, '<a href="/countries/us/">Claims involving United States</a>')
        # An empty page is not one for search engines.
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)

    def test_a_pair_with_a_country_without_claims_says_so_instead_of_linking_to_a_404(self):
        # Japan is in no claim at all: its page would be a 404.
        response = self.get("country_pair", "rs", "jp")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<a href="/countries/rs/">Claims involving Serbia</a>')
        self.assertContains(response, "No published claims involve Japan yet.")
        self.assertNotContains(response, 'href="/countries/jp/"')

    def test_a_page_past_the_end_of_an_empty_pair_is_404(self):
        response = self.get("country_pair", "rs", "jp", query="?page=2")
        self.assertContains(response, '<a href="/countries/rs/jp/">', status_code=404)

    def test_an_unknown_code_in_a_pair_is_404(self):
        self.assertEqual(self.get("country_pair", "rs", "zz").status_code, 404)
        self.assertEqual(self.get("country_pair", "zz", "rs").status_code, 404)


class CountryPageQueryCountTests(TestCase):
    """The same number of queries for one claim as for twenty.

    Counts include, first, the content version that pages are cached under
    (articles/caching.py); adding rows moves it on, so each request here renders afresh.
    """

    def add_claims(self, n):
        for _ in range(n):
            make_claim(
                [state("RS"), state("CN")],
                event=make_event(host_country=country("CN")),
                occurred_on=datetime.date(2025, 5, 8),
            )

    def test_country_list(self):
        # 1 the countries with their published claim counts.
        url = reverse("country_list")
        self.add_claims(1)
        with self.assertNumQueries(2):
            self.assertContains(self.client.get(url), "Serbia")
        for code in ["FR", "DE", "IT", "ES", "PL", "RU", "US", "GB", "JP", "IN"]:
            make_claim([state(code), state("RS")])
        with self.assertNumQueries(2):
            self.assertContains(self.client.get(url), "Japan")

    def test_country_page(self):
        # 1 the change log number, 2 the country, 3-4 the read index catches up (the
        # entries since it was built, the claims they name), 5 the page of claims, 6
        # their actors, 7 the facet values' names (the partners' and the map's among
        # them: kept until the next change), 8 the events. Counts, partners, the map and
        # the chart are the read index's.
        url = reverse("country_detail", args=["rs"])
        self.add_claims(1)
        with self.assertNumQueries(8):
            self.assertEqual(self.client.get(url).status_code, 200)
        self.add_claims(19)
        with self.assertNumQueries(8):
            self.assertEqual(len(statements(self.client.get(url))), 20)

    def test_pair_page(self):
        # 1 the change log number, 2 the country, 3 the partner, 4-5 the read index
        # catches up, 6 the page of claims, 7 their actors, 8 shared events. Kinds are
        # the read index's.
        url = reverse("country_pair", args=["rs", "cn"])
        self.add_claims(1)
        with self.assertNumQueries(8):
            self.assertEqual(self.client.get(url).status_code, 200)
        self.add_claims(19)
        with self.assertNumQueries(8):
            self.assertEqual(len(statements(self.client.get(url))), 20)


class DemoSerbiaChinaTests(TestCase):
    """From the pair page to the highlighted quote, through the demo data."""

    STATEMENT = (
        "China and Serbia held their first joint military exercise, Peace Guardian 2025, "
        "in Hebei province."
    )
    QUOTE = (
        "“The training in China was the first joint training of the armies of the two "
        "countries,” the country’s Defense Ministry said in a statement."
    )

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_the_pair_page_leads_to_the_claim_and_its_highlighted_quote(self):
        pair = self.client.get(reverse("country_pair", args=["rs", "cn"]))
        self.assertEqual(pair.status_code, 200)
        claim_href = re.search(
            rf'<a href="([^"]+)">{re.escape(self.STATEMENT)}</a>', pair.content.decode()
        )
        self.assertIsNotNone(claim_href, "the pair page does not list the first exercise")

        claim_page = self.client.get(claim_href.group(1))
        self.assertEqual(claim_page.status_code, 200)
        self.assertContains(claim_page, f"<h1>{self.STATEMENT}</h1>", html=True)
        article_link = re.search(
            r'<a href="(/articles/\d+/peace-guardian-2025/)#(evidence-\d+)">Read the quote in',
            claim_page.content.decode(),
        )
        self.assertIsNotNone(article_link, "the claim page does not link to the seed article")

        article_path, anchor = article_link.groups()
        article_page = self.client.get(article_path)
        self.assertEqual(article_page.status_code, 200)
        self.assertContains(
            article_page,
            f'<mark id="{anchor}"><a href="{claim_href.group(1)}">{self.QUOTE}</a></mark>',
            html=True,
        )

    def test_both_orders_of_the_pair_list_the_same_eleven_claims(self):
        first = statements(self.client.get(reverse("country_pair", args=["rs", "cn"])))
        second = statements(self.client.get(reverse("country_pair", args=["cn", "rs"])))
        self.assertEqual(first, second)
        self.assertEqual(len(first), 11)
        self.assertIn(self.STATEMENT, first)
        self.assertFalse([s for s in first if "Zanzibarite" in s])
