"""
Who may open what: every URL pattern of the project, walked for each role, and the
Editors/Publishers rules of the admin (articles/admin.py, PublishingAdmin).

The table ROUTES below holds one decision per URL pattern (keyed by its name, or by its
full route string when it has none). The walk goes recursively through
get_resolver().url_patterns, the admin's and every included app's, so a URL added to
the project without an entry here fails the suite with a message naming it.
"""

from html.parser import HTMLParser

from django.contrib.admin import helpers
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import Article, Claim, Correction, Status

from .factories import (
    make_actor,
    make_article,
    make_claim,
    make_event,
    make_gdelt_event,
    make_source,
    state,
)
from .test_admin import make_editor, make_publisher

ROLES = ("anonymous", "editor", "publisher", "superuser")


def admin(name, *args):
    return reverse(f"admin:{name}", args=args)


# --- the table -------------------------------------------------------------------------
#
# key: (url builder taking the test case with its objects, expected status for
#       (anonymous, editor, publisher, superuser))
#
# 200 shown, 301/302 redirected (anonymous admin visitors go to the login page), 403
# refused, 404 not there, 405 wrong method (logout is POST only).

PUBLIC = (200, 200, 200, 200)
MOVED = (301, 301, 301, 301)
STAFF = (302, 200, 200, 200)  # any staff member; anonymous visitors are sent to log in
SUPERUSER = (302, 403, 403, 200)  # auth and axes: neither Editors nor Publishers
PUBLISHERS = (302, 403, 200, 200)  # touching what is published
NOBODY = (302, 403, 403, 403)
REDIRECT = (302, 302, 302, 302)


def model_admin(app, model, obj, version=None, **expected):
    """The rows of one registered ModelAdmin: its named views and its unnamed redirect."""
    prefix = f"{app}_{model}"
    rows = {
        f"admin:{prefix}_changelist": (lambda t: admin(f"{prefix}_changelist"), expected["list"]),
        f"admin:{prefix}_add": (lambda t: admin(f"{prefix}_add"), expected["add"]),
        f"admin:{prefix}_history": (
            lambda t: admin(f"{prefix}_history", obj(t).pk),
            expected["history"],
        ),
        f"admin:{prefix}_delete": (
            lambda t: admin(f"{prefix}_delete", obj(t).pk),
            expected["delete"],
        ),
        f"admin:{prefix}_change": (
            lambda t: admin(f"{prefix}_change", obj(t).pk),
            expected["change"],
        ),
        # RedirectView from /admin/app/model/<id>/ to its change page.
        f"admin/{app}/{model}/<path:object_id>/": (
            lambda t: f"/admin/{app}/{model}/{obj(t).pk}/",
            REDIRECT,
        ),
    }
    if version is not None:
        # django-simple-history: one past version, shown as a form.
        rows[f"admin:{prefix}_simple_history"] = (
            lambda t: admin(f"{prefix}_simple_history", obj(t).pk, version(t)),
            expected["simple_history"],
        )
    return rows


def latest_history_id(obj):
    return obj.history.latest("history_date").history_id


