"""
Every change made through the admin is kept with who, when and what (django-simple-history
on sources, articles, actors, events, claims, their actor roles, evidence and corrections);
published claims show when they were last updated; Publishers attach public corrections;
unpublishing loses nothing.

Changes are made the way people make them: real admin POSTs, as a Publisher, of the forms
the admin renders (see form_data in test_access_control).
"""

import datetime
import re

from django.contrib.admin import helpers
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Correction,
    Event,
    Evidence,
    Source,
    Status,
)

from .factories import BODY, make_article, make_claim, make_source, state
from .test_access_control import add_correction, change_form_data, form_data
from .test_admin import make_editor, make_publisher


def admin(name, *args):
    return reverse(f"admin:{name}", args=args)


class HistoryFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        cls.editor = make_editor()
        cls.source = make_source(name="Demo Wire", slug="demo-wire")
        cls.article = make_article(source=cls.source, title="Joint drill report")

    def setUp(self):
        self.client.force_login(self.publisher)

    def add(self, model, **fields):
        """Fill in the admin's add form for `model` and save it; the new object."""
        response = self.client.get(admin(f"articles_{model}_add"))
        data = form_data(response, f"{model}_form")
        data.update(
            {key: value if isinstance(value, list) else [value] for key, value in fields.items()}
        )
        data["_save"] = ["Save"]
        response = self.client.post(admin(f"articles_{model}_add"), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        return response

    def change(self, model, obj, **fields):
        data = change_form_data(self.client, model, obj, **fields)
        response = self.client.post(admin(f"articles_{model}_change", obj.pk), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        return response

    def act(self, model, action, *objects):
        return self.client.post(
            admin(f"articles_{model}_changelist"),
            {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]},
        )

    @staticmethod
    def form_errors(response):
        page = response.content.decode() if hasattr(response, "content") else ""
        return re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)

    def assertRecorded(self, record, kind, user):
        """A history record of kind +, ~ or -, made just now by `user`."""
        self.assertEqual(record.history_type, kind)
        self.assertEqual(record.history_user, user)
        self.assertLess(abs(timezone.now() - record.history_date), datetime.timedelta(minutes=1))


