"""
Finding what to read: the pair picker and the busiest pairs, searches whose words name
countries, the source and language filters, "more" for long facets, the Filters control
at narrow widths, pages past the end, and filters described in words (feed titles,
download file names, list headings).
"""

import itertools
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import detection, engine, pairs

from .factories import (
    country,
    hand_counted_world,
    make_actor,
    make_article,
    make_claim,
    make_event,
    state,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def section(response, heading_id):
    page = response.content.decode()
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S
    )
    assert match, f"no section {heading_id}"
    return match.group(1)


class World(TestCase):
    """hand_counted_world(): Serbia 7 claims, China 4, Russia 3, the United States 1."""

    @classmethod
    def setUpTestData(cls):
        cls.world = hand_counted_world()


class PairPickerTests(World):
    def pick(self, **params):
        return self.client.get(reverse("country_pair_picker"), params)

    def test_two_codes_redirect_to_the_pair_page(self):
        self.assertRedirects(self.pick(a="rs", b="cn"), "/countries/rs/cn/")

    def test_codes_in_capitals_or_with_spaces_redirect_to_the_lower_case_page(self):
        self.assertRedirects(self.pick(a=" RS", b="Cn "), "/countries/rs/cn/")

    def test_two_real_countries_without_shared_claims_are_a_pair_too(self):
        self.assertRedirects(
            self.pick(a="rs", b="jp"), "/countries/rs/jp/", fetch_redirect_response=False
        )
        self.assertContains(self.client.get("/countries/rs/jp/"), "No claims yet")

    def test_a_missing_country_is_400_and_shows_the_form_again_with_what_is_missing(self):
        for params, message in (
            ({"a": "rs"}, "Choose the second country."),
            ({"b": "cn"}, "Choose the first country."),
            ({"a": "", "b": ""}, "Choose the first country."),
            ({}, "Choose the second country."),
        ):
            with self.subTest(params):
                response = self.pick(**params)
                self.assertContains(response, message, status_code=400)
                self.assertContains(
                    response, '<label for="pair-a">First country</label>', status_code=400
                )
                self.assertContains(response, 'role="alert"', status_code=400)

    def test_the_form_shown_again_keeps_the_country_chosen(self):
        response = self.pick(a="rs")
        self.assertContains(
            response, '<option value="rs" selected>Serbia</option>', status_code=400
        )

    def test_a_malformed_code_is_400_saying_what_a_code_is(self):
        for bad in ("serbia", "r", "1x", "r\x00", "<s>"):
            with self.subTest(bad):
                response = self.pick(a=bad, b="cn")
                self.assertContains(response, "is not a country code", status_code=400)
                self.assertNotContains(response, "<s>", status_code=400)

    def test_the_same_country_twice_is_400(self):
        response = self.pick(a="rs", b="RS")
        self.assertContains(response, "Choose two different countries.", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)

    def test_an_unknown_country_is_404(self):
        self.assertEqual(self.pick(a="rs", b="zz").status_code, 404)
        self.assertEqual(self.pick(a="zz", b="rs").status_code, 404)

    def test_the_picker_page_takes_get_and_head_only(self):
        url = reverse("country_pair_picker") + "?a=rs&b=cn"
        self.assertEqual(self.client.post(url).status_code, 405)
        self.assertEqual(self.client.head(url).status_code, 302)


