"""
sitemap.xml: every published page a reader can reach, and nothing else, in each
language (English, /sr/, /sr-latn/), each listing the others as alternates.
"""

from django.conf import settings
from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse

from .models import Actor, Article, Claim, ClaimLink, Country, Event, Source, Status


class EveryLanguage:
    """
    (item, language) for every item of `items` and every language, as Django's i18n
    sitemaps list them, but sliced without loading the items of other pages (Django
    builds the whole list: a million claims on every sitemap page).
    """

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    def count(self):
        total = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
        return total * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, span):
        n = len(self.languages)
        first, last = span.start // n, -(-span.stop // n)  # the items the span touches
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        return pairs[span.start - first * n : span.stop - first * n]


class Sitemap(sitemaps.Sitemap):
    i18n = True
    alternates = True
    x_default = True

    @property
    def paginator(self):
        languages = [code for code, _name in settings.LANGUAGES]
        return Paginator(EveryLanguage(self.items(), languages), self.limit)


class StaticSitemap(Sitemap):
    def items(self):
        return ["home", "claim_list", "country_list", "event_list", "actor_list", "article_list"]

    def location(self, name):
        return reverse(name)


class UpdatedSitemap(Sitemap):
    """Rows with an updated_at, 10,000 to a sitemap page."""

    limit = 10000

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # For the index: one MAX(), where Django's default calls lastmod() on every item.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ClaimSitemap(UpdatedSitemap):
    def items(self):
        # Not a duplicate of a published claim: its address redirects there.
        duplicate = ClaimLink.objects.filter(
            from_claim=OuterRef("pk"),
            type=ClaimLink.Type.DUPLICATES,
            to_claim__status=Status.PUBLISHED,
        )
        return (
            Claim.objects.published()
            .exclude(Exists(duplicate))
            .only("pk", "slug", "updated_at")
            .order_by("pk")
        )


class ArticleSitemap(UpdatedSitemap):
    def items(self):
        return Article.objects.published().only("pk", "slug", "updated_at").order_by("pk")


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.public().order_by("code")


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.public().order_by("slug")


class ActorSitemap(Sitemap):
    limit = 10000

    def items(self):
        return Actor.objects.public().order_by("slug")


class SourceSitemap(Sitemap):
    def items(self):
        return Source.objects.public().order_by("slug")


SITEMAPS = {
    "pages": StaticSitemap,
    "claims": ClaimSitemap,
    "articles": ArticleSitemap,
    "countries": CountrySitemap,
    "events": EventSitemap,
    "actors": ActorSitemap,
    "sources": SourceSitemap,
}
