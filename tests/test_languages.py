"""
The site in English (at the root), Serbian Cyrillic (/sr/) and Serbian Latin (/sr-latn/):
routing, the language switcher and its cookie, hreflang alternates, the sitemap, names in
the reader's language and script.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.template import Context, Template
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from articles import names, worldmap
from articles.scripts import to_cyrillic, to_latin

from .factories import make_actor, make_claim, make_event, state
from .test_admin import make_editor


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def alternates(response):
    found = re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
    )
    return {lang: html.unescape(href) for lang, href in found}


class World(TestCase):
    def setUp(self):
        # A request activates its language for the thread: each test starts in English.
        translation.activate(settings.LANGUAGE_CODE)
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)

    @classmethod
    def setUpTestData(cls):
        cls.vucic = make_actor(
            name="Aleksandar Vučić",
            slug="aleksandar-vucic",
            kind="person",
            country=state("RS").country,
        )
        cls.claim = make_claim(
            [state("RS"), state("CN"), cls.vucic], statement="Serbia and China held a drill."
        )


class RoutingTests(World):
    def test_english_is_at_the_root_and_serbian_under_its_two_prefixes(self):
        for prefix, lang in (("", "en"), ("/sr", "sr-Cyrl"), ("/sr-latn", "sr-Latn")):
            with self.subTest(prefix):
                response = self.client.get(f"{prefix}/claims/")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(html_lang(response), lang)

    def test_english_has_no_prefix_of_its_own(self):
        self.assertEqual(self.client.get("/en/claims/").status_code, 404)

    def test_links_on_a_page_stay_in_its_language(self):
        for prefix in ("/sr", "/sr-latn"):
            with self.subTest(prefix):
                page = self.client.get(f"{prefix}/claims/").content.decode()
                nav = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', page, re.S).group(1)
                hrefs = re.findall(r'href="([^"]+)"', nav)
                self.assertEqual(len(hrefs), 5)
                for href in hrefs:
                    self.assertTrue(href.startswith(f"{prefix}/"), href)
                claim_links = re.findall(r'href="([^"]*/claims/\d+/[^"]*)"', page)
                self.assertTrue(claim_links)
                for href in claim_links:
                    self.assertTrue(href.startswith(f"{prefix}/claims/"), href)

    def test_data_addresses_are_the_same_in_every_language(self):
        with translation.override("sr"):
            self.assertEqual(reverse("api_claims"), "/api/claims/")
            self.assertEqual(reverse("claim_export", args=["csv"]), "/claims/export.csv")
            self.assertEqual(reverse("claim_list"), "/sr/claims/")


class AlternatesTests(World):
    def test_every_page_links_its_versions_in_each_language_with_its_filters(self):
        found = alternates(self.client.get("/sr/claims/?country=rs&kind=military"))
        query = "?country=rs&kind=military"
        self.assertEqual(
            found,
            {
                "en": f"http://testserver/claims/{query}",
                "x-default": f"http://testserver/claims/{query}",
                "sr-Cyrl": f"http://testserver/sr/claims/{query}",
                "sr-Latn": f"http://testserver/sr-latn/claims/{query}",
            },
        )

    def test_a_claim_page_links_its_versions(self):
        found = alternates(self.client.get(self.claim.get_absolute_url()))
        self.assertEqual(
            found["sr-Latn"], f"http://testserver/sr-latn{self.claim.get_absolute_url()}"
        )

    def test_a_page_that_does_not_exist_has_no_versions(self):
        response = self.client.get("/sr/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(alternates(response), {})


class SwitcherTests(World):
    def switcher(self, response):
        page = response.content.decode()
        nav = re.search(r'<nav class="languages" aria-label="[^"]+">(.*?)</nav>', page, re.S)
        return nav.group(1)

    def test_the_switcher_links_each_other_language_and_marks_the_current_one(self):
        nav = self.switcher(self.client.get("/sr-latn/claims/?kind=military"))
        self.assertIn('<span aria-current="true" lang="sr-Latn">Srpski (latinica)</span>', nav)
        links = dict(
            (lang, href)
            for href, lang in re.findall(r'<a href="([^"]+)" hreflang="[^"]+" lang="([^"]+)"', nav)
        )
        self.assertEqual(set(links), {"en", "sr-Cyrl"})
        target = parse_qs(urlsplit(links["sr-Cyrl"].replace("&amp;", "&")).query)
        self.assertEqual(target, {"language": ["sr"], "next": ["/sr/claims/?kind=military"]})

    def test_choosing_a_language_keeps_the_page_and_filters_and_sets_the_cookie(self):
        response = self.client.get(
            reverse("choose_language"), {"language": "sr", "next": "/claims/?country=rs"}
        )
        self.assertRedirects(response, "/sr/claims/?country=rs", fetch_redirect_response=False)
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        self.assertEqual(cookie.value, "sr")
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_the_next_address_is_translated_whatever_language_it_was_in(self):
        response = self.client.get(
            reverse("choose_language"), {"language": "en", "next": "/sr-latn/countries/"}
        )
        self.assertRedirects(response, "/countries/", fetch_redirect_response=False)

    def test_an_unknown_language_is_400_naming_the_languages(self):
        for language in ("fr", "", "sr-cyrl", "<script>"):
            with self.subTest(language):
                response = self.client.get(
                    reverse("choose_language"), {"language": language, "next": "/"}
                )
                self.assertContains(response, "en, sr, sr-latn", status_code=400)

    def test_an_address_elsewhere_goes_to_the_home_page_instead(self):
        for target in ("https://example.com/", "//example.com/claims/", "javascript:alert(1)", ""):
            with self.subTest(target):
                response = self.client.get(
                    reverse("choose_language"), {"language": "sr-latn", "next": target}
                )
                self.assertRedirects(response, "/sr-latn/", fetch_redirect_response=False)

    def test_the_home_page_follows_the_remembered_choice(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-latn"
        response = self.client.get("/")
        self.assertRedirects(response, "/sr-latn/", fetch_redirect_response=False)
        self.assertIn("Cookie", response["Vary"])
        # Other pages keep the language of their address.
        self.assertEqual(html_lang(self.client.get("/claims/")), "en")

    def test_the_english_home_page_is_served_without_a_choice_or_after_choosing_english(self):
        self.assertEqual(html_lang(self.client.get("/")), "en")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertEqual(html_lang(self.client.get("/")), "en")

    def test_the_admin_follows_the_remembered_choice(self):
        self.client.force_login(make_editor())
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
        self.assertContains(self.client.get(reverse("admin:index")), 'lang="sr"')
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-latn"
        self.assertContains(self.client.get(reverse("admin:index")), 'lang="sr-latn"')


class SitemapTests(World):
    def test_the_sitemap_lists_every_page_in_each_language_with_its_alternates(self):
        xml = self.client.get(reverse("sitemap_section", args=["claims"])).content.decode()
        url = self.claim.get_absolute_url()
        locations = re.findall(r"<loc>([^<]+)</loc>", xml)
        self.assertEqual(
            locations,
            [
                f"http://testserver{url}",
                f"http://testserver/sr{url}",
                f"http://testserver/sr-latn{url}",
            ],
        )
        links = re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', xml)
        self.assertIn(("sr-latn", f"http://testserver/sr-latn{url}"), links)
        self.assertIn(("x-default", f"http://testserver{url}"), links)
        self.assertEqual(len(links), 3 * 4)  # each entry: its three versions and x-default

    def test_sitemap_pages_hold_the_languages_of_a_page_of_items(self):
        for n in range(4):
            make_claim([state("RS")], statement=f"Claim {n}.")
        from articles.sitemaps import ClaimSitemap

        sitemap = ClaimSitemap()
        sitemap.limit = 4
        pages = [
            [(claim.pk, code) for claim, code in sitemap.paginator.page(n).object_list]
            for n in sitemap.paginator.page_range
        ]
        flat = [pair for page in pages for pair in page]
        self.assertEqual(len(pages), 4)  # 5 claims × 3 languages, 4 to a page
        self.assertEqual(len(flat), 15)
        self.assertEqual(len(set(flat)), 15)
        self.assertEqual(
            flat[:3], [(self.claim.pk, "en"), (self.claim.pk, "sr"), (self.claim.pk, "sr-latn")]
        )


class NamesTests(World):
    def test_country_names_come_from_cldr_in_each_language(self):
        for prefix, serbia, china in (
            ("", "Serbia", "China"),
            ("/sr", "Србија", "Кина"),
            ("/sr-latn", "Srbija", "Kina"),
        ):
            with self.subTest(prefix):
                page = self.client.get(f"{prefix}/countries/").content.decode()
                self.assertIn(serbia, page)
                self.assertIn(china, page)

    def test_a_serbian_name_is_shown_in_the_page_script(self):
        for prefix, name in (
            ("", "Aleksandar Vučić"),
            ("/sr", "Александар Вучић"),
            ("/sr-latn", "Aleksandar Vučić"),
        ):
            with self.subTest(prefix):
                self.assertContains(self.client.get(f"{prefix}/actors/aleksandar-vucic/"), name)

    def test_an_alias_in_the_page_script_wins_over_transliteration(self):
        with translation.override("sr"):
            self.assertEqual(names.actor_name("Ljiljana Dzajic", ["Љиљана Џајић"]), "Љиљана Џајић")
            self.assertEqual(names.actor_name("Ljiljana Džajić"), "Љиљана Џајић")

    def test_other_names_stay_as_entered(self):
        with translation.override("sr"):
            self.assertEqual(names.actor_name("Peace Guardian"), "Peace Guardian")
            # English words of a Serbian body are not transliterated into nonsense.
            self.assertEqual(names.actor_name("Serbian Armed Forces"), "Serbian Armed Forces")
            self.assertEqual(names.actor_name("Wałęsa"), "Wałęsa")
            self.assertEqual(names.actor_name("Narodna skupština"), "Народна скупштина")
        with translation.override("sr-latn"):
            # Russian Cyrillic is not Serbian: left as entered.
            self.assertEqual(names.actor_name("Сергей Шойгу"), "Сергей Шойгу")
            self.assertEqual(names.actor_name("Војска Србије"), "Vojska Srbije")
        with translation.override("en"):
            self.assertEqual(names.actor_name("Војска Србије"), "Војска Србије")

    def test_a_state_actor_is_named_as_its_country(self):
        with translation.override("sr"):
            self.assertEqual(state("CN").local_name, "Кина")
        with translation.override("sr-latn"):
            self.assertEqual(state("RS").local_name, "Srbija")


class TransliterationTests(TestCase):
    def test_latin_and_cyrillic_spell_the_same_words_letter_for_letter(self):
        for latin, cyrillic in (
            ("Aleksandar Vučić", "Александар Вучић"),
            ("Ljubljana", "Љубљана"),
            ("Njegoš", "Његош"),
            ("Džudo i đak", "Џудо и ђак"),
        ):
            with self.subTest(latin):
                self.assertEqual(to_cyrillic(latin), cyrillic)
                self.assertEqual(to_latin(cyrillic), latin)

    def test_letters_serbian_lacks_and_placeholders_are_kept(self):
        self.assertEqual(to_cyrillic("%(count)s x-y w q"), "%(цоунт)с x-y w q")
        self.assertEqual(to_latin("%(count)s тврдњи"), "%(count)s tvrdnji")


class AlphabeticalOrderTests(World):
    def test_serbian_lists_follow_the_serbian_alphabets(self):
        with translation.override("sr-latn"):
            self.assertEqual(
                names.by_name(["Žabalj", "Čad", "Lima", "Ljubljana", "Đibuti", "Cipar"], name=str),
                ["Cipar", "Čad", "Đibuti", "Lima", "Ljubljana", "Žabalj"],
            )
        with translation.override("sr"):
            self.assertEqual(
                names.by_name(["Шпанија", "Јапан", "Ирак", "Ђибути", "Чад"], name=str),
                ["Ђибути", "Ирак", "Јапан", "Чад", "Шпанија"],
            )

    def test_the_pair_picker_lists_countries_in_the_page_alphabet(self):
        for code in ("US", "JP", "CN"):
            make_claim([state("RS"), state(code)])
        for prefix, expected in (
            ("", ["China", "Japan", "Serbia", "United States"]),
            ("/sr", ["Јапан", "Кина", "Сједињене Државе", "Србија"]),
            ("/sr-latn", ["Japan", "Kina", "Sjedinjene Države", "Srbija"]),
        ):
            with self.subTest(prefix):
                page = self.client.get(f"{prefix}/").content.decode()
                picker = re.search(r'<select id="pair-a".*?</select>', page, re.S).group()
                self.assertEqual(re.findall(r'<option value="\w\w">([^<]+)', picker), expected)


class PluralFormsTests(TestCase):
    def test_serbian_counts_take_the_form_their_number_asks_for(self):
        template = Template(
            "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} claim"
            "{% plural %}{{ counter }} claims{% endblocktranslate %}"
        )
        for language, expected in (
            ("sr", {1: "тврдња", 2: "тврдње", 4: "тврдње", 5: "тврдњи", 11: "тврдњи",
                    12: "тврдњи", 21: "тврдња", 22: "тврдње", 25: "тврдњи", 111: "тврдњи"}),
            ("sr-latn", {1: "tvrdnja", 3: "tvrdnje", 14: "tvrdnji", 101: "tvrdnja"}),
            ("en", {1: "claim", 2: "claims", 21: "claims"}),
        ):  # fmt: skip
            for n, word in expected.items():
                with self.subTest(language=language, n=n), translation.override(language):
                    self.assertEqual(template.render(Context({"n": n})), f"{n} {word}")

    def test_an_events_claims_are_counted_in_serbian_on_its_page(self):
        for count in (1, 3, 5):
            event = make_event(name=f"Drill of {count}", slug=f"drill-{count}")
            for _ in range(count):
                make_claim([state("RS")], event=event)
        for prefix, words in (
            ("/sr", ["1 тврдња", "3 тврдње", "5 тврдњи"]),
            ("/sr-latn", ["1 tvrdnja", "3 tvrdnje", "5 tvrdnji"]),
            ("", ["1 claim", "3 claims", "5 claims"]),
        ):
            with self.subTest(prefix):
                page = self.client.get(f"{prefix}/events/").content.decode()
                for text in words:
                    self.assertIn(text, page)


class StatementLanguageTests(World):
    def test_a_statement_in_another_language_than_the_page_says_so(self):
        self.claim.language = "sr-Latn"
        self.claim.save()
        url = self.claim.get_absolute_url()
        for prefix, attribute in (
            ("", ' lang="sr-Latn"'),
            ("/sr", ' lang="sr-Latn"'),
            ("/sr-latn", ""),
        ):
            with self.subTest(prefix):
                page = self.client.get(prefix + url).content.decode()
                self.assertIn(f"<h1{attribute}>Serbia and China held a drill.</h1>", page)
                listed = self.client.get(f"{prefix}/claims/").content.decode()
                self.assertIn(f'<p class="claim-statement"{attribute}>', listed)

    def test_an_english_statement_is_marked_on_serbian_pages_only(self):
        url = self.claim.get_absolute_url()
        self.assertIn("<h1>Serbia", self.client.get(url).content.decode())
        self.assertIn('<h1 lang="en">Serbia', self.client.get("/sr" + url).content.decode())


class MapLanguageTests(World):
    def test_the_map_writes_numbers_as_the_page_language_does(self):
        for language in ("en", "sr", "sr-latn"):
            with self.subTest(language), translation.override(language):
                for n in (7, 1234, 1234567):
                    self.assertEqual(worldmap.number(n), number_format(n, force_grouping=True))
        with translation.override("sr"):
            self.assertEqual(worldmap.number(1234567), "1.234.567")

    def test_the_map_names_and_counts_countries_in_the_page_language(self):
        svg = self.client.get("/sr/claims/map.svg").content.decode()
        self.assertIn("<title>Србија: 1 тврдња</title>", svg)
        svg = self.client.get("/sr-latn/claims/map.svg").content.decode()
        self.assertIn("<title>Kina: 1 tvrdnja</title>", svg)
