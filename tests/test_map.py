"""The claims map: /claims/map.svg for any claims filters, and the pages that show it."""

import datetime
import html
import re
import xml.etree.ElementTree as ET

from django.test import TestCase
from django.urls import reverse

from articles import worldmap

from .factories import country, hand_counted_world, make_actor, make_claim, make_event, state

SVG = "{http://www.w3.org/2000/svg}"


def parse(response):
    return ET.fromstring(response.content)


def shapes(root):
    """{ISO code: the <path> of that country}."""
    return {path.get("data-country"): path for path in root.iter(f"{SVG}path")}


def links(root):
    """{ISO code: the address its shape links to}."""
    return {
        anchor.find(f"{SVG}path").get("data-country"): anchor.get("href")
        for anchor in root.iter(f"{SVG}a")
    }


def shade(path):
    """How dark a country is: its place in the palette (-1: no claims, 99: chosen)."""
    fill = path.get("fill")
    if fill == worldmap.NO_CLAIMS:
        return -1
    if fill == worldmap.CHOSEN:
        return 99
    return worldmap.SHADES.index(fill)


class MapFixture(TestCase):
    """hand_counted_world(): Serbia in 7 claims, China 4, Russia 3, the US 1; drafts too."""

    @classmethod
    def setUpTestData(cls):
        cls.world = hand_counted_world()

    def get_map(self, query=""):
        return self.client.get(reverse("claim_map") + query)


