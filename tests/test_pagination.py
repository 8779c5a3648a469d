"""Lists count up to a cap and page no further: "10,000+" rather than a slow count."""

from unittest import mock, skipUnless

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.views import CappedPaginator
from tests.factories import make_claim, make_event, state


def capped_at(cap):
    return mock.patch.object(CappedPaginator, "cap", cap)


class CappedCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event()
        for n in range(7):
            make_claim([state("RS")], statement=f"Claim number {n}.", event=cls.event)

    def test_below_the_cap_the_count_is_exact(self):
        with capped_at(7):
            response = self.client.get(reverse("claim_list"))
        self.assertContains(response, '<p class="total">7 claims</p>', html=True)
        self.assertFalse(response.context["page_obj"].paginator.more)

    def test_above_the_cap_the_total_says_more(self):
        with capped_at(5):
            response = self.client.get(reverse("claim_list"))
            self.assertTrue(response.context["page_obj"].paginator.more)
        self.assertContains(response, '<p class="total">5+ claims</p>', html=True)

    def test_counting_reads_no_more_than_the_cap_plus_one_and_does_not_sort(self):
        with capped_at(5), CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("claim_list"))  # reads the ids: the facets use them
            self.client.get(self.event.get_absolute_url())  # counts
        counting = [q["sql"] for q in queries if "LIMIT 6" in q["sql"]]
        self.assertEqual(len(counting), 2, counting)
        for sql in counting:
            self.assertNotIn("ORDER BY", sql)
        self.assertTrue(counting[1].startswith("SELECT COUNT(*)"), counting[1])

    def test_pages_end_at_the_cap_and_say_how_to_see_the_rest(self):
        for n in range(7, 45):
            make_claim([state("CN")], statement=f"Claim number {n}.")
        url = reverse("claim_list")
        with capped_at(30):
            last = self.client.get(url, {"page": 2, "sort": "added"})
            beyond = self.client.get(url, {"page": 3, "sort": "added"})
        self.assertEqual(len(last.context["claims"]), 10)
        self.assertEqual(beyond.context["page_obj"].number, 2)  # lands on the last page
        self.assertContains(last, "Pages stop after the first 30.")
        self.assertNotContains(last, 'rel="next"')

    def test_event_and_actor_pages_are_capped_too(self):
        with capped_at(5):
            event_page = self.client.get(self.event.get_absolute_url())
            actor_page = self.client.get(state("RS").get_absolute_url())
            self.assertTrue(actor_page.context["page_obj"].paginator.more)
        self.assertContains(event_page, "Filter these 5+ claims")

    def test_the_api_says_when_its_count_is_capped(self):
        with capped_at(5):
            capped = self.client.get(reverse("api_claims"), {"page_size": 5}).json()
            last = self.client.get(reverse("api_claims"), {"page_size": 5, "page": 2})
        self.assertEqual((capped["count"], capped["count_capped"]), (5, True))
        self.assertIsNone(capped["next"])
        self.assertEqual(last.status_code, 404)
        uncapped = self.client.get(reverse("api_claims")).json()
        self.assertEqual((uncapped["count"], uncapped["count_capped"]), (7, False))

    @skipUnless(connection.vendor == "postgresql", "only PostgreSQL ranks search results")
    def test_a_search_with_more_matches_than_the_cap_is_listed_by_date(self):
        make_claim([state("RS")], statement="Claim number 8, about a drill.")
        with capped_at(5):
            capped = self.client.get(reverse("claim_list"), {"q": "claim number"})
        self.assertTrue(capped.context["unranked"])
        self.assertContains(capped, "Too many matches to rank by relevance")
        cache.clear()  # the same page, rendered again without the cap
        ranked = self.client.get(reverse("claim_list"), {"q": "claim number"})
        self.assertFalse(ranked.context["unranked"])
        self.assertNotContains(ranked, "Too many matches")
