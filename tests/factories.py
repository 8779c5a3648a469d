"""
Plain helpers that make valid rows with sensible defaults: make_claim(**overrides).

Countries and their state actors come from the data migration, so tests look them up
with country("RS") and state("RS") instead of creating them.

Below them, the worlds that several test classes share, each built by one function that
returns the rows it made as a World: searchable_world(), … Every row readers must never
see (draft claims and articles, and what only they mention) carries the word
"Zanzibarite", so that a page can be searched for it.
"""

import datetime
import itertools
import types

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from articles import derived
from articles.models import Actor, Article, Claim, ClaimActor, Country, Event, Evidence, Source

_numbers = itertools.count(1)

# Queries that time-box facets and counts on PostgreSQL, inside a test's transaction: a
# savepoint, SET LOCAL statement_timeout, its reset, and releasing the savepoint.
TIME_BOX_QUERIES = 4 if connection.vendor == "postgresql" else 0

BODY = (
    "Serbian and Chinese troops held a joint drill near Beijing.\n"
    "The ministry said the exercise showed “an exceptional level of organisation”.\n"
    "Officials described the partnership as a model for others."
)


def country(code):
    return Country.objects.get(code=code.upper())


def state(code):
    return Actor.objects.get(kind=Actor.Kind.STATE, country__code=code.upper())


def make_source(**overrides):
    n = next(_numbers)
    fields = {"name": f"Source {n}", "slug": f"source-{n}", "domain": f"source{n}.example"}
    fields.update(overrides)
    return Source.objects.create(**fields)


def make_article(**overrides):
    n = next(_numbers)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "body": BODY,
        "published_at": timezone.make_aware(datetime.datetime(2025, 5, 8, 12, 0)),
        "status": "published",
        "language": "en",
    }
    fields.update(overrides)
    if "source" not in fields:
        fields["source"] = make_source()
    return Article.objects.create(**fields)


def make_actor(**overrides):
    n = next(_numbers)
    fields = {"name": f"Actor {n}", "slug": f"actor-{n}", "kind": Actor.Kind.ORGANISATION}
    fields.update(overrides)
    return Actor.objects.create(**fields)


def make_event(**overrides):
    n = next(_numbers)
    fields = {
        "name": f"Event {n}",
        "slug": f"event-{n}",
        "kind": Event.Kind.EXERCISE,
        "start_date": datetime.date(2025, 5, 1),
    }
    fields.update(overrides)
    return Event.objects.create(**fields)


def make_claim(actors=(), article=None, quote=None, stance="reports", **overrides):
    """
    A published claim backed by one published article (made unless given), with the
    given actors as participants, or (actor, role) pairs.
    """
    n = next(_numbers)
    statement = overrides.pop("statement", f"Claim number {n} says something happened.")
    fields = {
        "statement": statement,
        "slug": slugify(statement)[:80],
        "kind": Claim.Kind.MILITARY,
        "occurred_on": datetime.date(2025, 5, 8),
        "date_precision": Claim.Precision.DAY,
        "status": "published",
    }
    fields.update(overrides)
    # The claim, its roles and its evidence are refreshed once, when they are all there,
    # rather than once for each row.
    with derived.batch():
        claim = Claim.objects.create(**fields)
        for actor in actors:
            actor, role = (
                actor if isinstance(actor, tuple) else (actor, ClaimActor.Role.PARTICIPANT)
            )
            ClaimActor.objects.create(claim=claim, actor=actor, role=role)
        if article is None:
            article = make_article()
        if article is not False:
            Evidence.objects.create(
                claim=claim,
                article=article,
                quote=quote or "Serbian and Chinese troops held a joint drill near Beijing.",
                stance=stance,
            )
    return claim


class World(types.SimpleNamespace):
    """The rows a world builder made, by name: world.drill, world.draft_article…"""


def searchable_world():
    """
    Claims to search for by name in any spelling or script, by word, and by what the
    search document covers (statements, quotes, actors, events, article titles).

    Serbia and China have aliases in other scripts and languages; the People's
    Liberation Army has "PLA"; Aleksandar Vučić has only a Cyrillic alias, so "Vucic"
    finds him by folding accents. Published claims:

        drill      Serbia, PLA          "joint drill" as a phrase, Hebei; quote: Beijing
        naval      Serbia               "joint naval drill": both words, not the phrase
        praise     Serbia (speaker)     "Chinese", "organisation"; quote: Belgrade
        friend     Vučić, China         at the Victory Day commemorations in Moscow
        sanctions  Niger                ECOWAS; its article's title: "… reopens borders"
        geneva     United States        "harbour"; also quoted in a draft article

    Never to be found: the draft article's quote and title (Zanzibarite, confirmed,
    Quibbling) and the draft claim, about Vučić (Zanzibarite envoys).
    """
    with derived.batch():
        serbia = state("RS")
        serbia.aliases = "Србија\nSrbija\nRepublic of Serbia"
        serbia.save()
        china = state("CN")
        china.aliases = "PRC\n中国"
        china.save()
        pla = make_actor(
            name="People's Liberation Army",
            slug="peoples-liberation-army",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
            aliases="PLA\nChinese People's Liberation Army",
        )
        vucic = make_actor(
            name="Aleksandar Vučić",
            slug="aleksandar-vucic",
            kind=Actor.Kind.PERSON,
            country=country("RS"),
            aliases="Александар Вучић",
        )
        niger = state("NE")
        moscow = make_event(name="Victory Day commemorations in Moscow", slug="victory-day")

        def claim(statement, actors, quote, title="", **fields):
            article = make_article(body=f"Some context first.\n{quote}\nMore context.")
            if title:
                article.title = title
                article.save()
            return make_claim(actors, article=article, quote=quote, statement=statement, **fields)

        world = World(serbia=serbia, china=china, pla=pla, vucic=vucic, niger=niger)
        world.moscow = moscow
        world.drill = claim(
            "Serbian and Chinese special forces held a joint drill in Hebei province.",
            [serbia, pla],
            "Troops from both armies trained near Beijing for ten days.",
        )
        world.naval = claim(
            "The two navies held a joint naval drill in the Adriatic.",
            [serbia],
            "Ships from both fleets sailed together.",
        )
        world.praise = claim(
            "Serbia's defence ministry praised the Chinese forces for their organisation.",
            [(serbia, "speaker")],
            "Belgrade was said to be impressed by its Chinese counterparts.",
        )
        world.friend = claim(
            "President Vučić called China a most precious friend.",
            [vucic, china],
            "He described the country as a most precious friend.",
            event=moscow,
        )
        world.sanctions = claim(
            "ECOWAS lifted most of its sanctions on Niger.",
            [niger],
            "Leaders agreed to lift the freeze on financial transactions.",
            title="West African bloc reopens borders",
        )
        world.sanctions_article = world.sanctions.evidence.get().article
        world.geneva = claim(
            "Officials met in Geneva to discuss the harbour.",
            [state("US")],
            "Delegations met by the lake.",
        )
        world.draft_article = make_article(
            title="Quibbling Zanzibarite memo",
            body="Zanzibarite observers confirmed the harbour deal.",
            status="draft",
        )
        Evidence.objects.create(
            claim=world.geneva,
            article=world.draft_article,
            quote="Zanzibarite observers confirmed the harbour deal.",
        )
        world.draft = make_claim(
            [vucic],
            statement="Zanzibarite envoys met President Vučić in secret.",
            status="draft",
            quote="Zanzibarite envoys.",
        )
    return world
