"""
Facets beside the claims list, checked against counts made by hand from
hand_counted_world()'s table (tests/factories.py).

Country, actor, event and year counts are over the claims shown, so a count is what
adding that value shows: the tests follow each link and compare the total. Kind and
verification are any-of filters and count with their own selection left out.
"""

import html
import itertools
import re

from django.test import TestCase
from django.urls import reverse

from articles import derived, engine, facets
from articles.models import Event, Source

from .factories import country, hand_counted_world, make_actor, make_article, make_claim, state

TOTAL = re.compile(r'<p class="total">(\d+) claims?</p>')
SECTION = re.compile(
    r'<section class="facet" aria-labelledby="facet-(?P<key>\w+)">(?P<body>.*?)</section>', re.S
)
ITEM = re.compile(
    r'<li(?P<active> class="active")?><a href="(?P<href>[^"]*)"[^>]*>(?:✓ )?(?P<label>.*?)</a>'
    r' <span class="count">(?P<count>\d+)</span></li>'
)


def total(response):
    return int(TOTAL.search(response.content.decode()).group(1))


def facet(response, key):
    """The facet's items as dicts: label, href, count, active, and whether under "more"."""
    for section in SECTION.finditer(response.content.decode()):
        if section.group("key") != key:
            continue
        body = section.group("body")
        top, _, more = body.partition("<details>")
        return [
            {
                "label": html.unescape(item.group("label")),
                "href": html.unescape(item.group("href")),
                "count": int(item.group("count")),
                "active": bool(item.group("active")),
                "more": part is more,
            }
            for part in (top, more)
            for item in ITEM.finditer(part)
        ]
    return []


def counts(response, key):
    return {item["label"]: item["count"] for item in facet(response, key)}


class FacetFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = hand_counted_world()

    def get(self, params=""):
        return self.client.get(reverse("claim_list") + params)

    def assertEveryLinkShowsItsCount(self, response, key):
        """Following each (inactive) item shows exactly the number beside it."""
        items = [item for item in facet(response, key) if not item["active"]]
        self.assertTrue(items, f"no {key} facet")
        for item in items:
            with self.subTest(key=key, label=item["label"]):
                self.assertEqual(total(self.get(item["href"])), item["count"])


class CountryFacetTests(FacetFixture):
    def test_counts_over_all_published_claims(self):
        self.assertEqual(
            counts(self.get(), "country"),
            {"Serbia": 7, "China": 4, "Russia": 3, "United States": 1},
        )

    def test_most_claims_first_then_by_name(self):
        labels = [item["label"] for item in facet(self.get(), "country")]
        self.assertEqual(labels, ["Serbia", "China", "Russia", "United States"])

    def test_with_serbia_selected_it_lists_serbias_partners(self):
        response = self.get("?country=rs")
        self.assertEqual(total(response), 7)
        self.assertEqual(counts(response, "country"), {"Serbia": 7, "China": 4, "Russia": 2})
        serbia = facet(response, "country")[0]
        self.assertTrue(serbia["active"])

    def test_a_partners_count_is_what_adding_it_shows(self):
        response = self.get("?country=rs")
        self.assertEveryLinkShowsItsCount(response, "country")
        china = next(i for i in facet(response, "country") if i["label"] == "China")
        self.assertEqual(total(self.get(china["href"])), 4)

    def test_the_selected_countrys_link_removes_it(self):
        response = self.get("?country=rs&kind=arms")
        serbia = next(i for i in facet(response, "country") if i["label"] == "Serbia")
        self.assertEqual(serbia["href"], "?kind=arms")

    def test_counts_follow_the_other_filters(self):
        # Military claims: drill, observers and trilateral involve Serbia; drill and
        # trilateral China; trilateral Russia.
        self.assertEqual(
            counts(self.get("?kind=military"), "country"), {"Serbia": 3, "China": 2, "Russia": 1}
        )