ROUTES = {
    # --- readers' pages: the same for everyone, staff included ---
    "home": (lambda t: reverse("home"), PUBLIC),
    "claim_list": (lambda t: reverse("claim_list"), PUBLIC),
    "claim_feed": (lambda t: reverse("claim_feed"), PUBLIC),
    "claim_map": (lambda t: reverse("claim_map"), PUBLIC),
    "claim_facet": (lambda t: reverse("claim_facet", args=["actor"]), PUBLIC),
    "claim_export": (lambda t: reverse("claim_export", args=["csv"]), PUBLIC),
    "claim_detail_short": (lambda t: reverse("claim_detail_short", args=[t.claim.pk]), MOVED),
    "claim_detail": (lambda t: t.claim.get_absolute_url(), PUBLIC),
    "claim_history": (
        lambda t: reverse("claim_history", args=[t.claim.pk, t.claim.slug]),
        PUBLIC,
    ),
    "article_list": (lambda t: reverse("article_list"), PUBLIC),
    "article_export": (lambda t: reverse("article_export", args=["json"]), PUBLIC),
    "article_detail_short": (
        lambda t: reverse("article_detail_short", args=[t.article.pk]),
        MOVED,
    ),
    "article_detail": (lambda t: t.article.get_absolute_url(), PUBLIC),
    "source_detail": (lambda t: t.source.get_absolute_url(), PUBLIC),
    "country_list": (lambda t: reverse("country_list"), PUBLIC),
    "country_detail": (lambda t: reverse("country_detail", args=["rs"]), PUBLIC),
    "country_feed": (lambda t: reverse("country_feed", args=["rs"]), PUBLIC),
    "country_pair": (lambda t: reverse("country_pair", args=["rs", "cn"]), PUBLIC),
    "country_pair_picker": (
        lambda t: reverse("country_pair_picker") + "?a=rs&b=cn",
        REDIRECT,
    ),
    "country_pair_feed": (lambda t: reverse("country_pair_feed", args=["rs", "cn"]), PUBLIC),
    "event_list": (lambda t: reverse("event_list"), PUBLIC),
    "event_detail": (lambda t: t.event.get_absolute_url(), PUBLIC),
    "event_feed": (lambda t: reverse("event_feed", args=[t.event.slug]), PUBLIC),
    "actor_list": (lambda t: reverse("actor_list"), PUBLIC),
    "actor_detail": (lambda t: t.actor.get_absolute_url(), PUBLIC),
    "api_claims": (lambda t: reverse("api_claims"), PUBLIC),
    "api_articles": (lambda t: reverse("api_articles"), PUBLIC),
    "sitemap": (lambda t: reverse("sitemap"), PUBLIC),
    "sitemap_section": (lambda t: reverse("sitemap_section", args=["claims"]), PUBLIC),
    "robots_txt": (lambda t: reverse("robots_txt"), PUBLIC),
    "healthz": (lambda t: reverse("healthz"), PUBLIC),
    # The language switcher: remembers the choice and goes to the page in it.
    "choose_language": (lambda t: reverse("choose_language") + "?language=en&next=/", REDIRECT),
    # --- the admin site ---
    "admin:index": (lambda t: admin("index"), STAFF),
    # Someone already signed in is sent on to the index.
    "admin:login": (lambda t: admin("login"), (200, 302, 302, 302)),
    # Signing out is a POST; a GET changes nothing (anonymous visitors go to log in).
    "admin:logout": (lambda t: admin("logout"), (302, 405, 405, 405)),
    "admin:password_change": (lambda t: admin("password_change"), STAFF),
    "admin:password_change_done": (lambda t: admin("password_change_done"), STAFF),
    "admin:autocomplete": (
        lambda t: (
            admin("autocomplete")
            + "?app_label=articles&model_name=claim&field_name=country&term=ser"
        ),
        STAFF,
    ),
    "admin:jsi18n": (lambda t: admin("jsi18n"), STAFF),
    # "View on site": a redirect to the object's public page, for staff only.
    "admin:view_on_site": (
        lambda t: admin("view_on_site", ContentType.objects.get_for_model(Claim).pk, t.claim.pk),
        REDIRECT,
    ),
    "admin:app_list": (lambda t: reverse("admin:app_list", args=["articles"]), STAFF),
    # The admin's catch-all: unknown admin addresses are 404 once signed in.
    "admin/(?P<url>.*)$": (lambda t: "/admin/no-such-page/", (302, 404, 404, 404)),
    "admin:auth_user_password_change": (
        lambda t: admin("auth_user_password_change", t.editor.pk),
        SUPERUSER,
    ),
    **model_admin(
        "auth",
        "group",
        lambda t: Group.objects.get(name="Editors"),
        list=SUPERUSER,
        add=SUPERUSER,
        history=SUPERUSER,
        delete=SUPERUSER,
        change=SUPERUSER,
    ),
    **model_admin(
        "auth",
        "user",
        lambda t: t.editor,
        list=SUPERUSER,
        add=SUPERUSER,
        history=SUPERUSER,
        delete=SUPERUSER,
        change=SUPERUSER,
    ),
    # django-axes' records: read-only, even to the superuser (no add, no change form
    # beyond viewing).
    **model_admin(
        "axes",
        "accessattempt",
        lambda t: t.access_attempt,
        list=SUPERUSER,
        add=NOBODY,
        history=SUPERUSER,
        delete=SUPERUSER,
        change=SUPERUSER,
    ),
    **model_admin(
        "axes",
        "accesslog",
        lambda t: t.access_log,
        list=SUPERUSER,
        add=NOBODY,
        history=SUPERUSER,
        delete=SUPERUSER,
        change=SUPERUSER,
    ),
    **model_admin(
        "axes",
        "accessfailurelog",
        lambda t: t.access_failure_log,
        list=SUPERUSER,
        add=NOBODY,
        history=SUPERUSER,
        delete=SUPERUSER,
        change=SUPERUSER,
    ),
    # Articles and claims: the objects here are *published*, so an Editor may look
    # (the change form is read-only) but not delete; drafts are tested below.
    **model_admin(
        "articles",
        "article",
        lambda t: t.article,
        version=lambda t: latest_history_id(t.article),
        list=STAFF,
        add=STAFF,
        history=STAFF,
        delete=PUBLISHERS,
        change=STAFF,
        simple_history=STAFF,
    ),
    **model_admin(
        "articles",
        "claim",
        lambda t: t.claim,
        version=lambda t: latest_history_id(t.claim),
        list=STAFF,
        add=STAFF,
        history=STAFF,
        delete=PUBLISHERS,
        change=STAFF,
        simple_history=STAFF,
    ),
    **model_admin(
        "articles",
        "actor",
        lambda t: t.actor,
        version=lambda t: latest_history_id(t.actor),
        list=STAFF,
        add=STAFF,
        history=STAFF,
        delete=PUBLISHERS,
        change=STAFF,
        simple_history=STAFF,
    ),
    **model_admin(
        "articles",
        "event",
        lambda t: t.event,
        version=lambda t: latest_history_id(t.event),
        list=STAFF,
        add=STAFF,
        history=STAFF,
        delete=PUBLISHERS,
        change=STAFF,
        simple_history=STAFF,
    ),
    **model_admin(
        "articles",
        "source",
        lambda t: t.source,
        version=lambda t: latest_history_id(t.source),
        list=STAFF,
        add=STAFF,
        history=STAFF,
        delete=PUBLISHERS,
        change=STAFF,
        simple_history=STAFF,
    ),
    # The GDELT intake: staff review it. Events come from files, so nobody adds or deletes
    # one, and deciding on one is a POST.
    **model_admin(
        "intake",
        "gdeltevent",
        lambda t: t.gdelt_event,
        list=STAFF,
        add=NOBODY,
        history=STAFF,
        delete=NOBODY,
        change=STAFF,
    ),
    "admin:intake_gdeltevent_accept": (
        lambda t: admin("intake_gdeltevent_accept", t.gdelt_event.pk),
        (302, 405, 405, 405),
    ),
    "admin:intake_gdeltevent_dismiss": (
        lambda t: admin("intake_gdeltevent_dismiss", t.gdelt_event.pk),
        (302, 405, 405, 405),
    ),
    # (Actors, events and sources: the objects here are used by the published claim, so an
    # Editor may look but not delete, nor change them: tests/test_integrity.py.)
    # The editors' workbench of an article, published or not: staff only.
    "admin:articles_article_workbench": (
        lambda t: admin("articles_article_workbench", t.article.pk),
        STAFF,
    ),
    # Countries come from a data migration: staff may look, only the superuser edits.
    **model_admin(
        "articles",
        "country",
        lambda t: state("RS").country,
        list=STAFF,
        add=SUPERUSER,
        history=STAFF,
        delete=SUPERUSER,
        change=STAFF,
    ),
}


