"""
The claims list, /claims/: every filter alone and combined, sorting, pagination, chips.

The claims are hand_counted_world()'s: its table (tests/factories.py) says which
countries each involves and why, so every expected result below can be checked by eye.
"""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import reverse

from articles import detection
from articles.models import Claim

from .factories import (
    country,
    hand_counted_world,
    make_actor,
    make_claim,
    make_event,
    numbered_world,
    state,
)

STATEMENT = re.compile(r'<p class="claim-statement"><a href="[^"]*">(.*?)</a></p>', re.S)
TOTAL = re.compile(r'<p class="total">(\d+) claims?</p>')


def statements(response):
    """The claim statements a reader sees, in page order (searched words unmarked)."""
    return [
        html.unescape(re.sub(r"</?mark>", "", text))
        for text in STATEMENT.findall(response.content.decode())
    ]


def listed(response):
    """The claims listed, in page order, found by their statements."""
    texts = statements(response)
    claims = {claim.statement: claim for claim in Claim.objects.filter(statement__in=texts)}
    return [claims[text] for text in texts]


def total(response):
    match = TOTAL.search(response.content.decode())
    assert match, "the page shows no total"
    return int(match.group(1))


def links(response, css_class):
    """(text, href) of the links inside the <ul class="css_class"> list."""
    page = response.content.decode()
    match = re.search(rf'<ul class="{css_class}"[^>]*>(.*?)</ul>', page, re.S)
    if not match:
        return []
    return [
        (re.sub(r"<[^>]+>", "", html.unescape(text)).strip(), html.unescape(href))
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', match.group(1), re.S)
    ]


def query(href):
    return parse_qs(urlsplit(href).query)


class ClaimListFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = hand_counted_world()

    def get(self, params=""):
        return self.client.get(reverse("claim_list") + params)

    def assertShows(self, params, expected):
        """The page lists exactly the `expected` claims (any order) and says how many."""
        response = self.get(params)
        self.assertEqual(response.status_code, 200, params)
        self.assertCountEqual(listed(response), expected, params)
        self.assertEqual(total(response), len(expected), params)
        return response

    def assertListsInOrder(self, params, expected):
        response = self.get(params)
        self.assertEqual(response.status_code, 200, params)
        self.assertEqual(listed(response), expected, params)


class UnfilteredListTests(ClaimListFixture):
    def test_every_published_claim_is_listed_and_no_draft(self):
        w = self.world
        response = self.assertShows(
            "",
            [w.drill, w.missiles, w.gas, w.summit, w.neutrality, w.observers, w.trilateral]
            + [w.geneva],
        )
        self.assertNotContains(response, "Zanzibarite")

    def test_a_row_shows_date_kind_verification_event_sources_and_actors(self):
        w = self.world
        response = self.get()
        self.assertContains(response, "8 May 2025")
        self.assertContains(response, "May 2025")
        self.assertContains(response, "Military cooperation")
        self.assertContains(response, "Corroborated")
        self.assertContains(
            response,
            f'<a href="{w.peace_guardian.get_absolute_url()}">Peace Guardian</a>',
            html=True,
        )
        # The drill is quoted by two publishers: two independent sources.
        self.assertContains(response, "2 independent sources")
        self.assertContains(response, f'<a href="{w.pla.get_absolute_url()}">')
        self.assertContains(response, "(participant)")


class CountryFilterTests(ClaimListFixture):
    def test_one_country_means_claims_involving_it(self):
        w = self.world
        self.assertShows(
            "?country=rs",
            [w.drill, w.missiles, w.gas, w.summit, w.neutrality, w.observers, w.trilateral],
        )

    def test_an_actor_belonging_to_a_country_makes_the_claim_involve_it(self):
        # The missile claim has no Chinese state actor, only the PLA.
        w = self.world
        self.assertShows("?country=cn", [w.drill, w.missiles, w.summit, w.trilateral])

    def test_where_a_claim_happened_makes_it_involve_that_country(self):
        # The summit claim's only actor is China; it happened in Serbia. The trilateral
        # meeting's actors are Serbia and China; it happened in Russia.
        w = self.world
        self.assertIn(w.summit, listed(self.get("?country=rs")))
        self.assertIn(w.trilateral, listed(self.get("?country=ru")))

    def test_two_countries_means_both(self):
        w = self.world
        self.assertShows("?country=rs&country=cn", [w.drill, w.missiles, w.summit, w.trilateral])
        self.assertShows("?country=rs&country=ru", [w.gas, w.trilateral])
        self.assertShows("?country=us&country=ru", [w.geneva])

    def test_two_countries_never_involved_together_show_nothing(self):
        # Only the draft involves China and the United States.
        response = self.assertShows("?country=cn&country=us", [])
        self.assertContains(response, "No published claims match.")

    def test_country_codes_are_matched_whatever_their_case(self):
        w = self.world
        self.assertShows("?country=RS&country=Cn", [w.drill, w.missiles, w.summit, w.trilateral])


