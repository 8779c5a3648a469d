"""
Production settings pass Django's deployment checks, every kind of response carries the
security headers over HTTPS, and the session and CSRF cookies are locked down.

Settings are read once, at import: what production (DEBUG=false) configures is checked
in a fresh interpreter; what responses carry is checked here, with the cookie settings
production uses applied through override_settings.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.test import Client, TestCase, override_settings
from django.urls import resolve, reverse

from articles import urls as public_urls

from .factories import make_actor, make_article, make_claim, make_event, make_source, state
from .test_admin import make_editor

BASE_DIR = Path(__file__).resolve().parent.parent
ONE_YEAR = 31536000


def production_environment(**extra):
    """What production runs with: DEBUG off, a long random key, one host."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "newsclaims.settings",
        # Both test runs (SQLite and PostgreSQL) pass their database through.
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "news.example.org",
    }
    environment.update(extra)
    return environment


def run_python(args, **extra):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_environment(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def csp_directives(header):
    """{'script-src': ["'self'"], ...} from a Content-Security-Policy header."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def security_header_problems(response):
    """What is missing or too weak in `response`'s security headers (empty when all is well)."""
    problems = []
    hsts = response.headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    if not match or int(match.group(1)) < ONE_YEAR:
        problems.append(f"Strict-Transport-Security {hsts!r}: max-age under a year")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if not response.headers.get("Cross-Origin-Opener-Policy"):
        problems.append("no Cross-Origin-Opener-Policy")
    header = response.headers.get("Content-Security-Policy")
    if not header:
        problems.append("no Content-Security-Policy")
        return problems
    csp = csp_directives(header)
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("CSP has neither script-src nor default-src")
    elif {"'unsafe-inline'", "'unsafe-eval'"} & set(scripts):
        problems.append(f"CSP allows unsafe scripts: {' '.join(scripts)}")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if csp.get(directive) != ["'none'"]:
            problems.append(f"CSP {directive} is {csp.get(directive)!r}, not 'none'")
    return problems


class HeadersAssertions:
    def assertSecurityHeaders(self, response, label=""):
        problems = security_header_problems(response)
        self.assertEqual(problems, [], f"{label} ({response.status_code}): {'; '.join(problems)}")


class DeployCheckTests(TestCase):
    def test_production_settings_pass_the_deployment_checks(self):
        result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout + result.stderr)

    def test_without_the_apps_redirect_to_https_the_deployment_checks_fail(self):
        # Nobody has said that anything else redirects plain HTTP.
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            SECURE_SSL_REDIRECT="false",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W008", result.stdout + result.stderr)

    def test_a_proxy_that_redirects_to_https_passes_the_deployment_checks(self):
        # README: behind a proxy that redirects HTTP to HTTPS itself, say so.
        for extra in [{"SECURE_SSL_REDIRECT": "false"}, {}]:
            with self.subTest(**extra):
                result = run_python(
                    ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                    PROXY_REDIRECTS_TO_HTTPS="true",
                    SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
                    PROXY_COUNT="1",
                    **extra,
                )
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("no issues", result.stdout + result.stderr)
        result = run_python(
            [
                "-c",
                "import django; django.setup(); from django.conf import settings as s; "
                "print(s.SECURE_SSL_REDIRECT, s.SILENCED_SYSTEM_CHECKS)",
            ],
            PROXY_REDIRECTS_TO_HTTPS="true",
        )
        self.assertEqual(result.stdout.strip(), "False ['security.W008']", result.stderr)

    def test_only_the_redirect_warning_is_ever_silenced(self):
        result = run_python(
            [
                "-c",
                "import django; django.setup(); from django.conf import settings as s; "
                "print(s.SILENCED_SYSTEM_CHECKS)",
            ],
        )
        self.assertEqual(result.stdout.strip(), "[]", result.stderr)
        result = run_python(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            PROXY_REDIRECTS_TO_HTTPS="true",
            DEBUG="true",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W018", result.stdout + result.stderr)  # DEBUG on

    def test_production_cookie_and_transport_settings(self):
        result = run_python(
            [
                "-c",
                "import django; django.setup(); from django.conf import settings as s; "
                "print(repr({name: getattr(s, name) for name in ["
                "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', "
                "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', "
                "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_DOMAIN', "
                "'CSRF_COOKIE_DOMAIN', 'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH', "
                "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'CSRF_USE_SESSIONS']}))",
            ]
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        values = eval(result.stdout)  # noqa: S307 - a dict literal printed by the child above
        self.assertEqual(
            values,
            {
                "SESSION_COOKIE_NAME": "__Host-sessionid",
                "CSRF_COOKIE_NAME": "__Host-csrftoken",
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SESSION_COOKIE_HTTPONLY": True,
                "CSRF_COOKIE_HTTPONLY": True,
                "SESSION_COOKIE_SAMESITE": "Lax",
                "CSRF_COOKIE_SAMESITE": "Lax",
                # __Host- cookies must have no Domain and Path=/.
                "SESSION_COOKIE_DOMAIN": None,
                "CSRF_COOKIE_DOMAIN": None,
                "SESSION_COOKIE_PATH": "/",
                "CSRF_COOKIE_PATH": "/",
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": ONE_YEAR,
                "CSRF_USE_SESSIONS": False,
            },
        )


class SiteFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source(slug="demo-wire")
        cls.event = make_event(slug="peace-guardian")
        cls.actor = make_actor(slug="serbian-armed-forces", country=state("RS").country)
        cls.article = make_article(source=cls.source)
        cls.claim = make_claim(
            [state("RS"), state("CN"), cls.actor], article=cls.article, event=cls.event
        )
        cls.draft = make_claim(status="draft", article=cls.article)
        cls.superuser = User.objects.create_superuser("root", password="correct horse 42")
        cls.editor = make_editor()


class EveryKindOfResponseTests(HeadersAssertions, SiteFixture):
    def public_urls(self):
        claim_filters = "?country=rs&kind=military&from=2025"
        return {
            # pages
            "home": reverse("home"),
            "claims": reverse("claim_list") + claim_filters,
            "claim": self.claim.get_absolute_url(),
            "claim, old address (301)": reverse("claim_detail_short", args=[self.claim.pk]),
            "claim history": reverse("claim_history", args=[self.claim.pk, self.claim.slug]),
            "404, draft claim's history": reverse(
                "claim_history", args=[self.draft.pk, self.draft.slug]
            ),
            "articles": reverse("article_list"),
            "article": self.article.get_absolute_url(),
            "article, old address (301)": reverse("article_detail_short", args=[self.article.pk]),
            "source": self.source.get_absolute_url(),
            "countries": reverse("country_list"),
            "country": reverse("country_detail", args=["rs"]),
            "country, upper case (301)": reverse("country_detail", args=["RS"]),
            "pair": reverse("country_pair", args=["rs", "cn"]),
            "all actors of a list": reverse("claim_facet", args=["actor"]) + claim_filters,
            "events": reverse("event_list"),
            "event": self.event.get_absolute_url(),
            "actors": reverse("actor_list"),
            "actor": self.actor.get_absolute_url(),
            # feeds
            "claims feed": reverse("claim_feed") + claim_filters,
            "claims map": reverse("claim_map") + claim_filters,
            "country feed": reverse("country_feed", args=["rs"]),
            "pair feed": reverse("country_pair_feed", args=["rs", "cn"]),
            "pair picker, redirecting": reverse("country_pair_picker") + "?a=rs&b=cn",
            "400, pair picker with one country": reverse("country_pair_picker") + "?a=rs",
            "event feed": reverse("event_feed", args=[self.event.slug]),
            # exports and API
            "claims csv": reverse("claim_export", args=["csv"]) + claim_filters,
            "claims json": reverse("claim_export", args=["json"]),
            "articles csv": reverse("article_export", args=["csv"]),
            "articles json": reverse("article_export", args=["json"]),
            "claims API": reverse("api_claims") + "?page_size=5",
            "articles API": reverse("api_articles"),
            # machine-readable odds and ends
            "sitemap": reverse("sitemap"),
            "sitemap section": reverse("sitemap_section", args=["claims"]),
            "robots.txt": reverse("robots_txt"),
            "healthz": reverse("healthz"),
            "language switcher": reverse("choose_language") + "?language=sr-latn&next=/claims/",
            "stylesheet": "/static/css/site.css",
            # errors
            "404, no such page": "/no-such-page/",
            "404, draft claim": self.draft.get_absolute_url(),
            "404, unknown country": reverse("country_detail", args=["zz"]),
            "400, bad filter on a list": reverse("claim_list") + "?country=zz",
            "400, bad filter on a feed": reverse("claim_feed") + "?kind=nonsense",
            "400, bad filter on the map": reverse("claim_map") + "?country=zz",
            "400, bad filter on an export": reverse("claim_export", args=["csv"]) + "?from=x",
            "400, bad API paging": reverse("api_claims") + "?page_size=1000",
            "400, unknown export format": reverse("claim_export", args=["xml"]),
            "400, too many fields": reverse("claim_list") + "?" + "&".join(["kind=x"] * 201),
            "400, query string too long": reverse("claim_list") + "?q=" + "x" * 5000,
            # the admin, to anonymous visitors
            "admin login": reverse("admin:login"),
            "admin, sent to log in (302)": reverse("admin:index"),
        }

    def test_every_public_address_is_among_them(self):
        names = {
            resolve(urlsplit(url).path).url_name
            for url in self.public_urls().values()
            if not url.startswith(("/static/", "/no-such-page/"))
        }
        self.assertLessEqual(
            {pattern.name for pattern in [*public_urls.pages, *public_urls.urlpatterns]}, names
        )

    def test_every_kind_of_public_response_carries_the_headers(self):
        for label, url in self.public_urls().items():
            with self.subTest(label):
                response = self.client.get(url, secure=True)
                self.assertSecurityHeaders(response, f"{label}: GET {url[:80]}")
                if response.streaming:
                    # Read to the end, as a client does: the download gives its slot back.
                    self.assertEqual(response.status_code, 200)
                    b"".join(response.streaming_content)

    def test_admin_pages_carry_the_headers(self):
        self.client.force_login(self.superuser)
        urls = {
            "index": reverse("admin:index"),
            "claims": reverse("admin:articles_claim_changelist"),
            "claim form": reverse("admin:articles_claim_change", args=[self.claim.pk]),
            "claim history": reverse("admin:articles_claim_history", args=[self.claim.pk]),
            "add article": reverse("admin:articles_article_add"),
            "autocomplete JSON": reverse("admin:autocomplete")
            + "?app_label=articles&model_name=claim&field_name=country&term=ser",
            "404 in the admin": "/admin/no-such-page/",
            "405, logout by GET": reverse("admin:logout"),
        }
        for label, url in urls.items():
            with self.subTest(label):
                response = self.client.get(url, secure=True)
                self.assertSecurityHeaders(response, f"{label}: GET {url[:80]}")
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:auth_user_changelist"), secure=True)
        self.assertEqual(response.status_code, 403)
        self.assertSecurityHeaders(response, "403 in the admin")

    def test_posts_carry_the_headers(self):
        response = self.client.post(
            reverse("admin:login"), {"username": "root", "password": "wrong"}, secure=True
        )
        self.assertSecurityHeaders(response, "failed login")
        response = self.client.post(
            reverse("admin:login"),
            {"username": "root", "password": "correct horse 42"},
            secure=True,
        )
        self.assertEqual(response.status_code, 302)
        self.assertSecurityHeaders(response, "login")

    def test_refused_oversized_requests_carry_the_headers(self):
        # RequestSizeLimitMiddleware answers these itself, before any view.
        response = self.client.post(
            "/", b"x", content_type="text/plain", CONTENT_LENGTH=str(10 * 1024 * 1024), secure=True
        )
        self.assertEqual(response.status_code, 413)
        self.assertSecurityHeaders(response, "413, body too large")
        response = self.client.get(reverse("claim_list") + "?q=" + "x" * 5000, secure=True)
        self.assertEqual(response.status_code, 400)
        self.assertSecurityHeaders(response, "400, query string too long")

    def test_the_csp_is_the_same_on_html_pages_and_names_no_inline_code(self):
        response = self.client.get(reverse("home"), secure=True)
        csp = csp_directives(response.headers["Content-Security-Policy"])
        self.assertEqual(csp["script-src"], ["'self'"])
        self.assertEqual(csp["style-src"], ["'self'"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")

    def test_plain_http_gets_no_hsts(self):
        # Browsers ignore HSTS over HTTP; production redirects HTTP to HTTPS anyway.
        response = self.client.get(reverse("home"))
        self.assertNotIn("Strict-Transport-Security", response.headers)
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")


PRODUCTION_COOKIES = {
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION_COOKIES)
class CookieTests(SiteFixture):
    def assertLockedDown(self, morsel):
        name = morsel.key
        self.assertTrue(name.startswith("__Host-"), name)
        self.assertTrue(morsel["secure"], f"{name} is not Secure")
        self.assertTrue(morsel["httponly"], f"{name} is not HttpOnly")
        self.assertEqual(morsel["samesite"], "Lax", name)
        # The __Host- prefix requires Path=/ and no Domain; browsers drop it otherwise.
        self.assertEqual(morsel["path"], "/", name)
        self.assertEqual(morsel["domain"], "", name)
        header = morsel.OutputString()
        for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(attribute, header)

    def test_signing_in_over_https_sets_locked_down_cookies(self):
        client = Client(enforce_csrf_checks=True)
        response = client.get(reverse("admin:login"), secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertLockedDown(response.cookies["__Host-csrftoken"])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
        response = client.post(
            reverse("admin:login"),
            {
                "username": "root",
                "password": "correct horse 42",
                "csrfmiddlewaretoken": token.group(1),
                "next": reverse("admin:index"),
            },
            secure=True,
            headers={"Origin": "https://testserver", "Referer": "https://testserver/admin/login/"},
        )
        self.assertRedirects(response, reverse("admin:index"), fetch_redirect_response=False)
        self.assertLockedDown(response.cookies["__Host-sessionid"])
        # The CSRF token is rotated on login, with the same attributes.
        self.assertLockedDown(response.cookies["__Host-csrftoken"])
        self.assertNotIn("sessionid", response.cookies)
        self.assertNotIn("csrftoken", response.cookies)
        self.assertEqual(client.get(reverse("admin:index"), secure=True).status_code, 200)


class HttpMethodTests(HeadersAssertions, SiteFixture):
    """
    Public addresses take GET and HEAD; the admin, which has forms, POST too. Anything
    else (TRACE, OPTIONS, PUT…) answers 405 rather than the page.
    """

    OTHER_METHODS = ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "PROPFIND"]

    def public_urls(self):
        return [
            url
            for label, url in EveryKindOfResponseTests.public_urls(self).items()
            if not label.startswith(("400", "404", "admin")) and "static" not in url
        ]

    def test_other_methods_answer_405_on_every_public_address(self):
        for url in self.public_urls():
            for method in ["POST", *self.OTHER_METHODS]:
                with self.subTest(url=url, method=method):
                    response = self.client.generic(method, url, secure=True)
                    self.assertEqual(response.status_code, 405)
                    self.assertEqual(response["Allow"], "GET, HEAD")
                    self.assertSecurityHeaders(response, f"{method} {url}")

    def test_the_admin_takes_get_head_and_post_only(self):
        self.client.force_login(self.superuser)
        urls = [
            reverse("admin:index"),
            reverse("admin:articles_claim_change", args=[self.claim.pk]),
            reverse("admin:login"),
        ]
        for url in urls:
            for method in self.OTHER_METHODS:
                with self.subTest(url=url, method=method):
                    response = self.client.generic(method, url, secure=True)
                    self.assertEqual(response.status_code, 405)
                    self.assertEqual(response["Allow"], "GET, HEAD, POST")
            self.assertEqual(self.client.head(url, secure=True).status_code, 200)

    def test_a_head_is_answered_from_the_page_a_get_stored(self):
        for url in [reverse("home"), reverse("claim_list"), self.claim.get_absolute_url()]:
            with self.subTest(url):
                get = self.client.get(url)
                with self.assertNumQueries(1):  # the content version
                    head = self.client.head(url)
                self.assertEqual(head.status_code, 200)
                self.assertEqual(head.content, b"")
                self.assertEqual(head["Content-Length"], get["Content-Length"])

    def test_a_head_renders_no_more_often_than_a_get(self):
        url = reverse("country_detail", args=["rs"])
        self.client.head(url)
        with self.assertNumQueries(1):
            self.assertEqual(self.client.head(url).status_code, 200)
