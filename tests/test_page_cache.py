"""Public pages are cached per change log number: fast to repeat, never stale."""

from unittest import mock
from urllib.parse import urlsplit

import redis
from django.test import Client, TestCase, override_settings
from django.urls import resolve, reverse

from articles import caching
from articles import urls as public_urls
from articles.models import Claim, Status
from tests.factories import make_actor, make_article, make_claim, make_event, make_source, state
from tests.servers import redis_server
from tests.test_admin import make_editor


def statements(response):
    return [claim.statement for claim in response.context["claims"]] if response.context else []


class PageCacheTests(TestCase):
    def setUp(self):
        self.claim = make_claim([state("RS"), state("CN")], statement="Serbia met China.")
        self.url = reverse("claim_list")

    def test_a_repeated_page_is_served_with_one_query(self):
        first = self.client.get(self.url)
        with self.assertNumQueries(1):  # the change log number
            again = self.client.get(self.url)
        self.assertEqual(again.content, first.content)

    def test_a_cached_page_still_gets_the_security_headers(self):
        self.client.get(self.url)
        response = self.client.get(self.url)
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_other_query_strings_are_other_pages(self):
        self.client.get(self.url)
        response = self.client.get(self.url, {"country": "us"})
        self.assertEqual(response.context["page_obj"].paginator.count, 0)

    def test_an_edit_shows_at_once(self):
        self.client.get(self.claim.get_absolute_url())
        self.claim.statement = "Serbia hosted China."
        self.claim.save()
        self.assertContains(self.client.get(self.claim.get_absolute_url()), "Serbia hosted China.")

    def test_unpublishing_removes_the_claim_from_cached_lists_and_pages(self):
        self.assertContains(self.client.get(self.url), "Serbia met China.")
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 200)
        self.claim.status = Status.DRAFT
        self.claim.save()
        self.assertNotContains(self.client.get(self.url), "Serbia met China.")
        self.assertEqual(self.client.get(self.claim.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("claim_feed")), "Serbia met China.")

    def test_publishing_shows_a_draft_that_was_asked_for_before(self):
        draft = make_claim([state("RS")], statement="A draft claim.", status=Status.DRAFT)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(self.url), "A draft claim.")
        draft.status = Status.PUBLISHED
        draft.save()
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 200)
        self.assertContains(self.client.get(self.url), "A draft claim.")

    def test_deleting_a_claim_shows_at_once(self):
        self.client.get(self.url)
        Claim.objects.get(pk=self.claim.pk).delete()
        self.assertEqual(statements(self.client.get(self.url)), [])

    def test_changing_an_events_participants_shows_at_once(self):
        event = make_event()
        make_claim([state("RS")], event=event)
        url = event.get_absolute_url()
        self.client.get(url)
        event.participants.add(make_actor(name="Participating Unit"))
        self.assertContains(self.client.get(url), "Participating Unit")

    def test_a_cached_feed_is_served_in_one_piece(self):
        # Django's feed writer makes thousands of small writes: served as they are,
        # each is a write to the socket (a cached feed took 10 ms instead of 3).
        self.client.get(reverse("claim_feed"))
        self.assertEqual(len(list(self.client.get(reverse("claim_feed")))), 1)

    def test_the_sitemap_is_cached_and_follows_publication(self):
        url = reverse("sitemap_section", args=["claims"])
        self.assertContains(self.client.get(url), self.claim.get_absolute_url())
        with self.assertNumQueries(1):
            self.assertContains(self.client.get(url), self.claim.get_absolute_url())
        self.claim.status = Status.DRAFT
        self.claim.save()
        self.assertNotContains(self.client.get(url), self.claim.get_absolute_url())

    def test_missing_pages_are_not_cached(self):
        url = reverse("claim_detail_short", args=[self.claim.pk + 1000])
        self.assertEqual(self.client.get(url).status_code, 404)
        with self.assertNumQueries(2):  # the change log number, and the claim again
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_editing_a_draft_keeps_cached_pages(self):
        # Editors save drafts every few seconds: readers' pages are not affected by them.
        draft = make_claim([state("RS")], statement="A draft about Serbia.", status="draft")
        self.client.get(self.url)
        draft.statement = "A draft about Serbia, reworded."
        draft.save()
        make_article(status="draft")
        with self.assertNumQueries(1):  # the change log number
            self.client.get(self.url)


