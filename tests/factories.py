"""
Plain helpers that make valid rows with sensible defaults: make_claim(**overrides).

Countries and their state actors come from the data migration, so tests look them up
with country("RS") and state("RS") instead of creating them.

Below them, the worlds that test classes share, each built by one function that returns
the rows it made as a World, by name (world.exercise, world.draft_article…):

- searchable_world(): names in any spelling or script, for search;
- hand_counted_world(): claims few enough to count by hand, for the claims list, its
  facets and the country pages;
- serbia_china_world(): Serbia and China's first joint exercise traced to its sources,
  with a few claims around it, for the detail pages, the indexes, the exports, the
  sitemap and structured data, and the draft-leak tests;
- awkward_csv_claims(world): claims whose texts a CSV writer must handle with care;
- numbered_world(count, serbian): claims to page through, for the API, pagination and
  bad input.

Each world is made inside one derived.batch(), so its derived data is refreshed once.
Every row readers must never see (draft claims and articles, and what only they
mention) carries the word "Zanzibarite", so that a page can be searched for it.
"""

import datetime
import itertools
import types

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from articles import derived
from articles.models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    ClaimLink,
    Correction,
    Country,
    Event,
    Evidence,
    Source,
)

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


def make_gdelt_event(**overrides):
    """A new GDELT event in the intake queue: Serbia signs an agreement with China."""
    from intake.models import GdeltEvent

    fields = {
        "id": 1_000_000_000 + next(_numbers),
        "occurred_on": datetime.date(2025, 5, 8),
        "date_added": timezone.make_aware(datetime.datetime(2025, 5, 8, 12, 0)),
        "actor1_code": "SRB",
        "actor1_name": "SERBIA",
        "actor1_country_code": "SRB",
        "actor1_country": country("RS"),
        "actor2_code": "CHN",
        "actor2_name": "CHINA",
        "actor2_country_code": "CHN",
        "actor2_country": country("CN"),
        "event_code": "057",
        "event_base_code": "057",
        "event_root_code": "05",
        "quad_class": 1,
        "goldstein": 8.0,
        "num_mentions": 12,
        "num_sources": 4,
        "num_articles": 10,
        "avg_tone": 2.75,
        "action_geo_type": 4,
        "action_geo_name": "Belgrade, Central Serbia, Serbia",
        "action_geo_country_code": "RI",
        "action_country": country("RS"),
        "source_url": "https://example.org/serbia-china-agreement",
        "imported_at": timezone.now(),
    }
    fields.update(overrides)
    return GdeltEvent.objects.create(**fields)


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


