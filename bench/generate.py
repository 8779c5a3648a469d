"""
Generate a realistic synthetic data set of a requested size, for benchmarks and for
trying the site at scale:

    DATABASE_URL=postgres://… make bench-data CLAIMS=1000000 SEED=1 [APPEND=1]
    DATABASE_URL=… .venv/bin/python -m bench.generate --claims 1000000 --seed 1 [--append]

Without DATABASE_URL it fills the benchmark's own PostgreSQL cluster (bench/cluster.py,
kept in bench/data/), as `make bench` does; `--migrate` applies the migrations first.

Per million claims it makes about 300,000 articles, 1.9 million evidence quotes, 2,000
events, 10,000 actors and 300 sources (each count can be set). The data is skewed like
real coverage: a few countries (Serbia, China, the United States, Russia, Ukraine…),
country pairs and events dominate; claims have 1–4 actors with roles and 1–5 evidence
quotes, each a verbatim sentence of an article's body; dates spread over 15 years
(2011–2025), more of them recent; about 3% of claims and 2% of articles are drafts.
Countries and state actors are the ones the migrations create.

The same seed on the same database gives the same rows. Progress goes to standard
error, one line per stage or chunk.

Refused on a database that already has content (any claim, article, evidence, event,
source or non-state actor) unless --append is given: then the new rows are added beside
the existing ones, which are left as they are; slugs and URLs that are taken get a
suffix.

Only source rows are written here: sources, actors, events and their participants,
articles, claims' own columns, roles, evidence. What follows from them (country links,
search documents, quote counts, facets, the claim counts of countries, actors and
events, the change log) is articles/derived.py's: each chunk of claims is refreshed
once, right after it is written and in the same transaction, and one change log entry
is appended at the end. No signals run and no django-simple-history records are made.

Speed: on PostgreSQL rows are loaded with COPY in one transaction (nothing is left
behind if it fails or is interrupted), by a writer thread with its own connection, so
that the server copies and refreshes one chunk while Python makes the next. Into an
empty database the secondary indexes and foreign keys of the big tables are dropped
first and recreated at the end, then the tables are vacuumed and analysed; the indexes
the refresh reads roles and quotes through stay. While it runs, the tables are locked
against writes (reads go on). Elsewhere (SQLite) rows are inserted with bulk_create.
"""

import argparse
import bisect
import contextlib
import dataclasses
import datetime
import functools
import itertools
import json
import os
import queue
import random
import re
import sys
import threading
import time
from collections import defaultdict

from django.db import connection, connections, transaction
from django.utils.text import slugify

from bench import cluster

# Claim and article statuses (articles.models.Status): the models are imported only
# once Django is set up (see main()).
PUBLISHED, DRAFT = "published", "draft"


def words(text):
    return text.split()


UTC = datetime.UTC
FIRST_DAY = datetime.date(2011, 1, 1).toordinal()
LAST_DAY = datetime.date(2025, 12, 31).toordinal()

# --- vocabulary -------------------------------------------------------------------------

# Countries in order of how much they are in the news here; the rest of the world
# follows with a long tail. Weight of rank r: 1 / (r + 1) ** 1.1.
PROMINENT = words(
    "RS CN US RU UA DE FR GB TR XK BA HU IN IR IL HR ME MK AL PL BY JP KR KP TW SY SA AE "
    "EG IT ES GR BG RO AZ AM GE KZ PK AF VE BR ZA NG ET QA IQ LY MD LT LV EE FI SE NO"
)
# Pairs that dominate coverage, most covered first.
HOT_PAIRS = [
    pair.split("-")
    for pair in words(
        "RS-CN RU-UA US-CN US-RU RS-RU CN-RU US-UA RS-XK CN-TW IL-IR RS-HU RS-BA US-IR DE-RU "
        "TR-RU IN-CN KP-KR RS-US SA-IR CN-JP PL-BY AM-AZ FR-DE GB-US RS-HR TR-SY IN-PK US-VE "
        "EG-IL RS-ME"
    )
]

CITIES = {
    "RS": ["Belgrade", "Novi Sad", "Niš", "Kragujevac", "Subotica"],
    "CN": ["Beijing", "Shanghai", "Hebei province", "Guangzhou", "Shenzhen", "Xinjiang"],
    "US": ["Washington", "New York", "San Diego", "Norfolk", "Honolulu"],
    "RU": ["Moscow", "St Petersburg", "Kaliningrad", "Rostov-on-Don", "Vladivostok"],
    "UA": ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Dnipro", "Zaporizhzhia"],
    "DE": ["Berlin", "Munich", "Hamburg", "Ramstein"],
    "FR": ["Paris", "Toulon", "Brest", "Marseille"],
    "GB": ["London", "Portsmouth", "Edinburgh"],
    "TR": ["Ankara", "Istanbul", "Izmir", "Incirlik"],
    "XK": ["Pristina", "Mitrovica", "Prizren"],
    "BA": ["Sarajevo", "Banja Luka", "Mostar"],
    "HU": ["Budapest", "Debrecen", "Szeged"],
    "IN": ["New Delhi", "Mumbai", "Ladakh"],
    "IR": ["Tehran", "Isfahan", "Bandar Abbas"],
    "IL": ["Jerusalem", "Tel Aviv", "Haifa"],
    "HR": ["Zagreb", "Split", "Rijeka"],
    "ME": ["Podgorica", "Bar"],
    "MK": ["Skopje", "Ohrid"],
    "AL": ["Tirana", "Durrës"],
    "PL": ["Warsaw", "Kraków", "Rzeszów"],
    "BY": ["Minsk", "Brest", "Grodno"],
    "JP": ["Tokyo", "Okinawa", "Yokosuka"],
    "KR": ["Seoul", "Busan", "Pyeongtaek"],
    "KP": ["Pyongyang", "Sinpo"],
    "TW": ["Taipei", "Kaohsiung"],
    "SY": ["Damascus", "Aleppo", "Latakia"],
    "SA": ["Riyadh", "Jeddah"],
    "AE": ["Abu Dhabi", "Dubai"],
    "EG": ["Cairo", "Alexandria"],
}

ALLIANCES = [
    ("NATO", "alliance", ["North Atlantic Treaty Organization", "OTAN"]),
    ("European Union", "alliance", ["EU"]),
    ("United Nations", "organisation", ["UN"]),
    ("ASEAN", "alliance", ["Association of Southeast Asian Nations"]),
    ("African Union", "alliance", ["AU"]),
    ("Collective Security Treaty Organization", "alliance", ["CSTO", "ОДКБ"]),
    ("Shanghai Cooperation Organisation", "alliance", ["SCO"]),
    ("BRICS", "alliance", []),
    ("OSCE", "organisation", ["Organization for Security and Co-operation in Europe"]),
    ("International Monetary Fund", "organisation", ["IMF"]),
    ("World Bank", "organisation", []),
    ("OPEC", "organisation", []),
    ("Arab League", "alliance", []),
    ("Council of Europe", "organisation", []),
    ("G7", "alliance", ["Group of Seven"]),
]
GOVERNMENT_BODIES = [
    ("Government of {c}", "government", []),
    ("Ministry of Defence of {c}", "government", ["{c} Defence Ministry"]),
    ("Ministry of Foreign Affairs of {c}", "government", ["{c} Foreign Ministry"]),
    ("Armed Forces of {c}", "armed_forces", ["{c} military"]),
    ("Presidency of {c}", "government", []),
    ("Ministry of Economy of {c}", "government", []),
    ("Parliament of {c}", "government", []),
    ("Air Force of {c}", "armed_forces", []),
    ("Navy of {c}", "armed_forces", []),
    ("Ministry of Interior of {c}", "government", []),
    ("Central Bank of {c}", "government", []),
    ("Ministry of Energy of {c}", "government", []),
]
ORGANISATIONS = [
    "{c} Energy Company",
    "{c} Railways",
    "{c} Airlines",
    "{c} Broadcasting Corporation",
    "{c} Institute for Strategic Studies",
    "{c} Chamber of Commerce",
    "{s} Defence Industries",
    "{s} Group",
    "{s} Holdings",
    "{s} Shipbuilding",
    "{s} Steel",
    "{s} Telecom",
]

