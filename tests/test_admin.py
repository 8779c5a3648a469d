"""The editors' admin: who may open what, the quote and publication checks, the actions."""

import re

from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission, User
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Claim, Event, Evidence, Status

from .factories import BODY, make_article, make_claim, make_source, state

EDITED = ["article", "claim", "actor", "event", "source"]
PUBLISH_ERROR = "A published claim needs at least one evidence quote from a published article"


def make_editor(username="editor"):
    user = User.objects.create_user(username, password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_publisher(username="publisher"):
    user = User.objects.create_user(username, password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:articles_{model}_{view}", args=args)


def inline_prefixes(response):
    """The prefixes of the inline formsets on an admin form page, as its HTML names them."""
    return set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', response.content.decode()))


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class EditorAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.reader = User.objects.create_user("reader", password="not-used")
        cls.urls = [admin_url(model, view) for model in EDITED for view in ("changelist", "add")]
        cls.urls.append(admin_url("country"))

    def test_editor_sees_the_admin_index(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "newsclaims editors")
        self.assertContains(response, admin_url("claim"))
        self.assertContains(response, admin_url("country"))

    def test_editor_can_open_every_changelist_and_add_form(self):
        self.client.force_login(self.editor)
        for url in self.urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_editor_may_only_view_countries(self):
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(admin_url("country"), {"q": "Serbia"}), "Serbia")
        self.assertEqual(self.client.get(admin_url("country", "add")).status_code, 403)
        serbia = state("RS").country
        response = self.client.get(admin_url("country", "change", serbia.pk))
        self.assertContains(response, "Serbia")
        self.assertNotContains(response, 'name="_save"')
        self.assertEqual(
            self.client.get(admin_url("country", "delete", serbia.pk)).status_code, 403
        )

    def test_editor_can_pick_countries_in_autocomplete(self):
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "claim",
                "field_name": "country",
                "term": "serb",
            },
        )
        self.assertContains(response, "Serbia")

    def test_logged_in_non_staff_user_is_sent_to_login(self):
        self.client.force_login(self.reader)
        for url in self.urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('admin:login')}?next={url}", fetch_redirect_response=False
                )

    def test_anonymous_user_is_sent_to_login(self):
        for url in self.urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{reverse('admin:login')}?next={url}", fetch_redirect_response=False
                )


class EditorsGroupTests(TestCase):
    def test_editors_group_has_exactly_the_editing_permissions(self):
        group = Group.objects.get(name="Editors")
        expected = {
            f"{action}_{model}"
            for model in [
                "article",
                "claim",
                "claimactor",
                "claimlink",
                "evidence",
                "actor",
                "event",
                "source",
            ]
            for action in ("add", "change", "delete", "view")
        } | {"view_country", "view_correction"}
        # Reviewing the GDELT intake: accepting and dismissing is changing an event.
        expected |= {"view_gdeltevent", "change_gdeltevent", "view_gdeltmention"}
        granted = set(group.permissions.values_list("codename", flat=True))
        self.assertEqual(granted, expected)
        self.assertEqual(
            set(group.permissions.values_list("content_type__app_label", flat=True)),
            {"articles", "intake"},
        )

    def test_editor_is_not_a_superuser_yet_has_the_permissions(self):
        editor = make_editor()
        self.assertFalse(editor.is_superuser)
        self.assertTrue(editor.has_perm("articles.add_claim"))
        self.assertTrue(editor.has_perm("articles.view_country"))
        self.assertFalse(editor.has_perm("articles.change_country"))
        self.assertFalse(editor.has_perm("auth.add_user"))
        self.assertTrue(Permission.objects.filter(codename="view_involvement").exists())
        self.assertFalse(editor.has_perm("articles.view_involvement"))


class ArticleAddFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.source = make_source()
        cls.claim = make_claim(article=False, status="draft", statement="Troops drilled.")

    def setUp(self):
        self.client.force_login(self.editor)
        response = self.client.get(admin_url("article", "add"))
        self.assertEqual(inline_prefixes(response), {"evidence"})

    def post_article(self, quote="", claim=None, **fields):
        data = {
            "title": "Joint drill near Beijing",
            "slug": "joint-drill-near-beijing",
            "source": self.source.pk,
            "url": "https://example.org/drill",
            "authors": "A. Reporter",
            "published_at_0": "2025-05-08",
            "published_at_1": "12:00:00",
            "language": "en",
            "body": BODY,
            "summary": "",
            "status": "draft",
            **management_form("evidence", 1),
            "evidence-0-id": "",
            "evidence-0-article": "",
            "evidence-0-claim": claim.pk if claim else "",
            "evidence-0-stance": "reports",
            "evidence-0-quote": quote,
            "_save": "Save",
        }
        data.update(fields)
        return self.client.post(admin_url("article", "add"), data)

    def test_quote_not_in_the_new_articles_body_is_rejected(self):
        # Fails today. BUG (articles/models.py, Evidence.clean): the check
        # runs only `if self.article_id`, but for an article that is being added its id
        # is still None (EvidenceFormSet._construct_form gives the evidence the unsaved
        # article object, whose pk is None), so the quote is never checked: the article
        # and the bogus evidence are both saved and the editor is redirected.
        response = self.post_article(quote="Troops invaded the moon.", claim=self.claim)
        self.assertContains(response, "This quote does not occur in the article")
        self.assertContains(response, "Joint drill near Beijing")
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Evidence.objects.exists())

    def test_quote_in_the_new_articles_body_is_saved(self):
        response = self.post_article(
            quote="The ministry said the exercise showed “an exceptional  level", claim=self.claim
        )
        self.assertRedirects(response, admin_url("article"))
        article = Article.objects.get()
        self.assertEqual(article.evidence.get().claim, self.claim)

    def test_editors_article_save_records_who_created_it(self):
        response = self.post_article()
        self.assertRedirects(response, admin_url("article"))
        article = Article.objects.get()
        self.assertEqual(article.created_by, self.editor)
        self.assertFalse(article.evidence.exists())

    def test_changing_an_article_keeps_its_creator(self):
        self.post_article()
        article = Article.objects.get()
        other = make_editor("other")
        self.client.force_login(other)
        data = {
            "title": "Joint drill near Beijing, updated",
            "slug": article.slug,
            "source": self.source.pk,
            "url": article.url,
            "authors": "",
            "published_at_0": "2025-05-08",
            "published_at_1": "12:00:00",
            "language": "en",
            "body": BODY,
            "summary": "",
            "status": "draft",
            **management_form("evidence", 0),
            "_save": "Save",
        }
        response = self.client.post(admin_url("article", "change", article.pk), data)
        self.assertRedirects(response, admin_url("article"))
        article.refresh_from_db()
        self.assertEqual(article.title, "Joint drill near Beijing, updated")
        self.assertEqual(article.created_by, self.editor)

    def test_quote_not_in_the_changed_body_is_rejected(self):
        article = make_article(status="draft", source=self.source)
        data = {
            "title": article.title,
            "slug": article.slug,
            "source": self.source.pk,
            "url": "",
            "authors": "",
            "published_at_0": "2025-05-08",
            "published_at_1": "12:00:00",
            "language": "en",
            "body": "A completely different text.",
            "summary": "",
            "status": "draft",
            **management_form("evidence", 1),
            "evidence-0-id": "",
            "evidence-0-article": article.pk,
            "evidence-0-claim": self.claim.pk,
            "evidence-0-stance": "reports",
            "evidence-0-quote": "Serbian and Chinese troops",
            "_save": "Save",
        }
        response = self.client.post(admin_url("article", "change", article.pk), data)
        self.assertContains(response, "This quote does not occur in the article")
        article.refresh_from_db()
        self.assertEqual(article.body, BODY)
        self.assertFalse(Evidence.objects.exists())


class ClaimFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_publisher()
        cls.published_article = make_article(status="published", title="Published report")
        cls.draft_article = make_article(status="draft", title="Draft report")

    def setUp(self):
        self.client.force_login(self.editor)

    def claim_data(self, status="published", article=None, actors=(), **fields):
        data = {
            "statement": "Serbia and China held a joint drill.",
            "language": "en",
            "slug": "serbia-china-drill",
            "kind": "military",
            "verification": "reported",
            "occurred_on": "2025-05-08",
            "date_precision": "day",
            "place": "",
            "country": "",
            "event": "",
            "status": status,
            **management_form("roles", max(len(actors), 1)),
            **management_form("evidence", 1),
            **management_form("links_from", 0),
            **management_form("corrections", 0),
            "roles-0-id": "",
            "roles-0-claim": "",
            "roles-0-actor": "",
            "roles-0-role": "participant",
            "evidence-0-id": "",
            "evidence-0-claim": "",
            "evidence-0-article": article.pk if article else "",
            "evidence-0-stance": "reports",
            "evidence-0-quote": BODY.splitlines()[0] if article else "",
            "_save": "Save",
        }
        for i, actor in enumerate(actors):
            data.update(
                {
                    f"roles-{i}-id": "",
                    f"roles-{i}-claim": "",
                    f"roles-{i}-actor": actor.pk,
                    f"roles-{i}-role": "participant",
                }
            )
        data.update(fields)
        return data

    def test_claim_form_has_actor_evidence_link_and_correction_inlines(self):
        response = self.client.get(admin_url("claim", "add"))
        self.assertEqual(
            inline_prefixes(response), {"roles", "evidence", "links_from", "corrections"}
        )

    def test_publishing_a_new_claim_without_evidence_is_refused(self):
        response = self.client.post(admin_url("claim", "add"), self.claim_data())
        self.assertContains(response, PUBLISH_ERROR)
        self.assertFalse(Claim.objects.exists())

    def test_publishing_a_new_claim_with_only_draft_evidence_is_refused(self):
        response = self.client.post(
            admin_url("claim", "add"), self.claim_data(article=self.draft_article)
        )
        self.assertContains(response, PUBLISH_ERROR)
        self.assertFalse(Claim.objects.exists())

    def test_draft_claim_without_evidence_is_saved(self):
        response = self.client.post(admin_url("claim", "add"), self.claim_data(status="draft"))
        self.assertRedirects(response, admin_url("claim"))
        self.assertEqual(Claim.objects.get().status, Status.DRAFT)

    def test_a_statements_language_is_saved_and_a_malformed_one_refused(self):
        response = self.client.post(
            admin_url("claim", "add"), self.claim_data(status="draft", language="sr-Latn")
        )
        self.assertRedirects(response, admin_url("claim"))
        self.assertEqual(Claim.objects.get().language, "sr-Latn")
        response = self.client.post(
            admin_url("claim", "add"),
            self.claim_data(status="draft", language="Serbian!", slug="other"),
        )
        self.assertContains(response, "BCP 47")
        self.assertEqual(Claim.objects.count(), 1)

    def test_publishing_an_existing_claim_without_evidence_is_refused(self):
        claim = make_claim(article=False, status="draft")
        response = self.client.post(
            admin_url("claim", "change", claim.pk), self.claim_data(slug=claim.slug)
        )
        self.assertContains(response, PUBLISH_ERROR)
        claim.refresh_from_db()
        self.assertEqual(claim.status, Status.DRAFT)

    def test_publishing_a_new_claim_with_published_evidence_succeeds(self):
        response = self.client.post(
            admin_url("claim", "add"),
            self.claim_data(article=self.published_article, actors=[state("RS"), state("CN")]),
        )
        self.assertRedirects(response, admin_url("claim"))
        claim = Claim.objects.get()
        self.assertEqual(claim.status, Status.PUBLISHED)
        self.assertEqual(claim.evidence.get().article, self.published_article)
        self.assertEqual(
            set(claim.involvements.values_list("country__code", flat=True)), {"RS", "CN"}
        )

    def test_publishing_an_existing_claim_by_adding_evidence_succeeds(self):
        claim = make_claim(article=False, status="draft")
        response = self.client.post(
            admin_url("claim", "change", claim.pk),
            self.claim_data(article=self.published_article, actors=[state("RS")], slug=claim.slug),
        )
        self.assertRedirects(response, admin_url("claim"))
        claim.refresh_from_db()
        self.assertEqual(claim.status, Status.PUBLISHED)
        self.assertEqual(set(claim.involvements.values_list("country__code", flat=True)), {"RS"})

    def test_evidence_quote_not_in_the_article_is_rejected_on_the_claim_form(self):
        response = self.client.post(
            admin_url("claim", "add"),
            self.claim_data(
                article=self.published_article,
                **{"evidence-0-quote": "Nothing like this was ever said."},
            ),
        )
        self.assertContains(response, "This quote does not occur in the article")
        self.assertContains(response, "Published report")
        self.assertFalse(Claim.objects.exists())

    def test_evidence_without_an_article_is_a_form_error_not_a_crash(self):
        # Fails today with a 500. BUG (articles/admin.py, EvidenceFormSet.clean):
        # `data["article"]` assumes every non-empty evidence form has an article, but a
        # form whose article is missing (required) keeps its other cleaned_data, so an
        # editor who types a quote and forgets to pick the article gets KeyError: 'article'
        # instead of "This field is required." Use data.get("article") and skip None.
        self.client.raise_request_exception = False
        response = self.client.post(
            admin_url("claim", "add"),
            self.claim_data(**{"evidence-0-quote": "Serbian and Chinese troops"}),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")
        self.assertFalse(Claim.objects.exists())

    def test_claim_search_finds_statements_and_quotes(self):
        by_statement = make_claim(statement="A drone crossed the border.")
        by_quote = make_claim(
            statement="Officials praised the partnership.",
            article=make_article(body="A drone was seen near the base."),
            quote="A drone was seen",
        )
        unrelated = make_claim(statement="A summit was held.")
        response = self.client.get(admin_url("claim"), {"q": "drone"})
        self.assertContains(response, by_statement.statement)
        self.assertContains(response, by_quote.statement)
        self.assertNotContains(response, unrelated.statement)


class PublishActionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_publisher()
        cls.backed = make_claim([state("RS")], status="draft", statement="Backed claim.")
        cls.unbacked = make_claim(article=False, status="draft", statement="Unbacked claim.")
        cls.draft_backed = make_claim(
            article=make_article(status="draft"), status="draft", statement="Draft-backed claim."
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def act(self, action, *claims):
        return self.client.post(
            admin_url("claim"),
            {"action": action, helpers.ACTION_CHECKBOX_NAME: [claim.pk for claim in claims]},
            follow=True,
        )

    def status_of(self, claim):
        claim.refresh_from_db()
        return claim.status

    def test_publish_publishes_a_claim_with_published_evidence(self):
        response = self.act("publish", self.backed)
        self.assertContains(response, "Published 1 item.")
        self.assertEqual(self.status_of(self.backed), Status.PUBLISHED)

    def test_publish_refuses_a_claim_without_evidence(self):
        response = self.act("publish", self.unbacked)
        self.assertContains(response, "Not published: “Unbacked claim.”")
        self.assertContains(response, PUBLISH_ERROR)
        self.assertNotContains(response, "Published 1 item.")
        self.assertEqual(self.status_of(self.unbacked), Status.DRAFT)

    def test_publish_refuses_a_claim_backed_only_by_draft_articles(self):
        response = self.act("publish", self.draft_backed)
        self.assertContains(response, "Not published: “Draft-backed claim.”")
        self.assertEqual(self.status_of(self.draft_backed), Status.DRAFT)

    def test_publish_handles_a_mixed_selection(self):
        response = self.act("publish", self.backed, self.unbacked)
        self.assertContains(response, "Published 1 item.")
        self.assertContains(response, "Not published: “Unbacked claim.”")
        self.assertEqual(self.status_of(self.backed), Status.PUBLISHED)
        self.assertEqual(self.status_of(self.unbacked), Status.DRAFT)

    def test_unpublish_moves_a_claim_back_to_draft(self):
        claim = make_claim(status="published", statement="Live claim.")
        response = self.act("unpublish", claim)
        self.assertContains(response, "Moved 1 item back to draft.")
        self.assertEqual(self.status_of(claim), Status.DRAFT)

    def test_publish_and_unpublish_articles(self):
        article = make_article(status="draft")
        response = self.client.post(
            admin_url("article"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [article.pk]},
            follow=True,
        )
        self.assertContains(response, "Published 1 item.")
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)
        response = self.client.post(
            admin_url("article"),
            {"action": "unpublish", helpers.ACTION_CHECKBOX_NAME: [article.pk]},
            follow=True,
        )
        self.assertContains(response, "Moved 1 item back to draft.")
        article.refresh_from_db()
        self.assertEqual(article.status, Status.DRAFT)


class ValidationPastTheBrowserTests(TestCase):
    """What a browser's form would rarely send but a script or a paste can."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = make_publisher()

    def setUp(self):
        self.client.force_login(self.editor)

    def test_an_event_named_with_a_control_character_is_refused(self):
        response = self.client.post(
            admin_url("event", "add"),
            {
                "name": "EV admin\x0bentry",
                "slug": "ev-admin-entry",
                "kind": "exercise",
                "start_date": "2025-05-01",
                "_save": "Save",
            },
        )
        self.assertContains(response, "U+000B")
        self.assertFalse(Event.objects.filter(slug="ev-admin-entry").exists())

    def test_an_article_address_that_is_not_http_or_https_is_refused(self):
        source = make_source()
        for url in ["javascript:alert(6)", "ftp://example.org/story"]:
            with self.subTest(url):
                response = self.client.post(
                    admin_url("article", "add"),
                    {
                        "title": "An article",
                        "slug": "an-article",
                        "source": source.pk,
                        "url": url,
                        "published_at_0": "2025-05-08",
                        "published_at_1": "12:00:00",
                        "language": "en",
                        "body": "Text.",
                        "status": "draft",
                        **management_form("evidence", 0),
                        "_save": "Save",
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "http://")
                self.assertFalse(Article.objects.exists())
