"""The benchmark's own pieces that use the site: its URLconf (bench/urls.py) and its editor."""

from django.test import TestCase, override_settings

from articles.models import ClaimLink
from bench import editor

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


class BenchEditorTests(TestCase):
    def test_the_editor_saves_a_claim_through_the_admin_change_form(self):
        claim, other = make_claim([state("RS")]), make_claim([state("CN")])
        ClaimLink.objects.create(from_claim=claim, type="updates", to_claim=other)
        response = editor.save(editor.editor_client(), claim)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        claim.refresh_from_db()
        self.assertTrue(claim.statement.endswith(editor.EDITED))
        self.assertEqual(claim.links_from.count(), 1)