# Person names by naming tradition: (given names, family names, script for an alias).
NAMES = {
    "sr": (
        "Aleksandar Nikola Milan Dragan Vladimir Ivica Miloš Ana Jelena Marija Ivana Dušan "
        "Zoran Nenad Siniša Goran Branko Vesna Snežana Đorđe Marko Stefan Jovana Milica",
        "Petrović Jovanović Nikolić Marković Đorđević Stojanović Ilić Pavlović Vučković "
        "Simić Kostić Lazić Dačić Vulin Stefanović Selaković Gašić Milićević Đurić Obradović",
        "sr",
    ),
    "ru": (
        "Sergei Dmitry Andrei Alexei Maria Olga Ivan Nikolai Yuri Oleksandr Vitali Anna "
        "Pavel Mikhail Tatiana Volodymyr Denys Iryna",
        "Ivanov Petrov Smirnov Kuznetsov Volkov Sokolov Lebedev Kozlov Novikov Morozov "
        "Shevchenko Kovalenko Bondarenko Tkachenko Melnyk Kravchenko Lukashenko Orlov",
        "ru",
    ),
    "zh": (
        "Wei Fang Lei Jun Jie Tao Ming Yong Qiang Jing Xiuying Yan Hui Ling Bo Hao Yi Chao",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo",
        "",
    ),
    "en": (
        "James John Robert Michael Mary Patricia Jennifer Linda David Sarah Emily Thomas "
        "Daniel Laura Mark Paul Karen Susan Kevin Brian",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Martin "
        "Jackson Thompson White Harris Clark Lewis Walker Hall",
        "",
    ),
    "de": (
        "Thomas Andreas Stefan Michael Sabine Ursula Annalena Olaf Katrin Jürgen Markus Petra",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
        "Koch Bauer Richter",
        "",
    ),
    "fr": (
        "Jean Pierre Marie Sophie Emmanuel Catherine Nicolas François Élisabeth Gérald Hélène",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre Girard",
        "",
    ),
    "tr": (
        "Mehmet Mustafa Ahmet Ali Hüseyin Fatma Ayşe Emine Hakan Mevlüt Ibrahim Zeynep",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan",
        "",
    ),
    "ar": (
        "Mohammed Ahmed Abdullah Khalid Omar Fatima Aisha Hassan Youssef Faisal Layla Tariq",
        "Al-Saud Al-Nahyan Hassan Ibrahim Mansour Haddad Khalil Nasser Saleh Al-Thani Aziz",
        "",
    ),
    "hu": (
        "Viktor Péter Zoltán Katalin László Judit Gábor Eszter",
        "Orbán Szijjártó Nagy Kovács Tóth Szabó Horváth Varga",
        "",
    ),
    "ja": (
        "Hiroshi Takeshi Yuki Haruto Sakura Kenji Yoshimasa Fumio Shinzo Aiko",
        "Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Kishida",
        "",
    ),
    "ko": (
        "Min-jun Seo-yeon Ji-ho Ha-eun Jae-in Yoon-suk Sung-min Hye-jin",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim",
        "",
    ),
    "in": (
        "Rajesh Priya Amit Sunita Narendra Rahul Anjali Vikram Subrahmanyam Deepa",
        "Sharma Patel Singh Kumar Gupta Reddy Iyer Jaishankar Modi Rao",
        "",
    ),
    "fa": (
        "Ali Hossein Mohammad Reza Zahra Maryam Hassan Abbas Javad Ebrahim",
        "Hosseini Mohammadi Rezaei Ahmadi Karimi Moradi Rahimi Zarif Raisi Araghchi",
        "",
    ),
    "world": (
        "Amara Kwame Luis Carlos Sofia Ravi Ana Mateo Nadia Samuel Grace Jonas Elena Omar "
        "Lucia Tomas Ingrid Pedro Aylin Kofi",
        "Okafor Mensah Silva Santos Garcia Lopez Haddad Novak Berg Larsen Costa Rossi "
        "Horvat Kowalski Papadopoulos Popescu Ivanova Nowak Diallo Mbeki",
        "",
    ),
}
NAMING = {
    **dict.fromkeys(words("RS BA ME MK"), "sr"),
    "HR": "sr",
    **dict.fromkeys(words("RU UA BY KZ MD"), "ru"),
    **dict.fromkeys(words("CN TW"), "zh"),
    **dict.fromkeys(words("US GB AU CA NZ IE"), "en"),
    **dict.fromkeys(words("DE AT CH"), "de"),
    **dict.fromkeys(words("FR BE"), "fr"),
    **dict.fromkeys(words("TR AZ"), "tr"),
    **dict.fromkeys(words("SA AE EG SY IQ QA LY JO LB KW BH OM YE DZ MA TN"), "ar"),
    "HU": "hu",
    "JP": "ja",
    **dict.fromkeys(words("KR KP"), "ko"),
    "IN": "in",
    "IR": "fa",
}
LATIN_TO_SERBIAN_CYRILLIC = [
    ("dž", "џ"), ("lj", "љ"), ("nj", "њ"), ("Dž", "Џ"), ("Lj", "Љ"), ("Nj", "Њ"),
]  # fmt: skip
SERBIAN_LETTERS = dict(
    zip(
        "abcčćdđefghijklmnoprsštuvzžABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ",
        "абцчћдђефгхијклмнопрсштувзжАБЦЧЋДЂЕФГХИЈКЛМНОПРСШТУВЗЖ",
        strict=True,
    )
)
RUSSIAN_LETTERS = [
    ("shch", "щ"), ("Shch", "Щ"), ("kh", "х"), ("Kh", "Х"), ("zh", "ж"), ("Zh", "Ж"),
    ("ch", "ч"), ("Ch", "Ч"), ("sh", "ш"), ("Sh", "Ш"), ("ts", "ц"), ("Ts", "Ц"),
    ("yu", "ю"), ("Yu", "Ю"), ("ya", "я"), ("Ya", "Я"), ("yi", "ий"), ("ei", "ей"),
]  # fmt: skip
RUSSIAN_SINGLE = dict(zip("abvgdezijklmnoprstufyAVBGDEZIJKLMNOPRSTUFY",
                          "абвгдезийклмнопрстуфыАВБГДЕЗИЙКЛМНОПРСТУФЫ", strict=True))  # fmt: skip

DRILLS = [
    "air defence", "naval", "counter-terrorism", "special forces", "tank", "artillery",
    "search and rescue", "paratrooper", "cyber defence", "mountain warfare", "peacekeeping",
    "anti-submarine", "missile defence", "logistics", "medical evacuation",
]  # fmt: skip
WEAPONS = [
    "FK-3 air defence systems", "CH-92A drones", "MiG-29 fighter jets", "Rafale fighter jets",
    "HIMARS launchers", "Patriot batteries", "S-400 missile systems", "Bayraktar TB2 drones",
    "Leopard 2 tanks", "T-72 tanks", "howitzers", "armoured personnel carriers",
    "attack helicopters", "patrol boats", "anti-tank missiles", "radar systems",
    "transport aircraft", "frigates", "artillery shells", "sniper rifles",
]  # fmt: skip
TOPICS = [
    "energy security", "trade", "infrastructure", "nuclear power", "migration", "visas",
    "defence cooperation", "the Belt and Road Initiative", "gas supplies", "cybersecurity",
    "grain exports", "minority rights", "border demarcation", "investment", "climate",
    "telecommunications", "rail links", "agriculture", "tourism", "education", "health",
    "space cooperation", "mining", "water management", "sanctions relief", "arms control",
]  # fmt: skip
PROJECTS = [
    "motorway", "railway line", "power plant", "steel mill", "copper mine", "port terminal",
    "gas pipeline", "industrial park", "solar farm", "bridge", "metro line", "data centre",
]  # fmt: skip
ACCUSATIONS = [
    "violating its airspace", "shelling civilian areas", "spreading disinformation",
    "meddling in its elections", "cyberattacks on state institutions", "arming rebels",
    "violating the ceasefire", "illegal detentions", "espionage", "blocking humanitarian aid",
]  # fmt: skip
TARGETS = [
    "an ammunition depot", "a fuel depot", "energy infrastructure", "a military airfield",
    "a command post", "a railway junction", "air defence positions", "a port",
]  # fmt: skip
SPEAKERS = [
    "A government spokesperson", "The ministry", "Officials", "A senior diplomat",
    "The president's office", "A defence official", "The foreign minister",
    "A military spokesman", "State media", "The prime minister",
]  # fmt: skip
ATTRIBUTIONS = [
    "officials said", "the ministry said in a statement", "state media reported",
    "according to a government statement", "diplomats said", "a spokesperson confirmed",
]  # fmt: skip
EXERCISE_WORDS = (
    words(
        "Iron Steel Northern Southern Eastern Western Peace Sea Silent Swift Golden Joint "
        "Baltic Desert Mountain Thunder Red Blue Danube Balkan"
    ),
    words(
        "Shield Guardian Breeze Eagle Falcon Storm Dawn Response Resolve Sword Arrow Wolf Bridge "
        "Lightning Partner Defender Spirit Horizon"
    ),
)

