"""
The GDELT intake queue in the admin: what a row and an event's page show, the filters
and the order, and accepting (a draft article stub and a draft claim) or dismissing.
"""

import datetime
import io
import re
from unittest import mock

from django.contrib.admin import helpers
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles.models import Actor, Article, Claim, Status
from intake import accept, codes
from intake.admin import GdeltEventAdmin
from intake.models import GdeltEvent

from .factories import country, make_actor, make_article, make_source, state
from .test_admin import make_editor, make_publisher
from .test_gdelt_import import EVENTS, LATER_EVENTS, MENTIONS, RTS

CHANGELIST = reverse("admin:intake_gdeltevent_changelist")
REUTERS = "https://www.reuters.com/world/china/serbian-chinese-troops-drill-2025-05-07/"


def change_url(pk):
    return reverse("admin:intake_gdeltevent_change", args=[pk])


def accept_url(pk):
    return reverse("admin:intake_gdeltevent_accept", args=[pk])


def dismiss_url(pk):
    return reverse("admin:intake_gdeltevent_dismiss", args=[pk])


def import_fixtures():
    call_command(
        "import_gdelt",
        *map(str, [EVENTS, LATER_EVENTS, MENTIONS]),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def column(name):
    """The admin's number for a column of the list (the checkbox column is 0)."""
    return GdeltEventAdmin.list_display.index(name) + 1


def listed(response):
    """The GLOBALEVENTIDs of a changelist page, in order."""
    return [int(pk) for pk in re.findall(r'<th class="field-id"><a [^>]*>(\d+)<', response.text)]


class QueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_fixtures()
        cls.editor = make_editor()

    def setUp(self):
        self.client.force_login(self.editor)

    def test_the_queue_lists_the_most_mentioned_events_first(self):
        response = self.client.get(CHANGELIST)
        self.assertEqual(
            listed(response),
            [1234567802, 1234567801, 1234567890, 1234567803, 1234567804, 1234567805, 1234567806],
        )

    def test_a_row_shows_what_gdelt_coded(self):
        response = self.client.get(CHANGELIST)
        row = re.search(r"<tr>.*?1234567802.*?</tr>", response.text, re.S)[0]
        for text in [
            "7 May 2025",
            "CHINA (CN)",
            "062 Cooperate militarily",
            "SERBIA (RS)",
            "Hebei, Hebei, China (CN)",
            "Material cooperation",
            "7.4",
            '<td class="field-counts">30 (9 sources, 28 articles)</td>',
            "1.5",
            '<td class="field-mentions_here">2</td>',
            f'<a href="{REUTERS}" rel="noopener noreferrer">www.reuters.com</a>',
            "New",
        ]:
            self.assertIn(text, row)
        # A code GDELT uses that is none of our countries is shown as GDELT wrote it.
        self.assertContains(response, "EUROPE (EUR?)")
        self.assertContains(response, "Gaza Strip (GZ?)")

    def test_sorting_by_mentions(self):
        ascending = listed(self.client.get(CHANGELIST, {"o": column("counts")}))
        self.assertEqual(ascending[0], 1234567806)
        self.assertEqual(ascending[-1], 1234567802)
        # The mentions the intake holds: three of 1234567801's.
        most_here = self.client.get(CHANGELIST, {"o": f"-{column('mentions_here')}"})
        self.assertEqual(listed(most_here)[0], 1234567801)

    def test_the_country_filter_finds_either_actor_or_where_it_happened(self):
        serbia = listed(self.client.get(CHANGELIST, {"country": "RS"}))
        # 1234567805: China's visit to Čačak, Serbia, with no Serbian actor.
        self.assertEqual(
            sorted(serbia), [1234567801, 1234567802, 1234567803, 1234567805, 1234567890]
        )
        self.assertEqual(listed(self.client.get(CHANGELIST, {"country": "US"})), [1234567803])

    def test_the_country_filter_offers_the_countries_in_the_queue(self):
        response = self.client.get(CHANGELIST)
        filters = response.text[response.text.index('id="changelist-filter"') :]
        for code in ["CN", "RU", "RS", "CH", "US"]:
            self.assertIn(f"?country={code}", filters)
        self.assertNotIn("?country=FR", filters)

    def test_the_pair_filter_finds_the_two_countries_in_either_order(self):
        response = self.client.get(CHANGELIST, {"pair": "CN-RS"})
        self.assertEqual(sorted(listed(response)), [1234567801, 1234567802, 1234567890])
        self.assertContains(response, "China – Serbia")
        self.assertEqual(
            sorted(listed(self.client.get(CHANGELIST, {"pair": "RS-CN"}))),
            [1234567801, 1234567802, 1234567890],
        )

    def test_the_date_root_code_and_status_filters(self):
        self.assertEqual(
            listed(self.client.get(CHANGELIST, {"occurred_on__lt": "2025-05-08"})),
            [1234567802, 1234567805],
        )
        self.assertEqual(
            listed(self.client.get(CHANGELIST, {"occurred_on__day": "6", "occurred_on__month": "5",
                                                "occurred_on__year": "2025"})),
            [1234567805],
        )  # fmt: skip
        response = self.client.get(CHANGELIST, {"root": "05"})
        self.assertEqual(listed(response), [1234567801])
        self.assertContains(response, "05 Engage in diplomatic cooperation")
        GdeltEvent.objects.filter(pk=1234567801).update(
            status=GdeltEvent.Status.DISMISSED, decided_at=datetime.datetime.now(datetime.UTC)
        )
        self.assertNotIn(1234567801, listed(self.client.get(CHANGELIST, {"status__exact": "new"})))
        self.assertEqual(
            listed(self.client.get(CHANGELIST, {"status__exact": "dismissed"})), [1234567801]
        )

    def test_an_events_page_shows_its_mentions(self):
        response = self.client.get(change_url(1234567802))
        self.assertContains(response, "<td>reuters.com</td>", html=False)
        self.assertContains(response, f'<a href="{REUTERS}" rel="noopener noreferrer">')
        self.assertContains(response, "90%")
        # A citation is no address: shown, never linked.
        self.assertContains(response, "<td>BBC Monitoring Europe, 8 May 2025: Serbian army</td>")
        self.assertContains(response, "50%")

    def test_an_events_page_has_nothing_to_save_only_decisions(self):
        response = self.client.get(change_url(1234567801))
        self.assertNotContains(response, 'name="_save"')
        self.assertNotContains(response, 'name="_continue"')
        self.assertContains(response, f'formaction="{accept_url(1234567801)}"')
        self.assertContains(response, f'formaction="{dismiss_url(1234567801)}"')
        self.assertEqual(self.client.get(reverse("admin:intake_gdeltevent_add")).status_code, 403)

    def test_a_reader_of_the_queue_cannot_decide(self):
        viewer = User.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(
            *self.editor.groups.get().permissions.filter(codename="view_gdeltevent")
        )
        self.client.force_login(viewer)
        response = self.client.get(change_url(1234567801))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "formaction=")
        self.assertEqual(self.client.post(accept_url(1234567801)).status_code, 403)
        self.assertEqual(self.client.post(dismiss_url(1234567801)).status_code, 403)
        self.assertEqual(GdeltEvent.objects.get(pk=1234567801).status, GdeltEvent.Status.NEW)


class AcceptTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import_fixtures()
        cls.editor = make_editor()

    def setUp(self):
        self.client.force_login(self.editor)

    def accept(self, pk):
        response = self.client.post(accept_url(pk))
        self.assertEqual(response.status_code, 302)
        return response, GdeltEvent.objects.get(pk=pk)

    def test_an_event_whose_text_the_articles_refuse_is_not_accepted_and_says_why(self):
        GdeltEvent.objects.filter(pk=1234567801).update(actor1_name="SERBIA\x0bARMY")
        articles = Article.objects.count()
        for response in (
            self.client.post(accept_url(1234567801), follow=True),
            self.client.post(
                CHANGELIST,
                {"action": "accept_selected", helpers.ACTION_CHECKBOX_NAME: [1234567801]},
                follow=True,
            ),
        ):
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "Could not accept")
            self.assertContains(response, "control character U+000B")
        self.assertEqual(Article.objects.count(), articles)
        self.assertEqual(GdeltEvent.objects.get(pk=1234567801).status, GdeltEvent.Status.NEW)

    def test_accepting_makes_a_draft_article_stub_and_opens_its_workbench(self):
        response, event = self.accept(1234567801)
        article = event.article
        self.assertRedirects(
            response,
            reverse("admin:articles_article_workbench", args=[article.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(article.url, RTS)
        self.assertEqual((article.source.name, article.source.domain), ("rts.rs", "rts.rs"))
        # The mention of that address was translated from Serbian.
        self.assertEqual(article.language, "sr")
        self.assertEqual(article.status, Status.DRAFT)
        self.assertEqual(article.created_by, self.editor)
        self.assertEqual(
            article.published_at, datetime.datetime(2025, 5, 8, 12, 0, tzinfo=datetime.UTC)
        )
        self.assertEqual(
            article.title, "GDELT event 1234567801: SERBIA — Sign formal agreement — CHINA"
        )
        self.assertTrue(article.body.startswith(accept.MACHINE_CODED))
        self.assertIn(
            "SERBIA (CAMEO SRB) — 057 Sign formal agreement — CHINA (CAMEO CHN)", article.body
        )
        self.assertIn("Where: Beograd, Central Serbia, Serbia", article.body)
        self.assertEqual(event.status, GdeltEvent.Status.ACCEPTED)
        self.assertEqual(event.decided_by, self.editor)
        self.assertIsNotNone(event.decided_at)

    def test_the_workbench_opens_when_there_is_one(self):
        real = reverse

        def with_workbench(name, *args, **kwargs):
            if name == "admin:articles_article_workbench":
                return f"/admin/articles/article/{kwargs['args'][0]}/workbench/"
            return real(name, *args, **kwargs)

        with mock.patch("intake.accept.reverse", side_effect=with_workbench):
            response, event = self.accept(1234567801)
        self.assertEqual(
            response["Location"], f"/admin/articles/article/{event.article_id}/workbench/"
        )

    def test_the_draft_claim_has_the_countries_actors_kind_and_date(self):
        _, event = self.accept(1234567801)
        claim = event.claim
        self.assertEqual(claim.status, Status.DRAFT)
        self.assertEqual(claim.kind, Claim.Kind.DIPLOMATIC)
        self.assertEqual(claim.occurred_on, datetime.date(2025, 5, 8))
        self.assertEqual(claim.date_precision, Claim.Precision.DAY)
        self.assertEqual(claim.country, country("RS"))
        self.assertEqual(claim.place, "Beograd, Central Serbia, Serbia")
        self.assertEqual(
            claim.statement,
            "SERBIA — Sign formal agreement — CHINA (GDELT event 1234567801, to be checked)",
        )
        self.assertEqual(
            {(role.actor, role.role) for role in claim.roles.all()},
            {(state("RS"), "participant"), (state("CN"), "participant")},
        )
        # The link back, and the derived country links.
        self.assertEqual(claim.gdelt_event, event)
        self.assertEqual(
            sorted(claim.involvements.values_list("country__code", "status")),
            [("CN", "draft"), ("RS", "draft")],
        )

    def test_the_draft_claim_cannot_be_published_without_a_real_quote(self):
        _, event = self.accept(1234567801)
        self.assertFalse(event.claim.evidence.exists())
        self.assertIn("needs at least one evidence quote", event.claim.publication_problem())
        self.client.force_login(make_publisher())
        self.client.post(
            reverse("admin:articles_claim_changelist"),
            {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [event.claim_id]},
        )
        self.assertEqual(Claim.objects.get(pk=event.claim_id).status, Status.DRAFT)

    def test_accepting_twice_makes_nothing_new(self):
        first, event = self.accept(1234567801)
        counts = Article.objects.count(), Claim.objects.count()
        again, same = self.accept(1234567801)
        self.assertEqual((Article.objects.count(), Claim.objects.count()), counts)
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual((same.article_id, same.claim_id), (event.article_id, event.claim_id))
        self.assertEqual(same.decided_at, event.decided_at)

    def test_actors_are_matched_by_name_alias_or_cameo_code(self):
        pla = make_actor(
            name="Chinese People's Liberation Army",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
            aliases="PLA\nPeople's Liberation Army",
        )
        serbian_army = make_actor(
            name="Serbian Armed Forces", kind=Actor.Kind.ARMED_FORCES, country=country("RS")
        )
        # SRBMIL "SERBIAN ARMY": by its code; CHNMIL "PEOPLE'S LIBERATION ARMY": an alias.
        _, event = self.accept(1234567890)
        self.assertEqual(
            sorted(event.claim.roles.values_list("actor__name", flat=True)),
            sorted([pla.name, serbian_army.name]),
        )
        self.assertEqual(event.claim.kind, Claim.Kind.MILITARY)
        # CHNMIL named "CHINA": the armed forces, not the state.
        _, drill = self.accept(1234567802)
        self.assertEqual(
            sorted(drill.claim.roles.values_list("actor__name", flat=True)),
            sorted([pla.name, serbian_army.name]),
        )

    def test_conflict_makes_the_second_actor_a_target(self):
        _, event = self.accept(1234567803)
        self.assertEqual(event.claim.kind, Claim.Kind.ECONOMIC)
        self.assertEqual(
            sorted(event.claim.roles.values_list("actor__country__code", "role")),
            [("RS", "target"), ("US", "participant")],
        )

    def test_the_kind_comes_from_the_documented_cameo_table(self):
        for code, kind in [
            ("057", "diplomatic"),
            ("0312", "military"),
            ("061", "economic"),
            ("062", "military"),
            ("072", "arms"),
            ("1423", "policy"),
            ("163", "economic"),
            ("1721", "conflict"),
            ("190", "conflict"),
            ("99", "other"),
        ]:
            with self.subTest(code=code):
                self.assertEqual(codes.kind_for(code), kind)
        self.assertEqual(
            {codes.kind_for(code) for code, _ in codes.root_codes()} - set(Claim.Kind.values),
            set(),
        )

    def test_the_source_is_found_by_its_domain(self):
        reuters = make_source(name="Reuters", slug="reuters", domain="www.reuters.com")
        _, event = self.accept(1234567802)
        self.assertEqual(event.article.source, reuters)
        self.assertEqual(event.article.language, "en")

    def test_an_article_already_at_the_address_is_the_stub(self):
        known = make_article(url=RTS, status="draft")
        _, event = self.accept(1234567801)
        self.assertEqual(event.article, known)
        self.assertEqual(Article.objects.count(), 1)
        self.assertIsNotNone(event.claim)

    def test_without_a_mention_of_the_report_its_language_is_undetermined(self):
        _, event = self.accept(1234567803)
        self.assertEqual(event.article.language, "und")

    def test_a_citation_for_a_source_makes_a_stub_without_an_address(self):
        _, event = self.accept(1234567806)
        self.assertEqual(event.article.url, "")
        self.assertEqual(event.article.source.name, "BBC Monitoring Europe - Political")
        self.assertIn("BBC Monitoring Europe - Political", event.article.body)

    def test_dismissing_records_who_and_when(self):
        response = self.client.post(dismiss_url(1234567804))
        self.assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
        event = GdeltEvent.objects.get(pk=1234567804)
        self.assertEqual(event.status, GdeltEvent.Status.DISMISSED)
        self.assertEqual(event.decided_by, self.editor)
        self.assertIsNotNone(event.decided_at)
        self.assertIsNone(event.article)

    def test_an_accepted_event_is_not_dismissed(self):
        _, event = self.accept(1234567801)
        self.client.post(dismiss_url(1234567801))
        self.assertEqual(GdeltEvent.objects.get(pk=1234567801).status, "accepted")

    def test_the_lists_actions_accept_one_event_and_dismiss_many(self):
        response = self.client.post(
            CHANGELIST,
            {"action": "accept_selected", helpers.ACTION_CHECKBOX_NAME: [1234567805]},
        )
        event = GdeltEvent.objects.get(pk=1234567805)
        self.assertEqual(
            response["Location"],
            reverse("admin:articles_article_workbench", args=[event.article_id]),
        )
        response = self.client.post(
            CHANGELIST,
            {"action": "accept_selected", helpers.ACTION_CHECKBOX_NAME: [1234567801, 1234567802]},
            follow=True,
        )
        self.assertContains(response, "Accept one event at a time")
        self.assertFalse(GdeltEvent.objects.filter(pk=1234567801, status="accepted").exists())
        response = self.client.post(
            CHANGELIST,
            {
                "action": "dismiss_selected",
                helpers.ACTION_CHECKBOX_NAME: [1234567803, 1234567804, 1234567805],
            },
            follow=True,
        )
        # The accepted one stays accepted.
        self.assertContains(response, "Dismissed 2 events.")
        self.assertEqual(
            dict(GdeltEvent.objects.exclude(status="new").values_list("pk", "status")),
            {1234567803: "dismissed", 1234567804: "dismissed", 1234567805: "accepted"},
        )

    def test_accepting_takes_a_post(self):
        self.assertEqual(self.client.get(accept_url(1234567801)).status_code, 405)
        self.assertEqual(self.client.post(accept_url(99)).status_code, 404)