def hand_counted_world():
    """
    Claims few enough to count by hand, for the claims list, its facets and the country
    pages. The countries a claim involves are its actors' countries and where it
    happened ("in RS"); the PLA is Chinese and Vučić Serbian.

      claim       countries     kind        verified      date        event            quoted in
      drill       RS CN         military    corroborated  2025-05-08  Peace Guardian   en gz
      missiles    RS CN (PLA)   arms        reported      May 2025    -                sr
      gas         RS RU         economic    disputed      2024        -                en
      summit      CN, in RS     diplomatic  refuted       2025-06-01  Belgrade summit  gz
      neutrality  RS (Vučić)    policy      reported      undated     -                en sr gz *
      observers   RS            military    reported      2025-05-31  -                en
      trilateral  RS CN, in RU  military    reported      2025-05-20  Peace Guardian   gz
      geneva      US RU         diplomatic  corroborated  2023-03-10  -                gz *

    * and in the draft article.

    So Serbia is in 7 claims, China 4, Russia 3, the United States 1. Articles: en (Demo
    Wire, English), sr (Example Gazette, Serbian in Latin script), gz (Example Gazette,
    English); the draft article (French) is Zanzibarite Wire's only one. Dates are to the
    day unless the table says a month or a year. "Recently added" is the reverse of the
    order they were made in: drill, missiles, summit, neutrality, observers, trilateral,
    geneva, gas.

    Drafts: `draft` (RS CN US, military, 2025-07-01, at the draft-only event Zanzibarite
    manoeuvres) and `french_draft` (France only, at Peace Guardian), both backed by the
    draft article alone.
    """
    with derived.batch():
        serbia, china, russia, us = (state(code) for code in ("RS", "CN", "RU", "US"))
        world = World(serbia=serbia, china=china, russia=russia, us=us)
        world.pla = make_actor(
            name="People's Liberation Army",
            slug="pla",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
            aliases="PLA\n中国人民解放军",
        )
        world.vucic = make_actor(
            name="Aleksandar Vučić",
            slug="aleksandar-vucic",
            kind=Actor.Kind.PERSON,
            country=country("RS"),
            aliases="Vucic\nАлександар Вучић",
        )
        world.wire = make_source(name="Demo Wire", slug="wire")
        world.gazette = make_source(name="Example Gazette", slug="gazette")
        world.hidden = make_source(name="Zanzibarite Wire", slug="hidden")
        world.en = make_article(
            source=world.wire,
            language="en",
            body=(
                "Serbian and Chinese troops held a joint drill near Beijing.\n"
                "Russia and Serbia signed a gas deal, officials said.\n"
                "President Vučić again praised military neutrality.\n"
                "Serbia hosted an observer mission at the end of May."
            ),
        )
        world.sr = make_article(
            source=world.gazette,
            language="sr-Latn",
            body="Srbija je kupila kineski raketni sistem.\nVučić je pohvalio neutralnost.",
        )
        world.gz = make_article(
            source=world.gazette,
            language="en",
            body=(
                "China criticised the summit in Belgrade.\n"
                "The United States and Russia met in Geneva.\n"
                "President Vučić again praised military neutrality.\n"
                "Serbian and Chinese troops held a joint drill near Beijing.\n"
                "Serbian and Chinese officers met in Moscow."
            ),
        )
        world.draft_article = make_article(
            title="Zanzibarite draft article",
            source=world.hidden,
            language="fr",
            status="draft",
            body="Zanzibarite observers praised neutrality.\nLa neutralité zanzibarite.",
        )
        world.peace_guardian = make_event(
            name="Peace Guardian", slug="peace-guardian", host_country=country("CN")
        )
        world.belgrade_summit = make_event(
            name="Belgrade summit", slug="belgrade-summit", kind=Event.Kind.SUMMIT
        )
        world.secret_event = make_event(
            name="Zanzibarite manoeuvres", slug="zanzibarite-manoeuvres"
        )

        def claim(statement, actors, article, quote, date, precision="day", **fields):
            return make_claim(
                actors,
                article=article,
                quote=quote,
                statement=statement,
                occurred_on=date,
                date_precision=precision if date else "",
                **fields,
            )

        def evidence(claim, article, quote):
            Evidence.objects.create(claim=claim, article=article, quote=quote)

        world.drill = claim(
            "Serbia and China held a joint drill.",
            [serbia, china],
            world.en,
            "Serbian and Chinese troops held a joint drill near Beijing.",
            datetime.date(2025, 5, 8),
            kind="military",
            verification="corroborated",
            event=world.peace_guardian,
        )
        evidence(world.drill, world.gz, "Serbian and Chinese troops held a joint drill")
        world.missiles = claim(
            "Serbia bought a Chinese missile system.",
            [serbia, world.pla],
            world.sr,
            "Srbija je kupila kineski raketni sistem.",
            datetime.date(2025, 5, 20),
            "month",
            kind="arms",
            verification="reported",
        )
        world.summit = claim(
            "China criticised a summit in Belgrade.",
            [china],
            world.gz,
            "China criticised the summit in Belgrade.",
            datetime.date(2025, 6, 1),
            kind="diplomatic",
            verification="refuted",
            country=country("RS"),
            event=world.belgrade_summit,
        )
        world.neutrality = claim(
            "Aleksandar Vučić praised military neutrality.",
            [world.vucic],
            world.en,
            "President Vučić again praised military neutrality.",
            None,
            kind="policy",
            verification="reported",
        )
        evidence(world.neutrality, world.sr, "Vučić je pohvalio neutralnost.")
        evidence(world.neutrality, world.gz, "President Vučić again praised military neutrality.")
        evidence(world.neutrality, world.draft_article, "Zanzibarite observers praised neutrality.")
        world.observers = claim(
            "Serbia hosted an observer mission.",
            [serbia],
            world.en,
            "Serbia hosted an observer mission",
            datetime.date(2025, 5, 31),
            kind="military",
            verification="reported",
        )
        world.trilateral = claim(
            "Serbian and Chinese officers met in Moscow.",
            [serbia, china],
            world.gz,
            "Serbian and Chinese officers met in Moscow.",
            datetime.date(2025, 5, 20),
            kind="military",
            verification="reported",
            country=country("RU"),
            event=world.peace_guardian,
        )
        world.geneva = claim(
            "The United States and Russia met in Geneva.",
            [us, russia],
            world.gz,
            "The United States and Russia met in Geneva.",
            datetime.date(2023, 3, 10),
            kind="diplomatic",
            verification="corroborated",
        )
        evidence(world.geneva, world.draft_article, "La neutralité zanzibarite.")
        world.gas = claim(
            "Russia and Serbia signed a gas deal.",
            [serbia, russia],
            world.en,
            "Russia and Serbia signed a gas deal",
            datetime.date(2024, 9, 9),
            "year",
            kind="economic",
            verification="disputed",
        )
        world.draft = claim(
            "Zanzibarite draft claim about Serbia, China and the United States.",
            [serbia, china, us],
            world.draft_article,
            "Zanzibarite observers praised neutrality.",
            datetime.date(2025, 7, 1),
            kind="military",
            status="draft",
            event=world.secret_event,
        )
        world.french_draft = claim(
            "Zanzibarite French draft.",
            [state("FR")],
            world.draft_article,
            "La neutralité zanzibarite.",
            None,
            kind="other",
            status="draft",
            event=world.peace_guardian,
        )
        # Made in this order, and an hour apart so that "recently added" does not hang
        # on the clock's resolution.
        added = [world.drill, world.missiles, world.summit, world.neutrality, world.observers]
        added += [world.trilateral, world.geneva, world.gas]
        start = timezone.make_aware(datetime.datetime(2025, 8, 1, 9, 0))
        for hours, made in enumerate(added):
            Claim.objects.filter(pk=made.pk).update(
                created_at=start + datetime.timedelta(hours=hours)
            )
    return world