class OtherFilterTests(ClaimListFixture):
    def test_actor_filter(self):
        w = self.world
        self.assertShows(
            f"?actor={w.serbia.slug}", [w.drill, w.missiles, w.gas, w.observers, w.trilateral]
        )
        self.assertShows("?actor=pla", [w.missiles])

    def test_two_actors_means_both(self):
        w = self.world
        self.assertShows(f"?actor={w.serbia.slug}&actor={w.china.slug}", [w.drill, w.trilateral])
        self.assertShows(f"?actor={w.china.slug}&actor=pla", [])

    def test_event_filter(self):
        # The French draft is at Peace Guardian too.
        w = self.world
        self.assertShows("?event=peace-guardian", [w.drill, w.trilateral])
        self.assertShows("?event=belgrade-summit", [w.summit])

    def test_one_kind(self):
        w = self.world
        self.assertShows("?kind=military", [w.drill, w.observers, w.trilateral])

    def test_several_kinds_mean_any_of_them(self):
        w = self.world
        self.assertShows(
            "?kind=military&kind=arms", [w.drill, w.missiles, w.observers, w.trilateral]
        )

    def test_one_verification(self):
        w = self.world
        self.assertShows(
            "?verification=reported", [w.missiles, w.neutrality, w.observers, w.trilateral]
        )

    def test_several_verifications_mean_any_of_them(self):
        w = self.world
        self.assertShows(
            "?verification=reported&verification=disputed",
            [w.missiles, w.gas, w.neutrality, w.observers, w.trilateral],
        )

    def test_source_filter_counts_only_published_articles(self):
        w = self.world
        self.assertShows("?source=wire", [w.drill, w.gas, w.neutrality, w.observers])
        self.assertShows(
            "?source=gazette",
            [w.drill, w.missiles, w.summit, w.neutrality, w.trilateral, w.geneva],
        )
        # The hidden source's only article is a draft: readers cannot even name it.
        response = self.client.get(reverse("claim_list") + "?source=hidden")
        self.assertContains(response, "not one of the available choices", status_code=400)
        self.assertNotContains(response, "Zanzibarite", status_code=400)

    def test_language_filter_is_the_language_of_published_evidence(self):
        w = self.world
        self.assertShows("?language=sr-Latn", [w.missiles, w.neutrality])
        self.assertShows("?language=SR-LATN", [w.missiles, w.neutrality])
        self.assertShows(
            "?language=en",
            [w.drill, w.gas, w.summit, w.neutrality, w.observers, w.trilateral, w.geneva],
        )
        # Only the draft article is in French.
        self.assertShows("?language=fr", [])


class DateFilterTests(ClaimListFixture):
    def test_from_a_year(self):
        w = self.world
        self.assertShows("?from=2025", [w.drill, w.missiles, w.summit, w.observers, w.trilateral])

    def test_to_a_year_includes_the_whole_year(self):
        w = self.world
        self.assertShows("?to=2024", [w.gas, w.geneva])

    def test_a_whole_month(self):
        w = self.world
        self.assertShows(
            "?from=2025-05&to=2025-05", [w.drill, w.missiles, w.observers, w.trilateral]
        )

    def test_to_a_month_includes_its_last_day(self):
        w = self.world
        self.assertShows("?from=2025-05-08&to=2025-05", [w.drill, w.observers, w.trilateral])

    def test_day_bounds_are_inclusive(self):
        w = self.world
        self.assertShows("?from=2025-05-08&to=2025-05-31", [w.drill, w.observers, w.trilateral])
        self.assertShows("?from=2025-05-08&to=2025-05-08", [w.drill])

    def test_to_a_day(self):
        # The missiles deal is dated to May 2025: it counts as its first day.
        w = self.world
        self.assertShows("?to=2025-05-07", [w.missiles, w.gas, w.geneva])

    def test_from_a_month(self):
        self.assertShows("?from=2025-06", [self.world.summit])

    def test_one_digit_months_and_days_are_understood(self):
        self.assertShows("?from=2025-6-1", [self.world.summit])

    def test_undated_claims_are_left_out_of_any_date_range(self):
        w = self.world
        self.assertShows(
            "?from=1900",
            [w.drill, w.missiles, w.gas, w.summit, w.observers, w.trilateral, w.geneva],
        )


