"""
Random sequences of edits, through the ORM and through the admin, never leave derived
data behind the source rows: after every edit a recomputation from scratch
(`refresh_claims --check`) finds no difference.
"""

import datetime
import random

from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles import derived
from articles.models import Actor, Article, Claim, ClaimActor, Event, Evidence, Status

from .factories import BODY, country, make_actor, make_article, make_event, make_source, state
from .test_admin import admin_url

QUOTES = [line for line in BODY.splitlines()]


class World:
    """A few actors, events, sources and articles that random edits pick from."""

    def __init__(self, client):
        self.client = client
        self.admin = User.objects.create_superuser("admin", password="not-used")
        self.actors = [
            state("RS"),
            state("CN"),
            make_actor(name="Hungarian Army", country=country("HU"), aliases="Honvédség"),
            make_actor(name="Observer Group"),
        ]
        self.events = [make_event(name="Peace Guardian"), make_event(name="Summit")]
        # The third is a wire agency: only ever an article's originating agency.
        self.sources = [make_source(), make_source(), make_source(name="Wire Agency")]
        self.articles = [
            make_article(source=self.sources[0]),
            make_article(source=self.sources[1], status=Status.DRAFT),
            make_article(source=self.sources[1]),
        ]
        # Something to edit from the first step on.
        for seed in range(3):
            self.create_claim(random.Random(seed))

    def pick(self, rng, model):
        pks = sorted(model.objects.values_list("pk", flat=True))
        return model.objects.get(pk=rng.choice(pks)) if pks else None

    # --- through the ORM

    def create_claim(self, rng):
        occurred_on = rng.choice([None, datetime.date(2025, rng.randint(1, 12), 3)])
        claim = Claim.objects.create(
            statement=f"Claim {rng.randint(1, 10**6)} about {rng.choice(['drills', 'arms'])}.",
            slug="claim",
            kind=rng.choice(Claim.Kind.values),
            occurred_on=occurred_on,
            date_precision=rng.choice(Claim.Precision.values) if occurred_on else "",
            country=rng.choice([None, country("RS"), country("RU")]),
            event=rng.choice([None, *self.events]),
            status=Status.DRAFT,
        )
        for actor in rng.sample(self.actors, rng.randint(0, 3)):
            ClaimActor.objects.create(claim=claim, actor=actor, role=rng.choice(["host", "buyer"]))
        Evidence.objects.create(claim=claim, article=rng.choice(self.articles), quote=QUOTES[0])
        if rng.random() < 0.7:
            claim.status = Status.PUBLISHED
            claim.save()

    def edit_claim(self, rng):
        if claim := self.pick(rng, Claim):
            claim.statement = f"Edited {rng.randint(1, 10**6)}."
            claim.kind = rng.choice(Claim.Kind.values)
            claim.event = rng.choice([None, *self.events])
            claim.country = rng.choice([None, country("HU")])
            claim.save()

    def toggle_claim(self, rng):
        if claim := self.pick(rng, Claim):
            published = claim.status == Status.PUBLISHED
            claim.status = Status.DRAFT if published else Status.PUBLISHED
            claim.save()

    def delete_claim(self, rng):
        if claim := self.pick(rng, Claim):
            claim.delete()

    def add_role(self, rng):
        if claim := self.pick(rng, Claim):
            actor, role = rng.choice(self.actors), rng.choice(ClaimActor.Role.values)
            ClaimActor.objects.get_or_create(claim=claim, actor=actor, role=role)

    def change_role(self, rng):
        if role := self.pick(rng, ClaimActor):
            role.actor = rng.choice(self.actors)
            if not ClaimActor.objects.filter(claim=role.claim, actor=role.actor, role=role.role):
                role.save()

    def remove_role(self, rng):
        if role := self.pick(rng, ClaimActor):
            role.delete()

    def add_evidence(self, rng):
        if claim := self.pick(rng, Claim):
            article = rng.choice(self.articles)
            Evidence.objects.get_or_create(
                claim=claim, article=article, defaults={"quote": rng.choice(QUOTES)}
            )

    def remove_evidence(self, rng):
        if evidence := self.pick(rng, Evidence):
            evidence.delete()

    def move_actor(self, rng):
        actor = Actor.objects.get(pk=self.actors[2].pk)
        actor.country = rng.choice([None, country("HU"), country("AT")])
        actor.aliases = rng.choice(["", "Honvédség", "HDF\nMagyar Honvédség"])
        actor.save()

    def rename_event(self, rng):
        event = Event.objects.get(pk=rng.choice(self.events).pk)
        event.name = f"Event {rng.randint(1, 10**6)}"
        event.save()

    def move_article(self, rng):
        article = Article.objects.get(pk=rng.choice(self.articles).pk)
        article.source = rng.choice(self.sources[:2])
        if article.agency_id == article.source_id:
            article.agency = None
        article.title = f"Report {rng.randint(1, 10**6)}"
        article.save()

    def syndicate_article(self, rng):
        article = Article.objects.get(pk=rng.choice(self.articles).pk)
        others = [source for source in self.sources if source.pk != article.source_id]
        article.agency = rng.choice([None, *others])
        article.save()

    def toggle_article(self, rng):
        article = Article.objects.get(pk=rng.choice(self.articles).pk)
        published = article.status == Status.PUBLISHED
        article.status = Status.DRAFT if published else Status.PUBLISHED
        article.save()

    # --- through the admin

    def admin_action(self, rng, model, action):
        pks = list(model.objects.values_list("pk", flat=True))
        if not pks:
            return
        self.client.force_login(self.admin)
        data = {"action": action, "_selected_action": rng.sample(pks, rng.randint(1, len(pks)))}
        if action == "delete_selected":
            data["post"] = "yes"
        response = self.client.post(admin_url(model._meta.model_name), data)
        assert response.status_code == 302, response

    def admin_publish_claims(self, rng):
        self.admin_action(rng, Claim, "publish")

    def admin_unpublish_claims(self, rng):
        self.admin_action(rng, Claim, "unpublish")

    def admin_delete_claims(self, rng):
        self.admin_action(rng, Claim, "delete_selected")

    def admin_toggle_articles(self, rng):
        self.admin_action(rng, Article, rng.choice(["publish", "unpublish"]))

    def admin_edit_actor(self, rng):
        actor = self.actors[2]
        self.client.force_login(self.admin)
        response = self.client.post(
            admin_url("actor", "change", actor.pk),
            {
                "name": f"Army {rng.randint(1, 10**6)}",
                "slug": actor.slug,
                "kind": Actor.Kind.ARMED_FORCES,
                "country": rng.choice([country("HU"), country("SK")]).pk,
                "aliases": rng.choice(["", "Honvédség"]),
                "wikidata_id": "",
                "_save": "Save",
            },
        )
        assert response.status_code == 302, response


EDITS = [name for name in vars(World) if not name.startswith(("_", "pick", "admin_action"))]


class RandomEditsTests(TestCase):
    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**32)), min_size=1, max_size=12)
    )
    def test_the_check_is_clean_after_every_edit(self, edits):
        world = World(self.client)
        self.assertEqual(derived.check(), [])
        for number, (name, seed) in enumerate(edits, start=1):
            getattr(world, name)(random.Random(seed))
            self.assertEqual(derived.check(), [], f"after edit {number}: {name}")