class HomePairFinderTests(World):
    def test_the_home_page_has_a_get_form_with_two_labelled_country_lists(self):
        finder = section(self.client.get(reverse("home")), "pair-heading")
        self.assertIn(f'action="{reverse("country_pair_picker")}" method="get"', finder)
        for field, label in (("a", "First country"), ("b", "Second country")):
            self.assertIn(f'<label for="pair-{field}">{label}</label>', finder)
            self.assertRegex(finder, rf'<select id="pair-{field}" name="{field}" required>')
        self.assertIn('<option value="cn">China</option>', finder)

    def test_the_lists_hold_only_countries_readers_can_visit(self):
        finder = section(self.client.get(reverse("home")), "pair-heading")
        # France is only in drafts; Japan in nothing.
        self.assertNotIn("France", finder)
        self.assertNotIn("Japan", finder)
        codes = re.findall(r'<option value="(\w+)">', section(self.client.get("/"), "pair-heading"))
        self.assertEqual(sorted(set(codes)), ["cn", "rs", "ru", "us"])

    def test_the_most_active_pairs_are_listed_by_shared_claims(self):
        # Pairs of the claims' actors, as the pair pages count: Serbia and China share 3
        # claims (the summit in Serbia is China's alone), Serbia and Russia the gas deal
        # (the trilateral meeting was only held in Russia), the United States and Russia
        # the Geneva talks; ties go to the larger countries.
        finder = section(self.client.get(reverse("home")), "pair-heading")
        found = re.findall(
            r'<a href="(/countries/\w+/\w+/)">(.*?)</a> <span class="count">(\d+)', finder
        )
        self.assertEqual(
            found,
            [
                ("/countries/rs/cn/", "Serbia and China", "3"),
                ("/countries/rs/ru/", "Serbia and Russia", "1"),
                ("/countries/ru/us/", "Russia and United States", "1"),
            ],
        )


class BusiestPairsTests(TestCase):
    """The pruned search finds what pairing every two countries finds."""

    @classmethod
    def setUpTestData(cls):
        codes = ["RS", "CN", "RU", "US", "FR", "DE", "JP", "IN"]
        # Claims of a few countries each, in uneven numbers: ties and near ties.
        for n, (a, b) in enumerate(itertools.combinations(codes, 2)):
            for _ in range(1 + (n * 7) % 4):
                make_claim([state(a), state(b)], article=False)
        for _ in range(3):
            make_claim([state("RS"), state("CN"), state("RU")], article=False)

    def brute_force(self, index, limit):
        bitmaps = index.bitmaps["partner"]
        counted = [
            (bitmaps[a].intersection_cardinality(bitmaps[b]), a, b)
            for a, b in itertools.combinations(bitmaps, 2)
        ]
        return sorted(n for n, _, _ in counted if n)[::-1][:limit]

    def test_the_busiest_pairs_are_those_sharing_the_most_claims(self):
        index = engine.ClaimIndex.build()
        for limit in (1, 3, 8, 30):
            with self.subTest(limit=limit):
                found = pairs.busiest_pairs(index, limit)
                self.assertEqual([n for _, _, n in found], self.brute_force(index, limit))
                for a, b, n in found:
                    shared = index.bitmaps["partner"][a] & index.bitmaps["partner"][b]
                    self.assertEqual(len(shared), n)

    def test_the_home_page_answers_in_the_same_queries_whatever_the_pairs(self):
        # 1 the change log number, 2-3 the read index catches up, 4 the latest claims,
        # 5 their actors, 6 every country readers can visit, 7 the map's country names,
        # 8 the most active events.
        make_claim([state("RS"), state("CN")], article=False)
        with self.assertNumQueries(8):
            response = self.client.get(reverse("home"))
        self.assertEqual(
            len(re.findall(r'href="/countries/\w\w/\w\w/"', response.content.decode())), 8
        )


