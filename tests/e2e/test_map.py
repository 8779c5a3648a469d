"""
The claims map as Chromium shows it: on the home page, the claims list and a country's
page, at 360 and 1280 px, with its table of numbers opened (Nu HTML checker, axe); the
picture loads as an <img>; a country on the map itself leads to the list with it added.
"""

import re

from playwright.sync_api import expect

from .browser import ARTIFACTS, PHONE, SCREEN_WIDTHS, BrowserTestCase, vnu_errors

# Beside the page checks' folders, which that test empties when it starts.
HTML_DIR = ARTIFACTS / "map" / "html"
SHOTS = ARTIFACTS / "map" / "screenshots"


class MapTests(BrowserTestCase):
    def image_state(self):
        """The map's <img>: loaded, and its width against the window's."""
        return self.page.locator(".claim-map img").evaluate(
            """img => ({
                loaded: img.complete && img.naturalWidth > 0,
                naturalWidth: img.naturalWidth,
                right: img.getBoundingClientRect().right,
                window: document.documentElement.clientWidth,
            })"""
        )

    def test_pages_with_the_map_are_valid_accessible_and_fit_at_360_and_1280_px(self):
        HTML_DIR.mkdir(parents=True, exist_ok=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        pages = [
            ("map-home", "/"),
            ("map-claims", "/claims/?kind=military"),
            ("map-country", "/countries/rs/"),
        ]
        files, problems = [], {}
        for name, path in pages:
            response = self.go(path)
            # The picture is the SVG the address serves, drawn.
            self.assertEqual(self.image_state()["naturalWidth"], 1000)
            # The numbers: open the table, as a reader would, and check it too.
            self.page.locator(".map-table summary").click()
            expect(self.page.locator(".map-table table")).to_be_visible()
            html_file = HTML_DIR / f"{name}.html"
            html_file.write_text(response.text())
            files.append(html_file)
            for violation in self.axe_violations():
                problems.setdefault(name, []).append(f"axe {violation['id']}: {violation['help']}")
            for width in SCREEN_WIDTHS:
                self.page.set_viewport_size({"width": width, "height": PHONE["height"]})
                image = self.image_state()
                self.assertTrue(image["loaded"], f"{name}: the map did not load")
                self.assertLessEqual(image["right"], image["window"], f"{name} at {width} px")
                if width == PHONE["width"] and (overflow := self.overflowing()):
                    problems.setdefault(name, []).append(f"scrolls sideways: {overflow}")
                self.page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
            self.page.set_viewport_size({"width": 1280, "height": 900})
        for file_name, errors in vnu_errors(files).items():
            for error in errors:
                problems.setdefault(file_name, []).append(
                    f"HTML line {error['line']}: {error['message']} [{error['extract']}]"
                )
        self.assertEqual(problems, {})

    def test_a_country_on_the_map_leads_to_the_list_with_it_added(self):
        self.go("/claims/?country=rs")
        self.page.get_by_role("link", name="Open the map").click()
        self.assertEqual(self.path(), "/claims/map.svg?country=rs")
        # Serbia is chosen; China, its partner, links on.
        china = self.page.locator('[data-country="CN"]')
        expect(china).to_be_visible()
        china.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Claims: Serbia and China")
        self.assertEqual(self.path(), "/claims/?country=rs&country=cn")

    def test_the_table_of_numbers_opens_and_is_used_by_keyboard(self):
        self.go("/")
        self.tab_to(".map-table summary")
        self.page.keyboard.press("Enter")
        expect(self.page.locator(".map-table table")).to_be_visible()
        focus = self.tab_to(".map-table a")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/claims/\?country=[a-z]{2}$"))
        self.assertTrue(self.path().endswith(focus["href"].rsplit("?", 1)[1]))
