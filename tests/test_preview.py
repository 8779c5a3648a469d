"""
Staff see draft claims and articles at their public addresses, marked as drafts and never
indexed or cached; anonymous readers still get 404, and a page cached for them never
shows a draft nor is served to staff.
"""

from django.contrib.auth.models import User
from django.test import TestCase

from articles.models import Evidence

from .factories import make_article, make_claim, state
from .test_admin import make_editor

BANNER = "Draft — not public."
NOINDEX = '<meta name="robots" content="noindex">'


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.draft_article = make_article(status="draft", title="Zanzibarite draft report")
        cls.draft_claim = make_claim(
            [state("RS")],
            article=cls.draft_article,
            status="draft",
            statement="Zanzibarite draft claim.",
        )
        cls.published_claim = make_claim([state("CN")], statement="A published claim.")
        Evidence.objects.create(
            claim=cls.published_claim,
            article=cls.draft_article,
            quote="Officials described the partnership as a model for others.",
        )

    def test_anonymous_readers_and_signed_in_readers_get_404(self):
        reader = User.objects.create_user("reader", password="not-used")
        for obj in (self.draft_claim, self.draft_article):
            with self.subTest(obj):
                self.assertEqual(self.client.get(obj.get_absolute_url()).status_code, 404)
                self.client.force_login(reader)
                self.assertEqual(self.client.get(obj.get_absolute_url()).status_code, 404)
                self.client.logout()

    def test_staff_see_a_draft_claim_with_a_banner_noindex_and_no_caching(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.draft_claim.get_absolute_url())
        self.assertContains(response, BANNER)
        self.assertContains(response, NOINDEX, html=False)
        self.assertContains(response, "Zanzibarite draft claim.")
        # Its quote from the draft article, said to be from a draft.
        self.assertContains(response, "From a draft article, not public.")
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_staff_see_a_draft_article_with_its_draft_claims_quotes_marked(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.draft_article.get_absolute_url())
        self.assertContains(response, BANNER)
        self.assertContains(response, NOINDEX, html=False)
        self.assertContains(response, "<mark", count=2)
        self.assertContains(response, self.draft_claim.get_absolute_url())

    def test_a_published_claim_looks_to_staff_as_to_readers(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.published_claim.get_absolute_url())
        self.assertNotContains(response, BANNER)
        self.assertNotContains(response, NOINDEX, html=False)
        self.assertNotContains(response, "Officials described the partnership")

    def test_a_preview_never_comes_from_or_goes_into_the_page_cache(self):
        url = self.draft_claim.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 404)  # not stored: an error page
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(url), BANNER)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)
        # A reader's cached published page is not what staff get either, and back.
        published = self.published_claim.get_absolute_url()
        self.assertNotContains(self.client.get(published), BANNER)
        self.client.force_login(self.editor)
        self.assertNotIn("public", self.client.get(published).get("Cache-Control", ""))

    def test_the_admins_view_on_site_opens_the_preview(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/articles/claim/{self.draft_claim.pk}/change/")
        self.assertContains(response, "View on site")
        url = response.content.decode().split('class="viewsitelink"')[0].rsplit('href="', 1)[1]
        url = url.split('"')[0]
        self.assertContains(self.client.get(url, follow=True), BANNER)
