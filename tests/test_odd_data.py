"""
Odd data saved past the admin's validation (an importer, the ORM, a bulk tool): control
characters in every name and statement, and article addresses that are not web
addresses. Every page, feed, export and API answer is still a 200, well formed, and
links to nothing but http(s) addresses. (The model refuses such values at validation:
tests/test_models.py.)
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

from django.test import Client, TestCase
from django.urls import reverse

from articles.models import Actor, Article, Country

from .factories import make_actor, make_article, make_claim, make_event, make_source, state

# Every control character XML 1.0 cannot carry but NUL, which PostgreSQL cannot store.
CONTROL = "".join(chr(code) for code in [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
ODD = f"Odd{CONTROL}\x7f\x85\ufffe name"
NOT_WEB = [
    "javascript:alert(6)",
    "JavaScript:alert(6)",
    " javascript:alert(6)",
    "data:text/html,<script>alert(6)</script>",
    "vbscript:msgbox(6)",
]
# What a page, feed or export must never hand out as a link.
UNSAFE = re.compile(r"(javascript|data|vbscript):", re.IGNORECASE)


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


class OddDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Country.objects.filter(code="RS").update(name=f"Serbia{CONTROL}")
        Actor.objects.filter(pk=state("RS").pk).update(aliases=f"Srbija\n{ODD}")
        cls.source = make_source(name=ODD)
        cls.event = make_event(name="EV admin\x0bentry", place=ODD, description=ODD)
        cls.actor = make_actor(name=ODD, aliases=ODD, country=state("RS").country)
        cls.articles = [
            make_article(source=cls.source, title=ODD, summary=ODD, authors=ODD, url=url)
            for url in NOT_WEB
        ]
        cls.claims = [
            make_claim(
                [state("RS"), state("CN"), cls.actor],
                article=article,
                event=cls.event,
                statement=f"{ODD} {n}",
                place=ODD,
            )
            for n, article in enumerate(cls.articles)
        ]
        # Through the ORM, past every validator: what an importer can do.
        Article.objects.filter(pk=cls.articles[0].pk).update(url=NOT_WEB[0])

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def urls(self):
        claim, article = self.claims[0], self.articles[0]
        return {
            "html": [
                reverse("home"),
                reverse("claim_list"),
                reverse("claim_list") + "?q=odd",
                claim.get_absolute_url(),
                reverse("article_list"),
                article.get_absolute_url(),
                self.source.get_absolute_url(),
                reverse("country_list"),
                reverse("country_detail", args=["rs"]),
                reverse("country_pair", args=["rs", "cn"]),
                reverse("event_list"),
                self.event.get_absolute_url(),
                reverse("actor_list"),
                self.actor.get_absolute_url(),
            ],
            "xml": [
                reverse("claim_feed"),
                reverse("claim_map"),
                reverse("country_feed", args=["rs"]),
                reverse("country_pair_feed", args=["rs", "cn"]),
                reverse("event_feed", args=[self.event.slug]),
                reverse("sitemap"),
                reverse("sitemap_section", args=["claims"]),
            ],
            "json": [
                reverse("api_claims"),
                reverse("api_articles"),
                reverse("claim_export", args=["json"]),
                reverse("article_export", args=["json"]),
            ],
            "csv": [
                reverse("claim_export", args=["csv"]),
                reverse("article_export", args=["csv"]),
            ],
        }

    def test_the_odd_values_are_stored_as_they_are(self):
        self.assertEqual(Article.objects.get(pk=self.articles[0].pk).url, NOT_WEB[0])
        self.assertIn("\x0b", Country.objects.get(code="RS").name)

    def test_every_page_feed_and_export_answers_200_and_is_well_formed(self):
        for kind, urls in self.urls().items():
            for url in urls:
                with self.subTest(url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    body = text(response)
                    if kind == "xml":
                        ET.fromstring(body)
                    elif kind == "json":
                        json.loads(body)
                    elif kind == "csv":
                        self.assertGreater(len(list(csv.reader(io.StringIO(body)))), 1)

    def test_nothing_links_to_an_address_that_is_not_http_or_https(self):
        for urls in self.urls().values():
            for url in urls:
                with self.subTest(url):
                    body = text(self.client.get(url))
                    self.assertIsNone(UNSAFE.search(body), UNSAFE.search(body))

    def test_the_article_page_leaves_out_the_link_to_the_original(self):
        response = self.client.get(self.articles[0].get_absolute_url())
        self.assertNotContains(response, "Original article")

    def test_the_exports_leave_out_addresses_that_are_not_web_addresses(self):
        records = json.loads(text(self.client.get(reverse("article_export", args=["json"]))))
        self.assertEqual({record["original_url"] for record in records}, {None})
        records = json.loads(text(self.client.get(reverse("claim_export", args=["json"]))))
        urls = {item["original_url"] for record in records for item in record["evidence"]}
        self.assertEqual(urls, {None})
        rows = list(csv.DictReader(io.StringIO(text(self.client.get("/claims/export.csv")))))
        self.assertEqual({row["evidence_original_urls"] for row in rows}, {""})
