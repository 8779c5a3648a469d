"""
Which countries and actors a text names: what the editors' workbench shows beside each
sentence and pre-fills a claim with.

A gazetteer of names, each standing for a country, an actor or an event, is built from

- the database: countries, actors' names and aliases (a state actor's stand for its
  country), events' names, and the places events happened in ("Hebei province" is in
  China);
- CLDR, through Babel: country names in English and in Serbian, Cyrillic and Latin,
  with the Serbian case forms (Srbija, Srbije, Srbiji, Srbijom; Кина, Кине, Кини,
  Кином), Serbian adjectives from the names of a country's language ("srpski",
  "кинеског"), and capitals' Serbian names from CLDR's time-zone cities ("Београд");
- countryinfo: English demonyms ("Serbian") and capitals ("Belgrade"), a capital
  counting as its country whether it stands for the government or for the place;
- common slips of the hand in long names: two neighbouring letters swapped
  ("Belgarde"), one of two vowels left out ("Bejing").

Names are matched whatever their case and accents, on word boundaries, so that
possessives ("Belgrade's") and compounds ("Chinese-made") count, with an Aho–Corasick
automaton (pyahocorasick): one pass over the text for every name at once. Short names
and acronyms (Xi, US, EU) are matched with their case only: "us" is not the United
States. Where names overlap the longest wins ("Papua New Guinea" over "Guinea"). A
person's name yields the person, not their country; other actors with a country (an
army, a ministry) bring their country along.
"""

import dataclasses
import functools
import re
import unicodedata

import ahocorasick
from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from countryinfo import all_countries
from django.db.models import Max

from .models import QUOTE_MARKS, Actor, Country, Event, split_aliases
from .search import fold

# CLDR locales whose country names are in the gazetteer: English, Serbian in Cyrillic
# (CLDR's default for "sr") and in Latin script.
LOCALES = ("en", "sr", "sr_Latn")
SERBIAN = ("sr", "sr_Latn")
# Capitals of places with fewer people than this are left out: they are mostly names of
# people or of places elsewhere too (Douglas, Hamilton, Jamestown).
CAPITAL_MIN_POPULATION = 150_000
# Long single words only get misspelt variants: short ones would collide with words.
MISSPELT_MIN_LENGTH = 7
VOWELS = set("aeiouy")
# Words a place's name may carry that are not the name ("Hebei province", "Northern Luzon").
PLACE_WORDS = re.compile(
    r"\b(province|region|county|oblast|district|prefecture|state|municipality|"
    r"north(ern)?|south(ern)?|east(ern)?|west(ern)?|central)\b",
    re.IGNORECASE,
)
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Serbian case endings: nominative, genitive, dative, accusative, instrumental.
CASE_ENDINGS = {
    "noun_a": ["a", "e", "i", "u", "om"],  # Kina, Srbija
    "adjective_a": ["a", "e", "oj", "u", "om"],  # Mađarska, Severna (Koreja)
    "noun_o": ["o", "a", "u", "o", "om"],  # Kosovo
    "plural_i": ["i", "a", "ima", "e", "ima"],  # Filipini
    "consonant": ["", "a", "u", "", "om"],  # Japan, Niger, Beograd
    "palatal": ["", "a", "u", "", "em"],  # Vučić
}
ADJECTIVE_ENDINGS = ["i", "a", "o", "e", "og", "oga", "om", "omu", "oj", "u", "ih", "im", "ima"]
LATIN_TO_CYRILLIC = str.maketrans(
    {"a": "а", "e": "е", "i": "и", "o": "о", "u": "у", "m": "м", "g": "г", "h": "х", "j": "ј"}
)
QUOTE_TABLE = str.maketrans(QUOTE_MARKS)
PALATAL = set("cčćšžđjцчћшжђјљњ")


@dataclasses.dataclass(frozen=True)
class Found:
    """What a text names: countries (alpha-2 codes), actors and events, in order."""

    countries: list
    actors: list
    events: list

    def as_json(self):
        return {"countries": self.countries, "actors": [actor.slug for actor in self.actors]}


@dataclasses.dataclass(frozen=True)
class ActorRef:
    pk: int
    slug: str
    name: str
    kind: str
    country: str | None


@dataclasses.dataclass(frozen=True)
class EventRef:
    pk: int
    slug: str
    name: str


# --- folding -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def fold_character(char):
    """One character folded as search.fold() does, kept to one character; ’ is '."""
    folded = fold(char.translate(QUOTE_TABLE))
    return folded[0] if folded else char


