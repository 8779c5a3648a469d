"""sitemap.xml: every published page a reader can reach, and nothing else."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from .models import Actor, Article, Claim, ClaimLink, Country, Event, Source, Status


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
