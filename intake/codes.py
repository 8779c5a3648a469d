"""
What GDELT's codes mean here: CAMEO event labels, the claim kind each CAMEO code maps
to, and GDELT's two country code systems mapped to our ISO 3166-1 alpha-2 countries.
Provenance of the data files: intake/data/README.md.
"""

import csv
import functools
import re
from pathlib import Path

import pycountry

from articles.models import Actor, Claim

DATA = Path(__file__).resolve().parent / "data"

# GDELT 2.0 Event Codebook, QuadClass.
QUAD_CLASSES = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}

# The kind of a draft claim, from its CAMEO event code: the longest code below that
# starts the event's code wins, so each root code (two digits) has a kind and a few
# more specific codes refine it where the root would mislead (military cooperation is
# "material cooperation", an embargo is "reducing relations"). README.md shows the table.
KINDS = {
    "01": Claim.Kind.DIPLOMATIC,  # Make public statement
    "02": Claim.Kind.DIPLOMATIC,  # Appeal
    "03": Claim.Kind.DIPLOMATIC,  # Express intent to cooperate
    "0312": Claim.Kind.MILITARY,  # … militarily
    "04": Claim.Kind.DIPLOMATIC,  # Consult
    "05": Claim.Kind.DIPLOMATIC,  # Engage in diplomatic cooperation
    "06": Claim.Kind.ECONOMIC,  # Engage in material cooperation
    "062": Claim.Kind.MILITARY,  # Cooperate militarily
    "063": Claim.Kind.POLICY,  # Engage in judicial cooperation
    "064": Claim.Kind.MILITARY,  # Share intelligence or information
    "07": Claim.Kind.ECONOMIC,  # Provide aid
    "072": Claim.Kind.ARMS,  # Provide military aid
    "074": Claim.Kind.MILITARY,  # Provide military protection or peacekeeping
    "08": Claim.Kind.POLICY,  # Yield
    "087": Claim.Kind.MILITARY,  # De-escalate military engagement
    "09": Claim.Kind.POLICY,  # Investigate
    "10": Claim.Kind.DIPLOMATIC,  # Demand
    "11": Claim.Kind.DIPLOMATIC,  # Disapprove
    "12": Claim.Kind.DIPLOMATIC,  # Reject
    "13": Claim.Kind.CONFLICT,  # Threaten
    "14": Claim.Kind.POLICY,  # Protest
    "15": Claim.Kind.MILITARY,  # Exhibit force posture
    "16": Claim.Kind.DIPLOMATIC,  # Reduce relations
    "163": Claim.Kind.ECONOMIC,  # Impose embargo, boycott, or sanctions
    "17": Claim.Kind.CONFLICT,  # Coerce
    "18": Claim.Kind.CONFLICT,  # Assault
    "19": Claim.Kind.CONFLICT,  # Fight
    "20": Claim.Kind.CONFLICT,  # Use unconventional mass violence
}

# CAMEO actor codes are a country (or group) code followed by role codes: an actor
# coded as a country's armed forces or government is matched to the one actor of that
# kind and country, when there is exactly one.
ACTOR_KINDS = {"MIL": Actor.Kind.ARMED_FORCES, "GOV": Actor.Kind.GOVERNMENT}

# MentionDocTranslationInfo: "srclc:fra; eng:Moses 2.1.1 / …"; blank when the document
# was in English.
SOURCE_LANGUAGE = re.compile(r"srclc:\s*([a-z]{3})", re.IGNORECASE)


def read_tsv(name):
    with (DATA / name).open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows, delimiter="\t"))


@functools.cache
def event_labels():
    """{CAMEO event code: its label}, from cameo_event_codes.tsv."""
    return {row["code"]: row["label"] for row in read_tsv("cameo_event_codes.tsv")}


def event_label(code):
    return event_labels().get(code, "")


def root_codes():
    """The twenty CAMEO root codes with their labels, in order."""
    return [(code, label) for code, label in event_labels().items() if len(code) == 2]


def kind_for(event_code):
    """The claim kind a CAMEO event code maps to (KINDS), "other" for an unknown code."""
    for length in range(len(event_code), 1, -1):
        if kind := KINDS.get(event_code[:length]):
            return kind
    return Claim.Kind.OTHER


@functools.cache
def fips_countries():
    """{FIPS 10-4 code: ISO 3166-1 alpha-2 code}, from fips_countries.tsv."""
    return {row["fips"]: row["iso"] for row in read_tsv("fips_countries.tsv")}


def iso_from_fips(code):
    """The alpha-2 code of a FIPS 10-4 country code, or "" when it has none."""
    return fips_countries().get(code, "")


@functools.cache
def iso_from_cameo(code):
    """
    The alpha-2 code of a CAMEO country code (ISO 3166-1 alpha-3 based), or "" for a
    CAMEO code of its own (regions such as EUR or AFR) or one ISO does not know.
    """
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return country.alpha_2 if country else ""


def language_from_translation_info(info):
    """
    A BCP 47 tag for a mention's document: "en" when MentionDocTranslationInfo is blank
    (GDELT leaves it blank for documents in English), the ISO 639-1 code of its source
    language when it has one (ISO 639-2/3 otherwise), "" when it cannot be told.
    """
    if not info.strip():
        return "en"
    if not (match := SOURCE_LANGUAGE.search(info)):
        return ""
    code = match[1].lower()
    language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    if language is None:
        return ""
    return getattr(language, "alpha_2", language.alpha_3)