class SharedPageCacheTests(PageCacheTests):
    """The same, with the pages of every worker of every app server in one Redis (REDIS_URL)."""

    @classmethod
    def setUpClass(cls):
        cls.redis_url = cls.enterClassContext(redis_server())
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cls.redis_url,
        }
        cls.enterClassContext(override_settings(CACHES={"default": backend}))
        super().setUpClass()

    def test_a_page_one_worker_rendered_is_kept_in_redis_for_the_others(self):
        self.client.get(self.url)
        self.assertTrue(
            redis.Redis.from_url(self.redis_url).keys("*views.decorators.cache.cache_page*")
        )

    def test_with_redis_down_pages_are_rendered_and_a_warning_logged(self):
        down = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "unix:///nonexistent/redis.sock",
        }
        with (
            override_settings(CACHES={"default": down}),
            self.assertLogs("articles.caching", "WARNING") as logs,
        ):
            for url in (self.url, self.claim.get_absolute_url(), reverse("api_claims")):
                with self.subTest(url):
                    self.assertEqual(self.client.get(url).status_code, 200)
                    self.assertEqual(self.client.head(url).status_code, 200)
        self.assertIn("page cache unavailable: ConnectionError", logs.output[0])


STAFF_LINK = "Go to the editors’ admin"


class SignedInUsersAndThePageCacheTests(TestCase):
    """
    The page cache is shared by everyone a worker serves, and a signed-in editor's page
    is not everyone's (the home page links to the admin for staff). Editors are never
    served from it, nor written into it.
    """

    @classmethod
    def setUpTestData(cls):
        cls.source = make_source()
        cls.event = make_event()
        cls.actor = make_actor(country=state("RS").country)
        cls.article = make_article(source=cls.source)
        cls.claim = make_claim(
            [state("RS"), state("CN"), cls.actor], article=cls.article, event=cls.event
        )
        cls.editor = make_editor()

    def setUp(self):
        self.signed_in = Client()
        self.signed_in.force_login(self.editor)
        self.anonymous = Client()

    def cached_urls(self):
        """Every public URL pattern the page cache serves."""
        return [
            reverse("home"),
            reverse("claim_list"),
            reverse("claim_list") + "?country=rs",
            self.claim.get_absolute_url(),
            reverse("claim_history", args=[self.claim.pk, self.claim.slug]),
            reverse("article_list"),
            self.article.get_absolute_url(),
            self.source.get_absolute_url(),
            reverse("claim_facet", args=["actor"]),
            reverse("country_list"),
            reverse("country_detail", args=["rs"]),
            reverse("country_pair", args=["rs", "cn"]),
            reverse("event_list"),
            self.event.get_absolute_url(),
            reverse("actor_list"),
            self.actor.get_absolute_url(),
            reverse("claim_feed"),
            reverse("claim_map") + "?country=rs",
            reverse("country_feed", args=["rs"]),
            reverse("country_pair_feed", args=["rs", "cn"]),
            reverse("event_feed", args=[self.event.slug]),
            reverse("api_claims"),
            reverse("api_articles"),
            reverse("sitemap"),
            reverse("sitemap_section", args=["claims"]),
        ]

    def test_every_cached_address_is_checked(self):
        # Downloads and checks are not cached, nor redirects (the short addresses, the pair
        # picker); every
        # other public address is, and must be here.
        uncached = {"claim_export", "article_export", "robots_txt", "healthz", "choose_language"}
        uncached |= {"claim_detail_short", "article_detail_short", "country_pair_picker"}
        every = {
            pattern.name for pattern in [*public_urls.pages, *public_urls.urlpatterns]
        } - uncached
        self.assertEqual(
            {resolve(urlsplit(url).path).url_name for url in self.cached_urls()}, every
        )

    def rendered(self, client, url):
        """The response, and whether it was rendered (not served from the page cache)."""
        hits = []
        real_get = caching.cache.get

        def get(*args, **kwargs):
            value = real_get(*args, **kwargs)
            hits.append(value is not None)
            return value

        with mock.patch.object(caching.cache, "get", get):
            response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response, not any(hits)

    def test_an_editors_page_is_never_served_to_anonymous_readers(self):
        for url in self.cached_urls():
            with self.subTest(url):
                self.signed_in.get(url)
                response, rendered = self.rendered(self.anonymous, url)
                self.assertTrue(rendered, "the reader got the page stored for the editor")
                self.assertNotContains(response, STAFF_LINK)

    def test_an_editor_is_never_served_the_anonymous_page(self):
        for url in self.cached_urls():
            with self.subTest(url):
                self.anonymous.get(url)
                self.assertFalse(self.rendered(self.anonymous, url)[1], "not cached at all")
                response, rendered = self.rendered(self.signed_in, url)
                self.assertTrue(rendered, "the editor got the readers' page from the cache")
        self.assertContains(self.signed_in.get(reverse("home")), STAFF_LINK)

    def test_public_pages_say_who_may_keep_a_copy(self):
        for url in self.cached_urls():
            with self.subTest(url):
                for response in (self.anonymous.get(url), self.anonymous.get(url)):
                    directives = response["Cache-Control"].split(", ")
                    self.assertIn("public", directives)
                    self.assertIn("max-age=0", directives)
                directives = self.signed_in.get(url)["Cache-Control"].split(", ")
                self.assertIn("private", directives)
                self.assertIn("no-store", directives)
