"""
The Serbian catalogues: complete (no empty or fuzzy translation), the Latin one the
Cyrillic one transliterated letter for letter, placeholders kept, three plural forms.
"""

import io
import re
from pathlib import Path

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import SimpleTestCase
from django.utils.translation.template import templatize

from articles.scripts import to_latin

LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")


ROOT = LOCALE.parent
# Django's translation functions, as makemessages looks for them.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def marked_strings():
    """
    (context, msgid) of every string marked in the code and templates, found the way
    makemessages finds them (templates through Django's own templatize), without gettext.
    """
    sources = [
        *(
            path.read_text()
            for folder in ("articles", "intake", "newsclaims")
            for path in (ROOT / folder).rglob("*.py")
            if "migrations" not in path.parts
        ),
        *(
            # Indentation means nothing in templatize's output: the tokenizer must not see it.
            re.sub(r"(?m)^[ \t]+", "", templatize(path.read_text(), origin=str(path)))
            for path in ROOT.glob("**/templates/**/*.html")
            if ".venv" not in path.parts and "node_modules" not in path.parts
        ),
    ]
    found = set()
    for text in sources:
        for _line, funcname, messages, _comments in extract_python(
            io.BytesIO(text.encode()), KEYWORDS, [], {}
        ):
            spec = KEYWORDS[funcname] or (1,)
            messages = messages if isinstance(messages, tuple) else (messages,)
            context = messages[0] if isinstance(spec[0], tuple) else None
            msgid = messages[1] if context is not None else messages[0]
            if msgid:
                found.add((context, msgid))
    return found


def catalogue(code):
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f)


def forms(message):
    return list(message.string) if message.pluralizable else [message.string]


def placeholders(text):
    return sorted(match.group() for match in PLACEHOLDER.finditer(text))


class CatalogueTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cyrillic, cls.latin = catalogue("sr"), catalogue("sr_Latn")

    def messages(self, catalogue):
        return [message for message in catalogue if message.id]

    def test_the_catalogues_hold_the_site_strings(self):
        self.assertGreater(len(self.messages(self.cyrillic)), 300)

    def test_every_string_marked_in_the_code_is_in_the_catalogues(self):
        for catalogue in (self.cyrillic, self.latin):
            known = {
                (m.context, m.id if isinstance(m.id, str) else m.id[0])
                for m in self.messages(catalogue)
            }
            missing = sorted(marked_strings() - known, key=str)
            self.assertEqual(missing, [], f"{catalogue.locale}: run make messages")

    def test_every_string_is_translated_in_both_scripts(self):
        for catalogue in (self.cyrillic, self.latin):
            untranslated = [
                message.id
                for message in self.messages(catalogue)
                if not all(form.strip() for form in forms(message))
            ]
            self.assertEqual(untranslated, [], f"{catalogue.locale}: untranslated strings")

    def test_no_translation_is_fuzzy(self):
        for catalogue in (self.cyrillic, self.latin):
            fuzzy = [message.id for message in self.messages(catalogue) if message.fuzzy]
            self.assertEqual(fuzzy, [], f"{catalogue.locale}: fuzzy translations")
            self.assertFalse(catalogue.fuzzy, f"{catalogue.locale}: the catalogue is fuzzy")

    def test_serbian_has_three_plural_forms(self):
        for catalogue in (self.cyrillic, self.latin):
            self.assertEqual(catalogue.num_plurals, 3)
            for message in self.messages(catalogue):
                if message.pluralizable:
                    self.assertEqual(len(message.string), 3, message.id)

    def test_the_latin_catalogue_is_the_cyrillic_one_transliterated(self):
        cyrillic = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]): m
            for m in self.messages(self.cyrillic)
        }
        latin = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]): m
            for m in self.messages(self.latin)
        }
        self.assertEqual(set(latin), set(cyrillic))
        for key, message in cyrillic.items():
            with self.subTest(key):
                self.assertEqual(forms(latin[key]), [to_latin(form) for form in forms(message)])

    def test_translations_keep_the_placeholders_of_the_english(self):
        for message in self.messages(self.cyrillic):
            ids = list(message.id) if message.pluralizable else [message.id]
            expected = placeholders(ids[-1])
            for n, form in enumerate(forms(message)):
                with self.subTest(message.id, form=n):
                    if message.pluralizable and n == 0:
                        # The singular may spell the number out ("one claim").
                        self.assertLessEqual(set(placeholders(form)), set(expected))
                    else:
                        self.assertEqual(placeholders(form), expected)