class TopCountriesTests(TestCase):
    """Eighteen countries: the fifteen with most claims, and a link to all of them."""

    CODES = ["AR", "AU", "BR", "CA", "DE", "EG", "ES", "FR", "GB", "IN"]
    CODES += ["IT", "JP", "KE", "MX", "NG", "PL", "TR", "ZA"]

    @classmethod
    def setUpTestData(cls):
        article = make_article()
        make_claim([state(code) for code in cls.CODES], article=article)
        # Two more claims lift South Africa and Turkey (last by name) to the top.
        make_claim([state("ZA"), state("TR")], article=article, kind="arms")
        make_claim([state("ZA")], article=article)

    def test_fifteen_countries_are_shown_and_a_link_to_all_eighteen(self):
        response = self.client.get(reverse("claim_list"))
        items = facet(response, "country")
        self.assertEqual(
            [item["label"] for item in items],
            [
                "South Africa",
                "Türkiye",
                "Argentina",
                "Australia",
                "Brazil",
                "Canada",
                "Egypt",
                "France",
                "Germany",
                "India",
                "Italy",
                "Japan",
                "Kenya",
                "Mexico",
                "Nigeria",
            ],
        )
        self.assertEqual(items[0]["count"], 3)
        self.assertEqual(items[1]["count"], 2)
        self.assertTrue(all(item["count"] == 1 for item in items[2:]))
        everything = reverse("claim_facet", args=["country"])
        self.assertContains(response, f'<a href="{everything}">All countries of these claims</a>')
        listed = self.client.get(everything).content.decode()
        for name in ["Poland", "Spain", "United Kingdom", "South Africa"]:
            self.assertIn(f">{name}</a>", listed)

    def test_no_link_to_all_with_fifteen_countries_or_fewer(self):
        response = self.client.get(reverse("claim_list") + "?kind=arms")
        self.assertEqual(len(facet(response, "country")), 2)
        self.assertNotContains(response, "All countries of these claims")


class KindFacetTests(FacetFixture):
    def test_counts_without_a_selection(self):
        self.assertEqual(
            counts(self.get(), "kind"),
            {
                "Military cooperation": 3,
                "Arms transfer": 1,
                "Diplomatic relations": 2,
                "Economic": 1,
                "Policy": 1,
            },
        )

    def test_the_selected_kind_leaves_the_kind_counts_unchanged(self):
        response = self.get("?kind=military")
        self.assertEqual(total(response), 3)
        self.assertEqual(
            counts(response, "kind"),
            {
                "Military cooperation": 3,
                "Arms transfer": 1,
                "Diplomatic relations": 2,
                "Economic": 1,
                "Policy": 1,
            },
        )
        military = next(i for i in facet(response, "kind") if i["active"])
        self.assertEqual(military["label"], "Military cooperation")

    def test_adding_a_kind_adds_its_count(self):
        response = self.get("?kind=military")
        arms = next(i for i in facet(response, "kind") if i["label"] == "Arms transfer")
        self.assertEqual(arms["href"], "?kind=military&kind=arms")
        self.assertEqual(total(self.get(arms["href"])), 3 + 1)

    def test_other_filters_still_apply_to_kind_counts(self):
        # Claims involving China: drill, trilateral (military), missiles (arms), summit
        # (diplomatic).
        response = self.get("?country=cn&kind=military")
        self.assertEqual(
            counts(response, "kind"),
            {"Military cooperation": 2, "Arms transfer": 1, "Diplomatic relations": 1},
        )

    def test_a_selected_kind_with_no_claims_is_still_shown_so_it_can_be_removed(self):
        response = self.get("?country=ru&kind=conflict")
        self.assertEqual(total(response), 0)
        conflict = next(i for i in facet(response, "kind") if i["label"] == "Conflict")
        self.assertEqual((conflict["count"], conflict["active"]), (0, True))
        self.assertEqual(conflict["href"], "?country=ru")

    def test_the_draft_is_not_counted(self):
        # The draft is military and involves Serbia and China; drill and trilateral are
        # the published ones.
        self.assertEqual(
            counts(self.get("?country=rs&country=cn"), "kind")["Military cooperation"], 2
        )


class VerificationFacetTests(FacetFixture):
    def test_counts_without_a_selection(self):
        self.assertEqual(
            counts(self.get(), "verification"),
            {"Reported": 4, "Corroborated": 2, "Disputed": 1, "Refuted": 1},
        )

    def test_the_selected_verification_leaves_its_own_counts_unchanged(self):
        response = self.get("?verification=reported")
        self.assertEqual(total(response), 4)
        self.assertEqual(
            counts(response, "verification"),
            {"Reported": 4, "Corroborated": 2, "Disputed": 1, "Refuted": 1},
        )

    def test_a_selected_verification_narrows_the_kind_counts(self):
        # Reported: observers, trilateral (military), missiles (arms), neutrality (policy).
        self.assertEqual(
            counts(self.get("?verification=reported"), "kind"),
            {"Military cooperation": 2, "Arms transfer": 1, "Policy": 1},
        )

    def test_a_selected_kind_narrows_the_verification_counts(self):
        # Military: observers, trilateral reported; drill corroborated.
        self.assertEqual(
            counts(self.get("?kind=military"), "verification"),
            {"Reported": 2, "Corroborated": 1},
        )

    def test_adding_a_verification_adds_its_count(self):
        response = self.get("?verification=reported")
        disputed = next(i for i in facet(response, "verification") if i["label"] == "Disputed")
        self.assertEqual(total(self.get(disputed["href"])), 4 + 1)


