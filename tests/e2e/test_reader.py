"""A reader's way through the site, with the mouse: browsing, filtering, searching, downloading."""

import csv
import io
import re

from playwright.sync_api import expect

from articles.filters import MOST_RECENT
from articles.models import Claim, Evidence, Source

from ..factories import make_claim, state
from .browser import DESKTOP, PHONE, BrowserTestCase


class ReaderTests(BrowserTestCase):
    def test_from_home_page_to_the_quote_in_the_article(self):
        page = self.page
        self.go("/")
        countries = page.get_by_role("region", name="Most active countries")
        countries.get_by_role("link", name="Serbia", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Serbia")
        self.assertEqual(self.path(), "/countries/rs/")

        page.get_by_role("link", name="Serbia and China", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Serbia and China")
        self.assertEqual(self.path(), "/countries/rs/cn/")

        claim = Claim.objects.get(slug="china-and-serbia-hold-first-joint-military-exercise")
        timeline = page.get_by_role("region", name="Timeline")
        timeline.get_by_role("link", name=claim.statement, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(claim.statement)

        evidence = claim.evidence.select_related("article").first()
        page.get_by_role("link", name=f"Read the quote in “{evidence.article.title}”").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(evidence.article.title)
        self.assertEqual(self.path(), f"{evidence.article.get_absolute_url()}#{evidence.anchor}")
        # The quote is marked, targeted (outlined) and scrolled into view.
        quote = page.locator(f"mark#{evidence.anchor}")
        expect(quote).to_be_in_viewport()
        self.assertTrue(quote.evaluate("el => el.matches(':target')"))
        self.assertNotEqual(quote.evaluate("el => getComputedStyle(el).outlineStyle"), "none")
        self.assertIn(" ".join(quote.inner_text().split())[:40], " ".join(evidence.quote.split()))

    def test_filters_chips_pages_and_sorting(self):
        # More than a page of claims involving Serbia, most of them not military.
        for n in range(1, 21):
            make_claim(
                actors=[state("RS"), state("HU")],
                kind=Claim.Kind.ECONOMIC,
                statement=f"Serbia and Hungary sign trade protocol number {n}.",
            )
        page = self.page
        self.go("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Claims")
        refine = page.get_by_role("complementary", name="Refine")

        refine.get_by_role("region", name="Countries").get_by_role("link", name="Serbia").click()
        expect(page).to_have_url(re.compile(r"\?country=rs$"))
        refine.get_by_role("region", name="Kind").get_by_role(
            "link", name="Military cooperation"
        ).click()
        chips = page.get_by_role("list", name="Active filters")
        expect(chips.get_by_role("link", name=re.compile("^Remove filter"))).to_have_count(2)
        military = Claim.objects.published().involving("RS").filter(kind="military").count()
        expect(page.locator(".total")).to_have_text(f"{military} claims")

        chips.get_by_role("link", name="Remove filter Kind: Military cooperation").click()
        expect(chips.get_by_role("link", name=re.compile("^Remove filter"))).to_have_count(1)
        expect(chips).to_contain_text("Country: Serbia")
        serbian = Claim.objects.published().involving("RS").count()
        self.assertGreater(serbian, 20)
        expect(page.locator(".total")).to_have_text(f"{serbian} claims")

        pages = page.get_by_role("navigation", name="Pages")
        expect(pages).to_contain_text("Page 1 of 2")
        pages.get_by_role("link", name="Next").click()
        expect(pages).to_contain_text("Page 2 of 2")
        self.assertEqual(self.path(), "/claims/?country=rs&page=2")
        expect(page.locator("ol.claims > li")).to_have_count(serbian - 20)

        page.get_by_role("link", name="Best sourced").click()
        # A new order starts again from the first page and keeps the filters.
        self.assertEqual(self.path(), "/claims/?country=rs&sort=sourced")
        expect(page.locator(".sorts [aria-current]")).to_have_text("Best sourced")
        expect(pages).to_contain_text("Page 1 of 2")
        first = page.locator("ol.claims .claim-statement a").first.inner_text()
        best = (
            Claim.objects.published()
            .involving("RS")
            .order_by("-evidence_count", MOST_RECENT, "-id")
        )
        self.assertEqual(first, best.first().statement)

    def test_search_then_download_the_results_as_csv(self):
        page = self.page
        self.go("/countries/")
        search = page.get_by_role("search")
        search.get_by_role("searchbox", name="Search claims").fill("drones")
        search.get_by_role("searchbox", name="Search claims").press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Claims: “drones”")
        self.assertEqual(self.path(), "/claims/?q=drones")
        results = page.locator("ol.claims .claim-statement")
        expect(results.first).to_be_visible()
        expect(page.locator("ol.claims mark").first).to_have_text(re.compile("drones", re.I))
        statements = results.all_inner_texts()
        self.assertIn(
            Claim.objects.get(slug="peace-guardian-2025-focused-on-drones").statement, statements
        )

        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV", exact=True).click()
        download = download_info.value
        # The file's name says what it holds.
        self.assertEqual(download.suggested_filename, "claims-drones.csv")
        text = download.path().read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(sorted(row["statement"] for row in rows), sorted(statements))
        self.assertTrue(all(row["url"].startswith(self.live_server_url) for row in rows))
        self.assertTrue(Evidence.objects.filter(claim_id__in=[row["id"] for row in rows]).exists())

    def test_pick_two_countries_on_the_home_page(self):
        page = self.page
        self.go("/")
        finder = page.get_by_role("region", name="What has one country done with another?")
        finder.get_by_label("First country").select_option(label="Serbia")
        finder.get_by_label("Second country").select_option(label="China")
        with page.expect_navigation():
            finder.get_by_role("button", name="Show what they did together").click()
        self.assertEqual(self.path(), "/countries/rs/cn/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Serbia and China")

        # The busiest pairs lead there too.
        self.go("/")
        finder.get_by_role("link", name="Serbia and China", exact=True).click()
        self.assertEqual(self.path(), "/countries/rs/cn/")

    def test_the_same_country_twice_shows_the_form_again_with_the_error(self):
        page = self.page
        self.go("/")
        finder = page.get_by_role("region", name="What has one country done with another?")
        finder.get_by_label("First country").select_option(label="Serbia")
        finder.get_by_label("Second country").select_option(label="Serbia")
        with page.expect_navigation():
            finder.get_by_role("button", name="Show what they did together").click()
        expect(page.get_by_role("alert")).to_contain_text("Choose two different countries.")
        expect(page.get_by_label("Second country")).to_have_attribute("aria-invalid", "true")

    def test_a_search_naming_countries_leads_to_their_pair(self):
        page = self.page
        self.go("/")
        search = page.locator("form.big-search")
        search.get_by_role("searchbox", name="Search claims").fill(
            "what has serbia done with china"
        )
        with page.expect_navigation():
            search.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="what Serbia and China did together").click()
        self.assertEqual(self.path(), "/countries/rs/cn/")

    def test_at_phone_width_the_filters_control_comes_first_and_leads_to_the_filters(self):
        page = self.page
        page.set_viewport_size(PHONE)
        self.go("/claims/?country=rs")
        control = page.get_by_role("link", name="Filters (1 active)")
        expect(control).to_be_in_viewport()
        results = page.locator(".results")
        self.assertLess(control.bounding_box()["y"], results.bounding_box()["y"])
        control.click()
        expect(page.get_by_role("heading", name="Refine")).to_be_in_viewport()
        page.get_by_label("Source", exact=True).select_option("demo-wire")
        with page.expect_navigation():
            page.locator("form.filters").get_by_role("button", name="Apply").click()
        self.assertIn("source=demo-wire", self.path())
        source = Source.objects.get(slug="demo-wire")
        chips = page.get_by_role("list", name="Active filters")
        expect(chips).to_contain_text(f"Source: {source.name}")
        # Beside the results, on a wide screen, there is nothing to jump to.
        page.set_viewport_size(DESKTOP)
        expect(page.get_by_role("link", name=re.compile("^Filters"))).to_have_count(0)
