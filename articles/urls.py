from django.contrib.sitemaps import views as sitemaps
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import feeds, views
from .caching import cached_page
from .sitemaps import SITEMAPS


class CountryCodeConverter:
    """Two letters: /countries/rs/ (any case; the view redirects to lower case)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CountryCodeConverter, "country")


def page(view):
    """A public page: cached per content version (caching.py), and GET or HEAD only."""
    return require_safe(cached_page(view))


# Every public address takes GET and HEAD only (405 otherwise: there is no form to post);
# downloads and checks are not cached.
urlpatterns = [
    path("", page(views.home), name="home"),
    path("claims/", page(views.claim_list), name="claim_list"),
    path("claims/feed/", page(feeds.ClaimsFeed()), name="claim_feed"),
    path("claims/export.<str:fmt>", require_safe(views.claim_export), name="claim_export"),
    path("claims/<int:pk>/", page(views.claim_detail), name="claim_detail_short"),
    path("claims/<int:pk>/<slug:slug>/", page(views.claim_detail), name="claim_detail"),
    path("articles/", page(views.article_list), name="article_list"),
    path("articles/export.<str:fmt>", require_safe(views.article_export), name="article_export"),
    path("articles/<int:pk>/", page(views.article_detail), name="article_detail_short"),
    path("articles/<int:pk>/<slug:slug>/", page(views.article_detail), name="article_detail"),
    path("sources/<slug:slug>/", page(views.source_detail), name="source_detail"),
    path("countries/", page(views.country_list), name="country_list"),
    path("countries/<country:code>/", page(views.country_detail), name="country_detail"),
    path("countries/<country:code>/feed/", page(feeds.CountryFeed()), name="country_feed"),
    path(
        "countries/<country:code>/<country:other>/",
        page(views.country_pair),
        name="country_pair",
    ),
    path(
        "countries/<country:code>/<country:other>/feed/",
        page(feeds.CountryPairFeed()),
        name="country_pair_feed",
    ),
    path("events/", page(views.event_list), name="event_list"),
    path("events/<slug:slug>/", page(views.event_detail), name="event_detail"),
    path("events/<slug:slug>/feed/", page(feeds.EventFeed()), name="event_feed"),
    path("actors/", page(views.actor_list), name="actor_list"),
    path("actors/<slug:slug>/", page(views.actor_detail), name="actor_detail"),
    path("api/claims/", page(views.api_claims), name="api_claims"),
    path("api/articles/", page(views.api_articles), name="api_articles"),
    # An index of sections, each paged at its Sitemap.limit, so no page is ever left out.
    path(
        "sitemap.xml",
        page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", require_safe(views.robots_txt), name="robots_txt"),
    path("healthz", require_safe(views.healthz), name="healthz"),
]