class SearchTests(ClaimListFixture):
    def test_words_match_statements(self):
        self.assertShows("?q=drill", [self.world.drill])

    def test_search_is_case_insensitive(self):
        self.assertShows("?q=DRILL", [self.world.drill])
        self.assertShows("?q=gEnEvA", [self.world.geneva])

    def test_words_match_evidence_quotes(self):
        # "raketni" is only in the Serbian-language quote of the missile claim.
        self.assertShows("?q=raketni", [self.world.missiles])

    def test_words_match_actor_names(self):
        self.assertShows("?q=liberation", [self.world.missiles])

    def test_words_match_actor_aliases(self):
        self.assertShows("?q=pla", [self.world.missiles])
        self.assertShows("?q=vucic", [self.world.neutrality])
        self.assertShows("?q=Вучић", [self.world.neutrality])

    def test_every_word_must_match(self):
        self.assertShows("?q=serbia+drill", [self.world.drill])
        self.assertShows("?q=serbia+geneva", [])

    def test_quotes_from_draft_articles_are_not_searched(self):
        self.assertShows("?q=zanzibarite", [])


class SearchHighlightTests(TestCase):
    def test_searched_words_are_marked_and_markup_in_statements_stays_text(self):
        make_claim([state("RS")], statement="Serbia's <b>drill</b> & <script>x()</script>.")
        response = self.client.get(reverse("claim_list"), {"q": "drill"})
        self.assertEqual(total(response), 1)
        self.assertContains(response, "<mark>drill</mark>")
        self.assertNotContains(response, "<b>")
        self.assertNotContains(response, "<script>x()")
        self.assertContains(response, "&lt;script&gt;")


class CombinedFilterTests(ClaimListFixture):
    def test_country_kind_date_and_source(self):
        w = self.world
        self.assertShows(
            "?country=rs&kind=military&from=2025-05&source=wire", [w.drill, w.observers]
        )

    def test_two_countries_and_a_verification(self):
        self.assertShows("?country=rs&country=cn&verification=corroborated", [self.world.drill])

    def test_actor_event_language_and_words(self):
        w = self.world
        self.assertShows(
            f"?actor={w.serbia.slug}&event=peace-guardian&language=en&q=drill", [w.drill]
        )

    def test_any_of_kinds_with_an_upper_bound(self):
        w = self.world
        self.assertShows("?kind=military&kind=arms&to=2025-05-08", [w.drill, w.missiles])

    def test_country_and_search(self):
        self.assertShows("?country=ru&q=gas", [self.world.gas])

    def test_a_claim_edited_to_another_kind_and_date_moves_between_country_filters(self):
        # The country filter reads the kind and date copied onto the country links.
        w = self.world
        self.assertShows("?country=cn&kind=military&from=2025", [w.drill, w.trilateral])
        w.drill.kind, w.drill.occurred_on = Claim.Kind.ARMS, datetime.date(2024, 2, 1)
        w.drill.save()
        self.assertShows("?country=cn&kind=military&from=2025", [w.trilateral])
        self.assertShows("?country=cn&kind=arms&to=2024", [w.drill])

    def test_everything_at_once(self):
        params = (
            "?country=rs&country=cn&actor=pla&kind=arms&kind=military&verification=reported"
            "&source=gazette&language=sr-latn&from=2025&to=2025-05&q=missile&sort=sourced"
        )
        self.assertShows(params, [self.world.missiles])