def walk(patterns, prefix="", namespace=""):
    """(key, route) for every URL pattern, descending into includes and the admin."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, route, inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


# --- reading and resubmitting admin forms as a browser would ---------------------------


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`."""

    SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in self.SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "on": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["on"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            chosen = select["on"] or ([] if select["multiple"] else [select["first"] or ""])
            self.fields += [(select["name"], value) for value in chosen]
            self.select = None


def form_data(response, form_id):
    """
    What submitting the admin form on `response` unchanged would post, as a dict of
    lists (the empty "__prefix__" template forms of inlines left out).
    """
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.fields:
        if "__prefix__" not in name:
            data.setdefault(name, []).append(value)
    assert data, f"no form with id {form_id!r} on the page"
    return data


def change_form_data(client, model, obj, **changes):
    response = client.get(admin(f"articles_{model}_change", obj.pk))
    assert response.status_code == 200, response.status_code
    data = form_data(response, f"{model}_form")
    data.update(
        {key: value if isinstance(value, list) else [value] for key, value in changes.items()}
    )
    data["_save"] = ["Save"]
    return data


def add_correction(data, claim, note):
    """Add one new correction to posted claim form data (the inline's prefix: corrections)."""
    n = int(data.get("corrections-TOTAL_FORMS", ["0"])[0])
    data.update(
        {
            "corrections-TOTAL_FORMS": [str(n + 1)],
            "corrections-INITIAL_FORMS": data.get("corrections-INITIAL_FORMS", ["0"]),
            "corrections-MIN_NUM_FORMS": ["0"],
            "corrections-MAX_NUM_FORMS": ["1000"],
            f"corrections-{n}-id": [""],
            f"corrections-{n}-claim": [str(claim.pk)],
            f"corrections-{n}-note": [note],
        }
    )
    return data


# --- fixtures ---------------------------------------------------------------------------


class SiteFixture(TestCase):
    """A small published site, a draft of each kind, and one user per role."""

    @classmethod
    def setUpTestData(cls):
        cls.source = make_source(slug="demo-wire", name="Demo Wire")
        cls.event = make_event(slug="peace-guardian", name="Peace Guardian")
        cls.actor = make_actor(name="Serbian Armed Forces", slug="serbian-armed-forces")
        cls.article = make_article(source=cls.source, title="Joint drill report")
        cls.claim = make_claim(
            [state("RS"), state("CN"), cls.actor],
            article=cls.article,
            event=cls.event,
            statement="Serbia and China held a joint drill.",
        )
        cls.draft_article = make_article(status="draft", source=cls.source, title="Draft report")
        cls.draft_claim = make_claim(
            [state("RS")],
            article=cls.article,
            status="draft",
            statement="A draft claim about a drill.",
        )
        cls.gdelt_event = make_gdelt_event()
        cls.editor = make_editor()
        cls.publisher = make_publisher()
        cls.superuser = User.objects.create_superuser("root", password="not-used")
        cls.users = {"editor": cls.editor, "publisher": cls.publisher, "superuser": cls.superuser}
        cls.make_axes_records()

    @classmethod
    def make_axes_records(cls):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        cls.access_attempt = AccessAttempt.objects.create(
            username="someone",
            ip_address="10.0.0.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/admin/login/",
            failures_since_start=1,
        )
        cls.access_log = AccessLog.objects.create(
            username="someone", ip_address="10.0.0.1", user_agent="test", path_info="/"
        )
        cls.access_failure_log = AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.1", user_agent="test", path_info="/"
        )

    def login_as(self, role):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(self.users[role])


