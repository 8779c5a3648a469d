"""What the countries data migration leaves in the database."""

import re

from django.db.models import Count, F, Q
from django.test import TestCase

from articles.models import Actor, Country


class CountriesMigrationTests(TestCase):
    def test_there_are_250_countries(self):
        self.assertEqual(Country.objects.count(), 250)

    def test_kosovo_is_included_in_southern_europe(self):
        kosovo = Country.objects.get(code="XK")
        self.assertEqual(kosovo.name, "Kosovo")
        self.assertEqual(kosovo.alpha3, "XKX")
        self.assertEqual(kosovo.region, "Europe")
        self.assertEqual(kosovo.subregion, "Southern Europe")

    def test_serbia_and_china_have_their_iso_codes(self):
        serbia = Country.objects.get(code="RS")
        china = Country.objects.get(code="CN")
        self.assertEqual((serbia.name, serbia.alpha3), ("Serbia", "SRB"))
        self.assertEqual((china.name, china.alpha3), ("China", "CHN"))
        self.assertEqual(serbia.region, "Europe")
        self.assertEqual(china.subregion, "Eastern Asia")

    def test_codes_are_two_capitals_and_alpha3_three(self):
        for code, alpha3 in Country.objects.values_list("code", "alpha3"):
            with self.subTest(code=code):
                self.assertRegex(code, re.compile(r"^[A-Z]{2}$"))
                self.assertRegex(alpha3, re.compile(r"^[A-Z]{3}$"))

    def test_every_country_but_antarctica_has_a_region(self):
        # UN M49 puts Antarctica in no region.
        without = Country.objects.filter(Q(region="") | Q(subregion=""))
        self.assertEqual(list(without.values_list("code", flat=True)), ["AQ"])

    def test_every_country_has_exactly_one_state_actor_named_like_it(self):
        counts = Country.objects.annotate(
            states=Count("actors", filter=Q(actors__kind=Actor.Kind.STATE))
        )
        self.assertFalse(counts.exclude(states=1).exists())
        self.assertEqual(Actor.objects.filter(kind=Actor.Kind.STATE).count(), 250)
        mismatched = Actor.objects.filter(kind=Actor.Kind.STATE).exclude(name=F("country__name"))
        self.assertFalse(mismatched.exists())

    def test_state_actors_have_usable_slugs(self):
        serbia = Actor.objects.get(kind=Actor.Kind.STATE, country__code="RS")
        self.assertEqual((serbia.name, serbia.slug), ("Serbia", "serbia"))
        self.assertFalse(Actor.objects.filter(kind=Actor.Kind.STATE, slug="").exists())