class SortTests(ClaimListFixture):
    def test_most_recent_first_and_undated_last_by_default(self):
        w = self.world
        self.assertListsInOrder(
            "",
            [w.summit, w.observers, w.trilateral, w.drill, w.missiles, w.gas, w.geneva]
            + [w.neutrality],
        )

    def test_sort_recent_is_the_default(self):
        w = self.world
        self.assertListsInOrder(
            "?sort=recent",
            [w.summit, w.observers, w.trilateral, w.drill, w.missiles, w.gas, w.geneva]
            + [w.neutrality],
        )

    def test_recently_added_first(self):
        w = self.world
        self.assertListsInOrder(
            "?sort=added",
            [w.gas, w.geneva, w.trilateral, w.observers, w.neutrality, w.summit, w.missiles]
            + [w.drill],
        )

    def test_best_sourced_counts_published_articles_only(self):
        # Neutrality: 3 published (+1 draft); drill: 2; the rest 1, then most recent
        # first. Geneva's draft evidence does not lift it above the others.
        w = self.world
        self.assertListsInOrder(
            "?sort=sourced",
            [w.neutrality, w.drill, w.summit, w.observers, w.trilateral, w.missiles, w.gas]
            + [w.geneva],
        )

    def test_sorting_keeps_the_filters(self):
        w = self.world
        self.assertListsInOrder(
            "?country=rs&kind=military&sort=added", [w.trilateral, w.observers, w.drill]
        )

    def test_the_current_sort_is_marked_and_the_others_are_links(self):
        response = self.get("?country=rs&sort=added")
        self.assertContains(response, '<strong aria-current="true">Recently added</strong>')
        self.assertContains(response, '<a href="?country=rs&amp;sort=recent">Most recent</a>')
        self.assertContains(response, '<a href="?country=rs&amp;sort=sourced">Best sourced</a>')


class ChipTests(ClaimListFixture):
    def test_no_chips_without_filters(self):
        response = self.get()
        self.assertNotContains(response, 'class="chips"')
        self.assertNotContains(response, "Clear all")

    def test_each_active_filter_has_a_chip_that_removes_only_it(self):
        response = self.get(
            "?country=rs&country=cn&kind=military&kind=arms&from=2025-05&q=drill&source=wire"
        )
        chips = dict(links(response, "chips"))
        self.assertEqual(
            set(chips),
            {
                "Remove filter Country: Serbia ×",
                "Remove filter Country: China ×",
                "Remove filter Kind: Military cooperation ×",
                "Remove filter Kind: Arms transfer ×",
                "Remove filter Source: Demo Wire ×",
                "Remove filter From 2025-05 ×",
                "Remove filter Words: drill ×",
                "Clear all",
            },
        )
        self.assertEqual(
            query(chips["Remove filter Country: Serbia ×"]),
            {
                "country": ["cn"],
                "kind": ["military", "arms"],
                "from": ["2025-05"],
                "q": ["drill"],
                "source": ["wire"],
            },
        )
        self.assertEqual(query(chips["Remove filter Kind: Arms transfer ×"])["kind"], ["military"])
        self.assertNotIn("from", query(chips["Remove filter From 2025-05 ×"]))
        self.assertNotIn("q", query(chips["Remove filter Words: drill ×"]))

    def test_chips_for_actor_event_verification_language_and_to(self):
        response = self.get(
            f"?actor={self.world.serbia.slug}&event=peace-guardian&verification=corroborated"
            "&language=en&to=2025"
        )
        labels = {label for label, _ in links(response, "chips")}
        self.assertTrue(
            {
                "Remove filter Actor: Serbia ×",
                "Remove filter Event: Peace Guardian ×",
                "Remove filter Verification: Corroborated ×",
                "Remove filter Language: en ×",
                "Remove filter To 2025 ×",
            }
            <= labels,
            labels,
        )

    def test_following_a_chip_removes_that_filter(self):
        w = self.world
        response = self.get("?country=rs&country=cn&kind=military")
        href = dict(links(response, "chips"))["Remove filter Kind: Military cooperation ×"]
        self.assertShows(href, [w.drill, w.missiles, w.summit, w.trilateral])

    def test_clear_all_removes_every_filter_and_the_page(self):
        response = self.get("?country=rs&kind=military&q=drill&from=2025&page=1")
        clear = dict(links(response, "chips"))["Clear all"]
        self.assertEqual(query(clear), {})
        self.assertEqual(total(self.get(clear)), 8)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # 25 military claims involving Serbia, and one economic claim by Niger.
        cls.world = numbered_world(26, serbian=25)

    def test_twenty_claims_a_page(self):
        response = self.client.get(reverse("claim_list") + "?country=rs&kind=military")
        self.assertEqual(total(response), 25)
        self.assertEqual(len(statements(response)), 20)
        self.assertContains(response, "Page 1 of 2")

    def test_the_next_link_keeps_the_filters(self):
        response = self.client.get(reverse("claim_list") + "?country=rs&kind=military")
        next_href = re.search(r'<a href="([^"]*)" rel="next">', response.content.decode())
        self.assertEqual(
            query(html.unescape(next_href.group(1))),
            {"country": ["rs"], "kind": ["military"], "page": ["2"]},
        )
        second = self.client.get(reverse("claim_list") + html.unescape(next_href.group(1)))
        # The oldest five; not Niger's claim, the most recent of all.
        self.assertEqual(listed(second), self.world.claims[4::-1])
        self.assertContains(second, "Page 2 of 2")

    def test_the_previous_link_keeps_the_filters(self):
        response = self.client.get(reverse("claim_list") + "?country=rs&kind=military&page=2")
        previous = re.search(r'<a href="([^"]*)" rel="prev">', response.content.decode())
        self.assertEqual(
            query(html.unescape(previous.group(1))),
            {"country": ["rs"], "kind": ["military"], "page": ["1"]},
        )

    def test_filter_facet_sort_and_chip_links_drop_the_page_number(self):
        response = self.client.get(reverse("claim_list") + "?country=rs&page=2")
        page = html.unescape(response.content.decode())
        hrefs = re.findall(r'<a href="(\?[^"]*)"', page)
        rel_links = re.findall(r'<a href="(\?[^"]*)" rel="(?:next|prev)"', page)
        others = [href for href in hrefs if href not in rel_links]
        self.assertTrue(others)
        for href in others:
            self.assertNotIn("page", query(href), href)

    def test_the_filter_form_does_not_resubmit_the_page(self):
        response = self.client.get(reverse("claim_list") + "?country=rs&page=2")
        self.assertContains(response, '<input type="hidden" name="country" value="rs">')
        self.assertNotContains(response, 'name="page"')