def serbia_china_world():
    """
    Serbia and China's first joint military exercise, traced to its sources: one claim
    with every field filled in, quoted in two published articles and a draft one, and
    around it a few claims for its page, the exports and the sitemap to tell apart.

    exercise   Serbia and China held their first joint military exercise. China (host),
               Serbia and the People's Liberation Army (participants); military,
               corroborated, dated to May 2025, in Hebei province, China, at Peace
               Guardian 2025 (12-21 May 2025, hosted by China; participants: the PLA and
               Serbia). Quoted in `article` (Demo Wire, 20 May 2025, asserts), `earlier`
               (Example Gazette, 18 May 2025, no original URL, reports; the quote has
               runs of spaces and a line break) and `draft_article` (disputes).
    drones     Serbia, arms, 8 May 2025: shares an actor with the exercise. Quoted in
               `drones_article` (Demo Wire, 8 May 2025).
    observer   Russia, 8 May 2025, at Peace Guardian 2025: shares only the event. Quoted
               in `observer_article` (a source of its own, 16 May 2025).
    formula    Serbia, "other", undated, at no event or place, quoted in `earlier`: its
               statement starts with "=", as a spreadsheet formula does.
    niger_exit Niger, diplomatic, 28 Jan 2024, at the ECOWAS summit: shares nothing.
               Quoted in `niger_article` (in French, a source of its own, 29 Jan 2024).

    The claims were made in this order. Drafts, never to be seen: `draft_claim` (Serbia,
    quoting `article`), and `secret_draft` (France, Serbia and the Zanzibarite militia, at
    the Zanzibarite manoeuvres, quoting `draft_article`, Zanzibarite Press's only
    article). France, the militia and the manoeuvres are in no published claim.
    """
    with derived.batch():
        world = World(serbia=state("RS"), china=state("CN"), russia=state("RU"))
        world.niger, world.france = state("NE"), state("FR")
        world.pla = make_actor(
            name="People's Liberation Army",
            slug="peoples-liberation-army",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
        )
        world.secret_actor = make_actor(name="Zanzibarite militia", slug="zanzibarite-militia")
        world.wire = make_source(name="Demo Wire", slug="demo-wire")
        world.gazette = make_source(name="Example Gazette", slug="example-gazette")
        world.hidden_source = make_source(name="Zanzibarite Press", slug="zanzibarite-press")
        world.article = make_article(
            title="Serbian forces train in China",
            slug="serbian-forces-train-in-china",
            source=world.wire,
            body=(
                "Serbian and Chinese special forces trained together in May.\n"
                "The ministry said the drill showed “an exceptional level   of organisation”.\n"
                "Officials called it the ‘first joint exercise’ of the two armies.\n"
                "The next exercise will be held in Serbia.\n"
                "Drones were at the centre of the training."
            ),
            published_at=timezone.make_aware(datetime.datetime(2025, 5, 20, 12, 0)),
            url="https://example.org/serbian-forces",
            authors="Ana Author, Ben Writer",
            summary="Troops trained together.",
        )
        world.earlier = make_article(
            title="Chinese ministry announces drill",
            source=world.gazette,
            body=(
                "The Chinese ministry announced the drill on Sunday.\n"
                "Serbian and Chinese troops held a joint drill near Beijing, the ministry’s "
                "statement said."
            ),
            published_at=timezone.make_aware(datetime.datetime(2025, 5, 18, 12, 0)),
            url="",
        )
        world.draft_article = make_article(
            title="Zanzibarite draft article",
            source=world.hidden_source,
            body="Zanzibarite observers watched the drill.",
            url="https://example.org/zanzibarite",
            status="draft",
        )
        world.peace_guardian = make_event(
            name="Peace Guardian 2025",
            slug="peace-guardian-2025",
            start_date=datetime.date(2025, 5, 12),
            end_date=datetime.date(2025, 5, 21),
            place="Hebei province",
            host_country=country("CN"),
            description="A joint exercise.",
        )
        world.peace_guardian.participants.set([world.pla, world.serbia])
        world.ecowas_summit = make_event(
            name="ECOWAS summit",
            slug="ecowas-summit",
            kind=Event.Kind.SUMMIT,
            start_date=datetime.date(2024, 1, 28),
        )
        world.secret_event = make_event(
            name="Zanzibarite manoeuvres", slug="zanzibarite-manoeuvres"
        )
        world.exercise = make_claim(
            [(world.china, "host"), (world.serbia, "participant"), (world.pla, "participant")],
            article=world.article,
            # Typed with straight quote marks; the body has curly ones.
            quote="Officials called it the 'first joint exercise' of the two armies.",
            stance="asserts",
            statement="Serbia and China held their first joint military exercise.",
            occurred_on=datetime.date(2025, 5, 17),
            date_precision="month",
            place="Hebei province",
            country=country("CN"),
            event=world.peace_guardian,
            verification="corroborated",
        )
        world.evidence = world.exercise.evidence.get()
        world.earlier_evidence = Evidence.objects.create(
            claim=world.exercise,
            article=world.earlier,
            quote=(
                "Serbian and Chinese troops held a joint   drill\n"
                "near Beijing, the ministry’s statement said."
            ),
            stance="reports",
        )
        world.draft_evidence = Evidence.objects.create(
            claim=world.exercise,
            article=world.draft_article,
            quote="Zanzibarite observers watched the drill.",
            stance="disputes",
        )
        world.drones_article = make_article(
            title="Serbia buys Chinese drones",
            source=world.wire,
            body="Serbia has bought Chinese drones, the ministry said.",
        )
        world.drones = make_claim(
            [world.serbia],
            article=world.drones_article,
            quote="Serbia has bought Chinese drones",
            statement="Serbia bought Chinese drones.",
            kind="arms",
        )
        world.observer_article = make_article(
            title="Russian officers watch the exercise",
            body="Russian officers observed the exercise in Hebei.",
            published_at=timezone.make_aware(datetime.datetime(2025, 5, 16, 12, 0)),
        )
        world.observer = make_claim(
            [world.russia],
            article=world.observer_article,
            quote="Russian officers observed the exercise",
            statement="Russia observed the exercise.",
            event=world.peace_guardian,
        )
        world.formula = make_claim(
            [world.serbia],
            article=world.earlier,
            quote="The Chinese ministry announced the drill on Sunday.",
            statement='=HYPERLINK("http://evil.example","click")',
            kind="other",
            occurred_on=None,
            date_precision="",
        )
        world.niger_article = make_article(
            title="Le Niger quitte la CEDEAO",
            language="fr",
            body="Le Niger a quitté la CEDEAO.\nLa décision a été annoncée à Niamey.",
            published_at=timezone.make_aware(datetime.datetime(2024, 1, 29, 12, 0)),
        )
        world.niger_exit = make_claim(
            [world.niger],
            article=world.niger_article,
            quote="Le Niger a quitté la CEDEAO.",
            statement="Niger left ECOWAS.",
            kind="diplomatic",
            occurred_on=datetime.date(2024, 1, 28),
            event=world.ecowas_summit,
        )
        world.draft_claim = make_claim(
            [world.serbia],
            article=world.article,
            quote="The next exercise will be held in Serbia.",
            statement="Zanzibarite draft: the next exercise will be in Serbia.",
            status="draft",
        )
        world.secret_draft = make_claim(
            [world.france, world.serbia, world.secret_actor],
            article=world.draft_article,
            quote="Zanzibarite observers watched the drill.",
            statement="Zanzibarite draft claim about France.",
            event=world.secret_event,
            status="draft",
        )
    return world


