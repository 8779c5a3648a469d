"""
The claims list, /claims/: every filter alone and combined, sorting, pagination, chips.

The fixture is small enough to count by hand; the comment above each claim says which
countries it involves and why, so every expected result below can be checked by eye.
"""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Actor, Claim, Evidence

from .factories import (
    TIME_BOX_QUERIES,
    country,
    make_actor,
    make_article,
    make_claim,
    make_event,
    make_source,
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


EN_BODY = (
    "Serbian and Chinese troops held a joint drill near Beijing.\n"
    "Russia and Serbia signed a gas deal, officials said.\n"
    "President Vučić again praised military neutrality.\n"
    "Serbia hosted an observer mission at the end of May."
)
SR_BODY = "Srbija je kupila kineski raketni sistem.\nVučić je pohvalio neutralnost."
GAZETTE_BODY = (
    "China criticised the summit in Belgrade.\n"
    "The United States and Russia met in Geneva.\n"
    "President Vučić again praised military neutrality.\n"
    "Serbian and Chinese troops held a joint drill near Beijing."
)
DRAFT_BODY = "Zanzibarite observers praised neutrality.\nLa neutralité zanzibarite."

DRILL = "Serbia and China held a joint drill."
MISSILES = "Serbia bought a Chinese missile system."
GAS = "Russia and Serbia signed a gas deal."
SUMMIT = "China criticised a summit in Belgrade."
NEUTRALITY = "Aleksandar Vučić praised military neutrality."
OBSERVERS = "Serbia hosted an observer mission."
GENEVA = "The United States and Russia met in Geneva."
DRAFT = "Zanzibarite draft claim about Serbia and China."


class ClaimListFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rs, cls.cn, cls.ru, cls.us = state("RS"), state("CN"), state("RU"), state("US")
        cls.pla = make_actor(
            name="People's Liberation Army",
            slug="pla",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
            aliases="PLA\n中国人民解放军",
        )
        cls.vucic = make_actor(
            name="Aleksandar Vučić",
            slug="aleksandar-vucic",
            kind=Actor.Kind.PERSON,
            country=country("RS"),
            aliases="Vucic\nАлександар Вучић",
        )
        cls.wire = make_source(name="Demo Wire", slug="wire")
        cls.gazette = make_source(name="Example Gazette", slug="gazette")
        cls.hidden = make_source(name="Hidden Source", slug="hidden")
        cls.en = make_article(source=cls.wire, body=EN_BODY, language="en")
        cls.sr = make_article(source=cls.gazette, body=SR_BODY, language="sr-Latn")
        cls.gz = make_article(source=cls.gazette, body=GAZETTE_BODY, language="en")
        cls.draft_article = make_article(
            source=cls.hidden, body=DRAFT_BODY, language="fr", status="draft"
        )
        cls.peace = make_event(name="Peace Guardian", slug="peace-guardian")
        cls.summit = make_event(name="Belgrade summit", slug="belgrade-summit", kind="summit")

        def day(*parts):
            return {"occurred_on": datetime.date(*parts), "date_precision": "day"}

        # RS, CN (state actors). Two published sources.
        cls.drill = make_claim(
            [cls.rs, cls.cn],
            article=cls.en,
            quote="Serbian and Chinese troops held a joint drill near Beijing.",
            statement=DRILL,
            kind="military",
            verification="corroborated",
            event=cls.peace,
            **day(2025, 5, 8),
        )
        cls.evidence(cls.drill, cls.gz, "Serbian and Chinese troops held a joint drill")
        # RS (state) and CN (through the PLA, a Chinese actor). Month precision.
        cls.missiles = make_claim(
            [cls.rs, cls.pla],
            article=cls.sr,
            quote="Srbija je kupila kineski raketni sistem.",
            statement=MISSILES,
            kind="arms",
            verification="reported",
            occurred_on=datetime.date(2025, 5, 20),
            date_precision="month",
        )
        # RS, RU. Year precision.
        cls.gas = make_claim(
            [cls.rs, cls.ru],
            article=cls.en,
            quote="Russia and Serbia signed a gas deal",
            statement=GAS,
            kind="economic",
            verification="disputed",
            occurred_on=datetime.date(2024, 9, 9),
            date_precision="year",
        )
        # CN (actor) and RS only because it happened there: claim.country.
        cls.summit_claim = make_claim(
            [cls.cn],
            article=cls.gz,
            quote="China criticised the summit in Belgrade.",
            statement=SUMMIT,
            kind="diplomatic",
            verification="refuted",
            country=country("RS"),
            event=cls.summit,
            **day(2025, 6, 1),
        )
        # RS (through Vučić). Undated, three published sources and one draft.
        cls.neutrality = make_claim(
            [cls.vucic],
            article=cls.en,
            quote="President Vučić again praised military neutrality.",
            statement=NEUTRALITY,
            kind="policy",
            verification="reported",
            occurred_on=None,
            date_precision="",
        )
        cls.evidence(cls.neutrality, cls.sr, "Vučić je pohvalio neutralnost.")
        cls.evidence(cls.neutrality, cls.gz, "President Vučić again praised military neutrality.")
        cls.evidence(cls.neutrality, cls.draft_article, "Zanzibarite observers praised neutrality.")
        # RS. Last day of May.
        cls.observers = make_claim(
            [cls.rs],
            article=cls.en,
            quote="Serbia hosted an observer mission",
            statement=OBSERVERS,
            kind="military",
            verification="reported",
            **day(2025, 5, 31),
        )
        # US, RU: does not involve Serbia. One published source, one draft.
        cls.geneva = make_claim(
            [cls.us, cls.ru],
            article=cls.gz,
            quote="The United States and Russia met in Geneva.",
            statement=GENEVA,
            kind="diplomatic",
            verification="corroborated",
            **day(2023, 3, 10),
        )
        cls.evidence(cls.geneva, cls.draft_article, "La neutralité zanzibarite.")
        # A draft: RS and CN, military, backed by the draft article only.
        make_claim(
            [cls.rs, cls.cn],
            article=cls.draft_article,
            quote="Zanzibarite observers praised neutrality.",
            statement=DRAFT,
            kind="military",
            status="draft",
            event=cls.peace,
            **day(2025, 5, 9),
        )
        # "Recently added" differs from "most recent": the gas deal was entered last.
        added = [cls.drill, cls.missiles, cls.summit_claim, cls.neutrality, cls.observers]
        added += [cls.geneva, cls.gas]
        start = timezone.make_aware(datetime.datetime(2025, 8, 1, 9, 0))
        for hours, claim in enumerate(added):
            Claim.objects.filter(pk=claim.pk).update(
                created_at=start + datetime.timedelta(hours=hours)
            )

    @classmethod
    def evidence(cls, claim, article, quote):
        Evidence.objects.create(claim=claim, article=article, quote=quote)

    def get(self, params=""):
        return self.client.get(reverse("claim_list") + params)

    def assertShows(self, params, expected):
        """The page lists exactly `expected` (statements, any order) and says how many."""
        response = self.get(params)
        self.assertEqual(response.status_code, 200, params)
        self.assertEqual(sorted(statements(response)), sorted(expected), params)
        self.assertEqual(total(response), len(expected), params)
        return response


class UnfilteredListTests(ClaimListFixture):
    def test_every_published_claim_is_listed_and_no_draft(self):
        response = self.assertShows(
            "", [DRILL, MISSILES, GAS, SUMMIT, NEUTRALITY, OBSERVERS, GENEVA]
        )
        self.assertNotContains(response, "Zanzibarite")

    def test_a_row_shows_date_kind_verification_event_sources_and_actors(self):
        response = self.get()
        self.assertContains(response, "8 May 2025")
        self.assertContains(response, "May 2025")
        self.assertContains(response, "Military cooperation")
        self.assertContains(response, "Corroborated")
        self.assertContains(
            response, f'<a href="{self.peace.get_absolute_url()}">Peace Guardian</a>', html=True
        )
        self.assertContains(response, "2 sources")
        self.assertContains(response, f'<a href="{self.pla.get_absolute_url()}">')
        self.assertContains(response, "(participant)")


class CountryFilterTests(ClaimListFixture):
    def test_one_country_means_claims_involving_it(self):
        self.assertShows("?country=rs", [DRILL, MISSILES, GAS, SUMMIT, NEUTRALITY, OBSERVERS])

    def test_an_actor_belonging_to_a_country_makes_the_claim_involve_it(self):
        # The missile claim has no Chinese state actor, only the PLA.
        self.assertShows("?country=cn", [DRILL, MISSILES, SUMMIT])

    def test_where_a_claim_happened_makes_it_involve_that_country(self):
        # The summit claim's only actor is China; it happened in Serbia.
        self.assertIn(SUMMIT, statements(self.get("?country=rs")))

    def test_two_countries_means_both(self):
        self.assertShows("?country=rs&country=cn", [DRILL, MISSILES, SUMMIT])
        self.assertShows("?country=rs&country=ru", [GAS])
        self.assertShows("?country=us&country=ru", [GENEVA])

    def test_two_countries_never_involved_together_show_nothing(self):
        response = self.assertShows("?country=cn&country=ru", [])
        self.assertContains(response, "No published claims match.")

    def test_country_codes_are_matched_whatever_their_case(self):
        self.assertShows("?country=RS&country=Cn", [DRILL, MISSILES, SUMMIT])


class OtherFilterTests(ClaimListFixture):
    def test_actor_filter(self):
        self.assertShows(f"?actor={self.rs.slug}", [DRILL, MISSILES, GAS, OBSERVERS])
        self.assertShows("?actor=pla", [MISSILES])

    def test_two_actors_means_both(self):
        self.assertShows(f"?actor={self.rs.slug}&actor={self.cn.slug}", [DRILL])
        self.assertShows(f"?actor={self.cn.slug}&actor=pla", [])

    def test_event_filter(self):
        self.assertShows("?event=peace-guardian", [DRILL])
        self.assertShows("?event=belgrade-summit", [SUMMIT])

    def test_one_kind(self):
        self.assertShows("?kind=military", [DRILL, OBSERVERS])

    def test_several_kinds_mean_any_of_them(self):
        self.assertShows("?kind=military&kind=arms", [DRILL, MISSILES, OBSERVERS])

    def test_one_verification(self):
        self.assertShows("?verification=reported", [MISSILES, NEUTRALITY, OBSERVERS])

    def test_several_verifications_mean_any_of_them(self):
        self.assertShows(
            "?verification=reported&verification=disputed",
            [MISSILES, GAS, NEUTRALITY, OBSERVERS],
        )

    def test_source_filter_counts_only_published_articles(self):
        self.assertShows("?source=wire", [DRILL, GAS, NEUTRALITY, OBSERVERS])
        self.assertShows("?source=gazette", [DRILL, MISSILES, SUMMIT, NEUTRALITY, GENEVA])
        # The hidden source's only article is a draft: readers cannot even name it.
        response = self.client.get(reverse("claim_list") + "?source=hidden")
        self.assertContains(response, "not one of the available choices", status_code=400)

    def test_language_filter_is_the_language_of_published_evidence(self):
        self.assertShows("?language=sr-Latn", [MISSILES, NEUTRALITY])
        self.assertShows("?language=SR-LATN", [MISSILES, NEUTRALITY])
        self.assertShows("?language=en", [DRILL, GAS, SUMMIT, NEUTRALITY, OBSERVERS, GENEVA])
        # Only the draft article is in French.
        self.assertShows("?language=fr", [])


class DateFilterTests(ClaimListFixture):
    def test_from_a_year(self):
        self.assertShows("?from=2025", [DRILL, MISSILES, SUMMIT, OBSERVERS])

    def test_to_a_year_includes_the_whole_year(self):
        self.assertShows("?to=2024", [GAS, GENEVA])

    def test_a_whole_month(self):
        self.assertShows("?from=2025-05&to=2025-05", [DRILL, MISSILES, OBSERVERS])

    def test_to_a_month_includes_its_last_day(self):
        self.assertShows("?from=2025-05-08&to=2025-05", [DRILL, OBSERVERS])

    def test_day_bounds_are_inclusive(self):
        self.assertShows("?from=2025-05-08&to=2025-05-31", [DRILL, OBSERVERS])
        self.assertShows("?from=2025-05-08&to=2025-05-08", [DRILL])

    def test_to_a_day(self):
        self.assertShows("?to=2025-05-07", [MISSILES, GAS, GENEVA])

    def test_from_a_month(self):
        self.assertShows("?from=2025-06", [SUMMIT])

    def test_one_digit_months_and_days_are_understood(self):
        self.assertShows("?from=2025-6-1", [SUMMIT])

    def test_undated_claims_are_left_out_of_any_date_range(self):
        self.assertNotIn(NEUTRALITY, statements(self.get("?from=1900")))


class SearchTests(ClaimListFixture):
    def test_words_match_statements(self):
        self.assertShows("?q=drill", [DRILL])

    def test_search_is_case_insensitive(self):
        self.assertShows("?q=DRILL", [DRILL])
        self.assertShows("?q=gEnEvA", [GENEVA])

    def test_words_match_evidence_quotes(self):
        # "raketni" is only in the Serbian-language quote of the missile claim.
        self.assertShows("?q=raketni", [MISSILES])

    def test_words_match_actor_names(self):
        self.assertShows("?q=liberation", [MISSILES])

    def test_words_match_actor_aliases(self):
        self.assertShows("?q=pla", [MISSILES])
        self.assertShows("?q=vucic", [NEUTRALITY])
        self.assertShows("?q=Вучић", [NEUTRALITY])

    def test_every_word_must_match(self):
        self.assertShows("?q=serbia+drill", [DRILL])
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
        self.assertShows("?country=rs&kind=military&from=2025-05&source=wire", [DRILL, OBSERVERS])

    def test_two_countries_and_a_verification(self):
        self.assertShows("?country=rs&country=cn&verification=corroborated", [DRILL])

    def test_actor_event_language_and_words(self):
        self.assertShows(f"?actor={self.rs.slug}&event=peace-guardian&language=en&q=drill", [DRILL])

    def test_any_of_kinds_with_an_upper_bound(self):
        self.assertShows("?kind=military&kind=arms&to=2025-05-08", [DRILL, MISSILES])

    def test_country_and_search(self):
        self.assertShows("?country=ru&q=gas", [GAS])

    def test_a_claim_edited_to_another_kind_and_date_moves_between_country_filters(self):
        # The country filter reads the kind and date copied onto the country links.
        self.drill.kind, self.drill.occurred_on = Claim.Kind.ARMS, datetime.date(2024, 2, 1)
        self.drill.save()
        self.assertShows("?country=cn&kind=military&from=2025", [])
        self.assertShows("?country=cn&kind=arms&to=2024", [DRILL])

    def test_everything_at_once(self):
        params = (
            "?country=rs&country=cn&actor=pla&kind=arms&kind=military&verification=reported"
            "&source=gazette&language=sr-latn&from=2025&to=2025-05&q=missile&sort=sourced"
        )
        self.assertShows(params, [MISSILES])


class SortTests(ClaimListFixture):
    def test_most_recent_first_and_undated_last_by_default(self):
        self.assertEqual(
            statements(self.get()),
            [SUMMIT, OBSERVERS, DRILL, MISSILES, GAS, GENEVA, NEUTRALITY],
        )

    def test_sort_recent_is_the_default(self):
        self.assertEqual(statements(self.get("?sort=recent")), statements(self.get()))

    def test_recently_added_first(self):
        self.assertEqual(
            statements(self.get("?sort=added")),
            [GAS, GENEVA, OBSERVERS, NEUTRALITY, SUMMIT, MISSILES, DRILL],
        )

    def test_best_sourced_counts_published_articles_only(self):
        # Neutrality: 3 published (+1 draft); drill: 2; the rest 1, then most recent
        # first. Geneva's draft evidence does not lift it above the others.
        self.assertEqual(
            statements(self.get("?sort=sourced")),
            [NEUTRALITY, DRILL, SUMMIT, OBSERVERS, MISSILES, GAS, GENEVA],
        )

    def test_sorting_keeps_the_filters(self):
        self.assertEqual(
            statements(self.get("?country=rs&kind=military&sort=added")), [OBSERVERS, DRILL]
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
            f"?actor={self.rs.slug}&event=peace-guardian&verification=corroborated"
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
        response = self.get("?country=rs&country=cn&kind=military")
        href = dict(links(response, "chips"))["Remove filter Kind: Military cooperation ×"]
        self.assertShows(href, [DRILL, MISSILES, SUMMIT])

    def test_clear_all_removes_every_filter_and_the_page(self):
        response = self.get("?country=rs&kind=military&q=drill&from=2025&page=1")
        clear = dict(links(response, "chips"))["Clear all"]
        self.assertEqual(query(clear), {})
        self.assertEqual(total(self.get(clear)), 7)


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        article = make_article()
        for n in range(25):
            make_claim(
                [state("RS")],
                article=article,
                statement=f"Serbian military claim {n:02}.",
                occurred_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            )
        make_claim([state("CN")], article=article, statement="A Chinese claim.", kind="arms")

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
        self.assertEqual(len(statements(second)), 5)
        self.assertContains(second, "Page 2 of 2")
        self.assertNotIn("A Chinese claim.", statements(second))

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

    Counts include, first, the content version that pages are cached under
    (articles/caching.py); adding rows moves it on, so each request here renders afresh.
    """

    def add_claims(self, n):
        for _ in range(n):
            make_claim(
                [state("RS"), (make_actor(country=country("CN")), "host")],
                statement="Serbia and China held a joint drill.",
                event=make_event(),
            )

    def test_unfiltered_list(self):
        # 1 count, 2-5 the country, actor, event and year facets, 6 the kind facet,
        # 7 the verification facet, 8 the page of claims (with their evidence counts),
        # 9 their actors; the facets time-boxed on PostgreSQL.
        url = reverse("claim_list")
        self.add_claims(1)
        with self.assertNumQueries(10 + TIME_BOX_QUERIES):
            self.assertEqual(len(statements(self.client.get(url))), 1)
        self.add_claims(19)
        with self.assertNumQueries(10 + TIME_BOX_QUERIES):
            self.assertEqual(len(statements(self.client.get(url))), 20)

    def test_filtered_list(self):
        # 1-3 validate ?country, ?actor and ?event, 4 does the search match exactly
        # (else it falls back to similar spellings), 5 count, 6-9 the country, actor,
        # event and year facets, 10-14 the kind facet (a second filterset validates
        # country, actor and event and checks the search again, then counts), 15-19 the
        # verification facet (the same), 20 the page of claims (rendered last, with
        # their evidence counts), 21 their actors.
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
        with self.assertNumQueries(22 + TIME_BOX_QUERIES):
            self.assertEqual(len(statements(self.client.get(url))), 1)
        self.add_claims(19)
        tag()
        with self.assertNumQueries(22 + TIME_BOX_QUERIES):
            self.assertEqual(len(statements(self.client.get(url))), 20)