class TheSVGFileTests(MapFixture):
    def test_the_map_is_an_svg_document_in_the_svg_namespace(self):
        response = self.get_map()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        root = parse(response)
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertTrue(response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))
        self.assertRegex(root.get("viewBox"), r"^0 0 \d+ \d+$")

    def test_it_has_a_title_and_a_description_that_name_the_numbers(self):
        root = parse(self.get_map())
        self.assertEqual(root.get("role"), "img")
        self.assertEqual(root.get("aria-labelledby"), "map-title map-desc")
        self.assertEqual(root.find(f"{SVG}title").text, "Claims by country")
        self.assertEqual(
            root.find(f"{SVG}desc").text,
            "Claims involving each country, most first: "
            "Serbia 7, China 4, Russia 3, United States 1.",
        )

    def test_every_country_shape_carries_its_iso_code_once(self):
        codes = [path.get("data-country") for path in parse(self.get_map()).iter(f"{SVG}path")]
        self.assertEqual(len(codes), len(set(codes)))
        self.assertGreater(len(codes), 200)
        for code in codes:
            self.assertRegex(code, r"^[A-Z]{2}$")
        # Large and small, and Kosovo, which Natural Earth gives no ISO number.
        self.assertLessEqual({"RS", "CN", "RU", "US", "FR", "BR", "XK", "MC", "SG"}, set(codes))

    def test_each_shape_has_its_shade_and_name_in_its_own_attributes_and_no_stylesheet(self):
        # The same in an <img> as on its own: no CSS (which the site's CSP forbids inline
        # anyway), no script, nothing loaded from elsewhere.
        response = self.get_map()
        self.assertNotIn(b"<style", response.content)
        self.assertNotIn(b"<script", response.content)
        self.assertNotIn(b"style=", response.content)
        for code, path in shapes(parse(response)).items():
            with self.subTest(code):
                self.assertRegex(path.get("fill"), r"^#[0-9a-f]{6}$")
                self.assertTrue(path.get("d"))
                self.assertTrue(path.find(f"{SVG}title").text)

    def test_the_shades_follow_the_counts(self):
        found = shapes(parse(self.get_map()))
        self.assertGreater(shade(found["RS"]), shade(found["CN"]))  # 7 > 4
        self.assertGreater(shade(found["CN"]), shade(found["RU"]))  # 4 > 3
        self.assertGreater(shade(found["RU"]), shade(found["US"]))  # 3 > 1
        self.assertGreater(shade(found["US"]), -1)
        self.assertEqual(shade(found["RS"]), len(worldmap.SHADES) - 1)
        self.assertEqual(shade(found["BR"]), -1)
        self.assertEqual(found["RS"].find(f"{SVG}title").text, "Serbia: 7 claims")
        self.assertEqual(found["US"].find(f"{SVG}title").text, "United States: 1 claim")
        self.assertEqual(found["BR"].find(f"{SVG}title").text, "Brazil: no claims")

    def test_the_shades_are_counted_for_the_filter(self):
        # Military claims: drill (RS CN), observers (RS), trilateral (RS CN, in RU).
        found = shapes(parse(self.get_map("?kind=military")))
        self.assertEqual(found["RS"].find(f"{SVG}title").text, "Serbia: 3 claims")
        self.assertEqual(found["CN"].find(f"{SVG}title").text, "China: 2 claims")
        self.assertEqual(found["RU"].find(f"{SVG}title").text, "Russia: 1 claim")
        self.assertGreater(shade(found["RS"]), shade(found["CN"]))
        self.assertGreater(shade(found["CN"]), shade(found["RU"]))
        self.assertEqual(shade(found["US"]), -1)

    def test_drafts_are_not_counted(self):
        # The draft claims involve RS, CN and the US, and France alone in one of them.
        root = parse(self.get_map())
        found = shapes(root)
        self.assertEqual(found["US"].find(f"{SVG}title").text, "United States: 1 claim")
        self.assertEqual(shade(found["FR"]), -1)
        self.assertNotIn("FR", links(root))
        self.assertNotIn("France", root.find(f"{SVG}desc").text)

    def test_each_country_with_claims_links_to_the_list_with_that_country_added(self):
        found = links(parse(self.get_map("?kind=military&page=2&sort=added")))
        self.assertEqual(
            found,
            {
                "RS": "/claims/?kind=military&country=rs",
                "CN": "/claims/?kind=military&country=cn",
                "RU": "/claims/?kind=military&country=ru",
            },
        )
        # The list there has as many claims as the map says.
        listed = self.client.get(found["CN"])
        self.assertContains(listed, '<p class="total">2 claims</p>', html=True)

    def test_a_chosen_country_is_marked_and_the_others_link_to_both(self):
        root = parse(self.get_map("?country=RS"))
        found = shapes(root)
        self.assertEqual(found["RS"].get("fill"), worldmap.CHOSEN)
        self.assertEqual(links(root)["RS"], "/claims/?country=RS")
        self.assertEqual(links(root)["CN"], "/claims/?country=RS&country=cn")
        # The scale is the partners': the largest of them gets the darkest shade.
        self.assertEqual(shade(found["CN"]), len(worldmap.SHADES) - 1)
        self.assertIn("Chosen", "".join(root.itertext()))

    def test_the_legend_says_what_each_shade_means(self):
        texts = [text.text for text in parse(self.get_map()).iter(f"{SVG}text")]
        # Up to 7 claims: five shades, growing geometrically.
        self.assertEqual(texts, ["No claims", "1", "2", "3", "4–5", "6–7"])

    def test_no_claims_matching_is_a_map_without_shades(self):
        root = parse(self.get_map("?from=1990&to=1990"))
        self.assertEqual({path.get("fill") for path in root.iter(f"{SVG}path")}, {"#d9dde2"})
        self.assertEqual(root.find(f"{SVG}desc").text, "No claims match these filters.")
        self.assertEqual(links(root), {})

    def test_words_filter_the_map_too(self):
        found = shapes(parse(self.get_map("?q=gas")))
        self.assertEqual(found["RU"].find(f"{SVG}title").text, "Russia: 1 claim")
        self.assertEqual(shade(found["CN"]), -1)

    def test_bad_filters_answer_400_with_the_reasons(self):
        for query, field in (
            ("?country=zz", "country"),
            ("?kind=nonsense", "kind"),
            ("?from=not-a-date", "from"),
            ("?actor=nobody", "actor"),
        ):
            with self.subTest(query):
                response = self.get_map(query)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
                text = response.content.decode()
                self.assertIn("These filters cannot be used.", text)
                self.assertIn(f"{field}: ", text)

    def test_it_is_a_public_page_cached_like_the_others(self):
        response = self.get_map("?country=rs")
        self.assertEqual(response["Cache-Control"], "public, max-age=0")
        with self.assertNumQueries(1):  # the change log number: the rest is the cached page
            self.assertEqual(self.get_map("?country=rs").content, response.content)
        self.assertEqual(self.client.head(reverse("claim_map")).status_code, 200)
        self.assertEqual(self.client.post(reverse("claim_map")).status_code, 405)


