"""
Serbian is written in two scripts, Cyrillic and Latin, letter for letter: "Вучић" is
"Vučić". The standard transliteration (one Cyrillic letter to one Latin letter or
digraph: љ lj, њ nj, џ dž) lets search and names meet whichever script they were typed in.
"""

import re

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
TO_LATIN = str.maketrans(
    {
        **CYRILLIC_TO_LATIN,
        # Capitals: a digraph is capitalised on its first letter ("Љиг" → "Ljig").
        **{cyr.upper(): lat.capitalize() for cyr, lat in CYRILLIC_TO_LATIN.items()},
    }
)


def to_latin(text):
    """Serbian Cyrillic letters in Latin; every other character as it is."""
    return text.translate(TO_LATIN)


# Latin to Cyrillic: the digraphs first, so that "lj" is "љ", not "лј".
LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in CYRILLIC_TO_LATIN.items()}
LATIN_LETTER = re.compile("|".join(sorted(LATIN_TO_CYRILLIC, key=len, reverse=True)), re.IGNORECASE)


def to_cyrillic(text):
    """
    Serbian Latin letters in Cyrillic (the digraphs lj, nj, dž as one letter each);
    every other character, q, w, x and y among them, as it is.
    """

    def letter(match):
        latin = match.group()
        cyrillic = LATIN_TO_CYRILLIC[latin.lower()]
        return cyrillic.upper() if latin[0].isupper() else cyrillic

    return LATIN_LETTER.sub(letter, text)