class YearFacetTests(FacetFixture):
    def test_counts_by_year_newest_first_undated_left_out(self):
        items = facet(self.get(), "year")
        self.assertEqual(
            [(item["label"], item["count"]) for item in items],
            [("2025", 5), ("2024", 1), ("2023", 1)],
        )

    def test_a_year_links_to_that_years_claims(self):
        response = self.get("?country=rs")
        self.assertEveryLinkShowsItsCount(response, "year")
        y2024 = next(i for i in facet(response, "year") if i["label"] == "2024")
        self.assertEqual(y2024["href"], "?country=rs&from=2024&to=2024")

    def test_the_chosen_year_is_marked_and_its_link_removes_it(self):
        response = self.get("?country=rs&from=2024&to=2024")
        (y2024,) = facet(response, "year")
        self.assertTrue(y2024["active"])
        self.assertEqual(y2024["href"], "?country=rs")


class EventAndActorFacetTests(FacetFixture):
    def test_event_counts(self):
        # The French draft at Peace Guardian is not counted.
        self.assertEqual(counts(self.get(), "event"), {"Peace Guardian": 2, "Belgrade summit": 1})

    def test_an_events_count_is_what_choosing_it_shows(self):
        self.assertEveryLinkShowsItsCount(self.get("?country=rs"), "event")

    def test_the_chosen_event_is_marked_and_its_link_removes_it(self):
        response = self.get("?event=peace-guardian")
        (peace,) = facet(response, "event")
        self.assertTrue(peace["active"])
        self.assertEqual(peace["href"], "?")

    def test_actor_counts(self):
        self.assertEqual(
            counts(self.get("?country=cn"), "actor"),
            {"Serbia": 3, "China": 3, "People's Liberation Army": 1},
        )

    def test_an_actors_count_is_what_adding_it_shows(self):
        self.assertEveryLinkShowsItsCount(self.get("?country=rs"), "actor")


class CountryPageFacetTests(FacetFixture):
    def test_the_country_page_offers_its_partners_not_itself(self):
        response = self.client.get(reverse("country_detail", args=["rs"]))
        # Partners are the countries of actors beside Serbia's: not China for the summit
        # held in Belgrade, not Russia for the Serbia–China meeting held in Moscow.
        self.assertEqual(counts(response, "partner"), {"China": 3, "Russia": 1})
        self.assertEqual(counts(response, "country"), {})

    def test_a_partner_facet_on_the_country_page_shows_its_count(self):
        url = reverse("country_detail", args=["rs"])
        response = self.client.get(url)
        self.assertEqual(
            [item["label"] for item in facet(response, "partner")], ["China", "Russia"]
        )
        for item in facet(response, "partner"):
            with self.subTest(item["label"]):
                self.assertEqual(total(self.client.get(url + item["href"])), item["count"])

    def test_kind_counts_on_the_country_page_are_over_its_claims(self):
        response = self.client.get(reverse("country_detail", args=["cn"]) + "?kind=arms")
        self.assertEqual(
            counts(response, "kind"),
            {"Military cooperation": 2, "Arms transfer": 1, "Diplomatic relations": 1},
        )


class SourceAndLanguageFacetTests(FacetFixture):
    def test_source_counts_are_over_published_quotes(self):
        # Demo Wire quotes drill, gas, neutrality and observers; Example Gazette (its
        # English and Serbian articles) every claim but observers and gas.
        self.assertEqual(counts(self.get(), "source"), {"Example Gazette": 6, "Demo Wire": 4})
        self.assertEveryLinkShowsItsCount(self.get("?country=rs"), "source")

    def test_language_counts_whatever_the_case_of_the_tag(self):
        self.assertEqual(counts(self.get(), "language"), {"en": 7, "sr-latn": 2})
        self.assertEveryLinkShowsItsCount(self.get(), "language")

    def test_the_draft_articles_source_and_language_are_not_counted(self):
        response = self.get()
        self.assertNotIn("Zanzibarite Wire", counts(response, "source"))
        self.assertNotIn("fr", counts(response, "language"))


