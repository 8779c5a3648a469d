"""An editor in the admin: an article, a claim backed by it, publishing it, and the result."""

import re

from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, Claim, Status

from .browser import BrowserTestCase

BODY = (
    "Serbian and Hungarian engineers opened a new rail bridge over the Danube on Monday.\n"
    "Officials said the bridge “will halve freight times between Budapest and Belgrade”.\n"
    "Trains are due to start running across it next month."
)
QUOTE = 'Officials said the bridge "will halve freight times between Budapest and Belgrade".'
STATEMENT = "Serbia and Hungary open a rail bridge over the Danube."


class EditorTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # Editors write; Publishers also publish. This editor does both.
        editor = User.objects.create_user("editor", password="editor-test-pw", is_staff=True)
        editor.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))

    def choose(self, field_id, search, option):
        """Pick `option` in an autocomplete (select2) field after typing `search`."""
        self.page.locator(f"#{field_id} + .select2").click()
        self.page.locator(".select2-container--open .select2-search__field").fill(search)
        self.page.locator(
            ".select2-container--open .select2-results__option:not(.loading-results)",
            has_text=re.compile(rf"^{re.escape(option)}$"),
        ).click()
        expect(self.page.locator(f"#{field_id}")).to_have_value(re.compile(r"^\d+$"))

    def save(self):
        with self.page.expect_navigation():
            self.page.locator("input[name=_save]").click()

    def test_editor_enters_and_publishes_a_claim_that_readers_then_find(self):
        page = self.page
        self.go("/admin/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("editor-test-pw")
        page.get_by_role("button", name="Log in").click()
        expect(
            page.get_by_role("heading", name="Articles, claims and what backs them")
        ).to_be_visible()

        # The article, exactly as published.
        page.get_by_role("link", name="Articles", exact=True).click()
        page.get_by_role("link", name=re.compile("^Add article")).click()
        page.get_by_label("Title:").fill("Danube rail bridge opens")
        page.get_by_label("Title:").press("Tab")  # the slug is filled in on leaving the title
        expect(page.get_by_label("Slug:")).to_have_value("danube-rail-bridge-opens")
        self.choose("id_source", "Demo", "Demo Wire (illustrative)")
        page.locator("#id_published_at_0").fill("2026-03-02")
        page.locator("#id_published_at_1").fill("09:30:00")
        page.get_by_label("Body:").fill(BODY)
        page.get_by_label("Status:").select_option("published")
        self.save()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        article = Article.objects.get(slug="danube-rail-bridge-opens")
        self.assertEqual(article.status, Status.PUBLISHED)

        # The claim, with two actors in their roles and a quote that is not in the article.
        self.go("/admin/articles/claim/add/")
        page.get_by_label("Statement:").fill(STATEMENT)
        page.get_by_label("Kind:").select_option("economic")
        page.locator("#id_occurred_on").fill("2026-03-02")
        page.locator("#id_date_precision").select_option("day")
        self.choose("id_roles-0-actor", "Serbia", "Serbia")
        page.locator("#id_roles-0-role").select_option("host")
        self.choose("id_roles-1-actor", "Hungary", "Hungary")
        page.locator("#id_roles-1-role").select_option("participant")
        self.choose("id_evidence-0-article", "Danube", "Danube rail bridge opens")
        page.locator("#id_evidence-0-stance").select_option("asserts")
        page.locator("#id_evidence-0-quote").fill("Officials said the bridge cost nothing at all.")
        self.save()
        expect(page.locator(".errornote")).to_be_visible()
        expect(page.locator("#evidence-group .errorlist")).to_contain_text(
            "This quote does not occur in the article “Danube rail bridge opens”"
        )
        self.assertFalse(Claim.objects.filter(statement=STATEMENT).exists())

        # Corrected: the quote as copied from a browser, with curly quotes straightened.
        page.locator("#id_evidence-0-quote").fill(QUOTE)
        self.save()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        claim = Claim.objects.get(statement=STATEMENT)
        self.assertEqual(claim.status, Status.DRAFT)
        self.assertEqual(
            sorted((role.actor.name, role.role) for role in claim.roles.all()),
            [("Hungary", "participant"), ("Serbia", "host")],
        )

        # Published from the list of claims.
        page.locator("tr", has_text=STATEMENT).locator("input[name=_selected_action]").check()
        page.locator("select[name=action]").select_option("publish")
        page.get_by_role("button", name="Run").click()
        expect(page.locator(".messagelist")).to_contain_text("Published 1 item.")
        claim.refresh_from_db()
        self.assertEqual(claim.status, Status.PUBLISHED)

        # A reader finds it on Hungary's page, and the quote behind it.
        self.go("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
        page.get_by_role("link", name="Hungary", exact=True).click()
        self.assertEqual(self.path(), "/countries/hu/")
        page.get_by_role("link", name=STATEMENT).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT)
        expect(page.locator("blockquote")).to_have_text(QUOTE)