# --- every URL, every role --------------------------------------------------------------


class EveryUrlForEveryRoleTests(SiteFixture):
    def test_every_url_pattern_has_a_decision(self):
        found = dict(walk(get_resolver().url_patterns))
        missing = sorted(
            f"{key} (route {route!r})" for key, route in found.items() if key not in ROUTES
        )
        self.assertEqual(
            missing,
            [],
            "URL patterns without an expected status per role in tests/test_access_control.py "
            "ROUTES: " + "; ".join(missing),
        )
        stale = sorted(set(ROUTES) - set(found))
        self.assertEqual(
            stale, [], f"ROUTES entries for URL patterns that no longer exist: {stale}"
        )

    def test_every_url_pattern_answers_each_role_as_decided(self):
        found = dict(walk(get_resolver().url_patterns))
        failures = []
        for role_index, role in enumerate(ROLES):
            self.login_as(role)
            for key in found:
                if key not in ROUTES:
                    continue  # reported by test_every_url_pattern_has_a_decision
                build, expected = ROUTES[key]
                url = build(self)
                response = self.client.get(url)
                status = response.status_code
                if response.streaming:
                    # Read through, as a client would: a download holds a slot until then.
                    b"".join(response.streaming_content)
                if status != expected[role_index]:
                    failures.append(
                        f"{role} GET {url} ({key}): {status}, expected {expected[role_index]}"
                    )
        self.assertEqual(failures, [], "\n".join(failures))

    def test_anonymous_admin_visitors_are_sent_to_the_login_page(self):
        login = admin("login")
        for key, (build, expected) in ROUTES.items():
            # "View on site" redirects to the public page; signing out to the index.
            if key in ("admin:view_on_site", "admin:logout"):
                continue
            if key.startswith("admin") and expected[0] == 302:
                url = build(self)
                with self.subTest(key):
                    response = self.client.get(url)
                    self.assertTrue(response["Location"].startswith(f"{login}?next="), url)

    def test_drafts_are_404_on_the_public_site_to_all_but_staff(self):
        urls = [
            self.draft_claim.get_absolute_url(),
            reverse("claim_detail_short", args=[self.draft_claim.pk]),
            self.draft_article.get_absolute_url(),
        ]
        reader = User.objects.create_user("plain-reader", password="not-used")
        for role in ROLES:
            self.login_as(role)
            for url in urls:
                with self.subTest(role=role, url=url):
                    response = self.client.get(url, follow=True)
                    # Staff preview drafts (tests/test_preview.py).
                    self.assertEqual(response.status_code, 404 if role == "anonymous" else 200)
        self.client.force_login(reader)
        for url in urls:
            with self.subTest(role="signed-in reader", url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_staff_can_open_drafts_in_the_admin(self):
        for role in ("editor", "publisher", "superuser"):
            self.login_as(role)
            for model, obj in (("claim", self.draft_claim), ("article", self.draft_article)):
                with self.subTest(role=role, model=model):
                    response = self.client.get(admin(f"articles_{model}_change", obj.pk))
                    self.assertContains(response, 'name="_save"')


# --- Editors ----------------------------------------------------------------------------


def action_names(response):
    return [name for name, _ in response.context["action_form"].fields["action"].choices]


class EditorTests(SiteFixture):
    def setUp(self):
        self.client.force_login(self.editor)

    def status_of(self, obj):
        obj.refresh_from_db()
        return obj.status

    def test_the_publish_actions_are_not_offered(self):
        for model in ("claim", "article"):
            with self.subTest(model):
                actions = action_names(self.client.get(admin(f"articles_{model}_changelist")))
                self.assertNotIn("publish", actions)
                self.assertNotIn("unpublish", actions)

    def test_posting_the_publish_action_changes_nothing(self):
        for model, obj in (("claim", self.draft_claim), ("article", self.draft_article)):
            with self.subTest(model):
                self.client.post(
                    admin(f"articles_{model}_changelist"),
                    {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [obj.pk]},
                )
                self.assertEqual(self.status_of(obj), Status.DRAFT)

    def test_posting_the_unpublish_action_changes_nothing(self):
        for model, obj in (("claim", self.claim), ("article", self.article)):
            with self.subTest(model):
                self.client.post(
                    admin(f"articles_{model}_changelist"),
                    {"action": "unpublish", helpers.ACTION_CHECKBOX_NAME: [obj.pk]},
                )
                self.assertEqual(self.status_of(obj), Status.PUBLISHED)

    def test_status_is_read_only_on_a_draft(self):
        for model, obj in (("claim", self.draft_claim), ("article", self.draft_article)):
            with self.subTest(model):
                response = self.client.get(admin(f"articles_{model}_change", obj.pk))
                self.assertContains(response, 'name="_save"')
                self.assertNotIn("status", form_data(response, f"{model}_form"))
                data = change_form_data(self.client, model, obj, status="published")
                response = self.client.post(admin(f"articles_{model}_change", obj.pk), data)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(self.status_of(obj), Status.DRAFT)

    def test_status_is_read_only_on_the_add_form(self):
        response = self.client.get(admin("articles_claim_add"))
        self.assertNotIn("status", form_data(response, "claim_form"))

    def test_drafts_are_editable(self):
        data = change_form_data(
            self.client, "claim", self.draft_claim, statement="A draft claim, reworded."
        )
        response = self.client.post(admin("articles_claim_change", self.draft_claim.pk), data)
        self.assertRedirects(response, admin("articles_claim_changelist"))
        self.draft_claim.refresh_from_db()
        self.assertEqual(self.draft_claim.statement, "A draft claim, reworded.")
        data = change_form_data(
            self.client, "article", self.draft_article, title="Draft report, retitled"
        )
        response = self.client.post(admin("articles_article_change", self.draft_article.pk), data)
        self.assertRedirects(response, admin("articles_article_changelist"))
        self.draft_article.refresh_from_db()
        self.assertEqual(self.draft_article.title, "Draft report, retitled")

    def test_published_objects_are_view_only(self):
        for model, obj in (("claim", self.claim), ("article", self.article)):
            with self.subTest(model):
                response = self.client.get(admin(f"articles_{model}_change", obj.pk))
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'name="_save"')

    def test_changing_a_published_object_is_refused(self):
        # The form a Publisher sees, posted by an Editor.
        self.client.force_login(self.publisher)
        claim_data = change_form_data(self.client, "claim", self.claim, statement="Rewritten.")
        article_data = change_form_data(self.client, "article", self.article, title="Rewritten.")
        self.client.force_login(self.editor)
        for model, obj, data in (
            ("claim", self.claim, claim_data),
            ("article", self.article, article_data),
        ):
            with self.subTest(model):
                response = self.client.post(admin(f"articles_{model}_change", obj.pk), data)
                self.assertEqual(response.status_code, 403)
        self.claim.refresh_from_db()
        self.article.refresh_from_db()
        self.assertEqual(self.claim.statement, "Serbia and China held a joint drill.")
        self.assertEqual(self.article.title, "Joint drill report")

    def test_deleting_a_published_object_is_refused(self):
        for model, obj in (("claim", self.claim), ("article", self.article)):
            with self.subTest(model):
                url = admin(f"articles_{model}_delete", obj.pk)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(Claim.objects.filter(pk=self.claim.pk).exists())
        self.assertTrue(Article.objects.filter(pk=self.article.pk).exists())

    def test_bulk_deleting_published_claims_is_refused(self):
        response = self.client.post(
            admin("articles_claim_changelist"),
            {
                "action": "delete_selected",
                "post": "yes",
                helpers.ACTION_CHECKBOX_NAME: [self.claim.pk],
            },
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Claim.objects.filter(pk=self.claim.pk).exists())

    def test_editors_cannot_add_corrections(self):
        data = add_correction(
            change_form_data(self.client, "claim", self.draft_claim),
            self.draft_claim,
            "An editor's note.",
        )
        self.client.post(admin("articles_claim_change", self.draft_claim.pk), data)
        self.assertFalse(Correction.objects.exists())
        # On a published claim the whole form is refused.
        self.client.force_login(self.publisher)
        data = add_correction(
            change_form_data(self.client, "claim", self.claim), self.claim, "An editor's note."
        )
        self.client.force_login(self.editor)
        response = self.client.post(admin("articles_claim_change", self.claim.pk), data)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Correction.objects.exists())

    def revert_form(self, claim, version):
        """The django-simple-history "revert" form of `version`, as a browser would post it."""
        url = admin("articles_claim_simple_history", claim.pk, version.history_id)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        data = form_data(response, "historicalclaim_form")
        data["_save"] = ["Save"]
        return url, data

    def test_an_editor_cannot_revert_a_published_claim_to_an_earlier_version(self):
        # A Publisher corrected the published claim; its first version holds the old text.
        first = self.claim.history.earliest("history_date")
        self.claim.statement = "Serbia and China held a joint drill near Beijing."
        self.claim.save()
        url, data = self.revert_form(self.claim, first)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 403)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.statement, "Serbia and China held a joint drill near Beijing.")

    def test_an_editor_cannot_publish_a_draft_by_reverting_to_a_published_version(self):
        # A Publisher unpublished the claim; its history holds the published version.
        published_version = self.claim.history.latest("history_date")
        self.assertEqual(published_version.status, Status.PUBLISHED)
        self.claim.status = Status.DRAFT
        self.claim.save()
        url, data = self.revert_form(self.claim, published_version)
        self.assertNotIn("status", data)  # the form does not even show it
        self.client.post(url, data)
        self.assertEqual(self.status_of(self.claim), Status.DRAFT)
        self.client.logout()
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 404)