class HistoryOfEveryModelTests(HistoryFixture):
    def test_sources_actors_and_events_record_who_when_and_what(self):
        self.add("source", name="Balkan Insight", slug="balkan-insight", domain="bi.example")
        source = Source.objects.get(slug="balkan-insight")
        self.change("source", source, domain="balkaninsight.example")
        self.add(
            "actor",
            name="Serbian Armed Forces",
            slug="serbian-armed-forces",
            kind="armed_forces",
            country=str(state("RS").country.pk),
        )
        actor = Actor.objects.get(slug="serbian-armed-forces")
        self.change("actor", actor, aliases="Vojska Srbije")
        self.add(
            "event",
            name="Peace Guardian 2025",
            slug="peace-guardian-2025",
            kind="exercise",
            start_date="2025-05-01",
        )
        event = Event.objects.get(slug="peace-guardian-2025")
        self.change("event", event, place="Hebei province")
        for obj, field, old, new in (
            (source, "domain", "bi.example", "balkaninsight.example"),
            (actor, "aliases", "", "Vojska Srbije"),
            (event, "place", "", "Hebei province"),
        ):
            with self.subTest(type(obj).__name__):
                changed, added = obj.history.order_by("-history_date", "-history_id")[:2]
                self.assertRecorded(added, "+", self.publisher)
                self.assertRecorded(changed, "~", self.publisher)
                delta = changed.diff_against(added)
                self.assertEqual(delta.changed_fields, [field])
                self.assertEqual((delta.changes[0].old, delta.changes[0].new), (old, new))

    def test_deleting_keeps_the_history(self):
        self.add("actor", name="Short-lived", slug="short-lived", kind="other")
        actor = Actor.objects.get(slug="short-lived")
        response = self.client.post(admin("articles_actor_delete", actor.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Actor.objects.filter(pk=actor.pk).exists())
        deleted = Actor.history.filter(id=actor.pk).latest("history_date")
        self.assertRecorded(deleted, "-", self.publisher)
        self.assertEqual(deleted.name, "Short-lived")

    def test_articles_record_who_when_and_what(self):
        self.add(
            "article",
            title="Drill near Beijing",
            slug="drill-near-beijing",
            source=str(self.source.pk),
            url="https://example.org/drill",
            published_at_0="2025-05-08",
            published_at_1="12:00:00",
            language="en",
            body=BODY,
            status="draft",
        )
        article = Article.objects.get(slug="drill-near-beijing")
        self.change("article", article, title="Drill near Beijing, updated")
        self.act("article", "publish", article)
        published, changed, added = article.history.order_by("-history_date", "-history_id")[:3]
        self.assertRecorded(added, "+", self.publisher)
        self.assertRecorded(changed, "~", self.publisher)
        self.assertRecorded(published, "~", self.publisher)
        self.assertEqual(changed.diff_against(added).changed_fields, ["title"])
        self.assertEqual(published.diff_against(changed).changed_fields, ["status"])
        self.assertEqual(published.status, Status.PUBLISHED)

    def claim_through_the_admin(self):
        """A draft claim with one actor role and one evidence quote, added in the admin."""
        self.add(
            "claim",
            statement="Serbia and China held a joint drill.",
            slug="serbia-china-drill",
            kind="military",
            verification="reported",
            occurred_on="2025-05-08",
            date_precision="day",
            status="draft",
            **{
                "roles-0-actor": str(state("RS").pk),
                "roles-0-role": "host",
                "evidence-0-article": str(self.article.pk),
                "evidence-0-stance": "reports",
                "evidence-0-quote": "Serbian and Chinese troops held a joint drill near Beijing.",
            },
        )
        return Claim.objects.get(slug="serbia-china-drill")

    def test_claims_their_roles_and_evidence_record_who_when_and_what(self):
        claim = self.claim_through_the_admin()
        role = ClaimActor.objects.get(claim=claim)
        evidence = Evidence.objects.get(claim=claim)
        self.assertRecorded(claim.history.get(), "+", self.publisher)
        self.assertRecorded(role.history.get(), "+", self.publisher)
        self.assertRecorded(evidence.history.get(), "+", self.publisher)

        # Change the statement, the actor's role and the evidence's stance in one save.
        data = change_form_data(self.client, "claim", claim, statement="Serbia hosted a drill.")
        self.assertEqual(data["roles-0-id"], [str(role.pk)])
        self.assertEqual(data["evidence-0-id"], [str(evidence.pk)])
        data["roles-0-role"] = ["participant"]
        data["evidence-0-stance"] = ["asserts"]
        response = self.client.post(admin("articles_claim_change", claim.pk), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))

        for obj, field, old, new in (
            (claim, "statement", "Serbia and China held a joint drill.", "Serbia hosted a drill."),
            (role, "role", "host", "participant"),
            (evidence, "stance", "reports", "asserts"),
        ):
            with self.subTest(type(obj).__name__):
                changed, added = obj.history.order_by("-history_date", "-history_id")[:2]
                self.assertRecorded(changed, "~", self.publisher)
                delta = changed.diff_against(added)
                self.assertIn(field, delta.changed_fields)
                change = next(c for c in delta.changes if c.field == field)
                self.assertEqual((change.old, change.new), (old, new))

        # Publishing is a change like any other, and so is removing an actor (a published
        # claim keeps at least one).
        ClaimActor.objects.create(claim=claim, actor=state("CN"), role="participant")
        self.act("claim", "publish", claim)
        published = claim.history.latest("history_date")
        self.assertRecorded(published, "~", self.publisher)
        self.assertEqual(published.status, Status.PUBLISHED)
        data = change_form_data(self.client, "claim", claim)
        index = next(n for n in range(2) if data[f"roles-{n}-id"] == [str(role.pk)])
        data[f"roles-{index}-DELETE"] = ["on"]
        response = self.client.post(admin("articles_claim_change", claim.pk), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        self.assertFalse(ClaimActor.objects.filter(pk=role.pk).exists())
        self.assertRecorded(role.history.latest("history_date"), "-", self.publisher)

    def test_the_admin_history_page_lists_the_changes_and_who_made_them(self):
        claim = self.claim_through_the_admin()
        self.change("claim", claim, statement="Serbia hosted a drill.")
        response = self.client.get(admin("articles_claim_history", claim.pk))
        self.assertContains(response, "Serbia hosted a drill.")
        self.assertContains(response, "Created")
        self.assertContains(response, "Changed")
        # Who: the publisher's username, on both rows.
        self.assertEqual(response.content.decode().count(">publisher</a>"), 2)
        # What: the changed field, old and new value.
        self.assertContains(response, "<strong>Statement:</strong>")
        self.assertContains(response, "Serbia and China held a joint drill.")


class CorrectionTests(HistoryFixture):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim = make_claim([state("RS"), state("CN")], article=cls.article)

    def test_published_claims_show_when_they_were_last_updated(self):
        Claim.objects.filter(pk=self.claim.pk).update(
            updated_at=timezone.make_aware(datetime.datetime(2026, 3, 14, 9, 0))
        )
        response = self.client.get(self.claim.get_absolute_url())
        self.assertContains(response, "last updated")
        self.assertContains(response, "14 March 2026")

    def test_a_publishers_correction_is_shown_to_readers_with_its_date(self):
        note = "An earlier version gave the wrong date for the drill."
        data = add_correction(change_form_data(self.client, "claim", self.claim), self.claim, note)
        response = self.client.post(admin("articles_claim_change", self.claim.pk), data)
        self.assertEqual(response.status_code, 302, self.form_errors(response))
        correction = Correction.objects.get(claim=self.claim)
        self.assertEqual(correction.created_by, self.publisher)
        self.assertRecorded(correction.history.get(), "+", self.publisher)

        self.client.logout()
        response = self.client.get(self.claim.get_absolute_url())
        self.assertContains(response, "Corrections")
        self.assertContains(response, note)
        self.assertContains(response, f'id="correction-{correction.pk}"')
        today = timezone.localdate(correction.created_at)
        self.assertContains(response, f"{today.day} {today:%B %Y}")
        self.assertContains(response, f'<time datetime="{correction.created_at:%Y-%m-%dT%H:%M}')

    def test_editors_cannot_add_corrections(self):
        # No new correction forms are offered to an Editor (the inline's max_num is 0)...
        no_new_forms = 'name="corrections-MAX_NUM_FORMS" value="0"'
        self.assertNotContains(
            self.client.get(admin("articles_claim_change", self.claim.pk)), no_new_forms
        )
        self.client.force_login(self.editor)
        draft = make_claim(article=self.article, status="draft")
        for claim in (self.claim, draft):
            response = self.client.get(admin("articles_claim_change", claim.pk))
            self.assertContains(response, no_new_forms)
        # ...and one posted all the same is ignored.
        data = add_correction(change_form_data(self.client, "claim", draft), draft, "Editor note.")
        self.client.post(admin("articles_claim_change", draft.pk), data)
        self.assertFalse(Correction.objects.exists())

    def test_unpublishing_keeps_the_record(self):
        data = add_correction(
            change_form_data(self.client, "claim", self.claim), self.claim, "A correction."
        )
        self.client.post(admin("articles_claim_change", self.claim.pk), data)
        url = self.claim.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        versions = self.claim.history.count()

        response = self.act("claim", "unpublish", self.claim)
        self.assertEqual(response.status_code, 302)
        claim = Claim.objects.get(pk=self.claim.pk)
        self.assertEqual(claim.status, Status.DRAFT)
        self.assertEqual(claim.statement, self.claim.statement)
        self.assertEqual(claim.evidence.count(), 1)
        self.assertEqual(claim.roles.count(), 2)
        self.assertEqual(claim.corrections.count(), 1)
        self.assertEqual(claim.history.count(), versions + 1)
        latest = claim.history.latest("history_date")
        self.assertRecorded(latest, "~", self.publisher)
        self.assertEqual(latest.prev_record.status, Status.PUBLISHED)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 404)
