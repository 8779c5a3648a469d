"""
Claim, article, event, actor and source pages, and the events, actors and articles
indexes: what a reader sees, canonical URLs, and a fixed number of queries.
"""

import datetime
import html
import re

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import ClaimActor, Evidence

from .factories import (
    country,
    make_actor,
    make_article,
    make_claim,
    make_event,
    make_source,
    serbia_china_world,
    state,
)


def at(*parts):
    return timezone.make_aware(datetime.datetime(*parts, 12, 0))


def marks(response):
    """(id or None, claim href, marked text) of every <mark> in the article body."""
    page = response.content.decode()
    body = page[page.index('<div class="body">') :]
    body = body[: body.index("</div>")]
    return [
        (anchor or None, href, html.unescape(text))
        for anchor, href, text in re.findall(
            r'<mark(?: id="([^"]*)")?><a href="([^"]*)">(.*?)</a></mark>', body, re.S
        )
    ]


def section(response, heading_id):
    page = response.content.decode()
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


class ClaimPageFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = serbia_china_world()


class ClaimPageTests(ClaimPageFixture):
    def get(self):
        return self.client.get(self.world.exercise.get_absolute_url())

    def test_shows_the_statement_kind_place_and_event(self):
        response = self.get()
        self.assertContains(
            response,
            "<h1>Serbia and China held their first joint military exercise.</h1>",
            html=True,
        )
        self.assertContains(response, "Military cooperation claim")
        self.assertContains(response, "Hebei province, ")
        self.assertContains(response, '<a href="/countries/cn/">China</a>', html=True)
        self.assertContains(
            response,
            f'<a href="{self.world.peace_guardian.get_absolute_url()}">Peace Guardian 2025</a>',
            html=True,
        )

    def test_a_month_precise_date_reads_as_the_month(self):
        response = self.get()
        self.assertContains(response, '<time datetime="2025-05-01">May 2025</time>', html=True)
        self.assertNotContains(response, "17 May 2025")

    def test_actors_with_their_roles(self):
        response = self.get()
        self.assertContains(
            response, f'<a href="{state("CN").get_absolute_url()}">China</a> — host'
        )
        self.assertContains(
            response, f'<a href="{state("RS").get_absolute_url()}">Serbia</a> — participant'
        )
        # A non-state actor is shown with its country.
        self.assertContains(response, "People&#x27;s Liberation Army</a> — participant (China)")

    def test_verification(self):
        self.assertContains(
            self.get(),
            '<span class="verification verification-corroborated">Corroborated</span>',
            html=True,
        )

    def test_evidence_shows_quote_source_date_stance_and_links_to_the_highlight(self):
        evidence = section(self.get(), "evidence-heading")
        self.assertIn("Officials called it the &#x27;first joint exercise&#x27;", evidence)
        self.assertIn(
            f'<a href="{self.world.article.get_absolute_url()}#evidence-{self.world.evidence.pk}">'
            "Read the quote in “Serbian forces train in China”</a>",
            evidence,
        )
        self.assertIn('<a href="/sources/demo-wire/">Demo Wire</a>', evidence)
        self.assertIn("20 May 2025", evidence)
        self.assertIn("Stance: asserts.", evidence)
        self.assertIn("Stance: reports.", evidence)

    def test_evidence_is_in_the_order_the_articles_were_published(self):
        evidence = section(self.get(), "evidence-heading")
        self.assertLess(
            evidence.index("Chinese ministry announces drill"),
            evidence.index("Serbian forces train in China"),
        )

    def test_evidence_from_a_draft_article_is_not_shown(self):
        response = self.get()
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, self.world.draft_article.get_absolute_url())

    def test_related_claims_share_an_actor_or_the_event_and_are_published(self):
        related = section(self.get(), "related-heading")
        self.assertIn("Serbia bought Chinese drones.", related)
        self.assertIn("Russia observed the exercise.", related)
        self.assertNotIn("Niger left ECOWAS.", related)
        self.assertNotIn("Zanzibarite", related)
        self.assertNotIn("first joint military exercise", related)

    def test_a_wrong_slug_redirects_permanently_to_the_canonical_url(self):
        response = self.client.get(
            reverse("claim_detail", args=[self.world.exercise.pk, "old-slug"])
        )
        self.assertRedirects(response, self.world.exercise.get_absolute_url(), status_code=301)

    def test_the_id_alone_redirects_permanently_to_the_canonical_url(self):
        response = self.client.get(reverse("claim_detail_short", args=[self.world.exercise.pk]))
        self.assertRedirects(response, self.world.exercise.get_absolute_url(), status_code=301)

    def test_a_draft_claim_is_404_at_every_address(self):
        for url in (
            self.world.draft_claim.get_absolute_url(),
            reverse("claim_detail_short", args=[self.world.draft_claim.pk]),
            reverse("claim_detail", args=[self.world.draft_claim.pk, "other"]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_unknown_claim_is_404(self):
        self.assertEqual(
            self.client.get(reverse("claim_detail_short", args=[999999])).status_code, 404
        )


class ArticlePageTests(ClaimPageFixture):
    def get(self, article=None):
        return self.client.get((article or self.world.article).get_absolute_url())

    def test_shows_title_source_date_authors_and_original_link(self):
        response = self.get()
        self.assertContains(response, "<h1>Serbian forces train in China</h1>", html=True)
        self.assertContains(response, '<a href="/sources/demo-wire/">Demo Wire</a>', html=True)
        self.assertContains(response, "20 May 2025")
        self.assertContains(response, "by Ana Author, Ben Writer")
        self.assertContains(response, 'href="https://example.org/serbian-forces"')

    def test_a_quote_with_other_quote_marks_and_spaces_is_highlighted_and_links_to_its_claim(self):
        # The body has ‘curly’ quotes; the evidence was typed with 'straight' ones.
        self.assertIn(
            (
                f"evidence-{self.world.evidence.pk}",
                self.world.exercise.get_absolute_url(),
                "Officials called it the ‘first joint exercise’ of the two armies.",
            ),
            marks(self.get()),
        )

    def test_every_published_claims_quote_is_highlighted(self):
        other = make_claim(
            [state("RS")],
            article=self.world.article,
            quote='the drill showed "an exceptional level of\norganisation"',
            statement="Serbia praised the organisation of the drill.",
        )
        evidence = other.evidence.get()
        found = marks(self.get())
        self.assertIn(
            (
                f"evidence-{evidence.pk}",
                other.get_absolute_url(),
                "the drill showed “an exceptional level   of organisation”",
            ),
            found,
        )
        self.assertEqual(len(found), 2)

    def test_a_quote_over_a_paragraph_break_is_marked_in_each_paragraph(self):
        other = make_claim(
            [state("RS")],
            article=self.world.article,
            quote="held in Serbia. Drones were at the centre",
            statement="Drones will be at the centre of the exercise in Serbia.",
        )
        evidence = other.evidence.get()
        found = [mark for mark in marks(self.get()) if mark[1] == other.get_absolute_url()]
        self.assertEqual(
            found,
            [
                (f"evidence-{evidence.pk}", other.get_absolute_url(), "held in Serbia."),
                (None, other.get_absolute_url(), "Drones were at the centre"),
            ],
        )

    def test_a_draft_claims_quote_is_not_highlighted(self):
        response = self.get()
        self.assertNotContains(response, self.world.draft_claim.get_absolute_url())
        self.assertNotContains(response, f"evidence-{self.world.draft_claim.evidence.get().pk}")
        self.assertContains(response, "The next exercise will be held in Serbia.")

    def test_lists_the_published_claims_it_backs(self):
        backs = section(self.get(), "backs-heading")
        self.assertIn(
            f'<a href="{self.world.exercise.get_absolute_url()}">'
            "Serbia and China held their first joint military exercise.</a>",
            backs,
        )
        self.assertIn(f'<a href="#evidence-{self.world.evidence.pk}">see the quote</a>', backs)
        self.assertIn("stance: asserts", backs)
        self.assertNotIn("Zanzibarite", backs)

    def test_two_claims_quoting_the_same_words_are_both_highlighted(self):
        # highlighted_body() once sorted (start, end, evidence) tuples: equal spans made
        # it compare two Evidence objects, a TypeError, and the page answered 500.
        twin = make_claim(
            [state("RS")],
            article=self.world.article,
            quote="Drones were at the centre of the training.",
            statement="Drones were central to the training.",
        )
        triplet = make_claim(
            [state("CN")],
            article=self.world.article,
            quote="Drones were at the centre of the training.",
            statement="China used drones in the training.",
        )
        response = self.get()
        self.assertEqual(response.status_code, 200)
        # Both anchors exist where the quote starts (one on the <mark>, one beside it).
        anchors = set(re.findall(r'id="(evidence-\d+)"', response.content.decode()))
        self.assertIn(f"evidence-{twin.evidence.get().pk}", anchors)
        self.assertIn(f"evidence-{triplet.evidence.get().pk}", anchors)

    def test_a_quote_inside_another_quote_keeps_its_anchor(self):
        # highlighted_body() once clamped a quote lying (or starting) inside another to
        # where the first ended: the inner quote got no <mark id>, so the claim page's
        # "#evidence-<id>" link led nowhere.
        inner = make_claim(
            [state("RS")],
            article=self.world.article,
            quote="first joint exercise",
            statement="It was the first joint exercise.",
        )
        overlapping = make_claim(
            [state("RS")],
            article=self.world.article,
            quote="of the two armies. The next exercise",
            statement="A second exercise will follow.",
        )
        anchors = {mark[0] for mark in marks(self.get())}
        self.assertIn(f"evidence-{inner.evidence.get().pk}", anchors)
        self.assertIn(f"evidence-{overlapping.evidence.get().pk}", anchors)

    def test_accents_written_as_combining_marks_do_not_shift_the_highlight(self):
        # "Vuc\u030cic\u0301" (decomposed, as some editors paste it) is two characters
        # longer than its NFC form: quote positions and the body that is sliced must
        # agree, or the <mark> lands two characters early and cuts the quote short.
        body = "President Vuc\u030cic\u0301 spoke first.\nThe drill went well, he said."
        article = make_article(source=self.world.wire, body=body)
        claim = make_claim([state("RS")], article=article, quote="The drill went well")
        self.assertEqual([mark[2] for mark in marks(self.get(article))], ["The drill went well"])
        article.refresh_from_db()
        start, end = claim.evidence.get().span()
        self.assertEqual(article.body[start:end], "The drill went well")

    def test_markup_in_the_body_and_quotes_is_shown_as_text(self):
        article = make_article(
            source=self.world.wire,
            body='He wrote <script>alert("x")</script> & left.\nThen <b>bold</b> claims.',
        )
        make_claim(
            [state("RS")],
            article=article,
            quote='<script>alert("x")</script> & left.',
            statement="A <em>claim</em> with markup.",
        )
        response = self.get(article)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<b>bold</b>")
        self.assertNotContains(response, "<em>claim</em>")
        self.assertContains(
            response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left."
        )

    def test_a_wrong_slug_redirects_permanently_to_the_canonical_url(self):
        response = self.client.get(reverse("article_detail", args=[self.world.article.pk, "nope"]))
        self.assertRedirects(response, self.world.article.get_absolute_url(), status_code=301)

    def test_the_id_alone_redirects_permanently_to_the_canonical_url(self):
        response = self.client.get(reverse("article_detail_short", args=[self.world.article.pk]))
        self.assertRedirects(response, self.world.article.get_absolute_url(), status_code=301)

    def test_a_draft_article_is_404_at_every_address(self):
        for url in (
            self.world.draft_article.get_absolute_url(),
            reverse("article_detail_short", args=[self.world.draft_article.pk]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)


class EventPageTests(ClaimPageFixture):
    def get(self):
        return self.client.get(self.world.peace_guardian.get_absolute_url())

    def test_shows_kind_dates_place_host_and_participants(self):
        response = self.get()
        self.assertContains(response, "<h1>Peace Guardian 2025</h1>", html=True)
        self.assertContains(response, "Military exercise")
        self.assertContains(response, "12 May 2025")
        self.assertContains(response, "21 May 2025")
        self.assertContains(response, "<dd>Hebei province, China</dd>", html=True)
        self.assertContains(response, "<dt>Host</dt><dd>China</dd>", html=True)
        self.assertContains(response, "People&#x27;s Liberation Army, Serbia")

    def test_lists_its_published_claims_in_date_order(self):
        claims = section(self.get(), "claims-heading")
        self.assertLess(
            claims.index("Serbia and China held their first joint military exercise."),
            claims.index("Russia observed the exercise."),
        )
        self.assertNotIn("Zanzibarite", claims)

    def test_lists_the_published_articles_behind_its_claims(self):
        articles = section(self.get(), "articles-heading")
        self.assertIn("Serbian forces train in China", articles)
        self.assertIn("Chinese ministry announces drill", articles)
        self.assertNotIn("Zanzibarite", articles)

    def test_an_event_with_only_draft_claims_is_404(self):
        event = make_event(slug="draft-only-event")
        make_claim([state("RS")], event=event, status="draft")
        self.assertEqual(self.client.get(event.get_absolute_url()).status_code, 404)

    def test_an_unknown_event_is_404(self):
        self.assertEqual(
            self.client.get(reverse("event_detail", args=["no-such-event"])).status_code, 404
        )


class ActorPageTests(ClaimPageFixture):
    def test_lists_its_published_claims_with_its_role(self):
        response = self.client.get(state("CN").get_absolute_url())
        self.assertContains(response, "<h1>China</h1>", html=True)
        self.assertContains(response, "Serbia and China held their first joint military exercise.")
        self.assertContains(response, "Role: <strong>host</strong>")
        self.assertContains(response, "May 2025")

    def test_a_non_state_actor_shows_its_kind_and_country(self):
        response = self.client.get(self.world.pla.get_absolute_url())
        self.assertContains(response, "Armed forces")
        self.assertContains(response, "China")
        self.assertContains(response, "Role: <strong>participant</strong>")

    def test_draft_claims_are_not_listed(self):
        response = self.client.get(state("RS").get_absolute_url())
        self.assertContains(response, "Serbia bought Chinese drones.")
        self.assertNotContains(response, "Zanzibarite")

    def test_the_newest_claims_come_first_and_undated_ones_last(self):
        actor = make_actor(slug="ordering-actor")
        for statement, date in [
            ("An undated standing fact.", None),
            ("An older claim.", datetime.date(2020, 1, 1)),
            ("A newer claim.", datetime.date(2024, 1, 1)),
        ]:
            make_claim(
                [actor],
                statement=statement,
                occurred_on=date,
                date_precision="day" if date else "",
            )
        page = self.client.get(actor.get_absolute_url()).content.decode()
        positions = [
            page.index(text) for text in ("A newer claim.", "An older claim.", "An undated")
        ]
        self.assertEqual(positions, sorted(positions))

    def test_an_actor_only_in_drafts_is_404(self):
        actor = make_actor(slug="draft-only-actor")
        make_claim([actor], status="draft")
        self.assertEqual(self.client.get(actor.get_absolute_url()).status_code, 404)

    def test_an_actor_in_no_claim_is_404(self):
        self.assertEqual(
            self.client.get(reverse("actor_detail", args=["nobody-at-all"])).status_code, 404
        )


class SourcePageTests(ClaimPageFixture):
    def test_lists_its_published_articles_newest_first(self):
        make_article(
            title="An older wire report", source=self.world.wire, published_at=at(2025, 1, 2)
        )
        make_article(title="Zanzibarite wire draft", source=self.world.wire, status="draft")
        response = self.client.get(reverse("source_detail", args=["demo-wire"]))
        self.assertContains(response, "<h1>Demo Wire</h1>", html=True)
        page = response.content.decode()
        self.assertLess(
            page.index("Serbian forces train in China"), page.index("An older wire report")
        )
        self.assertNotContains(response, "Zanzibarite")

    def test_a_source_with_only_draft_articles_is_404(self):
        source = make_source(slug="draft-only-source")
        make_article(source=source, status="draft")
        self.assertEqual(self.client.get(source.get_absolute_url()).status_code, 404)

    def test_an_unknown_source_is_404(self):
        self.assertEqual(
            self.client.get(reverse("source_detail", args=["no-such-source"])).status_code, 404
        )


class IndexTests(TestCase):
    """serbia_china_world()'s events, actors and articles, and its draft-only ones."""

    @classmethod
    def setUpTestData(cls):
        cls.world = serbia_china_world()


class EventIndexTests(IndexTests):
    def get(self, query=""):
        return self.client.get(reverse("event_list") + query)

    def test_lists_events_with_published_claims_newest_first(self):
        page = self.get().content.decode()
        self.assertLess(page.index("Peace Guardian 2025"), page.index("ECOWAS summit"))
        self.assertNotIn("Zanzibarite", page)

    def test_filter_by_kind(self):
        response = self.get("?kind=summit")
        self.assertContains(response, "ECOWAS summit")
        self.assertNotContains(response, "Peace Guardian 2025")

    def test_filter_by_country_hosting_or_involved(self):
        # Russia hosts talks where only Niger is involved, and is involved in a claim at
        # Peace Guardian 2025, which China hosts.
        talks = make_event(name="Moscow talks", kind="summit", host_country=country("RU"))
        make_claim([self.world.niger], event=talks)
        response = self.get("?country=ru")
        self.assertContains(response, "Moscow talks")
        self.assertContains(response, "Peace Guardian 2025")
        self.assertNotContains(response, "ECOWAS summit")
        self.assertNotContains(response, "Zanzibarite")

    def test_kind_and_country_together(self):
        self.assertContains(self.get("?kind=summit&country=ne"), "ECOWAS summit")
        response = self.get("?kind=exercise&country=ne")
        self.assertNotContains(response, "ECOWAS summit")
        self.assertNotContains(response, "Peace Guardian 2025")

    def test_a_filter_matching_nothing_says_so(self):
        self.assertContains(self.get("?kind=exercise&country=ne"), "No events match.")


class ActorIndexTests(IndexTests):
    def get(self, query=""):
        return self.client.get(reverse("actor_list") + query)

    def test_lists_actors_with_published_claims(self):
        response = self.get()
        for name in ("Serbia", "China", "Russia", "Niger", "People&#x27;s Liberation Army"):
            self.assertContains(response, f">{name}</a>")
        # The militia and France are only in drafts.
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, ">France</a>")

    def test_filter_by_kind(self):
        response = self.get("?kind=armed_forces")
        self.assertContains(response, "People&#x27;s Liberation Army")
        self.assertNotContains(response, ">Serbia</a>")

    def test_filter_by_country(self):
        response = self.get("?country=cn")
        self.assertContains(response, ">China</a>")
        self.assertContains(response, "People&#x27;s Liberation Army")
        self.assertNotContains(response, ">Serbia</a>")

    def test_kind_and_country_together(self):
        response = self.get("?kind=state&country=CN")
        self.assertContains(response, ">China</a>")
        self.assertNotContains(response, "People&#x27;s Liberation Army")

    def test_a_filter_matching_nothing_says_so(self):
        self.assertContains(self.get("?kind=person&country=cn"), "No actors match.")


class ArticleIndexTests(IndexTests):
    def titles(self, query=""):
        response = self.client.get(reverse("article_list") + query)
        self.assertEqual(response.status_code, 200, query)
        return re.findall(
            r'<p class="article-title"><a href="[^"]*">(.*?)</a></p>', response.content.decode()
        )

    def assertTitles(self, query, articles):
        self.assertEqual(self.titles(query), [html.escape(article.title) for article in articles])

    def test_published_articles_newest_first(self):
        w = self.world
        self.assertTitles(
            "",
            [w.article, w.earlier, w.observer_article, w.drones_article, w.niger_article],
        )

    def test_filter_by_source(self):
        w = self.world
        self.assertTitles("?source=demo-wire", [w.article, w.drones_article])

    def test_filter_by_country_of_the_claims_it_backs(self):
        w = self.world
        self.assertTitles("?country=rs", [w.article, w.earlier, w.drones_article])
        self.assertTitles("?country=NE", [w.niger_article])

    def test_filter_by_language(self):
        self.assertTitles("?language=FR", [self.world.niger_article])

    def test_filter_by_dates(self):
        w = self.world
        self.assertTitles(
            "?from=2025-05&to=2025-05-18", [w.earlier, w.observer_article, w.drones_article]
        )
        self.assertTitles("?to=2024", [w.niger_article])

    def test_filters_combine(self):
        # Not the earlier article (another source), nor the drones one (Serbia only).
        self.assertTitles("?source=demo-wire&country=cn&from=2025", [self.world.article])

    def test_a_filter_matching_nothing_says_so(self):
        response = self.client.get(reverse("article_list") + "?language=de")
        self.assertContains(response, "No published articles match.")

    def test_shows_how_many_published_claims_each_backs(self):
        w = self.world
        orphan = make_article(title="Report backing nothing", published_at=at(2025, 7, 1))
        page = self.client.get(reverse("article_list")).content.decode()
        backs = {
            html.unescape(title): int(count)
            for title, count in re.findall(
                r'<p class="article-title"><a [^>]*>(.*?)</a></p>.*?backs (\d+) claim', page, re.S
            )
        }
        # The article's draft claim is not counted; the earlier one backs the exercise
        # and the formula claim.
        self.assertEqual(
            backs,
            {
                orphan.title: 0,
                w.article.title: 1,
                w.earlier.title: 2,
                w.observer_article.title: 1,
                w.drones_article.title: 1,
                w.niger_article.title: 1,
            },
        )


class DetailPageQueryCountTests(TestCase):
    """Each page makes as many queries for one row as for twenty.

    Counts include, first, the content version that pages are cached under
    (articles/caching.py); adding rows moves it on, so each request here renders afresh.
    """

    def test_claim_page(self):
        # 1 the change log number, 2 the claim with its country and event, 3 its actors,
        # 4 its published evidence with articles and sources, 5 its corrections, 6-7 its
        # links to and from other claims, 8-9 the read index catches up (the entries
        # since it was built, the claims they name), 10 related claims (which the read
        # index finds).
        article = make_article()
        claim = make_claim([state("RS")], article=article, event=make_event())
        url = claim.get_absolute_url()
        make_claim([state("RS")])
        with self.assertNumQueries(10):
            self.client.get(url)
        for _ in range(19):
            actor = make_actor(country=country("CN"))
            ClaimActor.objects.create(claim=claim, actor=actor)
            Evidence.objects.create(
                claim=claim, article=make_article(), quote="troops held a joint drill"
            )
            make_claim([actor])
        with self.assertNumQueries(10):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count("Read the quote in"), 20)

    def test_article_page(self):
        # 1 the article with its source, 2 its evidence with their claims.
        body = "\n".join(f"Sentence number {n} of the article." for n in range(20))
        article = make_article(body=body)
        url = article.get_absolute_url()
        make_claim(article=article, quote="Sentence number 0 of the article.")
        with self.assertNumQueries(3):
            self.client.get(url)
        for n in range(1, 20):
            make_claim(article=article, quote=f"Sentence number {n} of the article.")
        with self.assertNumQueries(3):
            response = self.client.get(url)
        self.assertEqual(len(marks(response)), 20)

    def test_event_page(self):
        # 1 the change log number, 2 the event with its host, 3 its participants,
        # 4-5 the read index catches up (the entries since it was built, the claims they
        # name), 6 a page of its claims, 7 their actors, 8 the articles behind them.
        event = make_event(host_country=country("CN"))
        url = event.get_absolute_url()

        def add(n):
            for _ in range(n):
                actor = make_actor(country=country("RS"))
                event.participants.add(actor)
                make_claim([actor, state("CN")], event=event)

        add(1)
        with self.assertNumQueries(8):
            self.client.get(url)
        add(19)
        with self.assertNumQueries(8):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('class="claim"'), 20)

    def test_actor_page(self):
        # 1 the change log number, 2 the actor with its country, 3-4 the read index
        # catches up, 5 a page of its claims, 6 their actors, 7 the roles it played.
        actor = state("RS")
        url = actor.get_absolute_url()
        make_claim([actor], event=make_event(), country=country("RS"))
        with self.assertNumQueries(7):
            self.client.get(url)
        for _ in range(19):
            make_claim([actor], event=make_event(), country=country("RS"))
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count("Role: <strong>"), 20)

    def test_source_page(self):
        # 1 the source with its country, 2 has it published articles, 3 count,
        # 4 the page of articles.
        source = make_source(country=country("RS"))
        url = source.get_absolute_url()
        make_article(source=source)
        with self.assertNumQueries(5):
            self.client.get(url)
        for _ in range(19):
            make_article(source=source)
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('class="article"'), 20)

    def test_events_index(self):
        # 1 validate ?country, 2 count, 3 the page of events with hosts and claim
        # counts, 4 the countries for the filter form's menu.
        url = reverse("event_list") + "?country=rs&kind=exercise"
        make_claim([state("RS")], event=make_event(host_country=country("CN")))
        with self.assertNumQueries(5):
            self.client.get(url)
        for _ in range(19):
            make_claim([state("RS")], event=make_event(host_country=country("CN")))
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count("hosted by China"), 20)

    def test_actors_index(self):
        # 1 validate ?country, 2 count, 3 the page of actors with countries and claim
        # counts, 4 the countries for the filter form's menu.
        url = reverse("actor_list") + "?kind=person&country=rs"

        def add(n):
            for _ in range(n):
                make_claim([make_actor(kind="person", country=country("RS"))])

        add(1)
        with self.assertNumQueries(5):
            self.client.get(url)
        add(19)
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count("Person, Serbia"), 20)

    def test_articles_index(self):
        # 1 the change log number, 2 validate ?source, 3 validate ?country, 4 count,
        # 5-6 every source and every country, for the filter form's menus, 7 the page of
        # articles with sources and claim counts.
        source = make_source(slug="counted-source")
        url = reverse("article_list") + "?source=counted-source&country=rs&language=en&from=2025"

        def add(n):
            for _ in range(n):
                make_claim([state("RS")], article=make_article(source=source))

        add(1)
        with self.assertNumQueries(7):
            self.client.get(url)
        add(19)
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('class="article"'), 20)
