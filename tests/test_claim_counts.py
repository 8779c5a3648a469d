"""
Countries, actors and events store how many published claims involve them (the index
pages sort and show it); every kind of edit keeps the number right.
"""

import importlib
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from articles import derived
from articles.models import (
    Actor,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Involvement,
    Status,
)
from tests.factories import country, make_actor, make_article, make_claim, make_event, state

rebuilding_migration = importlib.import_module("articles.migrations.0018_rebuild_derived_data")


def stored(obj):
    obj.refresh_from_db(fields=["claim_count"])
    return obj.claim_count


class ClaimCountTests(TestCase):
    def setUp(self):
        self.serbia, self.china = state("RS"), state("CN")
        self.event = make_event()
        self.claim = make_claim([self.serbia, self.china], event=self.event)

    def assertCounts(self, serbia, china, event):
        self.assertEqual(
            (stored(country("RS")), stored(country("CN")), stored(self.event)),
            (serbia, china, event),
        )
        self.assertEqual(stored(self.serbia), serbia)
        self.assertEqual(stored(self.china), china)

    def test_a_published_claim_counts_for_its_countries_actors_and_event(self):
        self.assertCounts(1, 1, 1)
        make_claim([self.serbia])
        self.assertCounts(2, 1, 1)

    def test_drafts_do_not_count_and_publishing_counts_them(self):
        self.claim.status = Status.DRAFT
        self.claim.save()
        self.assertCounts(0, 0, 0)
        self.claim.status = Status.PUBLISHED
        self.claim.save()
        self.assertCounts(1, 1, 1)

    def test_moving_a_claim_to_another_event_counts_for_both(self):
        other = make_event()
        self.claim.event = other
        self.claim.save()
        self.assertEqual((stored(self.event), stored(other)), (0, 1))

    def test_removing_a_role_uncounts_the_actor_and_its_country(self):
        ClaimActor.objects.get(claim=self.claim, actor=self.china).delete()
        self.assertCounts(1, 0, 1)

    def test_giving_a_role_to_another_actor_counts_for_both(self):
        role = ClaimActor.objects.get(claim=self.claim, actor=self.china)
        role.actor = state("RU")
        role.save()
        self.assertCounts(1, 0, 1)
        self.assertEqual((stored(state("RU")), stored(country("RU"))), (1, 1))

    def test_two_roles_of_one_actor_count_one_claim(self):
        ClaimActor.objects.create(claim=self.claim, actor=self.serbia, role="host")
        self.assertCounts(1, 1, 1)

    def test_deleting_a_claim_uncounts_it(self):
        Claim.objects.get(pk=self.claim.pk).delete()
        self.assertCounts(0, 0, 0)

    def test_an_actor_moving_country_moves_the_country_count(self):
        army = make_actor(name="Army", country=country("RS"))
        make_claim([army])
        self.assertEqual(stored(country("RS")), 2)
        army.country = country("HU")
        army.save()
        self.assertEqual((stored(country("RS")), stored(country("HU"))), (1, 1))

    def test_the_migration_rebuilds_what_the_edits_kept(self):
        make_claim([self.serbia, (make_actor(country=country("FR")), "host")])
        make_claim([self.china], status=Status.DRAFT, event=self.event)
        expected = {
            model: dict(model.objects.values_list("pk", "claim_count"))
            for model in (Country, Actor, Event)
        }
        # As an existing database reaches the migration: nothing derived yet.
        for model in (Country, Actor, Event):
            model.objects.update(claim_count=0)
        Claim.objects.update(
            facets=None, search_document="", evidence_count=0, independent_sources=0
        )
        Involvement.objects.all().delete()
        rebuilding_migration.rebuild_derived_data(apps, None)
        for model in (Country, Actor, Event):
            with self.subTest(model.__name__):
                self.assertEqual(
                    dict(model.objects.values_list("pk", "claim_count")), expected[model]
                )
        self.assertEqual(expected[Country][country("RS").pk], 2)
        self.assertEqual(expected[Event][self.event.pk], 1)
        self.assertEqual(derived.check(), [])


class RefreshClaimsCommandTests(TestCase):
    def test_it_repairs_what_bulk_updates_left_behind(self):
        claim = make_claim([state("RS")], event=make_event())
        Claim.objects.update(status=Status.DRAFT, kind=Claim.Kind.ARMS)  # no signals
        call_command("refresh_claims", stdout=StringIO())
        self.assertEqual(stored(country("RS")), 0)
        self.assertEqual(stored(state("RS")), 0)
        self.assertEqual(stored(claim.event), 0)
        self.assertEqual(
            list(claim.involvements.values_list("status", "kind")),
            [(Status.DRAFT, Claim.Kind.ARMS)],
        )


class EvidenceCountTests(TestCase):
    """Claims store how many quotes from published articles back them ("best sourced")."""

    def test_it_follows_quotes_and_their_articles_publication(self):
        claim = make_claim([state("RS")])
        article = make_article()
        quote = Evidence.objects.create(
            claim=claim, article=article, quote="Officials described the partnership"
        )
        claim.refresh_from_db()
        self.assertEqual(claim.evidence_count, 2)
        article.status = Status.DRAFT
        article.save()
        claim.refresh_from_db()
        self.assertEqual(claim.evidence_count, 1)
        article.status = Status.PUBLISHED
        article.save()
        quote.delete()
        claim.refresh_from_db()
        self.assertEqual(claim.evidence_count, 1)