def fold_keeping_length(text):
    """The text folded character by character, so that positions stay the same."""
    text = unicodedata.normalize("NFC", text)
    return text.translate({ord(char): fold_character(char) for char in set(text)})


def is_word(char):
    return char.isalnum()


# --- names from CLDR and countryinfo ---------------------------------------------------


def serbian_forms(name):
    """A Serbian name in its case forms: "Srbija" → Srbija, Srbije, Srbiji, Srbiju, Srbijom."""
    words = name.split()
    if not words or len(words) > 3:
        return {name}
    patterns = [declension(word, last=n == len(words) - 1) for n, word in enumerate(words)]
    if any(pattern is None for pattern in patterns):
        return {name}
    forms = set()
    for case in range(5):
        forms.add(
            " ".join(
                inflect(word, pattern, case) for word, pattern in zip(words, patterns, strict=True)
            )
        )
    return forms


def declension(word, last):
    """Which endings a word of a Serbian name takes, or None when it is not declined here."""
    lower = word.lower()
    latin = lower.translate(CYRILLIC_TO_LATIN)
    if len(latin) < 3 or not lower.isalpha():
        return "fixed" if not last else None
    if not last and latin.endswith("a"):
        # An adjective before the noun: Severna Koreja, Južna Afrika.
        return "adjective_a"
    if not last and latin[-1] in VOWELS:
        return "fixed"
    if latin.endswith(("ska", "cka", "čka", "ška")):
        return "adjective_a"
    if latin.endswith("a"):
        return "noun_a"
    if latin.endswith("o"):
        return "noun_o"
    if latin.endswith("i"):
        return "plural_i"
    if latin[-1] in PALATAL or latin.endswith(("lj", "nj")):
        return "palatal"
    if latin[-1].isalpha() and latin[-1] not in VOWELS:
        return "consonant"
    return None


def inflect(word, pattern, case):
    if pattern == "fixed":
        return word
    endings = CASE_ENDINGS[pattern]
    stem = word if pattern in ("consonant", "palatal") else word[:-1]
    # The stem of an adjective-noun keeps its ending's first letter out: Mađarsk-a.
    if pattern == "adjective_a":
        stem = word[:-1]
    ending = endings[case]
    if CYRILLIC.search(word):
        ending = ending.translate(LATIN_TO_CYRILLIC)
    return stem + ending


CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
        "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
        "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    }
)  # fmt: skip


def serbian_adjective_forms(adjective):
    """ "srpski" → srpski, srpska, srpskog, srpskoj…; the same for "српски"."""
    if not adjective.endswith(("ski", "čki", "ški", "ски", "чки", "шки")):
        return set()
    stem = adjective[:-1]
    cyrillic = bool(CYRILLIC.search(adjective))
    return {
        stem + (ending.translate(LATIN_TO_CYRILLIC) if cyrillic else ending)
        for ending in ADJECTIVE_ENDINGS
    }


def misspellings(name):
    """
    Slips of the hand in a long one-word name: two neighbouring letters swapped
    ("Belgarde"), or one of two vowels in a row left out ("Bejing").
    """
    word = name.lower()
    if len(word) < MISSPELT_MIN_LENGTH or not word.isalpha() or not word.isascii():
        return set()
    variants = set()
    for i in range(1, len(word) - 2):
        if word[i] != word[i + 1]:
            variants.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    for i in range(len(word) - 1):
        if word[i] in VOWELS and word[i + 1] in VOWELS:
            variants.add(word[:i] + word[i + 1 :])
            variants.add(word[: i + 1] + word[i + 2 :])
    return variants - {word}


@functools.cache
def cldr_locale(name):
    try:
        return Locale.parse(name)
    except UnknownLocaleError:  # pragma: no cover - Babel ships these
        return None


