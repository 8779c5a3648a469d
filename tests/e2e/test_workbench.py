"""
The editors' workbench in a browser: the seed article, freshly entered as a draft,
becomes three published claims with quotes, actors and countries in at most 8 page
loads (it took about 19 before the workbench), one of them made by keyboard alone; and
the workbench's form works without JavaScript.
"""

import re

from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.demo_data import ARTICLES, SEED
from articles.models import Article, Claim, Source, Status

from .browser import SCREENSHOTS, BrowserTestCase

MAX_PAGE_LOADS = 8
SEED_ARTICLE = next(article for article in ARTICLES if article["slug"] == SEED)

# (the start of the sentence to quote, the statement, the countries the claim must involve)
CLAIMS = [
    (
        "A senior Chinese official announced",
        "A senior Chinese official announced the exercise with Serbia.",
        {"CN"},
    ),
    (
        "Belgrade wassaid to be",
        "Serbia's defence ministry praised the Chinese forces' organisation.",
        {"RS", "CN"},
    ),
    (
        "They have already acquired",
        "Serbia has bought Chinese weapons, drones and air defence among them.",
        {"CN"},
    ),
]


class WorkbenchTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        user = User.objects.create_user("editor", password="editor-test-pw", is_staff=True)
        user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
        seed = Article.objects.get(slug=SEED)
        # The seed article as a new editor would find it: entered, in draft, no claims yet.
        self.article = Article.objects.create(
            title="China and Serbia hold a joint exercise (entered again)",
            slug="seed-entered-again",
            source=Source.objects.get(slug=SEED_ARTICLE["source"]),
            published_at=SEED_ARTICLE["published_at"],
            body=seed.body,
            status=Status.DRAFT,
        )
        self.workbench = f"/admin/articles/article/{self.article.pk}/workbench/"
        self.loads = 0
        self.page.on("load", lambda page: self.count_load())

    def count_load(self):
        self.loads += 1

    def log_in(self, page):
        self.go(f"/admin/login/?next={self.workbench}")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("editor-test-pw")
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        self.assertEqual(self.path(), self.workbench)

    def sentence(self, start):
        return self.page.locator(".sentence", has_text=start)

    def save_claim(self, statement):
        page = self.page
        page.get_by_role("button", name="Save the claim as a draft").click()
        expect(page.locator("#workbench-status")).to_contain_text(
            f"Saved the draft claim “{statement}”"
        )

    def focus_by_keyboard(self, selector, limit=400):
        """Tab until `selector` has the focus; what the workbench focuses must show it."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            inside = self.page.evaluate("() => !!document.activeElement.closest('#workbench')")
            if inside:
                self.assert_focus_visible(self.focused())
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        self.fail(f"{selector} was not reached by keyboard")

    def test_the_seed_article_becomes_three_published_claims_in_few_page_loads(self):
        page = self.page
        self.log_in(page)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Workbench")
        expect(self.sentence("Belgrade wassaid")).to_contain_text("Countries: Serbia, China")

        # 1. With the mouse: a sentence fills the form, a selection narrows the quote.
        start, statement, _ = CLAIMS[0]
        self.sentence(start).get_by_role("link", name=re.compile("^Make a claim")).click()
        form = page.locator("#quick-claim-form")
        expect(form.get_by_label("Quote")).to_have_value(re.compile(f"^{start}"))
        expect(form.get_by_label("Kind")).to_have_value("military")
        expect(form.get_by_label("China", exact=True)).to_be_checked()
        text = self.sentence(start).locator(".sentence-text")
        text.scroll_into_view_if_needed()
        box = text.bounding_box()
        # From the first word to the middle of the first line: out to whole words.
        page.mouse.move(box["x"] + 2, box["y"] + 5)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 5, steps=5)
        page.mouse.up()
        quote = form.get_by_label("Quote").input_value()
        self.assertTrue(quote.startswith("A senior Chinese"), quote)
        self.assertLess(len(quote), 150)
        self.assertTrue(quote.split()[-1].isalpha() or quote[-1] in ",.”", quote)
        form.get_by_label("Statement").fill(statement)
        self.save_claim(statement)
        expect(self.sentence(start).locator("mark")).to_have_count(1)

        # 2. Another, one after the other without leaving the page.
        start, statement, _ = CLAIMS[1]
        self.sentence(start).get_by_role("link", name=re.compile("^Make a claim")).click()
        expect(page.locator("#quick-claim-form").get_by_label("Statement")).to_be_focused()
        page.locator("#quick-claim-form").get_by_label("Statement").fill(statement)
        self.save_claim(statement)

        # 3. By keyboard alone: to the sentence's link, Enter, type, to the button, Enter.
        start, statement, _ = CLAIMS[2]
        self.sentence(start).get_by_role("link", name=re.compile("^Make a claim")).click()
        self.sentence(start).evaluate("li => li.scrollIntoView({block: 'center'})")
        # What README shows (docs/workbench.png is a copy).
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "workbench-in-use-1280.png")
        page.locator("#workbench-status").focus()
        link = self.sentence(start).locator("a.make-claim")
        link_id = link.evaluate("a => a.dataset.sentence")
        self.focus_by_keyboard(f'a.make-claim[data-sentence="{link_id}"]')
        page.keyboard.press("Enter")
        statement_field = page.locator("#quick-claim-form").get_by_label("Statement")
        expect(statement_field).to_be_focused()
        page.keyboard.type(statement)
        self.focus_by_keyboard("#quick-claim-form button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.locator("#workbench-status")).to_contain_text(
            f"Saved the draft claim “{statement}”"
        )
        self.assertEqual(self.loads, 2, "making claims must not load pages")

        # Publish the article with its ready claims: one page load.
        with page.expect_navigation():
            page.get_by_role("button", name="Publish the article with its ready claims").click()
        expect(page.locator("#workbench-status")).to_contain_text(
            "Published the article, and 3 claims."
        )

        # What readers get: the article with the three quotes marked.
        self.go(self.article.get_absolute_url())
        expect(page.locator(".body mark")).to_have_count(3)
        self.assertLessEqual(self.loads, MAX_PAGE_LOADS)
        print(f"\nThe seed article to 3 published claims: {self.loads} page loads")

        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.PUBLISHED)
        for start, statement, countries in CLAIMS:
            with self.subTest(statement):
                claim = Claim.objects.get(statement=statement)
                self.assertEqual(claim.status, Status.PUBLISHED)
                evidence = claim.evidence.get()
                self.assertEqual(evidence.article, self.article)
                self.assertTrue(evidence.quote.startswith(start[:20]))
                self.assertTrue(claim.roles.exists())
                involved = set(claim.involvements.values_list("country__code", flat=True))
                self.assertTrue(countries <= involved, (countries, involved))

    def test_the_workbench_form_works_without_javascript(self):
        context = self.browser.new_context(java_script_enabled=False)
        page = context.new_page()
        try:
            page.goto(self.url(f"/admin/login/?next={self.workbench}"))
            page.get_by_label("Username").fill("editor")
            page.get_by_label("Password").fill("editor-test-pw")
            with page.expect_navigation():
                page.get_by_role("button", name="Log in").click()
            sentence = page.locator(".sentence", has_text="They have already acquired")
            quote = sentence.locator(".sentence-text").inner_text()
            form = page.locator("#quick-claim-form")
            form.get_by_label("Quote").fill(quote)
            form.get_by_label("Statement").fill("Serbia acquired Chinese weapons.")
            form.get_by_label("Kind").select_option("arms")
            form.get_by_label("Serbia", exact=True).check()
            with page.expect_navigation():
                form.get_by_role("button", name="Save the claim as a draft").click()
            expect(page.locator("#workbench-status")).to_contain_text("Saved the draft claim")
            expect(sentence.locator("mark")).to_have_count(1)
            # The sentence's link opens the full form, filled in.
            with page.expect_navigation():
                sentence.get_by_role("link", name=re.compile("^Make a claim")).click()
            expect(page.locator("#id_evidence-0-quote")).to_have_value(quote)
        finally:
            context.close()
        claim = Claim.objects.get(statement="Serbia acquired Chinese weapons.")
        self.assertEqual(claim.evidence.get().quote, quote)
