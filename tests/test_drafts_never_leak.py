"""
Drafts never reach readers, on any page.

The demo data holds a draft article, a draft claim and an actor that only the draft
claim mentions, all carrying the word "Zanzibarite"; the draft article also backs a
published claim. Every public URL that can be enumerated from published rows is
fetched and searched for the word. Targeted fixtures cover counts and 404s.
"""

import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles.models import Actor, Article, Claim, Country, Event, Source, Status

from .factories import serbia_china_world

MARKER = "zanzibarite"
DRAFT_CLAIM = "zanzibarite-drones-supplied-to-serbian-forces"
DRAFT_ARTICLE = "zanzibarite-draft"
DRAFT_ACTOR = "draft-only-actor-zanzibarite"
FIRST_EXERCISE = "china-and-serbia-hold-first-joint-military-exercise"


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


class DemoFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def public_urls(self):
        """Every page, feed, export and API URL a reader can reach in the demo data."""
        published = Claim.objects.published()
        urls = [
            reverse(name)
            for name in (
                "home",
                "claim_list",
                "country_list",
                "event_list",
                "actor_list",
                "article_list",
                "claim_feed",
                "claim_map",
                "api_claims",
                "api_articles",
                "sitemap",
                "robots_txt",
            )
        ]
        urls += [reverse("claim_list") + "?page=2", reverse("api_claims") + "?page_size=100"]
        urls += [reverse("api_articles") + "?page_size=100"]
        for fmt in ("csv", "json"):
            urls += [reverse("claim_export", args=[fmt]), reverse("article_export", args=[fmt])]
        for sort in ("recent", "added", "sourced"):
            urls.append(reverse("claim_list") + f"?sort={sort}")
        for kind in Claim.Kind.values:
            urls.append(reverse("claim_list") + f"?kind={kind}")
        for claim in published:
            urls.append(claim.get_absolute_url())
        for article in Article.objects.published():
            urls.append(article.get_absolute_url())
        for source in Source.objects.filter(articles__status=Status.PUBLISHED).distinct():
            urls.append(source.get_absolute_url())
            urls.append(reverse("claim_list") + f"?source={source.slug}")
            urls.append(reverse("article_list") + f"?source={source.slug}")
        countries = Country.objects.filter(involvements__claim__in=published).distinct()
        for country in countries:
            code = country.slug
            urls.append(country.get_absolute_url())
            urls.append(reverse("country_feed", args=[code]))
            urls.append(reverse("claim_list") + f"?country={code}")
            urls.append(reverse("article_list") + f"?country={code}")
            urls.append(reverse("event_list") + f"?country={code}")
            urls.append(reverse("actor_list") + f"?country={code}")
            # Pairs are of partners: countries of the actors of one published claim.
            for partner in countries.filter(
                involvements__by_actor=True,
                involvements__claim__in=published,
                involvements__claim__involvements__country=country,
                involvements__claim__involvements__by_actor=True,
            ).distinct():
                if partner != country:
                    urls.append(reverse("country_pair", args=[code, partner.slug]))
                    urls.append(reverse("country_pair_feed", args=[code, partner.slug]))
        for event in Event.objects.filter(claims__in=published).distinct():
            urls.append(event.get_absolute_url())
            urls.append(reverse("event_feed", args=[event.slug]))
            urls.append(reverse("claim_list") + f"?event={event.slug}")
        for actor in Actor.objects.filter(claim_roles__claim__in=published).distinct():
            urls.append(actor.get_absolute_url())
            urls.append(reverse("claim_list") + f"?actor={actor.slug}")
        return urls