@functools.cache
def world_names(codes):
    """
    Names of the countries with these codes that no database holds: {code: {"names",
    "demonyms", "capitals"}} from CLDR (Babel) and countryinfo. Computed once per
    process for a set of codes.
    """
    info = {}
    population = {}
    for data in (country.info() for country in all_countries()):
        iso = data.get("ISO") or {}
        code = iso.get("alpha2") if isinstance(iso, dict) else None
        if code not in codes or data.get("population") is None:
            continue
        population[code] = data["population"]
        entry = info.setdefault(code, {"demonyms": set(), "capitals": set(), "timezones": []})
        entry["demonyms"] |= {
            d.strip() for d in (data.get("demonym") or "").split(",") if d.strip()
        }
        capitals = data.get("capital") or []
        capitals = [capitals] if isinstance(capitals, str) else capitals
        if data["population"] >= CAPITAL_MIN_POPULATION:
            for capital in capitals:
                entry["capitals"].add(capital)
                entry["capitals"].add(re.sub(r"\s+D\.C\.$", "", capital))
        entry["timezones"] = data.get("timezoneNames") or []
        entry.setdefault("alternates", set()).update(alternate_names(data, iso))
    # A demonym or capital shared by several places ("French") stands for the most
    # populous of them.
    for key in ("demonyms", "capitals"):
        owners = {}
        for code, entry in info.items():
            for name in entry[key]:
                owners.setdefault(name, []).append(code)
        for name, sharing in owners.items():
            keep = max(sharing, key=lambda code: population.get(code, 0))
            for code in sharing:
                if code != keep:
                    info[code][key].discard(name)
    english = cldr_locale("en")
    english_languages = {name: code for code, name in english.languages.items()}
    names = {}
    for code in codes:
        entry = info.get(code, {"demonyms": set(), "capitals": set(), "timezones": []})
        found = {
            "names": set(entry.get("alternates", ())),
            "demonyms": set(entry["demonyms"]),
            "capitals": set(),
        }
        for locale_name in LOCALES:
            locale = cldr_locale(locale_name)
            name = locale.territories.get(code)
            if not name:
                continue
            found["names"] |= serbian_forms(name) if locale_name in SERBIAN else {name}
            # A demonym that is also a language's name ("Serbian", "Chinese"): that
            # language's Serbian name is the Serbian adjective ("srpski", "кинески").
            for demonym in entry["demonyms"]:
                language = english_languages.get(demonym)
                if language and locale_name in SERBIAN:
                    adjective = locale.languages.get(language, "")
                    found["demonyms"] |= serbian_adjective_forms(adjective)
        for capital in entry["capitals"]:
            found["capitals"].add(capital)
            found["capitals"] |= serbian_capitals(capital, entry["timezones"])
        names[code] = found
    return names


def alternate_names(data, iso):
    """
    countryinfo's other names of a country ("Republic of Serbia", "UK"), without its ISO
    codes, unless a code is what its name is shortened to: three letters ("USA", "UAE",
    "PNG"), or two for the "United" ones ("US" and "U.S."). Other two-letter initials
    (PR, SS, SM) are more often something else.
    """
    names = [data.get("name") or "", *(data.get("altSpellings") or [])]
    initials = set()
    for name in names:
        shortened = "".join(w[0] for w in name.split() if w[:1].isupper())
        if len(shortened) > 2 or name.startswith("United "):
            initials.add(shortened)
    alternates = set()
    for name in names:
        if not name or "," in name:  # "Korea, Republic of": an index's order, not a name
            continue
        if name in (iso.get("alpha2"), iso.get("alpha3")) and name not in initials:
            continue
        alternates.add(name)
        if name.isupper() and name in initials:
            alternates.add("".join(f"{letter}." for letter in name))
    return alternates


def serbian_capitals(capital, timezones):
    """A capital's Serbian names in its case forms, when CLDR names its time zone after it."""
    forms = set()
    for zone in timezones:
        try:
            if get_timezone_location(zone, locale="en", return_city=True) != capital:
                continue
            for locale in SERBIAN:
                city = get_timezone_location(zone, locale=locale, return_city=True)
                forms |= serbian_forms(city)
        except (LookupError, ValueError):
            continue
    return forms


# --- the gazetteer -----------------------------------------------------------------------


