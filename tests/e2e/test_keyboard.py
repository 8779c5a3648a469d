"""The claims list without a mouse: every stop shows where the focus is."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from .browser import BrowserTestCase


class KeyboardTests(BrowserTestCase):
    def query(self):
        """The current address's query as a dict, leaving out empty fields."""
        return parse_qs(urlsplit(self.page.url).query)

    def press_and_wait(self, key):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def test_filters_facets_chips_and_pages_by_keyboard(self):
        page = self.page
        self.go("/claims/")

        # The first stop is the skip link, shown on focus; it leads into the content.
        self.page.keyboard.press("Tab")
        focus = self.focused()
        self.assertEqual((focus["tag"], focus["text"]), ("a", "Skip to content"))
        self.assert_focus_visible(focus)
        self.page.keyboard.press("Enter")
        self.page.keyboard.press("Tab")
        self.assertTrue(page.evaluate("() => !!document.activeElement.closest('main')"))
        self.assert_focus_visible(self.focused())

        # Pagination.
        self.tab_to("nav[aria-label=Pages] a[rel=next]")
        self.press_and_wait("Enter")
        self.assertEqual(self.path(), "/claims/?page=2")
        expect(page.get_by_role("navigation", name="Pages")).to_contain_text("Page 2 of 2")

        # The words filter: typing and Enter submit it, back to the first page.
        self.tab_to("#filter-q")
        page.keyboard.type("Serbia")
        self.press_and_wait("Enter")
        self.assertEqual(self.query(), {"q": ["Serbia"]})
        expect(page.get_by_role("list", name="Active filters")).to_contain_text("Words: Serbia")

        # The dates filter, moving between its fields with Tab.
        self.tab_to("#filter-from")
        page.keyboard.type("2025")
        self.tab_to("#filter-to")
        page.keyboard.type("2025")
        self.tab_to("form.filters button[type=submit]")
        self.press_and_wait("Enter")
        self.assertEqual(self.query(), {"q": ["Serbia"], "from": ["2025"], "to": ["2025"]})

        # A facet value, then its chip to take it off again.
        self.tab_to("section[aria-labelledby=facet-kind] a")
        kind = self.focused()["text"]
        self.press_and_wait("Enter")
        self.assertEqual(len(self.query()["kind"]), 1)
        chips = page.get_by_role("list", name="Active filters")
        expect(chips).to_contain_text(f"Kind: {kind}")
        # Back to the start of the page, then forward to the chip.
        page.evaluate("() => document.activeElement.blur()")
        self.tab_to(".chips a", text=f"Kind: {kind}")
        self.press_and_wait("Enter")
        self.assertEqual(self.query(), {"q": ["Serbia"], "from": ["2025"], "to": ["2025"]})
        expect(chips).not_to_contain_text("Kind:")

        # Sorting.
        self.tab_to(".sorts a", text="Recently added")
        self.press_and_wait("Enter")
        self.assertEqual(self.query()["sort"], ["added"])
        expect(page.locator(".sorts [aria-current]")).to_have_text("Recently added")