class DemoDraftsNeverLeakTests(DemoFixture):
    def test_the_demo_has_the_drafts_this_file_looks_for(self):
        self.assertEqual(Claim.objects.get(slug=DRAFT_CLAIM).status, Status.DRAFT)
        self.assertEqual(Article.objects.get(slug=DRAFT_ARTICLE).status, Status.DRAFT)
        self.assertTrue(Actor.objects.filter(slug=DRAFT_ACTOR).exists())
        self.assertTrue(
            Claim.objects.get(slug=FIRST_EXERCISE).evidence.filter(article__slug=DRAFT_ARTICLE)
        )

    def test_no_public_url_mentions_the_drafts(self):
        urls = self.public_urls()
        self.assertGreater(len(urls), 100)
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(MARKER, text(response).lower())

    def test_the_draft_claim_is_404(self):
        claim = Claim.objects.get(slug=DRAFT_CLAIM)
        for url in (claim.get_absolute_url(), reverse("claim_detail_short", args=[claim.pk])):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_draft_article_is_404(self):
        article = Article.objects.get(slug=DRAFT_ARTICLE)
        for url in (
            article.get_absolute_url(),
            reverse("article_detail_short", args=[article.pk]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_actor_only_in_the_draft_is_404(self):
        self.assertEqual(
            self.client.get(reverse("actor_detail", args=[DRAFT_ACTOR])).status_code, 404
        )

    def test_evidence_from_the_draft_article_is_not_on_the_published_claims_page(self):
        claim = Claim.objects.get(slug=FIRST_EXERCISE)
        response = self.client.get(claim.get_absolute_url())
        self.assertContains(response, "The training in China was the first joint training")
        self.assertNotContains(response, "Zanzibarite observers")
        self.assertNotContains(response, "/drafts/zanzibarite")

    def test_searching_for_the_draft_finds_nothing(self):
        response = self.client.get(reverse("claim_list"), {"q": "Zanzibarite"})
        self.assertContains(response, '<p class="total">0 claims</p>', html=True)
        self.assertNotContains(response, "Zanzibarite drones")

    def test_filtering_by_the_draft_only_actor_is_400_without_its_name(self):
        # Readers can only name actors they can see: a chip would otherwise read
        # "Actor: Draft-only Actor Zanzibarite" for an actor whose page is 404.
        response = self.client.get(reverse("claim_list"), {"actor": DRAFT_ACTOR})
        self.assertContains(response, "not one of the available choices", status_code=400)
        self.assertNotContains(response, "Draft-only Actor Zanzibarite", status_code=400)


class DemoCountsExcludeDraftsTests(DemoFixture):
    """Counts made by hand from articles/demo_data.py; the draft would add one to each."""

    def test_country_list_counts(self):
        response = self.client.get(reverse("country_list"))
        self.assertContains(
            response, '<a href="/countries/cn/">China</a> <span class="count">12</span>', html=True
        )
        self.assertContains(
            response, '<a href="/countries/rs/">Serbia</a> <span class="count">14</span>', html=True
        )

    def test_home_counts(self):
        response = self.client.get(reverse("home"))
        self.assertContains(
            response, '<a href="/countries/rs/">Serbia</a> <span class="count">14</span>', html=True
        )
        self.assertContains(
            response,
            '<a href="/events/peace-guardian-2025/">Peace Guardian 2025</a>'
            ' <span class="count">5</span>',
            html=True,
        )

    def test_claims_list_total_and_facets(self):
        response = self.client.get(reverse("claim_list"))
        self.assertContains(response, '<p class="total">23 claims</p>', html=True)
        page = response.content.decode()
        self.assertRegex(page, r'kind=arms">Arms transfer</a> <span class="count">2</span>')
        self.assertRegex(
            page, r'event=peace-guardian-2025">Peace Guardian 2025</a> <span class="count">5<'
        )
        self.assertRegex(page, r'country=cn">China</a> <span class="count">12</span>')

    def test_pair_page_counts_by_kind(self):
        response = self.client.get(reverse("country_pair", args=["rs", "cn"]))
        page = response.content.decode()
        self.assertRegex(page, r"kind=military\">Military cooperation</a> <span class=\"count\">7<")
        self.assertRegex(page, r"kind=arms\">Arms transfer</a> <span class=\"count\">2<")
        self.assertEqual(page.count('class="claim"'), 11)

    def test_event_and_actor_index_counts(self):
        events = self.client.get(reverse("event_list")).content.decode()
        self.assertRegex(events, r"Peace Guardian 2025</a>\s*<span[^>]*>[^<]*<time")
        self.assertIn("5 claims", events[events.index("Peace Guardian 2025") :][:600])
        actors = self.client.get(reverse("actor_list")).content.decode()
        self.assertRegex(
            actors,
            r'Serbian Armed Forces</a>[^<]*<span class="muted">[^<]*</span> '
            r'<span class="count">4</span>',
        )

    def test_the_seed_article_backs_nine_published_claims(self):
        response = self.client.get(reverse("article_list"))
        self.assertContains(response, "backs 9 claims")
        self.assertNotContains(response, "Zanzibarite")


class TargetedDraftTests(TestCase):
    """serbia_china_world()'s drafts, and what only they mention (tests/factories.py)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = serbia_china_world()

    def test_an_event_only_drafts_mention_is_404_and_unlisted(self):
        secret_event = self.world.secret_event
        self.assertEqual(self.client.get(secret_event.get_absolute_url()).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("event_feed", args=[secret_event.slug])).status_code, 404
        )
        events = self.client.get(reverse("event_list"))
        self.assertContains(events, "Peace Guardian 2025")
        self.assertNotContains(events, "Zanzibarite")

    def test_a_source_with_only_draft_articles_is_404(self):
        response = self.client.get(self.world.hidden_source.get_absolute_url())
        self.assertEqual(response.status_code, 404)

    def test_an_actor_only_drafts_mention_is_404_and_unlisted(self):
        response = self.client.get(self.world.secret_actor.get_absolute_url())
        self.assertEqual(response.status_code, 404)
        actors = self.client.get(reverse("actor_list"))
        self.assertContains(actors, ">Serbia</a>")
        self.assertNotContains(actors, "Zanzibarite")

    def test_a_country_only_drafts_involve_is_404_and_unlisted(self):
        # The secret draft is the only claim about France, and about Serbia and France.
        self.assertEqual(self.client.get(reverse("country_detail", args=["fr"])).status_code, 404)
        # Two real countries: the pair's page says it has no claims, and no more.
        pair = self.client.get(reverse("country_pair", args=["rs", "fr"]))
        self.assertContains(pair, "No claims yet")
        self.assertNotContains(pair, "Zanzibarite")
        self.assertNotContains(pair, 'href="/countries/fr/"')
        countries = self.client.get(reverse("country_list"))
        self.assertContains(countries, ">Serbia</a>")
        self.assertNotContains(countries, "France")

    def test_the_drafts_are_on_no_list_country_pair_or_home_page(self):
        w = self.world
        for url in (
            reverse("home"),
            reverse("claim_list"),
            reverse("claim_list") + "?country=rs",
            reverse("country_detail", args=["rs"]),
            reverse("country_pair", args=["rs", "cn"]),
            w.serbia.get_absolute_url(),
        ):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertContains(response, w.exercise.statement)
                self.assertNotContains(response, "Zanzibarite")

    def test_the_articles_source_menu_lists_only_sources_with_published_articles(self):
        # A <select> of every source would name one whose only article is a draft.
        response = self.client.get(reverse("article_list"))
        self.assertContains(response, "Demo Wire")
        self.assertNotContains(response, "Zanzibarite Press")

    def test_filtering_by_a_draft_only_event_or_source_is_400_without_its_name(self):
        # As for actors: a chip would otherwise name the event or source.
        for query in ("?event=zanzibarite-manoeuvres", "?source=zanzibarite-press"):
            with self.subTest(query):
                response = self.client.get(reverse("claim_list") + query)
                self.assertContains(response, "not one of the available choices", status_code=400)
                self.assertNotContains(response, "Zanzibarite manoeuvres", status_code=400)
                self.assertNotContains(response, "Zanzibarite Press", status_code=400)

    def test_a_published_claims_page_hides_the_draft_article_behind_it(self):
        # The exercise is quoted in two published articles and the draft one.
        response = self.client.get(self.world.exercise.get_absolute_url())
        self.assertNotContains(response, "Zanzibarite")
        self.assertContains(response, "Read the quote in", count=2)

    def test_counts_exclude_drafts(self):
        # Serbia is in three published claims (exercise, drones, formula) and two drafts.
        page = self.client.get(reverse("country_list")).content.decode()
        self.assertRegex(page, r'>Serbia</a> <span class="count">3</span>')
        listed = self.client.get(reverse("claim_list") + "?country=rs")
        self.assertContains(listed, '<p class="total">3 claims</p>', html=True)
        self.assertIsNone(re.search(r">France</a>", listed.content.decode()))

    def test_an_unpublished_claim_leaves_every_list_facet_feed_export_and_the_api(self):
        # The read index drops it at the next request, on every page that asks it.
        exercise = self.world.exercise
        urls = (
            reverse("home"),
            reverse("claim_list") + "?country=rs",
            reverse("country_detail", args=["rs"]),
            reverse("country_pair", args=["rs", "cn"]),
            reverse("claim_feed"),
            reverse("claim_export", args=["json"]),
            reverse("claim_export", args=["csv"]),
            reverse("api_claims") + "?country=rs",
        )

        def text(url):
            response = self.client.get(url)
            return (b"".join(response) if response.streaming else response.content).decode()

        for url in urls:
            self.assertIn(exercise.statement, text(url), url)
        exercise.status = Status.DRAFT
        exercise.save()
        for url in urls:
            with self.subTest(url):
                self.assertNotIn(exercise.statement, text(url))
        listed = self.client.get(reverse("claim_list") + "?country=rs")
        self.assertContains(listed, '<p class="total">2 claims</p>', html=True)
        data = self.client.get(reverse("api_claims"), {"country": "rs"}).json()
        self.assertEqual(data["count"], 2)
        self.assertEqual(
            {item["value"]: item["count"] for item in data["facets"]["country"]}["rs"], 2
        )