class Gazetteer:
    """Every name with what it stands for, and the automata that find them in a text."""

    def __init__(self, countries, actors, events):
        self.folded = {}  # folded name → {entity}
        self.exact = {}  # short names and acronyms, matched with their case
        codes = frozenset(code for code, _ in countries)
        for code, name in countries:
            self.add(name, ("country", code))
        for code, found in world_names(codes).items():
            for name in found["names"] | found["demonyms"] | found["capitals"]:
                self.add(name, ("country", code))
        self.actors = {}
        for actor in actors:
            ref, aliases = actor
            names = [ref.name, *aliases]
            if ref.kind == Actor.Kind.STATE and ref.country:
                entity = ("country", ref.country)
            else:
                entity = ("actor", ref.pk)
                self.actors[ref.pk] = ref
            for name in names:
                self.add(name, entity)
                # Serbian text declines names too: Vučićem, Vojske Srbije.
                for form in () if is_exact(name) else serbian_forms(name):
                    self.add(form, entity)
        self.events = {}
        for ref, place, host in events:
            self.events[ref.pk] = ref
            self.add(ref.name, ("event", ref.pk))
            if place and host:
                self.add(place, ("country", host))
                bare = " ".join(PLACE_WORDS.sub(" ", place).split())
                if bare and bare != place:
                    self.add(bare, ("country", host))
        # Misspelt country names and capitals, unless a variant is a name of its own.
        for code, found in world_names(codes).items():
            for name in found["names"] | found["capitals"]:
                for variant in misspellings(name):
                    if variant not in self.folded:
                        self.folded.setdefault(variant, set()).add(("country", code))
        self.folded_automaton = automaton(self.folded)
        self.exact_automaton = automaton(self.exact)

    def add(self, name, entity):
        name = " ".join(unicodedata.normalize("NFC", name).split())
        if len(name) < 2:
            return
        if is_exact(name):
            self.exact.setdefault(name, set()).add(entity)
        else:
            self.folded.setdefault(fold_keeping_length(name), set()).add(entity)

    def matches(self, text):
        """(start, end, entities) of every name in `text` on word boundaries."""
        text = unicodedata.normalize("NFC", text)
        found = []
        for haystack, machine in (
            (fold_keeping_length(text), self.folded_automaton),
            (text, self.exact_automaton),
        ):
            if machine is None:
                continue
            for last, (length, entities) in machine.iter(haystack):
                start, end = last - length + 1, last + 1
                before = haystack[start - 1] if start > 0 else " "
                after = haystack[end] if end < len(haystack) else " "
                if is_word(before) and is_word(haystack[start]):
                    continue
                if is_word(after) and is_word(haystack[end - 1]):
                    continue
                found.append((start, end, entities))
        return found

    def detect(self, text):
        """The countries, actors and events `text` names, each once, in order."""
        chosen, taken = [], []
        # Leftmost-longest: a longer name covers the shorter ones inside it.
        for start, end, entities in sorted(self.matches(text), key=lambda m: (m[0] - m[1], m[0])):
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, entities))
        countries, actors, events = [], [], []
        for _, entities in sorted(chosen, key=lambda c: c[0]):
            for kind, key in sorted(entities, key=str):
                if kind == "country" and key not in countries:
                    countries.append(key)
                elif kind == "actor":
                    actor = self.actors[key]
                    if actor not in actors:
                        actors.append(actor)
                    # An army or a ministry brings its country; a person does not.
                    brings = actor.kind != Actor.Kind.PERSON and actor.country
                    if brings and actor.country not in countries:
                        countries.append(actor.country)
                elif kind == "event" and self.events[key] not in events:
                    events.append(self.events[key])
        return Found(countries, actors, events)


def is_exact(name):
    """Short names and acronyms are matched with their case: "US", "EU", "Xi"."""
    letters = name.replace(".", "").replace(" ", "")
    return len(letters) <= 3 or (letters.isupper() and len(letters) <= 5)


def automaton(names):
    if not names:
        return None
    machine = ahocorasick.Automaton()
    for name, entities in names.items():
        machine.add_word(name, (len(name), frozenset(entities)))
    machine.make_automaton()
    return machine


# --- from the database -------------------------------------------------------------------

_built = {}


def version():
    """What the gazetteer depends on has changed when this has: the latest history rows."""
    latest = [
        model.history.order_by("-history_id").values_list("history_id", "history_date").first()
        for model in (Actor, Event)
    ]
    return (*latest, Country.objects.aggregate(n=Max("pk"))["n"])


def gazetteer():
    """The gazetteer of what the database holds now: built again only after changes."""
    key = version()
    if _built.get("key") != key:
        countries = list(Country.objects.values_list("code", "name"))
        actors = [
            (ActorRef(pk, slug, name, kind, code), split_aliases(aliases))
            for pk, slug, name, kind, code, aliases in Actor.objects.values_list(
                "pk", "slug", "name", "kind", "country__code", "aliases"
            )
        ]
        events = [
            (EventRef(pk, slug, name), place, host)
            for pk, slug, name, place, host in Event.objects.values_list(
                "pk", "slug", "name", "place", "host_country__code"
            )
        ]
        _built.update(key=key, gazetteer=Gazetteer(countries, actors, events))
    return _built["gazetteer"]


def detect(text):
    """The countries, actors and events that `text` names (see the module's docstring)."""
    return gazetteer().detect(text)
