"""
The rules that keep published pages honest: what Editors may not change of what readers
see (shared actors, events and sources; evidence of published claims), what a claim
needs to be published, and the warning about a claim that looks like another.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import ProtectedError
from django.test import TestCase

from articles.models import NO_ACTOR, Actor, Claim, Event, Evidence, Source, Status

from .factories import BODY, make_actor, make_article, make_claim, make_event, make_source, state
from .test_access_control import admin, change_form_data, form_data
from .test_admin import make_editor, make_publisher, management_form


def shown_messages(response):
    return [str(message) for message in messages.get_messages(response.wsgi_request)]


class SharedObjectsTests(TestCase):
    """An actor, an event and a source that a published claim uses, and unused ones."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.publisher = make_publisher()
        cls.source = make_source(name="Demo Wire", slug="demo-wire")
        cls.actor = make_actor(name="Xi Jinping", slug="xi-jinping", kind=Actor.Kind.PERSON)
        cls.event = make_event(name="Peace Guardian 2025", slug="peace-guardian-2025")
        cls.claim = make_claim(
            [cls.actor],
            article=make_article(source=cls.source),
            event=cls.event,
            statement="Xi Jinping opened Peace Guardian 2025.",
        )
        cls.draft_only_actor = make_actor(name="Draft-only actor", slug="draft-only-actor")
        make_claim([cls.draft_only_actor], status="draft", statement="A draft claim.")
        cls.unused_event = make_event(name="Unused event", slug="unused-event")
        cls.shared = [("actor", cls.actor), ("event", cls.event), ("source", cls.source)]

    def rename(self, model, obj, name):
        """Post the change form a Publisher is shown, with a new name, as whoever is logged in."""
        self.client.force_login(self.publisher)
        data = change_form_data(self.client, model, obj, name=name)
        self.client.force_login(self.editor)
        return self.client.post(admin(f"articles_{model}_change", obj.pk), data)

    def test_an_editors_post_renaming_a_shared_actor_is_refused_and_changes_nothing(self):
        for model, obj in self.shared:
            with self.subTest(model):
                old_name = obj.name
                response = self.rename(model, obj, "China")
                self.assertEqual(response.status_code, 403)
                obj.refresh_from_db()
                self.assertEqual(obj.name, old_name)
                self.assertEqual(obj.history.count(), 1)

    def test_editors_see_shared_objects_read_only_and_why(self):
        self.client.force_login(self.editor)
        for model, obj in self.shared:
            with self.subTest(model):
                response = self.client.get(admin(f"articles_{model}_change", obj.pk))
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'name="_save"')
                self.assertIn("only a Publisher can change or delete it", response.content.decode())

    def test_editors_cannot_delete_shared_objects(self):
        self.client.force_login(self.editor)
        for model, obj in self.shared:
            with self.subTest(model):
                url = admin(f"articles_{model}_delete", obj.pk)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
                self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())

    def test_editors_bulk_delete_of_a_shared_actor_is_refused(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            admin("articles_event_changelist"),
            {
                "action": "delete_selected",
                "post": "yes",
                helpers.ACTION_CHECKBOX_NAME: [self.event.pk],
            },
        )
        self.assertIn(response.status_code, (200, 403))
        self.assertNotContains(response, "Are you sure", status_code=response.status_code)
        self.assertTrue(Event.objects.filter(pk=self.event.pk).exists())

    def test_editors_still_change_what_no_published_claim_uses(self):
        self.client.force_login(self.editor)
        for model, obj in (("actor", self.draft_only_actor), ("event", self.unused_event)):
            with self.subTest(model):
                data = change_form_data(self.client, model, obj, name=f"{obj.name}, renamed")
                response = self.client.post(admin(f"articles_{model}_change", obj.pk), data)
                self.assertEqual(response.status_code, 302)
                obj.refresh_from_db()
                self.assertTrue(obj.name.endswith(", renamed"))

    def test_a_publisher_renames_a_shared_actor_and_the_history_keeps_it(self):
        self.client.force_login(self.publisher)
        data = change_form_data(self.client, "actor", self.actor, name="Xi Jinping (China)")
        response = self.client.post(admin("articles_actor_change", self.actor.pk), data)
        self.assertEqual(response.status_code, 302)
        self.actor.refresh_from_db()
        self.assertEqual(self.actor.name, "Xi Jinping (China)")
        record = self.actor.history.latest("history_date")
        self.assertEqual((record.name, record.history_user), ("Xi Jinping (China)", self.publisher))

    def test_deleting_an_event_claims_use_is_refused_with_the_list_of_claims(self):
        self.client.force_login(self.publisher)
        url = admin("articles_event_delete", self.event.pk)
        for response in (self.client.get(url), self.client.post(url, {"post": "yes"})):
            self.assertContains(response, "protected related objects")
            self.assertContains(response, self.claim.statement)
        self.event.refresh_from_db()
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.event, self.event)
        with self.assertRaises(ProtectedError):
            self.event.delete()

    def test_deleting_an_actor_claims_use_is_refused_with_the_list_of_claims(self):
        self.client.force_login(self.publisher)
        response = self.client.post(admin("articles_actor_delete", self.actor.pk), {"post": "yes"})
        self.assertContains(response, "protected related objects")
        self.assertContains(response, self.claim.statement)
        self.assertTrue(Actor.objects.filter(pk=self.actor.pk).exists())

    def test_a_source_with_only_draft_articles_is_the_editors_to_change(self):
        source = make_source(name="Quiet source", slug="quiet-source")
        make_article(source=source, status="draft")
        self.client.force_login(self.editor)
        data = change_form_data(self.client, "source", source, name="Quiet source, renamed")
        self.assertEqual(
            self.client.post(admin("articles_source_change", source.pk), data).status_code, 302
        )
        self.assertEqual(Source.objects.get(pk=source.pk).name, "Quiet source, renamed")


class PublishingNeedsAnActorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        cls.article = make_article()

    def setUp(self):
        self.client.force_login(self.publisher)

    def test_the_claim_form_refuses_to_publish_a_claim_without_actors(self):
        data = {
            "statement": "Troops held a drill.",
            "language": "en",
            "slug": "troops-held-a-drill",
            "kind": "military",
            "verification": "reported",
            "occurred_on": "2025-05-08",
            "date_precision": "day",
            "status": "published",
            **management_form("roles", 1),
            **management_form("evidence", 1),
            **management_form("links_from", 0),
            **management_form("corrections", 0),
            "roles-0-actor": "",
            "roles-0-role": "participant",
            "evidence-0-article": self.article.pk,
            "evidence-0-stance": "reports",
            "evidence-0-quote": BODY.splitlines()[0],
            "_save": "Save",
        }
        response = self.client.post(admin("articles_claim_add"), data)
        self.assertContains(response, NO_ACTOR)
        self.assertFalse(Claim.objects.exists())
        data["status"] = "draft"
        self.assertEqual(self.client.post(admin("articles_claim_add"), data).status_code, 302)
        self.assertEqual(Claim.objects.get().status, Status.DRAFT)

    def test_the_publish_action_refuses_a_claim_without_actors(self):
        claim = make_claim(article=self.article, status="draft", statement="Nobody did it.")
        response = self.client.post(
            admin("articles_claim_changelist"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [claim.pk]},
            follow=True,
        )
        self.assertContains(response, f"Not published: “Nobody did it.”: {NO_ACTOR}")
        claim.refresh_from_db()
        self.assertEqual(claim.status, Status.DRAFT)


