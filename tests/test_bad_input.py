"""
Bad parameters answer 200, 400 or 404 with a message a person understands, never 500.
"""

import html
import json
import re

from django.test import TestCase
from django.urls import reverse

from .factories import numbered_world


def alert(response):
    """The text of the page's error messages (role="alert"), tags removed."""
    page = response.content.decode()
    parts = re.findall(r'role="alert"[^>]*>(.*?)</(?:div|p|span)>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)) for part in parts)


class BadInputFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        # 25 claims involving Serbia and China: two pages of the list and of their pair.
        cls.world = numbered_world(25, serbian=25)

    def get(self, name, query="", *args):
        return self.client.get(reverse(name, args=args) + query)

    def assertBadRequest(self, response, *words):
        """400, and an error message naming each of `words` (case ignored)."""
        self.assertEqual(response.status_code, 400)
        message = alert(response)
        self.assertTrue(message.strip(), "no error message on the page")
        for word in words:
            self.assertIn(word.lower(), message.lower())
        return message


class ClaimListBadInputTests(BadInputFixture):
    def test_an_unknown_country_code_is_400_naming_it(self):
        self.assertBadRequest(self.get("claim_list", "?country=zz"), "country", "zz")

    def test_a_date_that_does_not_exist_is_400_saying_so(self):
        message = self.assertBadRequest(self.get("claim_list", "?from=2025-13-45"), "2025-13-45")
        self.assertIn("not a real date", message)
        self.assertBadRequest(self.get("claim_list", "?to=2025-02-30"), "2025-02-30")

    def test_something_that_is_not_a_date_is_400_with_the_accepted_forms(self):
        message = self.assertBadRequest(self.get("claim_list", "?from=abc"), "abc")
        self.assertIn("2025-05-08", message)

    def test_a_page_number_below_one_is_404_with_a_link_to_the_last_page(self):
        for page in ("-1", "0"):
            with self.subTest(page):
                response = self.get("claim_list", f"?page={page}&kind=military")
                self.assertContains(response, "the last is page 2", status_code=404)
                self.assertContains(
                    response, 'href="/claims/?page=2&amp;kind=military"', status_code=404
                )

    def test_a_page_past_the_end_is_404_with_a_link_to_the_last_page(self):
        for page in ("3", "99999", "9" * 30):
            with self.subTest(page):
                response = self.get("claim_list", f"?page={page}")
                self.assertContains(response, "the last is page 2", status_code=404)
                self.assertContains(
                    response, '<a href="/claims/?page=2">Go to the last page</a>', status_code=404
                )

    def test_the_last_page_is_called_last(self):
        response = self.get("claim_list", "?page=last")
        self.assertContains(response, "Page 2 of 2")

    def test_a_page_that_is_not_a_number_lands_on_the_first_page(self):
        for page in ("abc", "1.5", ""):
            with self.subTest(page):
                response = self.get("claim_list", f"?page={page}")
                self.assertContains(response, "Page 1 of 2")
                self.assertContains(response, "Numbered claim")

    def test_an_unknown_kind_is_400(self):
        self.assertBadRequest(self.get("claim_list", "?kind=nonsense"), "kind", "nonsense")

    def test_an_unknown_verification_is_400(self):
        self.assertBadRequest(self.get("claim_list", "?verification=maybe"), "maybe")

    def test_a_five_thousand_character_search_is_400_saying_it_is_too_long(self):
        response = self.get("claim_list", "?q=" + "x" * 5000)
        self.assertEqual(response.status_code, 400)
        message = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
        self.assertRegex(message, r"at most \d+ characters")

    def test_a_search_over_two_hundred_characters_is_400_saying_how_long_it_may_be(self):
        message = self.assertBadRequest(self.get("claim_list", "?q=" + "x" * 300), "200")
        self.assertIn("characters", message)

    def test_eleven_countries_are_400(self):
        codes = ["rs", "cn", "ru", "us", "fr", "de", "it", "es", "pl", "jp", "in"]
        query = "?" + "&".join(f"country={code}" for code in codes)
        self.assertBadRequest(self.get("claim_list", query), "at most 10")

    def test_eleven_actors_are_400(self):
        self.assertBadRequest(self.get("claim_list", "?" + "&".join(["actor=serbia"] * 11)), "10")

    def test_an_unknown_sort_is_400(self):
        self.assertBadRequest(self.get("claim_list", "?sort=bogus"), "sort", "bogus")

    def test_an_unknown_event_is_400(self):
        self.assertBadRequest(
            self.get("claim_list", "?event=unknown"), "event", "not one of the available choices"
        )

    def test_an_unknown_actor_or_source_is_400(self):
        self.assertBadRequest(self.get("claim_list", "?actor=nobody"), "actor")
        self.assertBadRequest(self.get("claim_list", "?source=nowhere"), "source")

    def test_a_language_tag_too_long_is_400(self):
        self.assertBadRequest(self.get("claim_list", "?language=" + "x" * 100), "language")

    def test_an_error_page_offers_a_way_back(self):
        self.assertContains(
            self.get("claim_list", "?kind=nonsense"),
            '<a href="?">Start again without filters</a>',
            status_code=400,
            html=True,
        )

    def test_odd_search_syntax_is_not_an_error(self):
        for text in ['"unclosed', "-", "or or", "a & b | !c", "(", "\\", "%", "_", "'", "::*"]:
            with self.subTest(text):
                response = self.client.get(reverse("claim_list"), {"q": text})
                self.assertEqual(response.status_code, 200)

    def test_empty_parameters_are_ignored(self):
        # A form with an empty menu choice sends ?country= or ?kind=: an empty value means
        # no filter, repeatable or not. (Repeatable ones were once a 400 "Select a valid
        # choice.  is not one of the available choices.", naming nothing.)
        response = self.get(
            "claim_list", "?country=&actor=&kind=&verification=&from=&to=&q=&sort=&event="
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "25 claims")

    def test_a_nul_character_is_400_saying_what_is_wrong(self):
        for query, words in [
            ("?q=%00", ["null characters"]),
            ("?country=r%00", ["null characters"]),
            ("?event=%00", ["null characters"]),
            ("?language=%00", ["null characters"]),
            ("?from=%00", ["is not a date"]),
        ]:
            with self.subTest(query):
                self.assertBadRequest(self.get("claim_list", query), *words)


class CountryPageBadInputTests(BadInputFixture):
    def test_an_unknown_country_is_404_naming_the_code(self):
        response = self.get("country_detail", "", "zz")
        self.assertContains(response, "zz", status_code=404)

    def test_an_address_that_is_not_a_country_code_is_404(self):
        for path in ("/countries/serbia/", "/countries/r/", "/countries/r%00/", "/countries/12/"):
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_an_unknown_partner_is_404(self):
        self.assertEqual(self.get("country_pair", "", "rs", "zz").status_code, 404)

    def test_bad_filters_on_a_country_page_are_400(self):
        self.assertBadRequest(self.get("country_detail", "?country=zz", "rs"), "zz")
        self.assertBadRequest(self.get("country_detail", "?from=2025-99", "rs"), "2025-99")

    def test_a_page_past_the_end_of_a_pair_is_404_with_a_link_to_the_last_page(self):
        response = self.get("country_pair", "?page=99999", "rs", "cn")
        self.assertContains(response, 'href="/countries/rs/cn/?page=2"', status_code=404)


class IndexBadInputTests(BadInputFixture):
    def test_an_unknown_event_kind_is_400(self):
        self.assertBadRequest(self.get("event_list", "?kind=zz"), "zz", "kind of event")

    def test_an_unknown_event_country_is_400(self):
        self.assertBadRequest(self.get("event_list", "?country=zz"), "zz", "country code")

    def test_an_unknown_actor_kind_is_400(self):
        self.assertBadRequest(self.get("actor_list", "?kind=zz"), "zz", "kind of actor")

    def test_an_unknown_article_country_is_400(self):
        self.assertBadRequest(
            self.get("article_list", "?country=zz"), "not the country code of a country"
        )

    def test_an_article_date_that_is_not_a_date_is_400(self):
        self.assertBadRequest(self.get("article_list", "?from=abc"), "abc", "is not a date")

    def test_an_unknown_article_source_is_400(self):
        self.assertBadRequest(
            self.get("article_list", "?source=nowhere"), "not one of the available choices"
        )

    def test_pages_past_the_end_of_the_indexes_are_404_with_a_link_to_the_last_page(self):
        # The events and actors fit on one page, whose address is the index's; the 25
        # articles take two.
        for name, last in (("event_list", ""), ("actor_list", ""), ("article_list", "?page=2")):
            for page in ("-1", "99999"):
                with self.subTest(name=name, page=page):
                    response = self.get(name, f"?page={page}")
                    self.assertContains(
                        response,
                        f'<a href="{reverse(name)}{last}">Go to the last page</a>',
                        status_code=404,
                    )

    def test_a_nul_character_in_a_country_code_is_400_saying_so(self):
        # PostgreSQL cannot compare text holding NUL: looked up as it is, the code would
        # make the page fail with a DataError instead of saying what is wrong.
        for name in ("event_list", "actor_list"):
            with self.subTest(name):
                self.assertBadRequest(self.get(name, "?country=r%00"), "null characters")


class ExportAndFeedBadInputTests(BadInputFixture):
    def test_bad_filters_on_an_export_are_400_in_json(self):
        response = self.get("claim_export", "?country=zz", "csv")
        self.assertEqual(response.status_code, 400)
        self.assertIn("country", json.loads(response.content)["errors"])

    def test_an_unknown_export_format_is_400(self):
        response = self.get("claim_export", "", "xml")
        self.assertEqual(response.status_code, 400)
        self.assertIn("csv or json", json.loads(response.content)["error"])

    def test_bad_filters_on_a_feed_are_400(self):
        self.assertEqual(self.get("claim_feed", "?kind=nonsense").status_code, 400)

    def test_bad_api_paging_is_400_or_404_with_a_message(self):
        for query, status in (("?page_size=1000", 400), ("?page=abc", 400), ("?page=99", 404)):
            with self.subTest(query):
                response = self.get("api_claims", query)
                self.assertEqual(response.status_code, status)
                self.assertTrue(json.loads(response.content)["error"])
