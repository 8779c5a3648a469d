"""
The read-only JSON API: /api/claims/ and /api/articles/.

Pages of the same records as the JSON export, with absolute next/previous links that
keep the filters, a count, and clear 400/404 answers for nonsense parameters.
"""

import json
from io import StringIO
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import numbered_world


def export_records(client, name, params=None):
    response = client.get(reverse(name, args=["json"]), params or {})
    return json.loads(b"".join(response.streaming_content))


def query(url):
    return parse_qs(urlsplit(url).query)


class ApiFixture(TestCase):
    """
    numbered_world(): 25 published claims (15 involving Serbia and China, 10 Niger), one
    draft, and their articles (tests/factories.py).
    """

    @classmethod
    def setUpTestData(cls):
        cls.world = numbered_world(25, serbian=15)


class ClaimsApiTests(ApiFixture):
    def test_the_first_page_has_twenty_claims_a_count_and_a_next_link(self):
        response = self.client.get(reverse("api_claims"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual(
            set(data), {"count", "count_capped", "next", "previous", "results", "facets"}
        )
        self.assertEqual(data["count"], 25)
        self.assertEqual(len(data["results"]), 20)
        self.assertIsNone(data["previous"])
        self.assertEqual(data["next"], "http://testserver/api/claims/?page=2")

    def test_the_last_page_has_the_rest_and_a_previous_link(self):
        data = self.client.get(reverse("api_claims"), {"page": 2}).json()
        self.assertEqual(len(data["results"]), 5)
        self.assertIsNone(data["next"])
        self.assertEqual(data["previous"], "http://testserver/api/claims/?page=1")

    def test_following_the_links_visits_every_claim_once(self):
        url, seen = "http://testserver" + reverse("api_claims") + "?page_size=7", []
        while url:
            data = self.client.get(url).json()
            seen.extend(record["id"] for record in data["results"])
            url = data["next"]
        self.assertEqual(len(seen), 25)
        self.assertCountEqual(seen, [claim.pk for claim in self.world.claims])

    def test_links_keep_the_filters_and_the_page_size(self):
        data = self.client.get(
            reverse("api_claims"), {"country": "rs", "kind": "military", "page_size": 5, "page": 2}
        ).json()
        self.assertEqual(data["count"], 15)
        for link, page in [(data["next"], "3"), (data["previous"], "1")]:
            self.assertTrue(link.startswith("http://testserver/api/claims/?"))
            self.assertEqual(
                query(link),
                {"country": ["rs"], "kind": ["military"], "page_size": ["5"], "page": [page]},
            )

    def test_repeated_filters_are_kept_in_the_links(self):
        data = self.client.get(
            reverse("api_claims"), {"country": ["rs", "cn"], "page_size": 10}
        ).json()
        self.assertEqual(data["count"], 15)
        self.assertEqual(query(data["next"])["country"], ["rs", "cn"])

    def test_filters_select_the_claims(self):
        cases = [
            ({"country": "NE"}, 10),
            ({"country": ["rs", "cn"]}, 15),
            ({"kind": "economic"}, 10),
            ({"event": "peace-guardian"}, 1),
            ({"source": "wire"}, 12),
            ({"q": "Numbered"}, 25),
            ({"from": "2025-01-20"}, 6),
        ]
        for params, count in cases:
            with self.subTest(params):
                self.assertEqual(
                    self.client.get(reverse("api_claims"), params).json()["count"], count
                )

    def test_page_size_can_be_from_1_to_100(self):
        for size, expected in [("1", 1), ("100", 25), ("25", 25)]:
            with self.subTest(size):
                response = self.client.get(reverse("api_claims"), {"page_size": size})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(response.json()["results"]), expected)

    def test_a_page_size_out_of_range_or_not_a_number_is_a_400_with_a_message(self):
        for size in ["0", "101", "abc", "-5", "1.5", ""]:
            with self.subTest(size):
                response = self.client.get(reverse("api_claims"), {"page_size": size})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn("page_size", response.json()["error"])

    def test_a_page_that_is_not_a_number_is_a_400(self):
        for page in ["abc", "1.5", ""]:
            with self.subTest(page):
                response = self.client.get(reverse("api_claims"), {"page": page})
                self.assertEqual(response.status_code, 400)
                self.assertIn("page", response.json()["error"])

    def test_a_page_beyond_the_last_is_a_json_404(self):
        for page in ["3", "0", "-1", "99999999999999999999"]:
            with self.subTest(page):
                response = self.client.get(reverse("api_claims"), {"page": page})
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIn("error", response.json())
        self.assertIn(
            "the last is 2", self.client.get(reverse("api_claims"), {"page": 3}).json()["error"]
        )

    def test_no_results_is_one_empty_page_not_a_404(self):
        data = self.client.get(reverse("api_claims"), {"q": "xqzvkwj"}).json()
        self.assertEqual(
            {key: data[key] for key in ("count", "count_capped", "next", "previous", "results")},
            {"count": 0, "count_capped": False, "next": None, "previous": None, "results": []},
        )
        self.assertEqual(set(data["facets"]["kind"]), set())
        self.assertTrue(all(values == [] for values in data["facets"].values()))

    def test_the_facets_count_every_value_for_the_same_filters(self):
        data = self.client.get(reverse("api_claims"), {"country": "rs"}).json()
        facets = data["facets"]
        self.assertEqual(
            set(facets),
            {
                "country",
                "partner",
                "kind",
                "verification",
                "independent_sources",
                "actor",
                "event",
                "source",
                "language",
                "year",
            },
        )
        self.assertEqual(
            facets["country"],
            [
                {"value": "cn", "label": "China", "count": 15},
                {"value": "rs", "label": "Serbia", "count": 15},
            ],
        )
        self.assertEqual(
            facets["kind"], [{"value": "military", "label": "Military cooperation", "count": 15}]
        )
        self.assertEqual(
            facets["event"], [{"value": "peace-guardian", "label": "Peace Guardian", "count": 1}]
        )
        self.assertEqual(facets["year"], [{"value": "2025", "label": 2025, "count": 15}])
        self.assertEqual(sum(item["count"] for item in facets["source"]), 15)

    def test_a_facet_value_is_the_parameter_that_selects_it(self):
        facets = self.client.get(reverse("api_claims")).json()["facets"]
        for dimension, parameter in [("country", "country"), ("actor", "actor"), ("kind", "kind")]:
            for item in facets[dimension]:
                with self.subTest(dimension=dimension, value=item["value"]):
                    narrowed = self.client.get(reverse("api_claims"), {parameter: item["value"]})
                    self.assertEqual(narrowed.json()["count"], item["count"])

    def test_invalid_filters_are_a_400_with_the_errors(self):
        response = self.client.get(
            reverse("api_claims"), {"country": "zz", "verification": "maybe"}
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertIn("error", body)
        self.assertEqual(set(body["errors"]), {"country", "verification"})

    def test_a_search_over_200_characters_is_a_400(self):
        response = self.client.get(reverse("api_claims"), {"q": "x" * 201})
        self.assertEqual(response.status_code, 400)
        self.assertIn("q", response.json()["errors"])

    def test_malformed_searches_never_fail(self):
        for text in ['"unclosed', "-", "or or", "!!!", "& | ! :*", "'); drop table", "é" * 200]:
            with self.subTest(text):
                self.assertEqual(
                    self.client.get(reverse("api_claims"), {"q": text}).status_code, 200
                )

    def test_a_null_character_in_any_filter_is_a_400_not_a_500(self):
        for name in ["q", "country", "actor", "event", "source", "kind", "language", "from"]:
            with self.subTest(name):
                response = self.client.get(reverse("api_claims"), {name: "rs\x00"})
                self.assertEqual(response.status_code, 400)
                self.assertIn(name, response.json()["errors"])

    def test_the_api_gives_the_same_records_as_the_json_export(self):
        for params, count in [
            ({}, 25),
            ({"country": "rs"}, 15),
            ({"kind": "economic", "sort": "added"}, 10),
        ]:
            with self.subTest(params):
                api = self.client.get(reverse("api_claims"), {**params, "page_size": 100}).json()
                self.assertEqual(len(api["results"]), count)
                self.assertEqual(
                    api["results"], export_records(self.client, "claim_export", params)
                )

    def test_drafts_and_draft_evidence_never_appear(self):
        response = self.client.get(reverse("api_claims"), {"page_size": 100})
        self.assertNotIn("Zanzibarite", response.content.decode())
        first = next(r for r in response.json()["results"] if r["id"] == self.world.claims[0].pk)
        self.assertEqual(len(first["evidence"]), 1)

    def test_a_record_has_countries_actors_and_evidence(self):
        data = self.client.get(reverse("api_claims"), {"event": "peace-guardian"}).json()
        (record,) = data["results"]
        self.assertEqual(record["countries"], ["CN", "RS"])
        self.assertEqual(
            [(actor["name"], actor["role"]) for actor in record["actors"]],
            [("Serbia", "host"), ("China", "participant")],
        )
        (evidence,) = record["evidence"]
        self.assertEqual(evidence["title"], "Report 00")
        self.assertEqual(evidence["stance"], "reports")
        self.assertTrue(evidence["article_url"].startswith("http://testserver/articles/"))
        self.assertEqual(record["date"], "2025-01-01")

    def test_the_query_count_is_the_same_for_1_and_20_rows(self):
        def count(size):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("api_claims"), {"page_size": size})
            self.assertEqual(len(response.json()["results"]), size)
            return len(queries)

        one = count(1)
        # The change log number (pages are cached under it), the page of claims, then
        # their roles, published evidence, countries, links and corrections, and the
        # names of the facets' values (kept until the next change). Totals and facets are
        # the read index's.
        self.assertEqual(one, 8)
        # The same page again, rendered: the names are known now.
        cache.clear()
        with self.assertNumQueries(one - 1):
            self.client.get(reverse("api_claims"), {"page_size": 1})
        cache.clear()
        with self.assertNumQueries(one - 1):
            self.client.get(reverse("api_claims"), {"page_size": 20})

    def test_the_query_count_with_filters_does_not_grow_with_rows(self):
        params = {"country": "rs", "source": "wire", "q": "Numbered"}
        self.client.get(reverse("api_claims"), params)  # the facets' names are kept
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("api_claims"), {**params, "page_size": 1})
        cache.clear()
        with self.assertNumQueries(len(queries)):
            data = self.client.get(reverse("api_claims"), {**params, "page_size": 20}).json()
        self.assertGreater(len(data["results"]), 1)