class EvidenceThroughAnotherArticleTests(TestCase):
    """A draft article's inline must not change a published claim behind review's back."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.publisher = make_publisher()
        cls.published_claim = make_claim([state("RS")], statement="Serbia held a drill.")
        cls.draft_claim = make_claim([state("RS")], status="draft", statement="A draft claim.")
        cls.draft_article = make_article(status="draft", title="Draft report")

    def post_evidence(self, user, claim):
        self.client.force_login(self.publisher)
        data = change_form_data(self.client, "article", self.draft_article)
        self.client.force_login(user)
        data.update(
            {
                "evidence-TOTAL_FORMS": ["1"],
                "evidence-INITIAL_FORMS": ["0"],
                "evidence-0-id": [""],
                "evidence-0-article": [str(self.draft_article.pk)],
                "evidence-0-claim": [str(claim.pk)],
                "evidence-0-stance": ["reports"],
                "evidence-0-quote": [BODY.splitlines()[0]],
            }
        )
        return self.client.post(admin("articles_article_change", self.draft_article.pk), data)

    def test_an_editor_cannot_add_evidence_to_a_published_claim_through_a_draft_article(self):
        response = self.post_evidence(self.editor, self.published_claim)
        self.assertContains(
            response, "Only a Publisher can add, change or remove the evidence of a published claim"
        )
        self.assertFalse(Evidence.objects.filter(article=self.draft_article).exists())

    def test_an_editor_adds_evidence_to_a_draft_claim_through_a_draft_article(self):
        response = self.post_evidence(self.editor, self.draft_claim)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Evidence.objects.filter(article=self.draft_article).exists())

    def test_a_publisher_adds_evidence_to_a_published_claim(self):
        response = self.post_evidence(self.publisher, self.published_claim)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Evidence.objects.get(article=self.draft_article).claim, self.published_claim
        )

    def test_an_editor_cannot_change_or_remove_such_evidence_either(self):
        evidence = Evidence.objects.create(
            claim=self.published_claim, article=self.draft_article, quote=BODY.splitlines()[0]
        )
        self.client.force_login(self.editor)
        response = self.client.get(admin("articles_article_change", self.draft_article.pk))
        data = form_data(response, "article_form")
        data["evidence-0-quote"] = [BODY.splitlines()[1]]
        data["_save"] = ["Save"]
        response = self.client.post(admin("articles_article_change", self.draft_article.pk), data)
        self.assertContains(response, "Only a Publisher")
        data["evidence-0-quote"] = [evidence.quote]
        data["evidence-0-DELETE"] = ["on"]
        response = self.client.post(admin("articles_article_change", self.draft_article.pk), data)
        self.assertContains(response, "Only a Publisher")
        evidence.refresh_from_db()
        self.assertEqual(evidence.quote, BODY.splitlines()[0])


class LookalikeWarningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.article = make_article(status="draft")
        cls.existing = make_claim(
            [state("RS"), state("CN")],
            statement="Serbia and China held a joint drill near Beijing.",
            occurred_on="2025-05-08",
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def add(self, statement, actors, date="2025-05-08"):
        data = {
            "statement": statement,
            "language": "en",
            "slug": "new-claim",
            "kind": "military",
            "verification": "reported",
            "occurred_on": date,
            "date_precision": "day",
            **management_form("roles", len(actors)),
            **management_form("evidence", 1),
            **management_form("links_from", 0),
            **management_form("corrections", 0),
            "evidence-0-article": self.article.pk,
            "evidence-0-stance": "reports",
            "evidence-0-quote": BODY.splitlines()[0],
            "_save": "Save",
        }
        for n, actor in enumerate(actors):
            data.update({f"roles-{n}-actor": actor.pk, f"roles-{n}-role": "participant"})
        response = self.client.post(admin("articles_claim_add"), data, follow=True)
        self.assertEqual(response.status_code, 200)
        return " ".join(shown_messages(response)), response

    def test_a_claim_like_an_existing_one_is_saved_with_a_warning_and_a_link(self):
        warning, _ = self.add(
            "Serbia and China held a joint drill near Beijing.", [state("RS"), state("CN")]
        )
        self.assertIn("looks like", warning)
        self.assertIn(admin("articles_claim_change", self.existing.pk), warning)
        self.assertEqual(Claim.objects.count(), 2)

    def test_a_similar_statement_on_the_same_countries_and_date_is_pointed_out(self):
        warning, _ = self.add(
            "China and Serbia held a joint drill near Beijing.", [state("CN"), state("RS")]
        )
        self.assertIn("looks like", warning)

    def test_another_date_or_other_countries_raise_no_warning(self):
        warning, _ = self.add(
            "Serbia and China held a joint drill near Beijing.",
            [state("RS"), state("CN")],
            date="2025-06-08",
        )
        self.assertNotIn("looks like", warning)
        warning, _ = self.add("Serbia and China held a joint drill near Beijing.", [state("RS")])
        self.assertNotIn("looks like", warning)

    def test_a_different_statement_raises_no_warning(self):
        warning, _ = self.add("China sold Serbia a missile system.", [state("RS"), state("CN")])
        self.assertNotIn("looks like", warning)