# Statement templates by claim kind: (template, roles of the first and the other actors).
# {a} is the first actor, {b} the others ("China and Russia"); templates without {b}
# are for one actor. {near} is " near <place>" or "".
TEMPLATES = {
    "military": [
        ("{a} and {b} held a joint {drill} exercise{near}.", "participant", "participant"),
        ("{a} sent {n} troops to a {drill} exercise hosted by {b}{near}.", "participant", "host"),
        ("{a} hosted {b} for {drill} drills{near}.", "host", "participant"),
        (
            "{a} and {b} agreed to expand military cooperation on {drill} training.",
            "participant",
            "participant",
        ),
        ("{a} staged a {drill} exercise with {n} troops{near}.", "participant", None),
        ("{a} raised the combat readiness of {n} units{near}.", "subject", None),
    ],
    "arms": [
        ("{a} bought {n} {weapon} from {b}.", "buyer", "supplier"),
        ("{b} delivered {n} {weapon} to {a}.", "buyer", "supplier"),
        ("{a} ordered {weapon} worth {money} from {b}.", "buyer", "supplier"),
        ("{a} unveiled {n} new {weapon}{near}.", "subject", None),
    ],
    "diplomatic": [
        ("{a} hosted {b} for talks on {topic}{near}.", "host", "participant"),
        ("{a} and {b} signed a memorandum on {topic}.", "participant", "participant"),
        ("{a} and {b} pledged closer cooperation on {topic}.", "participant", "participant"),
        ("{a} recalled its ambassador from {b} over {topic}.", "subject", "target"),
        ("{a} opened a consulate{near} to work on {topic}.", "subject", None),
    ],
    "policy": [
        ("{a} said it would not impose sanctions on {b}.", "speaker", "subject"),
        ("{a} criticised {b} over {topic}.", "critic", "target"),
        ("{a} backed the position of {b} on {topic}.", "supporter", "subject"),
        ("{a} announced a new strategy on {topic}.", "speaker", None),
        (
            "{a} said it would stay militarily neutral despite pressure over {topic}.",
            "speaker",
            None,
        ),
    ],
    "economic": [
        ("{a} and {b} signed a {money} agreement on {topic}.", "participant", "participant"),
        ("{a} granted {b} a {money} loan for a {project}.", "supplier", "buyer"),
        ("{a} opened a {project} financed by {b}{near}.", "host", "supplier"),
        ("{a} and {b} agreed to double trade in {topic} by {year}.", "participant", "participant"),
        ("{a} announced {money} of investment in a {project}{near}.", "subject", None),
    ],
    "conflict": [
        ("{a} accused {b} of {accusation}.", "critic", "target"),
        ("{a} said {b} struck {target}{near}.", "speaker", "subject"),
        ("{a} and {b} exchanged fire{near}.", "participant", "participant"),
        ("{a} reported {n} attacks on {target}{near}.", "speaker", None),
    ],
    "other": [
        ("{a} and {b} discussed {topic}.", "participant", "participant"),
        ("{a} sent observers to {b} to follow {topic}.", "observer", "subject"),
        ("{a} held a conference on {topic}{near}.", "host", None),
    ],
}
FILLERS = [
    "{c1} and {c2} established diplomatic relations in {old_year}.",
    "Analysts said the move was closely watched in {c2}.",
    "The announcement came after weeks of speculation in the local press.",
    "Officials did not give further details.",
    "A spokesperson for the ministry declined to comment.",
    "{c1} has raised its defence budget by {pct} percent over the past {small} years.",
    "Trade between the two countries reached {money} last year.",
    "Opposition politicians in {c1} criticised the decision.",
    "The talks are expected to continue next month.",
    "Observers noted that {c2} has been seeking closer ties with {c1}.",
    "Several agreements were signed on the sidelines of the meeting.",
    "The statement was published on the government's website.",
    "Earlier this year, {c1} hosted a delegation from {c2}.",
    "Neither side disclosed the financial terms.",
    "The European Union urged both sides to show restraint.",
    "Critics said the decision would complicate relations with {c2}.",
    "It was the {ordinal} such meeting since {old_year}.",
    "Local media described the visit as historic.",
    "The foreign ministry summoned the ambassador of {c2} on {weekday}.",
    "Markets in {c1} reacted calmly to the news.",
    "Neither government responded to requests for comment.",
    "The figures could not be independently verified.",
]
ORDINALS = words("second third fourth fifth sixth seventh eighth ninth tenth")
WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
TITLE_PREFIXES = ["", "", "", "", "Analysis: ", "Report: ", "Live: ", "Explainer: "]
OUTLET_NAMES = [
    "{c} News Agency", "{c} Daily", "The {c} Times", "{c} Broadcasting", "{c} Herald",
    "{c} Observer", "{c} Post", "{c} Today", "{c} Review", "{c} Monitor", "{c} Telegraph",
]  # fmt: skip
LANGUAGES = {
    "RS": "sr-Latn", "BA": "sr-Latn", "ME": "sr-Latn", "RU": "ru", "BY": "ru", "CN": "zh-Hans",
    "TW": "zh-Hant", "UA": "uk", "DE": "de", "AT": "de", "FR": "fr", "TR": "tr", "HU": "hu",
    "JP": "ja", "KR": "ko", "PL": "pl", "IT": "it", "ES": "es",
}  # fmt: skip
EVENT_KINDS = [
    ("exercise", 25, "military"), ("summit", 25, "diplomatic"), ("agreement", 15, "economic"),
    ("arms_deal", 8, "arms"), ("conflict", 10, "conflict"), ("election", 8, "policy"),
    ("sanction", 6, "policy"), ("other", 3, "other"),
]  # fmt: skip

CLAIM_KINDS = (["military", "arms", "diplomatic", "policy", "economic", "conflict", "other"],
               [20, 10, 30, 12, 15, 10, 3])  # fmt: skip
VERIFICATIONS = (["reported", "corroborated", "disputed", "refuted"], [60, 30, 7, 3])
STANCES = (["asserts", "reports", "disputes", "denies"], [30, 55, 10, 5])
ACTORS_PER_CLAIM = ([1, 2, 3, 4], [22, 52, 17, 9])
EVIDENCE_PER_CLAIM = ([1, 2, 3, 4, 5], [45, 25, 15, 9, 6])
ARTICLES_PER_STORY = ([1, 2, 3, 4, 5, 6, 7, 8], [30, 24, 16, 11, 8, 5, 3, 3])
PRECISIONS = (["day", "month", "year"], [85, 11, 4])


# --- helpers ----------------------------------------------------------------------------


class Weighted:
    """A population to draw from with fixed weights (bisect over cumulative weights)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng):
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def zipf(n, exponent=1.0):
    return [1 / (rank + 1) ** exponent for rank in range(n)]


class SlugPool:
    """Unique slugs: base, base-2, base-3… avoiding those already taken."""

    def __init__(self, taken=(), max_length=80):
        self.taken = set(taken)
        self.counters = {}
        self.max_length = max_length

    def get(self, text, fallback="item"):
        base = fast_slugify(text)[: self.max_length].strip("-") or fallback
        if base not in self.taken:
            self.taken.add(base)
            return base
        n = self.counters.get(base, 2)
        while True:
            suffix = f"-{n}"
            candidate = base[: self.max_length - len(suffix)].strip("-") + suffix
            n += 1
            if candidate not in self.taken:
                break
        self.counters[base] = n
        self.taken.add(candidate)
        return candidate


SLUG_DROP = re.compile(r"[^\w\s-]")
SLUG_HYPHENS = re.compile(r"[-\s]+")


def fast_slugify(text):
    """django.utils.text.slugify(), with a shortcut for plain ASCII."""
    if not text.isascii():
        return slugify(text)
    return SLUG_HYPHENS.sub("-", SLUG_DROP.sub("", text.lower())).strip("-_")


def serbian_cyrillic(text):
    for latin, cyrillic in LATIN_TO_SERBIAN_CYRILLIC:
        text = text.replace(latin, cyrillic)
    return "".join(SERBIAN_LETTERS.get(char, char) for char in text)


def russian_cyrillic(text):
    for latin, cyrillic in RUSSIAN_LETTERS:
        text = text.replace(latin, cyrillic)
    return "".join(RUSSIAN_SINGLE.get(char, char) for char in text)


def day_to_date(day):
    return datetime.date.fromordinal(day)


def moment(day, seconds):
    return datetime.datetime.fromordinal(day).replace(tzinfo=UTC) + datetime.timedelta(
        seconds=seconds
    )


def money(rng):
    return rng.choice(["€", "$"]) + f"{rng.randint(2, 950)} million"


def duration(seconds):
    if seconds < 10:
        return f"{seconds:.1f}s"
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class FastRandom(random.Random):
    """random.Random with cheaper choice() and randint() (still deterministic per seed)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


class Details(dict):
    """A statement's details, each drawn only when its template asks for it."""

    DRAWS = {
        "n": lambda rng, day: rng.choice(
            [2, 3, 4, 6, 8, 12, 15, 20, 24, 36, 50, 100, 150, 200, 300, 500]
        ),
        "drill": lambda rng, day: rng.choice(DRILLS),
        "weapon": lambda rng, day: rng.choice(WEAPONS),
        "topic": lambda rng, day: rng.choice(TOPICS),
        "money": lambda rng, day: money(rng),
        "project": lambda rng, day: rng.choice(PROJECTS),
        "accusation": lambda rng, day: rng.choice(ACCUSATIONS),
        "target": lambda rng, day: rng.choice(TARGETS),
        "year": lambda rng, day: day_to_date(day).year + rng.randint(1, 5),
    }

    def __init__(self, rng, day):
        super().__init__()
        self.rng, self.day = rng, day

    def __missing__(self, key):
        value = self[key] = self.DRAWS[key](self.rng, self.day)
        return value


# --- the world: countries, actors, sources, events ---------------------------------------