class MapQueryCountTests(TestCase):
    def add_claims(self, n):
        for _ in range(n):
            make_claim(
                [state("RS"), (make_actor(country=country("CN")), "host")],
                event=make_event(host_country=country("JP")),
                occurred_on=datetime.date(2025, 5, 8),
            )

    def test_the_same_queries_for_one_claim_as_for_twenty(self):
        # 1 the change log number, 2 validate ?country, 3-4 the read index catches up (the
        # entries since it was built, the claims they name), 5 the countries' names (kept
        # by the read index until the next change). Counts are the read index's.
        url = reverse("claim_map") + "?country=rs&kind=military"
        self.add_claims(1)
        with self.assertNumQueries(5):
            self.assertEqual(self.client.get(url).status_code, 200)
        self.add_claims(19)
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertIn(b"China: 20 claims", response.content)

    def test_the_list_names_the_maps_countries_in_one_more_query_however_many(self):
        # The facet names its first 16 countries; the map names the rest in one query.
        # 1 the change log number, 2-3 the read index catches up, 4 the page of claims,
        # 5 their actors, 6 the facets' names, 7 the map's other countries' names.
        url = reverse("claim_list")
        codes = ["FR", "DE", "IT", "ES", "PL", "RU", "US", "GB", "JP", "IN", "BR", "MX"]
        for code in codes:
            make_claim([state("RS"), state(code)])
        with self.assertNumQueries(6):  # 13 countries: the facet shows them all
            self.client.get(url)
        for code in ["AR", "CL", "PE", "EG", "NG", "KE", "ZA", "AU", "NZ", "CA", "TR"]:
            make_claim([state("RS"), state(code)])
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, '<a href="/claims/?country=tr">Türkiye</a>', html=True)

    def test_names_are_read_once_until_the_next_change(self):
        self.add_claims(1)
        self.client.get(reverse("claim_map"))
        # 1 the change log number: the index is current and knows every name.
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get(reverse("claim_map") + "?kind=arms").status_code, 200)


