from django.test import SimpleTestCase

from articles.scripts import to_latin


class TransliterationTests(SimpleTestCase):
    def test_serbian_cyrillic_becomes_the_standard_latin_letter_for_letter(self):
        self.assertEqual(to_latin("Ђорђе Вучић, Ниш и Чачак"), "Đorđe Vučić, Niš i Čačak")

    def test_a_digraph_is_capitalised_on_its_first_letter_only(self):
        self.assertEqual(to_latin("Љубљана, Његош, Џеп, ЉИГ"), "Ljubljana, Njegoš, Džep, LjIG")

    def test_other_characters_are_kept_as_they_are(self):
        # Russian й is not a Serbian letter.
        self.assertEqual(
            to_latin("Peace Guardian 2025, 北京, Шойгу"), "Peace Guardian 2025, 北京, Šoйgu"
        )
