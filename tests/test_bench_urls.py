"""The benchmark's URLconf (bench/urls.py): the site's pages, in every language, plus its floors."""

from django.test import TestCase, override_settings

from .factories import make_claim, state


@override_settings(ROOT_URLCONF="bench.urls")
class BenchUrlsTests(TestCase):
    def test_the_floors_and_the_site_in_every_language_answer(self):
        claim = make_claim([state("RS")])
        for url in (
            "/bench/floor/static/",
            f"/bench/floor/query/?id={claim.pk}",
            "/claims/",
            "/sr/claims/map.svg?country=rs",
            "/sr-latn/countries/rs/",
            "/api/claims/",
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 200)
