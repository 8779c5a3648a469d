"""
A claim's public history (<claim URL>history/): every change readers could see, in
words, with its date, never who made it; nothing done while it was a draft; and its
corrections.
"""

import datetime

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import ClaimActor, Correction, Evidence, Status

from .factories import country, make_article, make_claim, make_event, state


def saved(obj, hours, user=None):
    """Save `obj` as if `hours` after now, by `user` (the history records both)."""
    obj._history_date = timezone.now() + datetime.timedelta(hours=hours)
    obj._history_user = user
    obj.save()
    return obj


class PublicHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create(username="zedthepublisher")
        cls.claim = claim = make_claim(
            [state("RS")], statement="Zanzibarite first wording of the claim.", status=Status.DRAFT
        )
        user = cls.user
        # While a draft: nothing of this may show.
        claim.statement = "Zanzibarite second wording, still a draft."
        saved(claim, 1, user)
        claim.statement = "Serbia and China held their first joint exercise."
        claim.status = Status.PUBLISHED
        saved(claim, 2, user)
        claim.verification = "corroborated"
        saved(claim, 3, user)
        claim.statement = "Serbia and China held their first joint military exercise."
        saved(claim, 4, user)
        saved(ClaimActor(claim=claim, actor=state("CN")), 5, user)
        cls.later_article = make_article(title="Second report of the drill")
        saved(
            Evidence(
                claim=claim,
                article=cls.later_article,
                quote="The ministry said the exercise showed",
                stance="asserts",
            ),
            6,
            user,
        )
        claim.status = Status.DRAFT
        saved(claim, 7, user)
        claim.place = "Zanzibarite place, while withdrawn"
        saved(claim, 8, user)
        claim.place = "Hebei province"
        claim.country = country("CN")
        claim.event = make_event(name="Peace Guardian 2025")
        claim.status = Status.PUBLISHED
        saved(claim, 9, user)
        cls.correction = Correction.objects.create(
            claim=claim, note="The exercise was the first, not the second."
        )
        cls.url = reverse("claim_history", args=[claim.pk, claim.slug])

    def page(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_lists_every_public_change_in_words_newest_first(self):
        page = self.page()
        expected = [
            "Published again:",
            "Place: none → Hebei province",
            "Country: none → China",
            "Event: none → Peace Guardian 2025",
            "Withdrawn from publication.",
            "Quote added from “Second report of the drill”: "
            "<q>The ministry said the exercise showed</q>",
            "Actor added: China (participant)",
            "Statement changed from <q>Serbia and China held their first joint exercise.</q> to "
            "<q>Serbia and China held their first joint military exercise.</q>",
            "Verification: Reported → Corroborated",
            "Published.",
        ]
        missing = [text for text in expected if text not in page]
        self.assertEqual(missing, [])
        positions = [page.find(text) for text in expected]
        self.assertEqual(positions, sorted(positions))

    def test_shows_nothing_done_while_a_draft_and_never_who(self):
        page = self.page()
        self.assertNotIn("Zanzibarite", page)
        self.assertNotIn("zedthepublisher", page)

    def test_lists_the_corrections_with_their_dates(self):
        page = self.page()
        self.assertIn("The exercise was the first, not the second.", page)
        self.assertIn(f'id="correction-{self.correction.pk}"', page)
        self.assertIn(f"{self.correction.created_at:%-d %B %Y}", page)

    def test_the_claim_page_links_to_it(self):
        response = self.client.get(self.claim.get_absolute_url())
        self.assertContains(response, f'href="{self.url}"')

    def test_a_quote_from_an_article_that_is_not_published_is_not_mentioned(self):
        self.later_article.status = Status.DRAFT
        self.later_article.save()
        self.assertNotIn("Second report of the drill", self.page())

    def test_a_draft_claims_history_is_404(self):
        draft = make_claim(statement="Zanzibarite draft claim.", status=Status.DRAFT)
        url = reverse("claim_history", args=[draft.pk, draft.slug])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(User.objects.create(username="staff", is_staff=True))
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_wrong_slug_redirects_permanently(self):
        response = self.client.get(reverse("claim_history", args=[self.claim.pk, "old-slug"]))
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], self.url)

    def test_the_page_takes_the_same_queries_however_long_the_history(self):
        # 1 the change log number, 2 the claim, 3 its corrections, 4-6 the claim's, its
        # actors' and its quotes' history, 7-10 the names of the actors, countries, events
        # and published articles they name.
        with self.assertNumQueries(10):
            self.page()
        for hours in range(10, 30):
            self.claim.verification = "disputed" if hours % 2 else "corroborated"
            saved(self.claim, hours)
            saved(ClaimActor(claim=self.claim, actor=state("HU"), role=f"{'host'}"), hours)
            ClaimActor.objects.filter(claim=self.claim, actor=state("HU")).delete()
        with self.assertNumQueries(10):
            page = self.page()
        self.assertEqual(page.count("Verification: Corroborated → Disputed"), 10)
