"""
Every public page type and the editors' main admin forms, as Chromium shows them: valid
HTML (the W3C Nu HTML checker: no errors), no serious or critical WCAG 2.1 A/AA
violations (axe-core), no sideways scrolling at 360 px, and screenshots of the public
pages at 360 and 1280 px in test-artifacts/screenshots/.
"""

import datetime
import shutil

from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Actor, Article, Claim, ClaimLink, Event, Source

from .browser import ARTIFACTS, SCREENSHOTS, BrowserTestCase, vnu_errors

HTML_DIR = ARTIFACTS / "html"


class PageChecksTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        for folder in (HTML_DIR, SCREENSHOTS):
            shutil.rmtree(folder, ignore_errors=True)
        HTML_DIR.mkdir(parents=True)
        self.files = []
        self.problems = {}

    def problem(self, name, text):
        self.problems.setdefault(name, []).append(text)

    def check(self, name, path=None, status=200, response=None, screenshots=True):
        """
        Load `path` (or take the page just reached, with its `response`): keep its HTML
        as served for the checker, run axe and take the screenshots.
        """
        if path is not None:
            response = self.go(path, status)
        html_file = HTML_DIR / f"{name}.html"
        html_file.write_text(response.text())
        self.files.append(html_file)
        for violation in self.axe_violations():
            self.problem(
                name,
                f"axe {violation['impact']} {violation['id']}: {violation['help']}"
                + "".join(
                    f"\n      {n['target']}: {n['html'][:160]}" for n in violation["nodes"][:5]
                ),
            )
        if screenshots and (overflow := self.screenshots(name)):
            self.problem(name, f"scrolls sideways at 360 px; sticking out: {', '.join(overflow)}")

    def test_public_pages_and_admin_forms_are_valid_and_accessible(self):
        claim = Claim.objects.get(slug="china-and-serbia-hold-first-joint-military-exercise")
        article = Article.objects.get(slug="peace-guardian-2025")
        # Links both ways on the claim's page, and a public change in its history.
        other = Claim.objects.published().exclude(pk=claim.pk).order_by("pk").first()
        ClaimLink.objects.create(
            from_claim=other, type="contradicts", to_claim=claim, note="Another account."
        )
        ClaimLink.objects.create(from_claim=claim, type="updates", to_claim=other)
        claim.verification = Claim.Verification.DISPUTED
        claim._history_date = timezone.now() + datetime.timedelta(hours=1)
        claim.save()
        public_pages = [
            ("home", "/", 200),
            ("claims", "/claims/", 200),
            # Search, chips, facets with active values, highlighted words.
            ("claims-filtered", "/claims/?country=rs&country=cn&kind=military&q=drones", 200),
            ("claims-page-2", "/claims/?page=2", 200),
            ("claims-bad-filter", "/claims/?from=someday&country=xx", 400),
            # Every value of a facet, for the same filters, narrowed by name.
            ("claims-all-actors", "/claims/facets/actor/?country=rs", 200),
            ("claims-all-actors-within", "/claims/facets/actor/?country=rs&within=a", 200),
            ("claim", claim.get_absolute_url(), 200),
            ("claim-history", reverse("claim_history", args=[claim.pk, claim.slug]), 200),
            ("articles", "/articles/", 200),
            ("articles-bad-filter", "/articles/?from=someday", 400),
            ("article", article.get_absolute_url(), 200),
            ("source", Source.objects.get(slug="demo-wire").get_absolute_url(), 200),
            ("countries", "/countries/", 200),
            ("country", "/countries/rs/", 200),
            ("country-pair", "/countries/rs/cn/", 200),
            # Two real countries that share no claim yet.
            ("country-pair-empty", "/countries/rs/jp/", 200),
            ("pair-picker-error", "/countries/pair/?a=rs&b=rs", 400),
            # Words that name countries: the pair and the filters are suggested.
            ("claims-country-words", "/claims/?q=what+has+serbia+done+with+china", 200),
            ("claims-past-the-end", "/claims/?page=999", 404),
            ("events", "/events/", 200),
            ("events-bad-filter", "/events/?kind=picnic", 400),
            ("event", Event.objects.get(slug="peace-guardian-2025").get_absolute_url(), 200),
            ("actors", "/actors/", 200),
            ("actor", Actor.objects.get(slug="peoples-liberation-army").get_absolute_url(), 200),
            ("not-found", "/countries/zz/", 404),
        ]
        # The same kinds of page in Serbian, in both scripts.
        serbian = {
            "home", "claims-filtered", "claims-bad-filter", "claim", "claim-history",
            "articles", "article", "countries", "country", "country-pair", "country-pair-empty",
            "pair-picker-error", "events", "event", "actors", "actor", "claims-past-the-end",
            "not-found",
        }  # fmt: skip
        public_pages += [
            (f"{name}-{prefix}", f"/{prefix}{path}", status)
            for prefix in ("sr", "sr-latn")
            for name, path, status in public_pages
            if name in serbian
        ]
        for name, path, status in public_pages:
            self.check(name, path, status, screenshots="-sr" not in name or name == "claim-sr")

        # A publisher, who may open every form: editors only view what is published.
        user = User.objects.create_user("publisher", password="pages-test-pw", is_staff=True)
        user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
        self.check("admin-login", "/admin/login/", screenshots=False)
        self.page.get_by_label("Username").fill("publisher")
        self.page.get_by_label("Password").fill("pages-test-pw")
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Log in").click()
        self.assertEqual(self.path(), "/admin/")
        admin_pages = [
            ("admin-index", "/admin/"),
            ("admin-articles", "/admin/articles/article/"),
            ("admin-article-add", "/admin/articles/article/add/"),
            ("admin-article-change", f"/admin/articles/article/{article.pk}/change/"),
            ("admin-claims", "/admin/articles/claim/"),
            ("admin-claim-add", "/admin/articles/claim/add/"),
            ("admin-claim-change", f"/admin/articles/claim/{claim.pk}/change/"),
            ("admin-actor-add", "/admin/articles/actor/add/"),
            ("admin-event-add", "/admin/articles/event/add/"),
            ("admin-source-add", "/admin/articles/source/add/"),
            ("admin-workbench", f"/admin/articles/article/{article.pk}/workbench/"),
            # Drafts at their public addresses, as staff preview them.
            ("preview-claim", Claim.objects.get(status="draft").get_absolute_url()),
            ("preview-article", Article.objects.get(status="draft").get_absolute_url()),
        ]
        screenshots = ("admin-article-add", "admin-claim-add", "admin-workbench", "preview-claim")
        for name, path in admin_pages:
            self.check(name, path, screenshots=name in screenshots)
        # The admin in the language chosen with the switcher.
        self.go("/language/?language=sr&next=/sr/")
        for name, path in admin_pages[:7]:
            self.check(f"{name}-sr", path, screenshots=False)
        self.go("/language/?language=en&next=/")

        # A form sent back with errors: a quote that is not in the article.
        self.go(f"/admin/articles/claim/{claim.pk}/change/")
        self.page.locator("#id_evidence-0-quote").fill("Words that the article never says.")
        with self.page.expect_navigation() as navigation:
            self.page.locator("input[name=_save]").click()
        self.assertIn("does not occur in the article", self.page.content())
        self.check("admin-claim-errors", response=navigation.value, screenshots=False)

        for file_name, errors in vnu_errors(self.files).items():
            name = file_name.removesuffix(".html")
            for error in errors:
                self.problem(
                    name, f"HTML line {error['line']}: {error['message']} [{error['extract']}]"
                )
        report = "\n".join(
            f"{name} (see test-artifacts/html/{name}.html):\n  " + "\n  ".join(problems)
            for name, problems in self.problems.items()
        )
        if self.problems:
            self.fail(f"Problems on {len(self.problems)} pages:\n{report}")