def awkward_csv_claims(world):
    """
    Six more claims for serbia_china_world(), whose every text a CSV writer must handle
    with care: quotes, commas, tabs, line breaks and carriage returns, separators,
    spreadsheet formula starts, non-breaking and other Unicode spaces, scripts other than
    Latin; dated to a year, a month or not at all; with up to three actors, and evidence
    from up to two published articles (one published at the same moment as another) and
    the draft one, or none. One claim's creation time has no microseconds and its last
    change has some. Links between them (and to a draft), and corrections.
    """
    with derived.batch():
        odd = make_source(name="  Odd\u2028 Source\xa0 ", slug="odd")
        late = make_article(
            source=odd,
            url='https://example.org/a,b?q="x"',
            published_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0)),
        )
        early = make_article(
            url="",
            published_at=timezone.make_aware(datetime.datetime(2024, 1, 1, 9, 0)),
        )
        observers = make_actor(name='=Observers,\t"united"', slug="observers", kind="other")
        event = make_event(name="-Manoeuvres “Østfold”", slug="manoeuvres")
        statements = [
            'A "quoted", comma\'d statement\r\nover lines.',
            "\tA tab first, then\x1c a separator.",
            "+1 say Beograd, 北京 and Zürich.",
            "@handle said so.",
            "\rA carriage return first.",
            'Ends with a quote"',
        ]
        roles = [(world.serbia, "host"), (observers, "observer"), (world.niger, "observer")]
        for n, statement in enumerate(statements):
            claim = make_claim(
                roles[: n % 4],
                article=[late, early, False][n % 3],
                quote=' Said:\n\n"yes",  twice\u3000\u200a ' if n % 2 else "=SUM(A1)",
                statement=statement,
                place=["@home", "", 'Niš, "the south"'][n % 3],
                country=country("RS") if n % 2 else None,
                event=event if n % 3 else None,
                occurred_on=[None, datetime.date(2025, 12, 31), datetime.date(999, 1, 1)][n % 3],
                date_precision=["", "year", "month"][n % 3],
            )
            if n % 3 == 0:
                # Published when the first was: in the order of the evidence's ids.
                tie = make_article(source=odd, published_at=late.published_at)
                Evidence.objects.create(claim=claim, article=tie, quote="\t \n", stance="denies")
                Evidence.objects.create(claim=claim, article=world.draft_article, quote="Draft.")
        # Addresses only an importer could store, in any case: exported only if http(s).
        for url in ["JavaScript:alert(6)", " https://example.org/space", "HTTPS://EXAMPLE.ORG/"]:
            Evidence.objects.create(
                claim=claim, article=make_article(source=odd, url=url), quote="Officials"
            )
        # Timestamps with and without microseconds.
        Claim.objects.filter(statement__startswith="+").update(
            created_at=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            updated_at=datetime.datetime(2025, 1, 2, 3, 4, 5, 60, tzinfo=datetime.UTC),
        )
        # Links both ways, on one day and another, and to a draft (never exported).
        first, second, third = Claim.objects.filter(
            statement__in=statements[:3], status="published"
        ).order_by("pk")
        for source, kind, target, day in [
            (first, "contradicts", second, 3),
            (second, "supports", first, 2),
            (third, "updates", first, 2),
            (first, "duplicates", world.draft_claim, 1),
            (world.exercise, "supports", third, 4),
        ]:
            ClaimLink.objects.create(
                from_claim=source,
                type=kind,
                to_claim=target,
                recorded_on=datetime.date(2025, 6, day),
            )
        # Corrections with what a CSV writer must take care of, in and out of order.
        for claim, note, created_at in [
            (first, "=Corrected:\n the date,\t\u3000twice. ", datetime.datetime(2025, 6, 2)),
            (first, '"Earlier", it said.', datetime.datetime(2025, 6, 1, 1, 2, 3, 456)),
            (third, "-1 actor", datetime.datetime(2025, 6, 5)),
        ]:
            correction = Correction.objects.create(claim=claim, note=note)
            Correction.objects.filter(pk=correction.pk).update(
                created_at=created_at.replace(tzinfo=datetime.UTC)
            )


