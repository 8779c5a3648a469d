"""
Claims lists are counted exactly by the read engine, however many match; the lists
PostgreSQL counts (articles) count up to a cap and page no further: "10,000+".
"""

from unittest import mock, skipUnless

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search
from articles.pagination import CappedPaginator
from tests.factories import make_article, make_claim, make_event, make_source, state


def capped_at(cap):
    return mock.patch.object(CappedPaginator, "cap", cap)


class ExactClaimCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.event = make_event()
        for n in range(7):
            make_claim([state("RS")], statement=f"Claim number {n}.", event=cls.event)

    def test_claims_lists_are_counted_exactly_whatever_the_article_cap(self):
        with capped_at(5):
            response = self.client.get(reverse("claim_list"))
            event_page = self.client.get(self.event.get_absolute_url())
        self.assertContains(response, '<p class="total">7 claims</p>', html=True)
        self.assertFalse(response.context["page_obj"].paginator.more)
        self.assertContains(event_page, "Filter these 7 claims")

    def test_every_page_of_a_claims_list_can_be_reached(self):
        for n in range(7, 45):
            make_claim([state("CN")], statement=f"Claim number {n}.")
        third = self.client.get(reverse("claim_list"), {"page": 3, "sort": "added"})
        self.assertEqual(third.context["page_obj"].number, 3)
        self.assertEqual(len(third.context["claims"]), 5)
        self.assertEqual(third.context["claims"][-1].statement, "Claim number 0.")

    def test_the_api_counts_claims_exactly(self):
        page = self.client.get(reverse("api_claims"), {"page_size": 5}).json()
        self.assertEqual((page["count"], page["count_capped"]), (7, False))
        self.assertIsNotNone(page["next"])
        last = self.client.get(reverse("api_claims"), {"page_size": 5, "page": 2}).json()
        self.assertEqual(len(last["results"]), 2)

    @skipUnless(connection.vendor == "postgresql", "only PostgreSQL ranks search results")
    def test_a_search_with_more_matches_than_can_be_ranked_is_listed_by_date(self):
        make_claim([state("RS")], statement="Claim number 8, about a drill.")
        with mock.patch.object(search, "RANK_AT_MOST", 5):
            capped = self.client.get(reverse("claim_list"), {"q": "claim number"})
        self.assertTrue(capped.context["unranked"])
        self.assertContains(capped, "Too many matches to rank by relevance")
        cache.clear()  # the same page, rendered again without the limit
        ranked = self.client.get(reverse("claim_list"), {"q": "claim number"})
        self.assertFalse(ranked.context["unranked"])
        self.assertNotContains(ranked, "Too many matches")


class CappedArticleCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        source = make_source()
        for n in range(7):
            make_article(source=source, title=f"Article number {n}")

    def test_below_the_cap_the_count_is_exact(self):
        with capped_at(7):
            response = self.client.get(reverse("api_articles"))
        self.assertEqual((response.json()["count"], response.json()["count_capped"]), (7, False))

    def test_above_the_cap_the_api_says_so_and_pages_end_there(self):
        with capped_at(5):
            capped = self.client.get(reverse("api_articles"), {"page_size": 5}).json()
            last = self.client.get(reverse("api_articles"), {"page_size": 5, "page": 2})
        self.assertEqual((capped["count"], capped["count_capped"]), (5, True))
        self.assertIsNone(capped["next"])
        self.assertEqual(last.status_code, 404)

    def test_counting_reads_no_more_than_the_cap_plus_one_and_does_not_sort(self):
        with capped_at(5), CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("api_articles"), {"page_size": 5})
        counting = [q["sql"] for q in queries if "LIMIT 6" in q["sql"]]
        self.assertEqual(len(counting), 1, counting)
        self.assertTrue(counting[0].startswith("SELECT COUNT(*)"), counting[0])
        self.assertNotIn("ORDER BY", counting[0])