class CountryInfo:
    __slots__ = ("id", "code", "name", "state", "pool", "cities", "naming")

    def __init__(self, row):
        self.id, self.code, self.name = row
        self.state = None  # (id, name, aliases, country_id) of its state actor
        self.pool = None  # Weighted over its generated actors
        self.cities = CITIES.get(self.code, [])
        self.naming = NAMING.get(self.code, "world")


class World:
    """The small tables, made first; stories draw their actors, sources and events here."""

    def __init__(self, rng, counts, ids, existing):
        self.rng = rng
        self.ids = ids
        self.rows = defaultdict(list)
        self.countries = {row[1]: CountryInfo(row) for row in existing["countries"]}
        for actor_id, name, aliases, country_id in existing["states"]:
            for country in self.countries.values():
                if country.id == country_id:
                    country.state = (actor_id, name, aliases, country_id)
        # Countries without a state actor (deleted by hand) are left out of the draw.
        usable = [c for c in self.countries.values() if c.state is not None]
        prominent = [self.countries[code] for code in PROMINENT if code in self.countries]
        tail = sorted((c for c in usable if c.code not in PROMINENT), key=lambda c: c.code)
        ordered = [c for c in prominent if c.state is not None] + tail
        self.country_draw = Weighted(ordered, zipf(len(ordered), 1.1))
        self.hot_pairs = Weighted(
            [(self.countries[a], self.countries[b]) for a, b in HOT_PAIRS],
            zipf(len(HOT_PAIRS), 1.0),
        )
        self.actor_slugs = SlugPool(existing["actor_slugs"])
        self.names_taken = set(existing["actor_names"])
        self.actors = {}  # id -> (name, aliases list, country_id)
        for country in self.countries.values():
            if country.state:
                actor_id, name, aliases, country_id = country.state
                alias_list = [line.strip() for line in aliases.splitlines() if line.strip()]
                self.actors[actor_id] = (name, alias_list, country_id)
        self.make_actors(counts["actors"], ordered)
        self.make_sources(counts["sources"], existing["source_slugs"])
        self.make_events(counts["events"], existing["event_slugs"])

    def next_id(self, table):
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def add_actor(self, name, kind, country, aliases):
        actor_id = self.next_id("actor")
        slug = self.actor_slugs.get(name, "actor")
        country_id = country.id if country else None
        self.rows["actor"].append((actor_id, name, slug, kind, country_id, "\n".join(aliases), ""))
        self.actors[actor_id] = (name, aliases, country_id)
        self.names_taken.add(name)
        return actor_id

    def person_name(self, naming):
        given, family, script = NAMES[naming]
        given, family = given.split(), family.split()
        for attempt in range(50):
            name = f"{self.rng.choice(given)} {self.rng.choice(family)}"
            if naming == "zh":
                name = f"{self.rng.choice(family)} {self.rng.choice(given)}"
            if attempt > 10:
                name = f"{name.split()[0]} {chr(65 + self.rng.randrange(26))}. {name.split()[-1]}"
            if name not in self.names_taken:
                return name, script
        return f"{name} {self.rng.randrange(10**6)}", script

    def make_actors(self, total, ordered):
        rng = self.rng
        self.alliances = []
        for name, kind, aliases in ALLIANCES[: max(0, min(len(ALLIANCES), total // 20))]:
            if name not in self.names_taken:
                self.alliances.append(self.add_actor(name, kind, None, aliases))
        remaining = max(0, total - len(self.alliances))
        # Actors per country: proportional to a flattened country weight. In small data
        # sets the tail countries get none (their state actor is used) and what rounding
        # leaves over goes to the most covered countries.
        weights = [w**0.6 for w in zipf(len(ordered), 1.1)]
        scale = remaining / sum(weights)
        quotas = [round(weight * scale) for weight in weights]
        for rank in range(max(0, remaining - sum(quotas))):
            quotas[rank % len(quotas)] += 1
        for country, quota in zip(ordered, quotas, strict=True):
            ids = []
            bodies = GOVERNMENT_BODIES[
                : min(len(GOVERNMENT_BODIES), max(quota // 3, min(quota, 2)))
            ]
            for template, kind, aliases in bodies:
                name = template.format(c=country.name)
                if name in self.names_taken:
                    continue
                ids.append(
                    self.add_actor(name, kind, country, [a.format(c=country.name) for a in aliases])
                )
            while len(ids) < quota:
                if rng.random() < 0.75:
                    name, script = self.person_name(country.naming)
                    aliases = []
                    if script == "sr" and country.code != "HR":
                        aliases.append(serbian_cyrillic(name))
                    elif script == "ru":
                        aliases.append(russian_cyrillic(name))
                    if rng.random() < 0.3:
                        aliases.append(name.split()[-1])
                    ids.append(self.add_actor(name, "person", country, aliases))
                else:
                    template = rng.choice(ORGANISATIONS)
                    surname = rng.choice(NAMES[country.naming][1].split())
                    name = template.format(c=country.name, s=surname)
                    if name in self.names_taken:
                        name = f"{name} {rng.choice(['International', 'Holding', 'Partners'])}"
                    if name in self.names_taken:
                        name = f"{name} {len(ids)}"
                    ids.append(self.add_actor(name, "organisation", country, []))
            # Government bodies first: the defence ministry is in the news more than most.
            country.pool = Weighted(ids, zipf(len(ids), 0.9)) if ids else None

    def make_sources(self, total, taken_slugs):
        rng = self.rng
        slugs = SlugPool(taken_slugs)
        self.sources = []  # (id, language)
        for _ in range(total):
            country = self.country_draw.pick(rng)
            name = rng.choice(OUTLET_NAMES).format(c=country.name)
            source_id = self.next_id("source")
            slug = slugs.get(name, "source")
            language = "en"
            if country.code in LANGUAGES and rng.random() < 0.5:
                language = LANGUAGES[country.code]
            self.rows["source"].append((source_id, name, slug, f"{slug}.example", country.id))
            self.sources.append((source_id, language))
        self.source_draw = Weighted(self.sources, zipf(len(self.sources), 0.8))

    def story_day(self):
        """A day in 2011–2025, three times as likely at the end as at the start."""
        span = LAST_DAY - FIRST_DAY
        return FIRST_DAY + int(span * (self.rng.random() * 8 + 1) ** 0.5 / 2 - span / 2)

    def make_events(self, total, taken_slugs):
        rng = self.rng
        slugs = SlugPool(taken_slugs)
        kinds = Weighted(EVENT_KINDS, [weight for _, weight, _ in EVENT_KINDS])
        self.events = []  # (id, name, claim kind, countries, first day, last day)
        for _ in range(total):
            kind, _, claim_kind = kinds.pick(rng)
            if rng.random() < 0.6:
                countries = list(self.hot_pairs.pick(rng))
            else:
                countries = self.distinct_countries(rng.choice([1, 2, 2, 3]))
            host = countries[0]
            start = self.story_day()
            year = day_to_date(start).year
            length = 0 if rng.random() < 0.4 else rng.randint(1, 12)
            city = rng.choice(host.cities) if host.cities else host.name
            name = self.event_name(kind, countries, city, year)
            event_id = self.next_id("event")
            end = min(start + length, LAST_DAY)
            self.rows["event"].append(
                (
                    event_id,
                    name,
                    slugs.get(name, "event"),
                    kind,
                    day_to_date(start),
                    day_to_date(end) if length else None,
                    city if host.cities else "",
                    host.id,
                    f"{name}, involving {' and '.join(c.name for c in countries)}.",
                )
            )
            participants = {country.state[0] for country in countries}
            for country in countries:
                if country.pool and rng.random() < 0.7:
                    participants.add(country.pool.pick(rng))
            for actor_id in sorted(participants):
                self.rows["event_participants"].append(
                    (self.next_id("event_participants"), event_id, actor_id)
                )
            self.events.append((event_id, name, claim_kind, countries, start, end))
        # The most covered events are mostly those of the most covered countries.
        rank = {country.code: index for index, country in enumerate(self.country_draw.items)}
        order = sorted(
            range(len(self.events)),
            key=lambda i: (rank.get(self.events[i][3][0].code, len(rank)) + 1) * rng.random(),
        )
        self.event_draw = (
            Weighted([self.events[i] for i in order], zipf(len(order), 1.0))
            if self.events
            else None
        )

    def event_name(self, kind, countries, city, year):
        rng = self.rng
        first = countries[0].name
        if kind == "exercise":
            adjectives, nouns = EXERCISE_WORDS
            return f"{rng.choice(adjectives)} {rng.choice(nouns)} {year}"
        if kind == "summit":
            if len(countries) > 1 and rng.random() < 0.5:
                return f"{first}–{countries[1].name} summit {year}"
            return f"{city} summit {year}"
        if kind == "agreement":
            return f"{city} agreement on {rng.choice(TOPICS)} {year}"
        if kind == "arms_deal":
            return f"{first} {rng.choice(WEAPONS)} purchase {year}"
        if kind == "conflict":
            return f"{city} clashes {year}"
        if kind == "election":
            return (
                f"{first} {rng.choice(['presidential', 'parliamentary', 'local'])} election {year}"
            )
        if kind == "sanction":
            return f"{rng.choice(['EU', 'US', 'UN', 'G7'])} sanctions on {first} {year}"
        return f"{city} forum on {rng.choice(TOPICS)} {year}"

    def distinct_countries(self, n):
        chosen = []
        while len(chosen) < n:
            country = self.country_draw.pick(self.rng)
            if country not in chosen:
                chosen.append(country)
        return chosen


# --- stories: articles, claims, roles, evidence ------------------------------------------


class Stories:
    """
    Claims come in stories: a few claims about the same countries (and maybe an event)
    around the same days, reported by a few articles. Each claim is quoted by 1–5 of the
    story's articles; each article's body is built around the sentences it is quoted for.
    """

    def __init__(self, rng, world, counts, options):
        self.rng = rng
        self.world = world
        self.target = counts["claims"]
        self.claims_per_article = counts["claims"] / max(1, counts["articles"])
        self.draft_claims = options["draft_fraction"]
        self.draft_articles = options["draft_fraction"] * 2 / 3
        self.article_slugs = SlugPool(options["existing"]["article_slugs"])
        self.urls = set(options["existing"]["article_urls"])
        self.kinds = Weighted(*CLAIM_KINDS)
        self.verifications = Weighted(*VERIFICATIONS)
        self.stances = Weighted(*STANCES)
        self.actor_counts = Weighted(*ACTORS_PER_CLAIM)
        self.evidence_counts = Weighted(*EVIDENCE_PER_CLAIM)
        self.article_counts = Weighted(*ARTICLES_PER_STORY)
        self.precisions = Weighted(*PRECISIONS)
        self.templates = {
            kind: (
                [t for t in templates if "{b}" in t[0]],
                [t for t in templates if "{b}" not in t[0]],
            )
            for kind, templates in TEMPLATES.items()
        }
        self.made = 0

    def chunks(self, size):
        """Lists of rows by table, about `size` claims at a time, until the target."""
        rows = defaultdict(list)
        while self.made < self.target:
            self.story(rows)
            if len(rows["claim"]) >= size:
                yield rows
                rows = defaultdict(list)
        if rows["claim"]:
            yield rows

    # One story ------------------------------------------------------------------------

    def topic(self):
        rng, world = self.rng, self.world
        roll = rng.random()
        if roll < 0.25 and world.event_draw:
            event = world.event_draw.pick(rng)
            event_id, _, kind, countries, first, last = event
            day = rng.randint(first, min(last + 20, LAST_DAY))
            return countries, event, kind, day
        if roll < 0.6:
            countries = list(world.hot_pairs.pick(rng))
            if rng.random() < 0.5:
                countries.reverse()
        elif roll < 0.8:
            countries = world.distinct_countries(2)
        elif roll < 0.95:
            countries = world.distinct_countries(1)
        else:
            countries = world.distinct_countries(3)
        return countries, None, None, world.story_day()

    def story(self, rows):
        rng = self.rng
        countries, event, event_kind, day = self.topic()
        n_articles = self.article_counts.pick(rng)
        n_claims = max(1, round(n_articles * self.claims_per_article * rng.uniform(0.4, 1.6)))
        n_claims = min(n_claims, self.target - self.made)
        # The articles: dates over the following days, sources by reach.
        articles = []
        for offset in sorted(rng.randint(0, 10) for _ in range(n_articles)):
            published_day = min(day + offset, LAST_DAY)
            published_at = moment(published_day, rng.randint(5 * 3600, 23 * 3600))
            source_id, language = self.world.source_draw.pick(rng)
            draft = rng.random() < self.draft_articles
            articles.append(
                {
                    "id": self.world.next_id("article"),
                    "published_at": published_at,
                    "day": published_day,
                    "source": source_id,
                    "language": language,
                    "status": DRAFT if draft else PUBLISHED,
                    "quoted": [],  # (claim index, sentence, quote)
                    "quote_of": {},  # claim index -> quote
                }
            )
        # In the order they were published, so evidence ids follow that order too.
        articles.sort(key=lambda article: article["published_at"])
        claims = [self.claim(countries, event, event_kind, day) for _ in range(n_claims)]
        # Evidence: each claim in 1–5 of the story's articles; every article quotes one.
        statements = set()
        for index, claim in enumerate(claims):
            claim["index"] = index
            if claim["statement"] in statements:
                claim["statement"] = self.reword(claim["statement"])
            statements.add(claim["statement"])
            k = min(self.evidence_counts.pick(rng), n_articles)
            claim["articles"] = sorted(rng.sample(range(n_articles), k))
        for position in range(n_articles):
            if not any(position in claim["articles"] for claim in claims):
                claim = min(claims, key=lambda c: len(c["articles"]))
                claim["articles"] = sorted([*claim["articles"], position])
        for index, claim in enumerate(claims):
            for position in claim["articles"]:
                sentence, quote = self.quote_sentence(claim)
                articles[position]["quoted"].append((index, sentence, quote))
                articles[position]["quote_of"][index] = quote
        for article in articles:
            self.article(rows, article, countries, claims)
        for claim in claims:
            self.emit_claim(rows, claim, articles)
        self.made += len(claims)

    def reword(self, statement):
        return statement[:-1] + f", {self.rng.choice(ATTRIBUTIONS)}."

    def claim(self, countries, event, event_kind, day):
        rng, world = self.rng, self.world
        kind = event_kind if event_kind and rng.random() < 0.7 else self.kinds.pick(rng)
        n_actors = self.actor_counts.pick(rng)
        if len(countries) == 1 and n_actors > 1 and rng.random() < 0.5:
            n_actors = 1
        pairs, singles = self.templates[kind]
        template, first_role, other_role = rng.choice(singles if n_actors == 1 else pairs)
        # Actors: alternate over the story's countries; sometimes an alliance.
        actor_ids = []
        for slot in range(n_actors):
            if world.alliances and rng.random() < 0.04:
                candidate = rng.choice(world.alliances)
            else:
                country = countries[slot % len(countries)]
                if country.pool is None or rng.random() < 0.45:
                    candidate = country.state[0]
                else:
                    candidate = country.pool.pick(rng)
            if candidate not in actor_ids:
                actor_ids.append(candidate)
        if len(actor_ids) == 1 and other_role is not None:
            template, first_role, other_role = rng.choice(singles)
        names = [world.actors[actor_id][0] for actor_id in actor_ids]
        # Where it happened: often a city of one of the story's countries.
        place, country_id = "", None
        roll = rng.random()
        if roll < 0.55:
            where = countries[0] if rng.random() < 0.7 else rng.choice(countries)
            country_id = where.id
            if where.cities:
                place = rng.choice(where.cities)
        near = f" near {place}" if place and "{near}" in template else ""
        others = names[1:]
        details = Details(rng, day)
        details["a"] = names[0]
        details["b"] = " and ".join(
            [", ".join(others[:-1]), others[-1]] if len(others) > 1 else others
        )
        details["near"] = near
        if len(others) > 1 and template.startswith("{a} and {b}"):
            # "Serbia, China and Russia held…"
            details["a"], details["b"] = ", ".join(names[:-1]), names[-1]
        statement = template.format_map(details)[:400]
        # When: usually the day, sometimes only the month or year; a few standing facts.
        if rng.random() < (0.15 if kind == "policy" else 0.01):
            occurred_on, precision = None, ""
        else:
            precision = self.precisions.pick(rng)
            date = day_to_date(max(FIRST_DAY, day - rng.randint(0, 3)))
            if precision == "month":
                date = date.replace(day=1)
            elif precision == "year":
                date = date.replace(month=1, day=1)
            occurred_on = date
        roles = [(actor_ids[0], first_role)] + [(a, other_role) for a in actor_ids[1:]]
        return {
            "statement": statement,
            "kind": kind,
            "occurred_on": occurred_on,
            "precision": precision,
            "place": place,
            "country_id": country_id,
            "event": event if event and rng.random() < 0.85 else None,
            "verification": self.verifications.pick(rng),
            "roles": roles,
        }

    def quote_sentence(self, claim):
        """The sentence an article says it in, and the quote taken from it."""
        rng = self.rng
        statement = claim["statement"]
        roll = rng.random()
        if roll < 0.35:
            return statement, statement
        if roll < 0.6:
            sentence = f"{rng.choice(SPEAKERS)} said that {statement}"
        elif roll < 0.8:
            sentence = f"{statement[:-1]}, {rng.choice(ATTRIBUTIONS)}."
            return sentence, (sentence if rng.random() < 0.5 else statement[:-1])
        elif roll < 0.9:
            sentence = f"“{statement}” {rng.choice(SPEAKERS).lower()} told reporters."
            return sentence, sentence if rng.random() < 0.5 else statement
        else:
            sentence = (
                f"According to {rng.choice(['officials', 'diplomats', 'sources'])}, {statement}"
            )
        return sentence, (sentence if rng.random() < 0.5 else statement)

    def article(self, rows, article, countries, claims):
        rng = self.rng
        c1 = countries[0].name
        c2 = countries[1].name if len(countries) > 1 else "its neighbours"
        values = {
            "c1": c1,
            "c2": c2,
            "old_year": rng.randint(1946, 2005),
            "pct": rng.randint(2, 40),
            "small": rng.randint(2, 9),
            "money": money(rng),
            "ordinal": rng.choice(ORDINALS),
            "weekday": rng.choice(WEEKDAYS),
        }
        fillers = [template.format(**values) for template in rng.sample(FILLERS, rng.randint(3, 8))]
        quoted = article["quoted"]
        lead = claims[quoted[0][0]]["statement"] if quoted else f"News from {c1}."
        sentences = [sentence for _, sentence, _ in quoted] + fillers
        rng.shuffle(sentences)
        paragraphs, position = [], 0
        while position < len(sentences):
            size = rng.randint(1, 3)
            paragraphs.append(" ".join(sentences[position : position + size]))
            position += size
        body = "\n\n".join(paragraphs)
        title = (rng.choice(TITLE_PREFIXES) + lead.rstrip("."))[:300]
        slug = self.article_slugs.get(title[:70], "article")
        published_at = article["published_at"]
        url = (
            f"https://{self.world_source_domain(article['source'])}/{published_at:%Y/%m/%d}/{slug}"
        )
        if url in self.urls:
            url = f"{url}-{article['id']}"
        self.urls.add(url)
        created = published_at + datetime.timedelta(minutes=rng.randint(5, 600))
        authors = ""
        if rng.random() < 0.8:
            given, family, _ = NAMES[rng.choice(["en", countries[0].naming])]
            authors = f"{rng.choice(given.split())} {rng.choice(family.split())}"
        summary = paragraphs[0] if rng.random() < 0.3 else ""
        rows["article"].append(
            (
                article["id"],
                title,
                slug,
                url,
                article["source"],
                authors,
                published_at,
                article["language"],
                body,
                summary,
                article["status"],
                created,
                created,
                None,
            )
        )

    def world_source_domain(self, source_id):
        # Sources are numbered consecutively from the first one made.
        first = self.world.rows["source"][0][0]
        return self.world.rows["source"][source_id - first][3]

    def emit_claim(self, rows, claim, articles):
        rng, world = self.rng, self.world
        claim_id = world.next_id("claim")
        evidence = [articles[position] for position in claim["articles"]]
        # Quotes of this claim, in the order its articles were published.
        quoted_in_public = False
        for article in evidence:
            quote = article["quote_of"][claim["index"]]
            stance = self.stances.pick(rng)
            rows["evidence"].append(
                (world.next_id("evidence"), claim_id, article["id"], quote, stance)
            )
            quoted_in_public = quoted_in_public or article["status"] == PUBLISHED
        # Publishing needs a quote from a published article.
        drafted = not quoted_in_public or rng.random() < self.draft_claims
        status = DRAFT if drafted else PUBLISHED
        first = min(article["published_at"] for article in evidence)
        created = first + datetime.timedelta(minutes=rng.randint(30, 4320))
        updated = created
        if rng.random() < 0.1:
            updated = created + datetime.timedelta(days=rng.randint(1, 200))
        for actor_id, role in claim["roles"]:
            rows["claimactor"].append((world.next_id("claimactor"), claim_id, actor_id, role))
        event = claim["event"]
        rows["claim"].append(
            (
                claim_id,
                claim["statement"],
                fast_slugify(claim["statement"])[:80].strip("-") or "claim",
                claim["kind"],
                claim["occurred_on"],
                claim["precision"],
                claim["place"],
                claim["country_id"],
                event[0] if event else None,
                claim["verification"],
                status,
                created,
                updated,
            )
        )


# --- writing: COPY on PostgreSQL, bulk_create elsewhere -----------------------------------


@functools.cache
def tables():
    """
    Every table written, in the order a chunk is written, with the fields given per row:
    source rows only. A column added to one of these tables without a database default
    must be added here and made in Stories, or COPY will refuse the rows. (The models
    are imported here rather than at the top: main() sets Django up first.)
    """
    from articles.models import Actor, Article, Claim, ClaimActor, Event, Evidence, Source

    return {
        "source": (Source, words("id name slug domain country_id")),
        "actor": (Actor, words("id name slug kind country_id aliases wikidata_id")),
        "event": (
            Event,
            words("id name slug kind start_date end_date place host_country_id description"),
        ),
        "event_participants": (Event.participants.through, words("id event_id actor_id")),
        "article": (
            Article,
            words(
                "id title slug url source_id authors published_at language body summary status "
                "created_at updated_at created_by_id"
            ),
        ),
        "claim": (
            Claim,
            words(
                "id statement slug kind occurred_on date_precision place country_id event_id "
                "verification status created_at updated_at"
            ),
        ),
        "claimactor": (ClaimActor, words("id claim_id actor_id role")),
        "evidence": (Evidence, words("id claim_id article_id quote stance")),
    }


def big_tables():
    """The tables whose secondary indexes are rebuilt after loading into an empty database."""
    from articles.models import Article, Claim, ClaimActor, Evidence, Involvement

    # Involvement: the country links that the refresh inserts.
    return [Article, Claim, ClaimActor, Evidence, Involvement]


@functools.cache
def defaults(key):
    """
    The columns that a table's rows leave out and that have no database default, with
    the model's default, as the ORM would insert them: a claim's empty search document,
    until the refresh writes it.
    """
    model, fields = tables()[key]
    return {
        field.column: field.get_default()
        for field in model._meta.concrete_fields
        if field.attname not in fields
        and not (field.null or field.generated or field.has_db_default())
    }


def copy_cell(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if type(value) is str:
        if "\\" in value:
            value = value.replace("\\", "\\\\")
        if "\n" in value:
            value = value.replace("\n", "\\n")
        if "\t" in value:
            value = value.replace("\t", "\\t")
        if "\r" in value:
            value = value.replace("\r", "\\r")
        return value
    return str(value)


def copy_optional(value):
    return "\\N" if value is None else str(value)


# Faster formatting for the big tables, whose columns' types are known (see tables()).
COPY_ROWS = {
    "article": lambda r: (
        f"{r[0]}\t{copy_cell(r[1])}\t{r[2]}\t{copy_cell(r[3])}\t{r[4]}\t{copy_cell(r[5])}\t"
        f"{r[6]}\t{r[7]}\t{copy_cell(r[8])}\t{copy_cell(r[9])}\t{r[10]}\t{r[11]}\t{r[12]}\t"
        f"{copy_optional(r[13])}\n"
    ),
    "claim": lambda r: (
        f"{r[0]}\t{copy_cell(r[1])}\t{r[2]}\t{r[3]}\t{copy_optional(r[4])}\t{r[5]}\t"
        f"{copy_cell(r[6])}\t{copy_optional(r[7])}\t{copy_optional(r[8])}\t{r[9]}\t{r[10]}\t"
        f"{r[11]}\t{r[12]}\n"
    ),
    "claimactor": lambda r: f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n",
    "evidence": lambda r: f"{r[0]}\t{r[1]}\t{r[2]}\t{copy_cell(r[3])}\t{r[4]}\n",
}


def copy_text(key, rows):
    if key in COPY_ROWS:
        return "".join(map(COPY_ROWS[key], rows))
    return "".join("\t".join([copy_cell(value) for value in row]) + "\n" for row in rows)


@dataclasses.dataclass
class Chunk:
    """A chunk's rows as the writer takes them (COPY text on PostgreSQL), its claims' ids."""

    rows: dict
    claims: list


class Writer:
    """
    What both writers share: after a chunk's rows are written, articles/derived.py
    refreshes its claims (new claims have no facets yet, so the refresh adds them to the
    counts), and finish() appends one change log entry.
    """

    def __init__(self, say):
        self.say = say
        self.timings = defaultdict(float)
        self.public = set()
        self.refreshed = False

    def prepare(self, rows):
        return Chunk(rows, [row[0] for row in rows.get("claim", ())])

    def write(self, chunk):
        self.write_rows(chunk.rows)
        if chunk.claims:
            from articles import derived

            if not self.refreshed:
                self.before_first_refresh()
                self.refreshed = True
            started = time.monotonic()
            self.public |= derived.refresh(chunk.claims)
            self.timings["derived data"] += time.monotonic() - started

    def before_first_refresh(self):
        pass

    def log(self):
        # New articles and events are public pages too: an entry even without a public
        # claim. Past derived.MAX_LOGGED claims it says "every claim".
        from articles import derived

        derived.append_to_log(self.public)

    def tidy(self):
        pass


class PostgresWriter(Writer):
    """
    COPY into the tables inside one transaction. With `rebuild` (an empty database), the
    big tables' secondary indexes and foreign keys are dropped first and recreated by
    finish(), which is much faster than maintaining them row by row (the claims' search
    indexes most of all, as the refresh writes each claim's document); primary keys and
    unique constraints stay and check every row as it comes.
    """

    def __init__(self, rebuild, say):
        super().__init__(say)
        self.rebuild = rebuild
        self.indexes = []
        self.foreign_keys = []
        self.quote = connection.ops.quote_name

    def columns(self, key):
        model, fields = tables()[key]
        column = {field.attname: field.column for field in model._meta.concrete_fields}
        return [column[name] for name in fields] + list(defaults(key))

    def begin(self):
        written = [model._meta.db_table for model, _ in tables().values()]
        written += [model._meta.db_table for model in big_tables()]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # The refresh runs many short queries: compiling them costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            # Readers go on; writers (editors) wait until the load is committed.
            cursor.execute(
                f"LOCK TABLE {', '.join(map(self.quote, dict.fromkeys(written)))} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
            ids = {}
            for key, (model, _) in tables().items():
                table = model._meta.db_table
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.quote(table)}")  # nosec B608: identifiers from model metadata
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                if sequence := cursor.fetchone()[0]:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # nosec B608: identifiers from model metadata
                    last_value, is_called = cursor.fetchone()
                    if is_called:
                        highest = max(highest, last_value)
                # Never reuse an id: history records may still name a deleted row.
                ids[key] = highest + 1
            if self.rebuild:
                self.drop_indexes(cursor)
        return ids

    def drop_indexes(self, cursor):
        from articles.models import ClaimActor, Evidence

        cursor.execute(
            """
            SELECT table_class.relname, index_class.relname, pg_get_indexdef(x.indexrelid),
                   EXISTS (
                       SELECT 1 FROM pg_constraint k
                       WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x')
                   ),
                   first_column.attname
            FROM pg_index x
            JOIN pg_class index_class ON index_class.oid = x.indexrelid
            JOIN pg_class table_class ON table_class.oid = x.indrelid
            LEFT JOIN pg_attribute first_column
              ON first_column.attrelid = x.indrelid AND first_column.attnum = x.indkey[0]
            WHERE table_class.relname = ANY(%s)
              AND table_class.relnamespace = to_regnamespace(current_schema())
            ORDER BY 1, 2
            """,
            [[model._meta.db_table for model in big_tables()]],
        )
        found = cursor.fetchall()
        # The refresh after each chunk reads roles and quotes by claim: their tables keep
        # an index starting with claim_id (their unique constraints are such indexes),
        # or each chunk would scan them whole.
        by_claim = {ClaimActor._meta.db_table, Evidence._meta.db_table}
        served = {table for table, _, _, constraint, first in found
                  if constraint and first == "claim_id"}  # fmt: skip
        self.indexes = []
        for table, name, definition, constraint, first in found:
            if constraint:
                continue
            if table in by_claim and table not in served and first == "claim_id":
                served.add(table)
                continue
            self.indexes.append((table, name, definition))
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [[model._meta.db_table for model in big_tables()]],
        )
        self.foreign_keys = cursor.fetchall()
        for table, name, _ in self.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self.quote(name)}")
        for _, name, _ in self.indexes:
            cursor.execute(f"DROP INDEX {self.quote(name)}")
        self.say(
            f"dropped {len(self.indexes)} indexes and {len(self.foreign_keys)} foreign keys "
            "of the big tables; they are recreated at the end"
        )

    def before_first_refresh(self):
        """
        The refresh's queries are planned from statistics, which tables filled in this
        transaction do not have yet: without them PostgreSQL may read every article
        again for each claim, and the load slows down with the square of its size.
        ANALYZE sees this transaction's rows; the estimates then grow with the tables.
        """
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model, _ in tables().values():
                cursor.execute(f"ANALYZE {self.quote(model._meta.db_table)}")
        self.timings["analyze"] += time.monotonic() - started

    def prepare(self, rows):
        texts = {}
        for key in tables():
            if rows.get(key):
                texts[key] = copy_text(key, rows[key])
                if values := defaults(key):
                    # Each line ends a row: newlines in values are escaped.
                    suffix = "".join("\t" + copy_cell(value) for value in values.values())
                    texts[key] = texts[key].replace("\n", suffix + "\n")
        return Chunk(texts, [row[0] for row in rows.get("claim", ())])

    def write_rows(self, texts):
        with connection.cursor() as cursor:
            for key, text in texts.items():
                started = time.monotonic()
                table = self.quote(tables()[key][0]._meta.db_table)
                columns = ", ".join(map(self.quote, self.columns(key)))
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(text)
                self.timings["COPY"] += time.monotonic() - started

    def finish(self, ids):
        self.log()
        with connection.cursor() as cursor:
            started = time.monotonic()
            for table, name, definition in self.indexes:
                index_started = time.monotonic()
                cursor.execute(definition)
                self.say(f"index {name} on {table}: {duration(time.monotonic() - index_started)}")
            self.timings["indexes"] = time.monotonic() - started
            started = time.monotonic()
            for table, name, definition in self.foreign_keys:
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {self.quote(name)} {definition}"
                )
            self.timings["foreign keys"] = time.monotonic() - started
            if self.foreign_keys:
                self.say(
                    f"{len(self.foreign_keys)} foreign keys checked: "
                    f"{duration(self.timings['foreign keys'])}"
                )
            for key, next_id in ids.items():
                table = tables()[key][0]._meta.db_table
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                if sequence and next_id > 1:
                    cursor.execute("SELECT setval(%s, GREATEST(%s, last_value)) FROM "  # nosec B608: identifiers from model metadata
                                   f"{sequence}", [sequence, next_id - 1])  # fmt: skip

    def tidy(self):
        """
        After the commit: VACUUM (clears the rows the refresh replaced, sets the
        visibility map for index-only scans, sets hint bits) and ANALYZE, two tables at
        a time on their own connections.
        """
        from articles.models import Country, Involvement

        models = [model for model, _ in tables().values()] + [Involvement, Country]
        work = queue.SimpleQueue()
        for model in sorted(models, key=lambda model: model._meta.model_name != "claim"):
            work.put(model._meta.db_table)
        failures = []

        def vacuum():
            try:
                with connection.cursor() as cursor:
                    while True:
                        try:
                            table = work.get_nowait()
                        except queue.Empty:
                            return
                        cursor.execute(f"VACUUM (ANALYZE) {self.quote(table)}")
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                connection.close()

        started = time.monotonic()
        threads = [threading.Thread(target=vacuum) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        self.timings["vacuum and analyze"] = time.monotonic() - started


@contextlib.contextmanager
def generated_timestamps():
    """bulk_create keeps the generated created_at/updated_at instead of stamping "now"."""
    fields = [
        field
        for model, _ in tables().values()
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class OrmWriter(Writer):
    """bulk_create, for SQLite (the demo database); fine for tens of thousands of claims."""

    def begin(self):
        ids = {}
        for key, (model, _) in tables().items():
            highest = model._default_manager.order_by("-id").values_list("id", flat=True).first()
            highest = highest or 0
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table]
                    )
                    if row := cursor.fetchone():
                        highest = max(highest, row[0])
            ids[key] = highest + 1
        return ids

    def write_rows(self, rows):
        with generated_timestamps():
            for key, (model, fields) in tables().items():
                if rows.get(key):
                    started = time.monotonic()
                    model._default_manager.bulk_create(
                        [model(**dict(zip(fields, row, strict=True))) for row in rows[key]],
                        batch_size=500,
                    )
                    self.timings["inserts"] += time.monotonic() - started

    def finish(self, ids):
        self.log()


class Stopped(Exception):
    """The load stopped before it was committed: nothing was written."""


class Finish:
    def __init__(self, ids):
        self.ids = ids


def run_inline(writer, produce, final_ids):
    with transaction.atomic():
        ids = writer.begin()
        for chunk in produce(ids):
            writer.write(chunk)
        writer.finish(final_ids())


def run_threaded(writer, produce, final_ids):
    """
    The writer runs in a thread with its own connection and transaction, so PostgreSQL
    (parsing COPY, deriving and indexing a chunk's data) works on one core while Python
    generates the next chunk on another. At most two chunks wait in between.
    """
    tasks = queue.Queue(maxsize=2)
    started = queue.Queue()
    abort = threading.Event()
    failure = []

    def work():
        try:
            with transaction.atomic():
                started.put(writer.begin())
                while True:
                    item = tasks.get()
                    if abort.is_set():
                        raise Stopped("interrupted: nothing was written")
                    if isinstance(item, Finish):
                        writer.finish(item.ids)
                        break
                    writer.write(item)
        except BaseException as error:  # reported by the main thread
            failure.append(error)
            abort.set()
            started.put(None)
        finally:
            connection.close()

    def put(item):
        while True:
            if abort.is_set():
                raise failure[0] if failure else Stopped("the writer stopped")
            try:
                tasks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=work, name="bench.generate writer", daemon=True)
    thread.start()
    ids = started.get()
    try:
        if ids is None:
            raise failure[0]
        for chunk in produce(ids):
            put(chunk)
        put(Finish(final_ids()))
    except BaseException:
        abort.set()
        with contextlib.suppress(queue.Full):
            tasks.put_nowait(None)
        thread.join()
        raise
    thread.join()
    if failure:
        raise failure[0]


# --- generating ---------------------------------------------------------------------------


class Refused(Exception):
    """The database already has content, and adding to it was not asked for."""


def say(message):
    print(f"generate: {message}", file=sys.stderr, flush=True)


def existing_data():
    """What the generator needs to know about the database before it starts."""
    from articles.models import Actor, Article, Claim, Country, Event, Evidence, Source

    states = Actor.objects.filter(kind=Actor.Kind.STATE, country__isnull=False)
    return {
        "countries": list(Country.objects.order_by("id").values_list("id", "code", "name")),
        "states": list(states.order_by("id").values_list("id", "name", "aliases", "country_id")),
        "counts": {
            "claims": Claim.objects.count(),
            "articles": Article.objects.count(),
            "evidence": Evidence.objects.count(),
            "events": Event.objects.count(),
            "sources": Source.objects.count(),
            "non-state actors": Actor.objects.exclude(kind=Actor.Kind.STATE).count(),
        },
        "actor_slugs": list(Actor.objects.values_list("slug", flat=True)),
        "actor_names": list(Actor.objects.values_list("name", flat=True)),
        "source_slugs": list(Source.objects.values_list("slug", flat=True)),
        "event_slugs": list(Event.objects.values_list("slug", flat=True)),
        "article_slugs": list(Article.objects.values_list("slug", flat=True)),
        "article_urls": list(Article.objects.exclude(url="").values_list("url", flat=True)),
    }


def generate(
    claims=10_000,
    *,
    seed=1,
    articles=None,
    events=None,
    actors=None,
    sources=None,
    draft_fraction=0.03,
    append=False,
    chunk=10_000,
    say=say,
):
    """
    Generate `claims` claims and the rows they stand on into the default database,
    with their derived data. Returns a one-line summary; raises Refused, writing
    nothing, on a database that already has content unless `append`.
    """
    if claims < 1:
        raise ValueError("claims must be at least 1")
    articles = articles or max(1, round(claims * 0.3))
    counts = {
        "claims": claims,
        "articles": articles,
        "events": events if events is not None else max(5, claims // 500),
        "actors": actors if actors is not None else max(60, claims // 100),
        "sources": sources or max(5, articles // 1000),
    }
    started = time.monotonic()
    existing = existing_data()
    present = {name: n for name, n in existing["counts"].items() if n}
    if present and not append:
        listed = ", ".join(f"{n:,} {name}" for name, n in present.items())
        raise Refused(
            f"the database already has content ({listed}). The generator fills an empty "
            "database; to add the generated rows beside what is there, ask for it "
            "(--append, or APPEND=1 with make)."
        )
    postgres = connection.vendor == "postgresql"
    if postgres:
        writer = PostgresWriter(rebuild=not present, say=say)
        how = "COPY in one transaction" + (
            ", indexes and foreign keys rebuilt at the end" if not present else ""
        )
    else:
        writer = OrmWriter(say=say)
        how = "bulk_create in one transaction"
    say(
        f"{claims:,} claims, {articles:,} articles, {counts['events']:,} events, "
        f"{counts['actors']:,} actors, {counts['sources']:,} sources, seed {seed}"
        f" ({connection.vendor}, {how}{'; adding to existing content' if present else ''})"
    )
    rng = FastRandom(seed)
    state = {"generating": 0.0}

    def produce(ids):
        mark = time.monotonic()
        world = World(rng, counts, ids, existing)
        state["world"] = world
        say(
            f"world: {len(world.rows['actor']):,} actors, {len(world.rows['source']):,} "
            f"sources, {len(world.rows['event']):,} events "
            f"({duration(time.monotonic() - started)})"
        )
        state["generating"] += time.monotonic() - mark
        yield writer.prepare(world.rows)
        mark = time.monotonic()
        stories = Stories(
            rng, world, counts, {"draft_fraction": draft_fraction, "existing": existing}
        )
        totals = state["totals"] = defaultdict(int)
        loop_started = time.monotonic()
        for rows in stories.chunks(chunk):
            for key, value in rows.items():
                totals[key] += len(value)
            elapsed = time.monotonic() - loop_started
            rate = stories.made / elapsed if elapsed else 0
            eta = (claims - stories.made) / rate if rate else 0
            say(
                f"claims {stories.made:,}/{claims:,} ({stories.made / claims:.0%}), "
                f"articles {totals['article']:,}, evidence {totals['evidence']:,}: "
                f"{rate:,.0f} claims/s, {duration(elapsed)} so far, about "
                f"{duration(eta)} to go"
            )
            prepared = writer.prepare(rows)
            state["generating"] += time.monotonic() - mark
            yield prepared
            mark = time.monotonic()
        state["generating"] += time.monotonic() - mark
        say(f"all rows generated and sent ({duration(time.monotonic() - started)})")

    def final_ids():
        return state["world"].ids

    if postgres and not connection.in_atomic_block:
        run_threaded(writer, produce, final_ids)
    else:
        run_inline(writer, produce, final_ids)
    say(f"committed ({duration(time.monotonic() - started)})")
    if not connection.in_atomic_block:
        writer.tidy()
    timings = {"generating (Python)": state["generating"], **writer.timings}
    say(
        "time spent: "
        + ", ".join(f"{name} {duration(seconds)}" for name, seconds in timings.items())
        + " (generating overlaps the writer's work on PostgreSQL)"
    )
    world, totals = state["world"], state.get("totals", {})
    return (
        f"Generated {totals.get('claim', 0):,} claims, {totals.get('article', 0):,} "
        f"articles, {totals.get('evidence', 0):,} evidence quotes, "
        f"{totals.get('claimactor', 0):,} actor roles, {len(world.rows['actor']):,} actors, "
        f"{len(world.rows['source']):,} sources and {len(world.rows['event']):,} events "
        f"(seed {seed}), and their derived data, in {duration(time.monotonic() - started)}."
    )


# --- the command line -------------------------------------------------------------------


def arguments():
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=(
            "Generate a realistic synthetic data set: --claims N (about 0.3 N articles, "
            "1.9 N evidence quotes, N/500 events, N/100 actors), the same for the same "
            "--seed, into DATABASE_URL (PostgreSQL or SQLite) or, without it, the bench's "
            "own PostgreSQL cluster. Refused on a database that already has content "
            "unless --append is given."
        ),
    )
    parser.add_argument("--claims", type=int, default=10_000, help="Default 10,000.")
    parser.add_argument("--articles", type=int, help="Default 0.3 × claims.")
    parser.add_argument("--events", type=int, help="Default claims / 500, at least 5.")
    parser.add_argument(
        "--actors", type=int, help="Actors besides the states; default claims / 100, at least 60."
    )
    parser.add_argument("--sources", type=int, help="Default articles / 1000, at least 5.")
    parser.add_argument("--seed", type=int, default=1, help="Default 1.")
    parser.add_argument(
        "--drafts",
        dest="draft_fraction",
        type=float,
        default=0.03,
        help="Fraction of claims left as drafts (articles: two thirds of it). Default 0.03.",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="Add to a database that already has content instead of refusing.",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=10_000,
        help="Claims per COPY batch and derived-data refresh. Default 10,000.",
    )
    parser.add_argument(
        "--migrate", action="store_true", help="Apply the migrations first (make bench-data does)."
    )
    return parser


def record_dataset(options, seconds):
    """What the bench cluster holds, for bench.run to reuse or refuse (bench/data/)."""
    from articles.models import Claim

    record = {
        "claims": options.claims,
        "seed": options.seed,
        "seconds": round(seconds, 1),
        "generated_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    if options.append:
        # Not what one --claims/--seed makes: bench.run will ask for --regenerate.
        record = {"claims": Claim.objects.count(), "seed": None, "appended": record}
    cluster.DATASET.write_text(json.dumps(record, indent=2) + "\n")


def main(argv=None):
    options = arguments().parse_args(argv)
    if options.claims < 1:
        arguments().error("--claims must be at least 1")
    url = os.environ.get("DATABASE_URL")
    if url and not url.startswith(("postgres://", "postgresql://", "pgsql://", "sqlite:")):
        arguments().error("DATABASE_URL must name a PostgreSQL or SQLite database")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsclaims.settings")
    started_cluster = False
    if not os.environ.get("DATABASE_URL"):
        # Like make bench: the bench's own cluster, started if needed (stopped again
        # afterwards if this started it); `python -m bench.run db start` prints its URL.
        started_cluster = not cluster.is_running()
        os.environ["DATABASE_URL"] = cluster.ensure_started()
        say(f"no DATABASE_URL: into the bench cluster in {cluster.PG_DIR}")
    import django

    try:
        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        # make passes DEBUG=true (the settings want a SECRET_KEY otherwise); with it,
        # Django would keep the load's last 9,000 statements, with their parameters (whole
        # chunks of documents), in memory.
        settings.DEBUG = False
        if options.migrate:
            say("applying migrations")
            call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        summary = generate(
            options.claims,
            seed=options.seed,
            articles=options.articles,
            events=options.events,
            actors=options.actors,
            sources=options.sources,
            draft_fraction=options.draft_fraction,
            append=options.append,
            chunk=options.chunk,
        )
        print(summary)
        if os.environ["DATABASE_URL"] == cluster.database_url():
            record_dataset(options, time.monotonic() - started)
    except Refused as refused:
        say(f"refused: {refused}")
        return 1
    except KeyboardInterrupt:
        # The load is one transaction: an interrupted one leaves nothing behind.
        say("interrupted")
        return 130
    finally:
        if started_cluster:
            connections.close_all()
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
