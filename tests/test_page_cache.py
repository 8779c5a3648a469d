"""Public pages are cached per change log number: fast to repeat, never stale."""

from django.test import TestCase
from django.urls import reverse

from articles.models import Claim, Status
from tests.factories import make_actor, make_article, make_claim, make_event, state


def statements(response):
    return [claim.statement for claim in response.context["claims"]] if response.context else []


class PageCacheTests(TestCase):
    def setUp(self):
        self.claim = make_claim([state("RS"), state("CN")], statement="Serbia met China.")
        self.url = reverse("claim_list")

    def test_a_repeated_page_is_served_with_one_query(self):
        first = self.client.get(self.url)
        with self.assertNumQueries(1):  # the change log number
            again = self.client.get(self.url)
        self.assertEqual(again.content, first.content)

    def test_a_cached_page_still_gets_the_security_headers(self):
        self.client.get(self.url)
        response = self.client.get(self.url)
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_other_query_strings_are_other_pages(self):
        self.client.get(self.url)
        response = self.client.get(self.url, {"country": "us"})
        self.assertEqual(response.context["page_obj"].paginator.count, 0)

    def test_an_edit_shows_at_once(self):
        self.client.get(self.claim.get_absolute_url())
        self.claim.statement = "Serbia hosted China."
        self.claim.save()
        self.assertContains(self.client.get(self.claim.get_absolute_url()), "Serbia hosted China.")

    def test_unpublishing_removes_the_claim_from_cached_lists_and_pages(self):
        self.assertContains(self.client.get(self.url), "Serbia met China.")
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 200)
        self.claim.status = Status.DRAFT
        self.claim.save()
        self.assertNotContains(self.client.get(self.url), "Serbia met China.")
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("claim_feed")), "Serbia met China.")

    def test_publishing_shows_a_draft_that_was_asked_for_before(self):
        draft = make_claim([state("RS")], statement="A draft claim.", status=Status.DRAFT)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(self.url), "A draft claim.")
        draft.status = Status.PUBLISHED
        draft.save()
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 200)
        self.assertContains(self.client.get(self.url), "A draft claim.")

    def test_deleting_a_claim_shows_at_once(self):
        self.client.get(self.url)
        Claim.objects.get(pk=self.claim.pk).delete()
        self.assertEqual(statements(self.client.get(self.url)), [])

    def test_changing_an_events_participants_shows_at_once(self):
        event = make_event()
        make_claim([state("RS")], event=event)
        url = event.get_absolute_url()
        self.client.get(url)
        event.participants.add(make_actor(name="Participating Unit"))
        self.assertContains(self.client.get(url), "Participating Unit")

    def test_a_cached_feed_is_served_in_one_piece(self):
        # Django's feed writer makes thousands of small writes: served as they are,
        # each is a write to the socket (a cached feed took 10 ms instead of 3).
        self.client.get(reverse("claim_feed"))
        self.assertEqual(len(list(self.client.get(reverse("claim_feed")))), 1)

    def test_the_sitemap_is_cached_and_follows_publication(self):
        url = reverse("sitemap_section", args=["claims"])
        self.assertContains(self.client.get(url), self.claim.get_absolute_url())
        with self.assertNumQueries(1):
            self.assertContains(self.client.get(url), self.claim.get_absolute_url())
        self.claim.status = Status.DRAFT
        self.claim.save()
        self.assertNotContains(self.client.get(url), self.claim.get_absolute_url())

    def test_missing_pages_are_not_cached(self):
        url = reverse("claim_detail_short", args=[self.claim.pk + 1000])
        self.assertEqual(self.client.get(url).status_code, 404)
        with self.assertNumQueries(2):  # the change log number, and the claim again
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_editing_a_draft_keeps_cached_pages(self):
        # Editors save drafts every few seconds: readers' pages are not affected by them.
        draft = make_claim([state("RS")], statement="A draft about Serbia.", status="draft")
        self.client.get(self.url)
        draft.statement = "A draft about Serbia, reworded."
        draft.save()
        make_article(status="draft")
        with self.assertNumQueries(1):  # the change log number
            self.client.get(self.url)
