"""
The editors' workbench (ArticleAdmin.workbench_view, articles/workbench.py): an article
split into sentences with what each names, claims made from a quote without leaving
it, the claim add form filled in from a sentence's link, and publishing an article with
its ready claims.
"""

import datetime
import re
from html import unescape
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles import sentences, workbench
from articles.models import Article, Claim, ClaimActor, ClaimLink, Evidence, Status

from .factories import make_article, make_claim, state
from .test_admin import make_editor, make_publisher, management_form

BODY = (
    "Serbian and Chinese troops held a joint drill near Beijing on 12 May 2025.\n"
    "The ministry said the exercise showed “an exceptional level of organisation”. "
    "Officials in Belgrade called it a model.\n"
    "Nothing else was said."
)


def workbench_url(article):
    return reverse("admin:articles_article_workbench", args=[article.pk])


class SentenceTests(TestCase):
    def test_a_body_is_paragraphs_of_sentences_with_their_positions(self):
        found = sentences.paragraphs(BODY)
        self.assertEqual([len(paragraph) for paragraph in found], [1, 2, 1])
        for paragraph in found:
            for sentence in paragraph:
                self.assertEqual(BODY[sentence.start : sentence.end], sentence.text)
        self.assertEqual(found[1][1].text, "Officials in Belgrade called it a model.")

    def test_quotes_abbreviations_and_missing_spaces(self):
        text = (
            "“We are impressed,” the ministry said. Mr. Vučić agreed with Dr. Smith. "
            "Serbia bought drones.China sold them. Rekao je dr. Petrović iz gen. štaba."
        )
        self.assertEqual(
            [text[s:e] for s, e in sentences.split(text)],
            [
                "“We are impressed,” the ministry said.",
                "Mr. Vučić agreed with Dr. Smith.",
                "Serbia bought drones.",
                "China sold them.",
                "Rekao je dr. Petrović iz gen. štaba.",
            ],
        )

    def test_a_line_without_a_full_stop_is_a_sentence(self):
        found = sentences.paragraphs("Troops from Serbia\nA senior official spoke.")
        self.assertEqual(
            [p[0].text for p in found], ["Troops from Serbia", "A senior official spoke."]
        )


