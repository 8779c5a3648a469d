"""The home page: an introduction, a search box, latest claims, busiest countries and events."""

import datetime
import html
import re

from django.test import TestCase
from django.urls import reverse

from articles.models import Claim

from .factories import country, make_claim, make_event, state


def intro(response):
    page = response.content.decode()
    match = re.search(r'<section class="intro">(.*?)</section>', page, re.S)
    assert match, "no intro section"
    return match.group(1)


def section(response, heading_id):
    page = response.content.decode()
    match = re.search(rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


class HomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.peace = make_event(name="Peace Guardian", slug="peace-guardian")
        cls.summit = make_event(name="Belgrade summit", slug="belgrade-summit", kind="summit")
        cls.quiet = make_event(name="Quiet talks", slug="quiet-talks", kind="summit")
        # Twelve dated claims, one a day in May 2025, plus an undated one.
        for day in range(1, 13):
            make_claim(
                [state("RS"), state("CN")] if day % 2 else [state("RS"), state("RU")],
                statement=f"Claim of {day} May 2025.",
                occurred_on=datetime.date(2025, 5, day),
                event=cls.peace if day <= 3 else cls.summit if day == 4 else None,
            )
        make_claim(
            [state("US")],
            statement="An undated standing fact.",
            occurred_on=None,
            date_precision="",
        )
        make_claim(
            [state("RS"), state("FR")],
            statement="Zanzibarite draft claim.",
            occurred_on=datetime.date(2025, 6, 1),
            event=cls.quiet,
            status="draft",
        )

    def get(self):
        return self.client.get(reverse("home"))

    def test_the_introduction_is_two_sentences(self):
        paragraphs = re.findall(r"<p>(.*?)</p>", intro(self.get()), re.S)
        self.assertEqual(len(paragraphs), 2)
        sentences = [
            s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", html.unescape(p).strip()) if s
        ]
        self.assertEqual(len(sentences), 2, sentences)

    def test_has_a_labelled_search_box_that_searches_claims(self):
        box = intro(self.get())
        label = re.search(r'<label for="([^"]+)">([^<]+)</label>', box)
        self.assertIsNotNone(label)
        self.assertEqual(label.group(2), "Search claims")
        self.assertRegex(box, rf'<input id="{label.group(1)}" type="search" name="q"')
        self.assertIn(f'action="{reverse("claim_list")}"', box)
        self.assertIn('method="get"', box)

    def test_the_search_box_leads_to_matching_claims(self):
        claim = Claim.objects.get(statement="Claim of 7 May 2025.")
        response = self.client.get(reverse("claim_list"), {"q": "Claim of 7 May"})
        self.assertContains(response, f'<a href="{claim.get_absolute_url()}">')

    def test_latest_claims_are_the_ten_most_recent_published(self):
        latest = section(self.get(), "latest-heading")
        statements = re.findall(r'<p class="claim-statement"><a href="[^"]*">(.*?)</a>', latest)
        self.assertEqual(statements, [f"Claim of {day} May 2025." for day in range(12, 2, -1)])
        self.assertIn(f'href="{reverse("claim_list")}"', latest)

    def test_most_active_countries_with_published_claim_counts(self):
        countries = section(self.get(), "countries-heading")
        found = re.findall(
            r'<a href="(/countries/\w+/)">(.*?)</a> <span class="count">(\d+)', countries
        )
        self.assertEqual(
            found,
            [
                ("/countries/rs/", "Serbia", "12"),
                ("/countries/cn/", "China", "6"),
                ("/countries/ru/", "Russia", "6"),
                ("/countries/us/", "United States", "1"),
            ],
        )

    def test_most_active_events_with_published_claim_counts(self):
        events = section(self.get(), "events-heading")
        found = re.findall(
            r'<a href="(/events/[\w-]+/)">(.*?)</a> <span class="count">(\d+)', events
        )
        self.assertEqual(
            found,
            [
                ("/events/peace-guardian/", "Peace Guardian", "3"),
                ("/events/belgrade-summit/", "Belgrade summit", "1"),
            ],
        )

    def test_drafts_are_not_shown_or_counted(self):
        response = self.get()
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, "France")
        self.assertNotContains(response, "Quiet talks")

    def test_an_empty_site_still_answers(self):
        Claim.objects.all().delete()
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No published claims match.")


class HomeQueryCountTests(TestCase):
    """Counts include, first, the change log number (see articles/caching.py)."""

    def add(self, n):
        for _ in range(n):
            make_claim(
                [state("RS"), state("CN")],
                event=make_event(host_country=country("CN")),
                occurred_on=datetime.date(2025, 5, 8),
            )

    def test_the_same_queries_for_one_claim_as_for_twenty(self):
        # 1 the change log number, 2-3 the read index catches up (the entries since it
        # was built, the claims they name), 4 the latest claims with evidence counts,
        # 5 their actors, 6 every country readers can visit (the most active, the pair
        # picker's choices, the names of the busiest pairs), 7 the map's country names (the
        # read index keeps them until the next change), 8 the most active events.
        url = reverse("home")
        self.add(1)
        with self.assertNumQueries(8):
            self.client.get(url)
        self.add(19)
        with self.assertNumQueries(8):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('class="claim"'), 10)