class CountrySuggestionTests(World):
    def search(self, words, **params):
        return self.client.get(reverse("claim_list"), {"q": words, **params})

    def suggestion(self, response):
        match = re.search(
            r'<div class="suggestion" role="note">(.*?)</div>', response.content.decode(), re.S
        )
        return match.group(1) if match else None

    def test_a_search_naming_two_countries_suggests_their_pair_page_and_filters(self):
        response = self.search("what has serbia done with china")
        self.assertEqual(response.status_code, 200)
        suggestion = self.suggestion(response)
        self.assertIsNotNone(suggestion)
        self.assertIn(
            '<a href="/countries/rs/cn/">what Serbia and China did together</a>', suggestion
        )
        self.assertIn('<a href="/claims/?country=rs&amp;country=cn">', suggestion)

    def test_the_suggested_filter_lists_the_pairs_claims(self):
        listed = self.client.get("/claims/?country=rs&country=cn")
        self.assertContains(listed, '<p class="total">4 claims</p>', html=True)

    def test_names_in_other_forms_and_scripts_are_countries_too(self):
        for words in ("Srbija i Kina", "Србија и Кина", "Belgrade and Beijing"):
            with self.subTest(words):
                suggestion = self.suggestion(self.search(words))
                self.assertIsNotNone(suggestion)
                self.assertIn("/countries/rs/cn/", suggestion)

    def test_one_country_suggests_its_page_and_its_filter(self):
        suggestion = self.suggestion(self.search("russian gas"))
        self.assertIn('<a href="/countries/ru/">Russia’s page</a>', suggestion)
        self.assertIn('href="/claims/?country=ru"', suggestion)

    def test_other_filters_are_kept_and_the_words_dropped(self):
        suggestion = self.suggestion(self.search("china", kind="military", sort="added"))
        query = parse_qs(
            urlsplit(
                re.search(r'href="(/claims/[^"]+)"', suggestion).group(1).replace("&amp;", "&")
            ).query
        )
        self.assertEqual(query, {"kind": ["military"], "sort": ["added"], "country": ["cn"]})

    def test_a_country_already_chosen_makes_a_pair_with_the_one_named(self):
        suggestion = self.suggestion(self.search("china", country="rs"))
        self.assertIn('href="/countries/rs/cn/"', suggestion)

    def test_words_that_name_no_country_suggest_nothing(self):
        for words in ("joint drill", "neutrality", "us"):
            with self.subTest(words):
                self.assertIsNone(self.suggestion(self.search(words)))

    def test_a_list_without_words_suggests_nothing(self):
        self.assertIsNone(
            self.suggestion(self.client.get(reverse("claim_list"), {"country": "rs"}))
        )

    def test_countries_already_chosen_are_not_suggested_again(self):
        self.assertIsNone(self.suggestion(self.search("serbia", country="rs")))

    def test_a_suggestion_costs_one_query_more_than_a_search_naming_no_country(self):
        # Both ask whether the gazetteer of names is current (3 queries, warmed here as
        # on a running site); naming countries adds 1: the countries named.
        def queries(words):
            self.search(words)  # the read index's names of the facets' values, kept
            detection.gazetteer()
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = self.search(words)
            return len(captured), response

        plain, response = queries("missile system")
        self.assertIsNone(self.suggestion(response))
        naming, response = queries("serbia missile system")
        self.assertIsNotNone(self.suggestion(response))
        self.assertEqual(naming, plain + 1)
        # 1 the change log number, the claims matching the words (1 query, or 2 on
        # PostgreSQL: parsing and ranking them), the page of claims, their actors, 3
        # whether the gazetteer is current, the countries named.
        self.assertEqual(naming, 8 + (connection.vendor == "postgresql"))


class SourceAndLanguageFilterTests(World):
    def test_the_filter_form_has_source_and_language_lists(self):
        response = self.client.get(reverse("claim_list"))
        form = re.search(r'<form class="filters".*?</form>', response.content.decode(), re.S).group(
            0
        )
        self.assertIn('<label for="filter-source">Source</label>', form)
        self.assertIn('<option value="wire">Demo Wire</option>', form)
        self.assertIn('<option value="gazette">Example Gazette</option>', form)
        # The draft article's source is no choice.
        self.assertNotIn("Zanzibarite", form)
        self.assertIn('<label for="filter-language">Language of the evidence</label>', form)
        self.assertIn('<option value="en">English · en</option>', form)
        self.assertIn('<option value="sr-latn">Serbian (Latin) · sr-latn</option>', form)
        self.assertNotIn('value="fr"', form)

    def test_the_choices_made_are_selected_and_not_resubmitted_twice(self):
        response = self.client.get(
            reverse("claim_list"), {"source": "gazette", "language": "sr-Latn"}
        )
        self.assertContains(response, '<option value="gazette" selected>Example Gazette</option>')
        self.assertContains(response, '<option value="sr-latn" selected>')
        self.assertNotContains(response, 'type="hidden" name="source"')
        self.assertNotContains(response, 'type="hidden" name="language"')

    def test_the_form_filters_by_source_and_language(self):
        w = self.world
        response = self.client.get(
            reverse("claim_list"), {"source": "gazette", "language": "sr-latn", "q": ""}
        )
        self.assertContains(response, '<p class="total">2 claims</p>', html=True)
        self.assertContains(response, w.missiles.statement)
        self.assertContains(response, w.neutrality.statement)

    def test_source_and_language_have_facets(self):
        response = self.client.get(reverse("claim_list"))
        self.assertContains(response, '<h3 id="facet-source">Sources</h3>', html=True)
        self.assertContains(response, '<h3 id="facet-language">Languages</h3>', html=True)

    def test_the_filters_control_comes_before_the_results_and_leads_to_them(self):
        page = self.client.get(reverse("claim_list"), {"kind": "military"}).content.decode()
        jump = page.index('<p class="filters-jump"><a href="#refine">Filters (1 active)</a></p>')
        self.assertLess(jump, page.index('class="results"'))
        self.assertIn('<h2 id="refine" tabindex="-1">Refine</h2>', page)
        self.assertIn('<a href="#results">Back to the results</a>', page)


class MoreFacetValuesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Twelve actors and twelve events of Serbian claims: more than a list shows.
        for n in range(12):
            actor = make_actor(name=f"Unit {n:02}", slug=f"unit-{n:02}", country=country("RS"))
            make_claim([state("RS"), actor], event=make_event(name=f"Drill {n:02}"))

    def test_actors_and_events_link_to_all_of_them_for_the_same_filters(self):
        response = self.client.get(reverse("claim_list"), {"kind": "military"})
        for dimension, title in (("actor", "actors"), ("event", "events")):
            with self.subTest(dimension):
                self.assertContains(
                    response,
                    f'<a href="{reverse("claim_facet", args=[dimension])}?kind=military">'
                    f"All {title} of these claims</a>",
                )

    def test_on_a_country_page_all_of_them_means_of_the_countrys_claims(self):
        response = self.client.get(reverse("country_detail", args=["rs"]))
        href = f"{reverse('claim_facet', args=['actor'])}?country=rs"
        self.assertContains(response, f'<a href="{href}">All actors of these claims</a>')
        more = self.client.get(href)
        self.assertContains(more, "Unit 11")
        self.assertContains(more, "13 actors")


class PastTheEndTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event(name="Long drill", slug="long-drill")
        cls.actor = make_actor(name="Long unit", slug="long-unit", country=country("RS"))
        article = make_article()
        cls.source = article.source
        for _ in range(21):
            make_claim([state("RS"), state("CN"), cls.actor], event=cls.event, article=article)

    def test_every_paginated_list_answers_404_past_its_end_with_a_link_to_its_last_page(self):
        for url, last in (
            (reverse("claim_list"), 2),
            (reverse("claim_list") + "?country=rs", 2),
            (reverse("country_detail", args=["rs"]), 2),
            (reverse("country_pair", args=["rs", "cn"]), 2),
            (self.event.get_absolute_url(), 2),
            (self.actor.get_absolute_url(), 2),
            (self.source.get_absolute_url(), 1),
            (reverse("article_list"), 1),
            (reverse("event_list"), 1),
            (reverse("actor_list"), 1),
            (reverse("claim_facet", args=["actor"]), 1),
        ):
            with self.subTest(url):
                separator = "&" if "?" in url else "?"
                response = self.client.get(f"{url}{separator}page=3")
                self.assertContains(response, f"the last is page {last}", status_code=404)
                target = re.search(
                    r'<a href="([^"]*)">Go to the last page</a>', response.content.decode()
                ).group(1)
                self.assertEqual(self.client.get(target.replace("&amp;", "&")).status_code, 200)

    def test_the_last_page_link_keeps_the_filters(self):
        response = self.client.get(reverse("claim_list"), {"country": "rs", "page": "9"})
        self.assertContains(response, 'href="/claims/?country=rs&amp;page=2"', status_code=404)

    def test_a_page_number_that_is_no_number_still_shows_the_first_page(self):
        response = self.client.get(reverse("claim_list"), {"page": "abc"})
        self.assertContains(response, "Page 1 of 2")