class SuggestionTests(TestCase):
    published = timezone.make_aware(datetime.datetime(2025, 7, 30, 12))

    def test_the_kind_follows_the_sentences_words(self):
        cases = {
            "They have already acquired various Chinese weapons, including drones.": "arms",
            "Serbia adopts a policy of military neutrality.": "policy",
            "The two armies held a joint exercise.": "military",
            "Vučić met Xi Jinping in Moscow.": "diplomatic",
            "ECOWAS lifted its sanctions on Niger.": "economic",
            "Nothing of note happened.": "other",
        }
        for text, kind in cases.items():
            with self.subTest(text):
                self.assertEqual(workbench.suggested_kind(text), kind)

    def test_the_date_is_the_one_the_sentence_states_or_the_articles(self):
        d = datetime.date
        cases = {
            "The exercise ended on 28 July 2025.": (d(2025, 7, 28), "day"),
            "It ended on July 28, 2025.": (d(2025, 7, 28), "day"),
            "Vežba je završena 28. jula 2025.": (d(2025, 7, 28), "day"),
            "They met in Moscow back in May.": (d(2025, 5, 1), "month"),
            "It may rain.": (d(2025, 7, 30), "day"),
            "Talks began in September.": (d(2024, 9, 1), "month"),
            "An official announced it earlier this month.": (d(2025, 7, 1), "month"),
            "It became a candidate country in 2012.": (d(2012, 1, 1), "year"),
            "Troops trained together.": (d(2025, 7, 30), "day"),
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(workbench.suggested_date(text, self.published), expected)


class WorkbenchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.publisher = make_publisher()
        cls.article = make_article(status="draft", body=BODY, title="Joint drill report")
        cls.claim = make_claim(
            [state("RS"), state("CN")],
            article=cls.article,
            status="draft",
            quote="an exceptional level of organisation",
            statement="Serbia praised the organisation of the Chinese forces.",
        )

    def setUp(self):
        self.client.force_login(self.editor)

    def test_anonymous_visitors_are_sent_to_the_admin_login(self):
        self.client.logout()
        url = workbench_url(self.article)
        response = self.client.get(url)
        self.assertRedirects(
            response, f"{reverse('admin:login')}?next={url}", fetch_redirect_response=False
        )

    def test_the_articles_change_page_links_to_its_workbench(self):
        response = self.client.get(reverse("admin:articles_article_change", args=[self.article.pk]))
        self.assertContains(response, f'href="{workbench_url(self.article)}"')
        self.assertContains(response, "Detected in this text")
        self.assertContains(response, "Countries: Serbia, China.")

    def test_sentences_with_what_they_name_and_the_quotes_already_made(self):
        response = self.client.get(workbench_url(self.article))
        html = unescape(response.content.decode())
        self.assertEqual(html.count('class="sentence"'), 4)
        self.assertIn("Countries: Serbia, China", html)
        self.assertIn("Countries: Serbia", html)  # Belgrade
        self.assertIn("Names no country or actor.", html)
        self.assertIn("<mark>an exceptional level of organisation</mark>", html)
        self.assertIn("Serbia praised the organisation of the Chinese forces.", html)
        self.assertIn("not ready. A published claim needs at least one evidence quote", html)

    def test_each_sentence_links_to_the_claim_add_form_filled_in(self):
        response = self.client.get(workbench_url(self.article))
        link = unescape(
            re.findall(r'class="make-claim" href="([^"]+)"', response.content.decode())[0]
        )
        self.assertIn("kind=military", link)
        self.assertIn("occurred_on=2025-05-12&date_precision=day", link)
        form = self.client.get(link)
        html = form.content.decode()
        self.assertEqual(form.status_code, 200)
        self.assertIn(f'<option value="{state("RS").pk}" selected>Serbia</option>', html)
        self.assertIn(f'<option value="{state("CN").pk}" selected>China</option>', html)
        self.assertIn(
            f'<option value="{self.article.pk}" selected>Joint drill report</option>', html
        )
        self.assertIn(
            "Serbian and Chinese troops held a joint drill near Beijing on 12 May 2025.</textarea>",
            html,
        )
        self.assertIn('<option value="military" selected>', html)
        self.assertIn('value="2025-05-12"', html)

    def test_the_filled_in_add_form_saves_and_comes_back_to_the_workbench(self):
        response = self.client.get(workbench_url(self.article))
        link = unescape(
            re.findall(r'class="make-claim" href="([^"]+)"', response.content.decode())[0]
        )
        data = {
            "statement": "Serbia and China held a drill near Beijing.",
            "language": "en",
            "slug": "",
            "kind": "military",
            "verification": "reported",
            "occurred_on": "2025-05-12",
            "date_precision": "day",
            **management_form("roles", 1),
            **management_form("evidence", 1),
            **management_form("links_from", 0),
            **management_form("corrections", 0),
            "roles-0-actor": state("RS").pk,
            "roles-0-role": "participant",
            "evidence-0-article": self.article.pk,
            "evidence-0-stance": "reports",
            "evidence-0-quote": BODY.splitlines()[0],
            "_save": "Save",
        }
        response = self.client.post(link, data)
        self.assertRedirects(
            response, workbench_url(self.article) + "#claims", fetch_redirect_response=False
        )
        self.assertTrue(Claim.objects.filter(statement=data["statement"]).exists())

    def test_the_page_takes_a_fixed_number_of_queries(self):
        self.client.get(workbench_url(self.article))  # builds the gazetteer once
        with self.assertNumQueries(14):
            self.client.get(workbench_url(self.article))
        make_claim(
            [state("RS")],
            article=self.article,
            status="draft",
            quote="Officials in Belgrade called it a model.",
        )
        with self.assertNumQueries(14):
            self.client.get(workbench_url(self.article))

    def quick_claim(self, **changes):
        data = {
            "action": "claim",
            "quote": "Officials in Belgrade called it a model.",
            "stance": "reports",
            "statement": "Serbian officials called the drill a model.",
            "language": "en",
            "kind": "military",
            "occurred_on": "2025-05-12",
            "date_precision": "day",
            "event": "",
            "actors": [str(state("RS").pk)],
            f"role_{state('RS').pk}": "speaker",
            f"role_{state('CN').pk}": "participant",
        }
        data.update(changes)
        return self.client.post(workbench_url(self.article), data)

    def test_a_claim_is_made_from_a_quote_without_leaving_the_workbench(self):
        response = self.quick_claim()
        self.assertRedirects(
            response, workbench_url(self.article) + "#claims", fetch_redirect_response=False
        )
        claim = Claim.objects.get(statement="Serbian officials called the drill a model.")
        self.assertEqual(claim.status, Status.DRAFT)
        self.assertEqual(claim.created_at.date(), timezone.now().date())
        self.assertEqual([(r.actor, r.role) for r in claim.roles.all()], [(state("RS"), "speaker")])
        self.assertEqual(claim.evidence.get().article, self.article)
        # Derived data was refreshed: the claim involves Serbia.
        self.assertEqual(list(claim.involvements.values_list("country__code", flat=True)), ["RS"])
        self.assertEqual(claim.history.get().history_user, self.editor)
        page = self.client.get(workbench_url(self.article))
        self.assertContains(page, "Saved the draft claim")
        self.assertContains(
            page, "<mark>Officials in Belgrade called it a model.</mark>", html=False
        )

    def test_a_quote_breaking_a_rule_is_refused_saying_which(self):
        for quote, message in (
            ("a model.", "at least 20 characters"),
            ("fficials in Belgrade called it a model.", "middle of a word"),
            ("Officials in Paris called it a model.", "does not occur"),
        ):
            with self.subTest(quote):
                response = self.quick_claim(quote=quote)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(Claim.objects.count(), 1)

    def test_a_claim_made_on_the_workbench_is_linked_to_another_named_by_id_or_address(self):
        other = make_claim([state("RS")], statement="Serbia called the drill a failure.")
        for n, reference in enumerate(
            [
                str(self.claim.pk),
                f"http://testserver{other.get_absolute_url()}",
                reverse("admin:articles_claim_change", args=[other.pk]),
            ]
        ):
            with self.subTest(reference):
                statement = f"Serbian officials called the drill a model ({n})."
                response = self.quick_claim(
                    statement=statement, link_type="contradicts", link_to=reference
                )
                self.assertEqual(response.status_code, 302)
                claim = Claim.objects.get(statement=statement)
                link = ClaimLink.objects.get(from_claim=claim)
                self.assertEqual(link.type, "contradicts")
                self.assertEqual(link.to_claim, self.claim if n == 0 else other)
                self.assertEqual(link.recorded_on, timezone.now().date())

    def test_the_workbench_form_offers_a_link_to_another_claim(self):
        page = self.client.get(workbench_url(self.article))
        self.assertContains(page, "Another claim it bears on")
        self.assertContains(page, 'name="link_to"')
        self.assertContains(page, '<option value="contradicts">contradicts</option>', html=True)

    def test_a_link_to_no_claim_or_half_a_link_is_refused_saying_why(self):
        for changes, message in [
            ({"link_type": "supports", "link_to": "999999"}, "No claim has this id or address"),
            ({"link_type": "supports", "link_to": "not a claim"}, "No claim has this id"),
            ({"link_type": "supports", "link_to": ""}, "Give both how this claim bears"),
            ({"link_type": "", "link_to": str(self.claim.pk)}, "Give both how this claim bears"),
            ({"link_type": "nonsense", "link_to": str(self.claim.pk)}, "Select a valid choice"),
        ]:
            with self.subTest(**changes):
                response = self.quick_claim(**changes)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(Claim.objects.count(), 1)
        self.assertFalse(ClaimLink.objects.exists())

    def test_a_lookalike_is_saved_with_a_warning(self):
        self.quick_claim(
            statement="Serbia praised the organisation of the Chinese forces.",
            occurred_on=self.claim.occurred_on.isoformat(),
            actors=[str(state("RS").pk), str(state("CN").pk)],
        )
        page = self.client.get(workbench_url(self.article))
        self.assertContains(page, "looks like")

    def test_editors_cannot_publish_from_the_workbench(self):
        page = self.client.get(workbench_url(self.article))
        self.assertNotContains(page, "Publish the article with its ready claims")
        response = self.client.post(workbench_url(self.article), {"action": "publish"})
        self.assertEqual(response.status_code, 403)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.DRAFT)

    def test_a_publisher_publishes_the_article_and_its_ready_claims_and_hears_which_are_not(self):
        unready = make_claim(
            article=self.article,
            status="draft",
            quote="Nothing else was said.",
            statement="Nothing else was said, nobody said.",
        )
        self.client.force_login(self.publisher)
        response = self.client.post(workbench_url(self.article), {"action": "publish"}, follow=True)
        self.assertContains(response, "Published the article, and 1 claim.")
        self.assertContains(
            response,
            "Not published: “Nothing else was said, nobody said.”: A published claim needs at "
            "least one actor",
        )
        self.article.refresh_from_db()
        self.claim.refresh_from_db()
        unready.refresh_from_db()
        self.assertEqual(
            (self.article.status, self.claim.status, unready.status),
            (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT),
        )
        # Readers see them at once.
        self.client.logout()
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.article.get_absolute_url()).status_code, 200)