class AllValuesPageTests(FacetFixture):
    """The actors, events and sources facets show ten; a page lists every one."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bystanders = [
            make_actor(name=f"Bystander {n:02}", country=country("RS")) for n in range(12)
        ]
        for n, actor in enumerate(cls.bystanders):
            for _ in range(n % 3 + 1):
                make_claim([cls.world.serbia, actor], statement=f"Bystander {n} watched.")

    def test_the_facet_shows_ten_and_links_to_all_for_the_same_filters(self):
        response = self.get("?country=rs&kind=military")
        self.assertEqual(len(facet(response, "actor")), 10)
        self.assertContains(
            response,
            f'href="{reverse("claim_facet", args=["actor"])}?country=rs&amp;kind=military"',
        )

    def test_the_page_lists_every_value_with_its_count(self):
        response = self.client.get(reverse("claim_facet", args=["actor"]), {"country": "rs"})
        self.assertEqual(response.status_code, 200)
        listed = dict(
            (html.unescape(label), int(n))
            for label, n in re.findall(
                r'<li><a href="[^"]*">([^<]*)</a> <span class="count">(\d+)',
                response.content.decode(),
            )
        )
        # The state of Serbia: the bystanders' 24 claims and 5 of the world's (its other
        # two involve Serbia through Vučić and as the place).
        self.assertEqual(listed["Serbia"], 5 + 24)
        for n, actor in enumerate(self.bystanders):
            self.assertEqual(listed[actor.name], n % 3 + 1)
        self.assertNotIn("Draft-only Actor Zanzibarite", response.content.decode())

    def test_each_value_links_to_the_list_with_it_added(self):
        response = self.client.get(reverse("claim_facet", args=["actor"]), {"country": "rs"})
        link = re.search(r'<a href="([^"]*)">Bystander 05</a>', response.content.decode()).group(1)
        self.assertEqual(total(self.client.get(html.unescape(link))), 3)

    def test_within_narrows_the_values_by_name_whatever_the_accents(self):
        response = self.client.get(
            reverse("claim_facet", args=["actor"]), {"country": "rs", "within": "VUCIC"}
        )
        self.assertContains(response, "Aleksandar Vučić")
        self.assertNotContains(response, "Bystander 01")
        self.assertContains(response, "1 actor containing “VUCIC”")

    def test_unknown_facets_are_404_and_bad_filters_400(self):
        self.assertEqual(self.client.get(reverse("claim_facet", args=["colour"])).status_code, 404)
        bad = self.client.get(reverse("claim_facet", args=["actor"]), {"country": "zz"})
        self.assertContains(bad, "These filters cannot be used", status_code=400)


class FacetsFollowPublicationTests(TestCase):
    def test_publishing_and_unpublishing_move_the_list_and_every_facet(self):
        world = hand_counted_world()
        url = reverse("claim_list") + "?country=rs"
        before = self.client.get(url)
        claim = make_claim([world.serbia, state("JP")], kind="arms", status="draft")
        self.assertEqual(total(self.client.get(url)), total(before))
        claim.status = "published"
        claim.save()
        after = self.client.get(url)
        self.assertEqual(total(after), total(before) + 1)
        self.assertEqual(counts(after, "country")["Japan"], 1)
        self.assertEqual(
            counts(after, "kind")["Arms transfer"], counts(before, "kind")["Arms transfer"] + 1
        )
        claim.status = "draft"
        claim.save()
        again = self.client.get(url)
        self.assertEqual(total(again), total(before))
        self.assertNotIn("Japan", counts(again, "country"))


class FacetNamesTests(TestCase):
    def test_the_names_of_any_mix_of_facets_are_read_in_one_query(self):
        # Regression: when the first facet to name was a model ordered by a column the
        # union does not select (sources, by name), the query failed: 500.
        world = hand_counted_world()
        index = engine.current(derived.change_seq())
        rows = {
            "country": country("RS"),
            "actor": world.pla,
            "event": Event.objects.get(name="Peace Guardian"),
            "source": Source.objects.get(name="Demo Wire"),
        }
        for size in range(1, len(rows) + 1):
            for dimensions in itertools.combinations(rows, size):
                with self.subTest(dimensions=dimensions):
                    index.names.clear()
                    found = {dimension: [(rows[dimension].pk, 1)] for dimension in dimensions}
                    with self.assertNumQueries(1):
                        names = facets.names_of(found, index)
                    for dimension in dimensions:
                        self.assertEqual(
                            names[dimension][rows[dimension].pk][1], rows[dimension].name
                        )
                    with self.assertNumQueries(0):  # kept until the next change
                        facets.names_of(found, index)