class ClaimListQueryCountTests(TestCase):
    """The same number of queries for one claim as for a full page of twenty.

    Counts include, first, the change log number that pages are cached under
    (articles/caching.py); adding rows moves it on, so each request here renders afresh,
    and the read index first applies the entries it has not seen (two queries).
    """

    def add_claims(self, n):
        for _ in range(n):
            make_claim(
                [state("RS"), (make_actor(country=country("CN")), "host")],
                statement="Serbia and China held a joint drill.",
                event=make_event(),
            )

    def test_unfiltered_list(self):
        # 1 the change log number, 2-3 the read index catches up (the entries since
        # it was built, the claims they name), 4 the page of claims, 5 their actors,
        # 6 the names of the facets' countries, actors, events and sources (and the map's
        # countries: here the same ones). Totals, facet and map counts are the read
        # index's: no query.
        url = reverse("claim_list")
        self.add_claims(1)
        with self.assertNumQueries(6):
            self.assertEqual(len(statements(self.client.get(url))), 1)
        self.add_claims(19)
        with self.assertNumQueries(6):
            self.assertEqual(len(statements(self.client.get(url))), 20)

    def test_filtered_list(self):
        # 1 the change log number, 2-4 validate ?country, ?actor and ?event, 5-6 the
        # read index catches up, 7 the claims matching the words (with their ranks, on
        # PostgreSQL), 8 the page of claims, 9 their actors, 10 the facet values' names
        # (the map's countries among them), 11-13 whether the gazetteer of country names is
        # current (the words name none).
        self.add_claims(1)
        event = make_event(slug="drill-event")
        url = reverse("claim_list") + (
            f"?country=rs&actor={state('RS').slug}&event=drill-event&kind=military"
            "&verification=reported&from=2025&q=drill&sort=sourced"
        )

        def tag():
            for claim in Claim.objects.all():
                claim.event = event
                claim.save()

        tag()
        detection.gazetteer()  # built once per change of names, not per request
        with self.assertNumQueries(13):
            self.assertEqual(len(statements(self.client.get(url))), 1)
        self.add_claims(19)
        tag()
        detection.gazetteer()
        with self.assertNumQueries(13):
            self.assertEqual(len(statements(self.client.get(url))), 20)
