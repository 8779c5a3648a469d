"""
Plain helpers that make valid rows with sensible defaults: make_claim(**overrides).

Countries and their state actors come from the data migration, so tests look them up
with country("RS") and state("RS") instead of creating them.
"""

import datetime
import itertools

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