class PagesShowTheMapTests(MapFixture):
    def figure(self, response):
        page = response.content.decode()
        match = re.search(r'<figure class="claim-map">.*?</details>', page, re.S)
        self.assertIsNotNone(match, "no map on the page")
        return match.group(0)

    def table(self, response):
        """The map's table as [(country, count, link or None)]."""
        rows = re.findall(
            r'<tr><th scope="row">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?.*?</th><td>(\d+)</td>',
            self.figure(response),
        )
        return [
            (html.unescape(name).strip(), int(n), html.unescape(href) or None)
            for href, name, n in rows
        ]

    def image(self, response):
        return html.unescape(re.search(r'<img src="([^"]*)"', self.figure(response)).group(1))

    def test_the_home_page_shows_the_map_of_every_claim_with_its_numbers(self):
        response = self.client.get(reverse("home"))
        self.assertEqual(self.image(response), "/claims/map.svg")
        self.assertEqual(
            self.table(response),
            [
                ("Serbia", 7, "/claims/?country=rs"),
                ("China", 4, "/claims/?country=cn"),
                ("Russia", 3, "/claims/?country=ru"),
                ("United States", 1, "/claims/?country=us"),
            ],
        )
        self.assertIn(
            'alt="World map of published claims by country: Serbia 7, China 4, Russia 3, '
            'United States 1. The table below has every country’s number."',
            self.figure(response),
        )

    def test_the_claims_list_shows_the_map_for_its_filters(self):
        response = self.client.get(reverse("claim_list") + "?kind=military&page=1&sort=added")
        self.assertEqual(self.image(response), "/claims/map.svg?kind=military")
        self.assertEqual(
            self.table(response),
            [
                ("Serbia", 3, "/claims/?kind=military&country=rs"),
                ("China", 2, "/claims/?kind=military&country=cn"),
                ("Russia", 1, "/claims/?kind=military&country=ru"),
            ],
        )

    def test_the_numbers_on_the_page_are_the_maps(self):
        response = self.client.get(reverse("claim_list") + "?kind=military")
        root = parse(self.client.get(self.image(response)))
        titles = {
            path.find(f"{SVG}title").text
            for path in root.iter(f"{SVG}path")
            if path.get("fill") != worldmap.NO_CLAIMS
        }
        self.assertEqual(
            titles,
            {f"{name}: {n} claim{'s' if n > 1 else ''}" for name, n, _ in self.table(response)},
        )

    def test_a_list_with_bad_filters_shows_no_map(self):
        response = self.client.get(reverse("claim_list") + "?country=zz")
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, "claim-map", status_code=400)

    def test_a_country_page_shades_its_partners(self):
        response = self.client.get(reverse("country_detail", args=["ru"]))
        self.assertEqual(self.image(response), "/claims/map.svg?country=ru")
        # Russia: gas (RS RU), trilateral (RS CN, in RU), geneva (US RU).
        self.assertEqual(
            self.table(response),
            [
                ("Russia", 3, None),  # the page's own: chosen, not a link
                ("Serbia", 2, "/claims/?country=ru&country=rs"),
                ("China", 1, "/claims/?country=ru&country=cn"),
                ("United States", 1, "/claims/?country=ru&country=us"),
            ],
        )
        self.assertIn('Russia <span class="muted">(chosen)</span>', self.figure(response))
        self.assertIn("Claims involving Russia by country", self.figure(response))

    def test_a_filtered_country_page_shows_its_partners_for_those_filters(self):
        response = self.client.get(reverse("country_detail", args=["ru"]) + "?kind=diplomatic")
        self.assertEqual(self.image(response), "/claims/map.svg?kind=diplomatic&country=ru")
        self.assertEqual(
            [(name, n) for name, n, _ in self.table(response)],
            [("Russia", 1), ("United States", 1)],
        )


class ScaleTests(TestCase):
    def items(self, *counts, chosen=()):
        return [{"count": n, "chosen": n in chosen} for n in counts]

    def test_at_most_five_shades_up_to_the_largest_count(self):
        self.assertEqual(
            worldmap.scale(self.items(1_000_000, 5)), [16, 251, 3981, 63096, 1_000_000]
        )
        self.assertEqual(worldmap.scale(self.items(1, 1)), [1])
        self.assertEqual(worldmap.scale(self.items(2)), [1, 2])
        self.assertEqual(worldmap.scale([]), [])

    def test_a_chosen_country_is_left_out_of_the_scale(self):
        self.assertEqual(worldmap.scale(self.items(100, 3, chosen=(100,)))[-1], 3)

    def test_the_shades_spread_over_the_palette_from_light_to_dark(self):
        shade, colours = worldmap.shade_of([1, 2])
        self.assertEqual(colours, [worldmap.SHADES[0], worldmap.SHADES[-1]])
        self.assertEqual(shade(2), worldmap.SHADES[-1])
        self.assertEqual(shade(1), worldmap.SHADES[0])