class ArticlesApiTests(ApiFixture):
    def test_articles_are_paged_with_a_count(self):
        data = self.client.get(reverse("api_articles"), {"page_size": 10}).json()
        # 25 published articles behind the claims, plus the draft claim's own article.
        self.assertEqual(data["count"], 26)
        self.assertEqual(len(data["results"]), 10)
        self.assertEqual(data["next"], "http://testserver/api/articles/?page_size=10&page=2")

    def test_draft_articles_never_appear(self):
        data = self.client.get(reverse("api_articles"), {"page_size": 100}).json()
        self.assertNotIn("Zanzibarite", json.dumps(data))

    def test_an_article_lists_only_published_claims(self):
        article = self.world.draft.evidence.get().article
        data = self.client.get(reverse("api_articles"), {"page_size": 100}).json()
        record = next(record for record in data["results"] if record["id"] == article.pk)
        self.assertEqual(record["claim_urls"], [])

    def test_article_filters_select_the_articles(self):
        cases = [({"source": "wire"}, 12), ({"country": "NE"}, 10), ({"from": "2025-01-20"}, 7)]
        for params, count in cases:
            with self.subTest(params):
                response = self.client.get(reverse("api_articles"), params)
                self.assertEqual(response.json()["count"], count)

    def test_the_api_gives_the_same_records_as_the_json_export(self):
        for params, count in [({}, 26), ({"source": "wire"}, 12)]:
            with self.subTest(params):
                api = self.client.get(reverse("api_articles"), {**params, "page_size": 100}).json()
                self.assertEqual(len(api["results"]), count)
                self.assertEqual(
                    api["results"], export_records(self.client, "article_export", params)
                )

    def test_nonsense_parameters_are_400s_and_404s(self):
        self.assertEqual(
            self.client.get(reverse("api_articles"), {"page_size": 0}).status_code, 400
        )
        self.assertEqual(self.client.get(reverse("api_articles"), {"page": "x"}).status_code, 400)
        self.assertEqual(self.client.get(reverse("api_articles"), {"page": 9}).status_code, 404)
        response = self.client.get(reverse("api_articles"), {"source": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json()["errors"])

    def test_the_query_count_is_the_same_for_1_and_20_rows(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("api_articles"), {"page_size": 1})
        with self.assertNumQueries(len(queries)):
            data = self.client.get(reverse("api_articles"), {"page_size": 20}).json()
        self.assertEqual(len(data["results"]), 20)


class DemoDataApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_no_api_page_contains_the_draft(self):
        for name in ["api_claims", "api_articles"]:
            with self.subTest(name):
                response = self.client.get(reverse(name), {"page_size": 100})
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("zanzibarite", response.content.decode().lower())

    def test_the_seed_claim_shows_only_its_published_evidence(self):
        data = self.client.get(
            reverse("api_claims"), {"q": "first joint military exercise", "page_size": 100}
        ).json()
        record = next(
            r
            for r in data["results"]
            if r["url"].endswith("/china-and-serbia-hold-first-joint-military-exercise/")
        )
        self.assertEqual(len(record["evidence"]), 2)