def numbered_world(count=25, serbian=15):
    """
    `count` claims to page through, "Numbered claim 00." onwards, one a day from
    1 January 2025, each quoted in an article of its own ("Report 00"…, published at
    noon the same day; the odd-numbered ones from Demo Wire, the others from a source
    each). The first `serbian` are military claims by Serbia (host) and China
    (participant), the rest economic claims by Niger; claim 00 is at Peace Guardian.

    Never to be seen: a draft article, also quoting claim 00, and a draft claim by
    Serbia, "Zanzibarite draft claim.", quoting an article of its own.
    """
    with derived.batch():
        world = World(serbia=state("RS"), china=state("CN"), niger=state("NE"))
        world.wire = make_source(name="Demo Wire", slug="wire")
        world.event = make_event(name="Peace Guardian", slug="peace-guardian")
        world.claims = []
        first_day = datetime.date(2025, 1, 1)
        for n in range(count):
            day = first_day + datetime.timedelta(days=n)
            article = make_article(
                title=f"Report {n:02d}",
                source=world.wire if n % 2 else make_source(),
                published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
            )
            if n < serbian:
                actors, kind = [(world.serbia, "host"), (world.china, "participant")], "military"
            else:
                actors, kind = [world.niger], "economic"
            world.claims.append(
                make_claim(
                    actors,
                    article=article,
                    statement=f"Numbered claim {n:02d}.",
                    kind=kind,
                    occurred_on=day,
                    event=world.event if n == 0 else None,
                )
            )
        world.draft_article = make_article(
            title="Zanzibarite draft article", body="Zanzibarite observers.", status="draft"
        )
        Evidence.objects.create(
            claim=world.claims[0], article=world.draft_article, quote="Zanzibarite observers."
        )
        world.draft = make_claim(
            [world.serbia], statement="Zanzibarite draft claim.", status="draft", kind="military"
        )
    return world