class DescribedFilterTests(World):
    def export(self, query, fmt="csv", name="claim_export"):
        response = self.client.get(reverse(name, args=[fmt]) + query)
        self.assertEqual(response.status_code, 200)
        b"".join(response.streaming_content)
        return response["Content-Disposition"]

    def test_export_file_names_say_what_they_hold(self):
        for query, expected in (
            ("", "claims.csv"),
            (
                "?country=rs&country=cn&kind=military&from=2025&to=2025",
                "claims-rs-cn-military-2025.csv",
            ),
            ("?country=CN&country=rs", "claims-cn-rs.csv"),
            (
                "?actor=aleksandar-vucic&verification=reported",
                "claims-aleksandar-vucic-reported.csv",
            ),
            (
                "?event=peace-guardian&source=wire&language=sr-Latn",
                "claims-peace-guardian-wire-sr-latn.csv",
            ),
            ("?from=2025-05&to=2025-06", "claims-from-2025-05-to-2025-06.csv"),
            ("?q=joint+drill", "claims-joint-drill.csv"),
        ):
            with self.subTest(query):
                self.assertEqual(self.export(query), f'attachment; filename="{expected}"')
        self.assertEqual(
            self.export("?country=rs&kind=arms", "json"),
            'attachment; filename="claims-rs-arms.json"',
        )

    def test_export_file_names_of_unicode_or_unsafe_words_are_plain_ascii(self):
        for words, expected in (
            ("Vučić", "claims-vucic.csv"),
            ("Србија", "claims-srbija.csv"),
            ("中国", "claims.csv"),
            ('a"b\\c/../d;e', "claims-abcde.csv"),
            ("x" * 200, "claims-" + "x" * 93 + ".csv"),
        ):
            with self.subTest(words):
                self.assertEqual(self.export(f"?q={words}"), f'attachment; filename="{expected}"')

    def test_article_export_file_names_say_what_they_hold(self):
        self.assertEqual(
            self.export("?source=gazette&country=rs&from=2025", name="article_export"),
            'attachment; filename="articles-rs-gazette-from-2025.csv"',
        )

    def feed_title(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return ET.fromstring(response.content).findtext(f"{ATOM}title")

    def test_feed_titles_say_their_filter(self):
        for url, title in (
            (reverse("claim_feed"), "Claims"),
            (
                reverse("claim_feed") + "?country=rs&country=cn&kind=military",
                "Claims: Serbia and China, military",
            ),
            (reverse("country_feed", args=["rs"]), "Claims: Serbia"),
            (
                reverse("country_pair_feed", args=["rs", "cn"]) + "?kind=military",
                "Claims: Serbia and China, military",
            ),
            (reverse("event_feed", args=["peace-guardian"]), "Claims: Peace Guardian"),
            (reverse("claim_feed") + "?q=drill&from=2025", "Claims: from 2025, “drill”"),
        ):
            with self.subTest(url):
                self.assertEqual(self.feed_title(url), f"{title} · newsclaims")

    def test_the_list_heading_and_its_feed_link_say_the_filter(self):
        response = self.client.get(
            reverse("claim_list"), {"country": ["rs", "cn"], "kind": "military"}
        )
        self.assertContains(response, "<h1>Claims: Serbia and China, military</h1>", html=True)
        self.assertContains(response, 'title="Claims: Serbia and China, military"')

    def test_the_pair_page_names_its_feed_as_the_feed_does(self):
        response = self.client.get(reverse("country_pair", args=["rs", "cn"]))
        self.assertContains(response, 'title="Claims: Serbia and China"')
        self.assertEqual(
            self.feed_title(reverse("country_pair_feed", args=["rs", "cn"])),
            "Claims: Serbia and China · newsclaims",
        )

    def test_a_country_listed_in_the_url_order(self):
        response = self.client.get(reverse("claim_list"), {"country": ["cn", "rs"]})
        self.assertContains(response, "<h1>Claims: China and Serbia</h1>", html=True)