class SeedArticleTests(TestCase):
    """The demo's seed article: what the workbench suggests for its sentences."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.article = Article.objects.get(slug="peace-guardian-2025")

    def test_countries_named_without_an_actor_bring_their_state_and_people_do_not(self):
        evidence = workbench.article_evidence(self.article)
        rows = [row for paragraph in workbench.rows(self.article, evidence) for row in paragraph]
        by_start = {row.sentence.text[:30]: row for row in rows}
        belgrade = by_start["Belgrade wassaid to be “impres"]
        self.assertEqual([a.name for a in belgrade.claim_actors], ["Serbia", "China"])
        friend = by_start["China’s budding allyship with "]
        self.assertEqual(
            sorted(a.name for a in friend.claim_actors),
            # Vučić and Xi are more specific actors of Serbia and China.
            ["Aleksandar Vučić", "Russia", "Xi Jinping"],
        )
        self.assertEqual(
            (friend.occurred_on, friend.precision), (datetime.date(2025, 5, 1), "month")
        )
        eu = by_start["It’s understood the deepening "]
        self.assertEqual([a.name for a in eu.claim_actors], ["European Union"])
        self.assertIn("Peace Guardian 2025", by_start["Images have emerged showing th"].event.name)

    def test_the_seed_articles_quotes_are_marked(self):
        editor = make_editor()
        self.client.force_login(editor)
        html = self.client.get(workbench_url(self.article)).content.decode()
        self.assertGreaterEqual(html.count("<mark>"), 9)
        self.assertFalse(ClaimActor.objects.filter(actor__slug="none").exists())
        self.assertTrue(Evidence.objects.filter(article=self.article).exists())