# --- Publishers and the superuser -------------------------------------------------------


class PublisherTests(SiteFixture):
    def setUp(self):
        self.client.force_login(self.publisher)

    def test_the_publish_actions_are_offered(self):
        for model in ("claim", "article"):
            with self.subTest(model):
                actions = action_names(self.client.get(admin(f"articles_{model}_changelist")))
                self.assertIn("publish", actions)
                self.assertIn("unpublish", actions)

    def test_publishers_publish_and_unpublish(self):
        self.client.post(
            admin("articles_claim_changelist"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [self.draft_claim.pk]},
        )
        self.draft_claim.refresh_from_db()
        self.assertEqual(self.draft_claim.status, Status.PUBLISHED)
        self.assertEqual(self.client.get(self.draft_claim.get_absolute_url()).status_code, 200)
        self.client.post(
            admin("articles_claim_changelist"),
            {"action": "unpublish", helpers.ACTION_CHECKBOX_NAME: [self.draft_claim.pk]},
        )
        self.draft_claim.refresh_from_db()
        self.assertEqual(self.draft_claim.status, Status.DRAFT)

    def test_status_is_editable_and_published_objects_can_be_changed(self):
        response = self.client.get(admin("articles_claim_change", self.claim.pk))
        self.assertIn("status", form_data(response, "claim_form"))
        data = change_form_data(self.client, "claim", self.claim, statement="Reworded.")
        response = self.client.post(admin("articles_claim_change", self.claim.pk), data)
        self.assertRedirects(response, admin("articles_claim_changelist"))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.statement, "Reworded.")
        self.assertEqual(self.claim.status, Status.PUBLISHED)

    def test_publishers_add_corrections(self):
        data = add_correction(
            change_form_data(self.client, "claim", self.claim), self.claim, "The date was wrong."
        )
        response = self.client.post(admin("articles_claim_change", self.claim.pk), data)
        self.assertRedirects(response, admin("articles_claim_changelist"))
        correction = Correction.objects.get()
        self.assertEqual(correction.claim, self.claim)
        self.assertEqual(correction.created_by, self.publisher)

    def test_publishers_cannot_manage_users(self):
        self.assertEqual(self.client.get(admin("auth_user_changelist")).status_code, 403)
        self.assertEqual(self.client.get(admin("auth_user_add")).status_code, 403)


class SuperuserTests(SiteFixture):
    def setUp(self):
        self.client.force_login(self.superuser)

    def test_the_superuser_can_do_everything(self):
        actions = action_names(self.client.get(admin("articles_claim_changelist")))
        self.assertIn("publish", actions)
        self.assertIn("unpublish", actions)
        data = add_correction(
            change_form_data(self.client, "claim", self.claim, statement="Reworded by root."),
            self.claim,
            "Reworded.",
        )
        response = self.client.post(admin("articles_claim_change", self.claim.pk), data)
        self.assertRedirects(response, admin("articles_claim_changelist"))
        self.assertEqual(Correction.objects.get().claim, self.claim)
        self.assertEqual(self.client.get(admin("auth_user_add")).status_code, 200)
        self.assertEqual(
            self.client.get(admin("articles_country_change", state("RS").country.pk)).status_code,
            200,
        )
