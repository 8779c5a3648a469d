"""
Names in the reader's language and script. Country names come from CLDR (Babel) in
English, Serbian Cyrillic and Serbian Latin; a state actor is named as its country.
Other names are shown as entered, except that a Serbian name is shown in the page's
script: an alias in that script when the record has one, or else the letter-for-letter
transliteration of a name written in the Serbian alphabet ("Aleksandar Vučić" is
"Александар Вучић" on Cyrillic pages, "Војска Србије" is "Vojska Srbije" on Latin ones).
A Latin name counts as Serbian when it has a letter of the Serbian alphabet that English
lacks (č, ć, đ, š, ž): "Serbian Armed Forces" or "Peace Guardian" are left alone.
"""

import csv
import functools
import re
from pathlib import Path

from babel import Locale
from django.utils.translation import get_language

from .scripts import CYRILLIC_TO_LATIN, to_cyrillic, to_latin
from .search import fold

# Django's language codes and the CLDR locales their names come from.
LOCALES = {"en": "en", "sr": "sr_Cyrl", "sr-latn": "sr_Latn"}
# Words in the Serbian Latin alphabet only, with at least one letter English lacks (a
# name that is only a-z may be English: "Peace Guardian" is left alone).
SERBIAN_LATIN = re.compile(r"[a-pr-vzčćđšž\s.\-']*[čćđšž][a-pr-vzčćđšž\s.\-']*", re.IGNORECASE)
SERBIAN_CYRILLIC_LETTERS = "".join(CYRILLIC_TO_LATIN) + "".join(CYRILLIC_TO_LATIN).upper()
SERBIAN_CYRILLIC = re.compile(
    rf"[{SERBIAN_CYRILLIC_LETTERS}\s.\-']*[{SERBIAN_CYRILLIC_LETTERS}][{SERBIAN_CYRILLIC_LETTERS}\s.\-']*"
)
HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def language():
    """The page's language among LOCALES (English outside a request's language)."""
    code = (get_language() or "en").lower()
    if code in LOCALES:
        return code
    return code.split("-")[0] if code.split("-")[0] in LOCALES else "en"


@functools.cache
def territories(code):
    return Locale.parse(LOCALES[code]).territories


@functools.cache
def codes_by_stored_name():
    """{stored English name: ISO code} of articles/data/countries.csv (the state actors' names)."""
    with open(Path(__file__).parent / "data" / "countries.csv", newline="") as f:
        return {row["name"]: row["alpha2"] for row in csv.DictReader(f)}


def country_name(code, stored):
    """A country's name in the page's language: CLDR's, or the stored one it lacks."""
    return territories(language()).get(code, stored)


def country_namer():
    """country_name() for many countries: the page's language looked up once."""
    local = territories(language())
    return lambda code, stored: local.get(code, stored)


def script_form(name, aliases=()):
    """`name` in the page's script when it is a Serbian name (see the module's docstring)."""
    lang = language()
    if lang == "sr":
        if HAS_CYRILLIC.search(name):
            return name
        for alias in aliases:
            if HAS_CYRILLIC.search(alias) and fold(alias) == fold(name):
                return alias
        return to_cyrillic(name) if SERBIAN_LATIN.fullmatch(name) else name
    if lang == "sr-latn" and HAS_CYRILLIC.search(name):
        for alias in aliases:
            if not HAS_CYRILLIC.search(alias) and fold(alias) == fold(name):
                return alias
        return to_latin(name) if SERBIAN_CYRILLIC.fullmatch(name) else name
    return name


def actor_name(name, aliases=()):
    """
    An actor's name for the page: a state (named as its country) as its country, a
    Serbian name in the page's script.
    """
    if code := codes_by_stored_name().get(name):
        return country_name(code, name)
    return script_form(name, aliases)


# The Serbian alphabets' own orders (азбука, abeceda): ђ after д, lj after l, č and ć
# after c… where Unicode's order puts ђ, ј, љ, њ, ћ, џ after я and č after z.
CYRILLIC_ORDER = "абвгдђежзијклљмнњопрстћуфхцчџш"
LATIN_ORDER = "a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž".split()  # noqa: SIM905
LATIN_LETTERS = re.compile("|".join(sorted(LATIN_ORDER, key=len, reverse=True)))


def sort_key(name):
    """
    A key that orders names as the page's language does: Serbian names by their
    alphabet, everything else as it folds (accents and case aside).
    """
    lang = language()
    text = name.casefold()
    if lang == "sr":
        return [(0, CYRILLIC_ORDER.index(c)) if c in CYRILLIC_ORDER else (1, ord(c)) for c in text]
    if lang == "sr-latn":
        return [
            (0, LATIN_ORDER.index(m.group())) if m.group() in LATIN_ORDER else (1, ord(m.group()))
            for m in re.finditer(rf"{LATIN_LETTERS.pattern}|.", text)
        ]
    return (fold(name), name)


def by_name(objects, name=lambda item: item.local_name):
    """`objects` in the page's alphabetical order of their names."""
    return sorted(objects, key=lambda item: sort_key(name(item)))
