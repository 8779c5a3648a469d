from django.contrib.sitemaps import views as sitemaps
from django.urls import path, register_converter

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

# Public pages are cached per content version (caching.py); downloads and checks are not.
urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("claims/", cached_page(views.claim_list), name="claim_list"),
    path("claims/feed/", cached_page(feeds.ClaimsFeed()), name="claim_feed"),
    path("claims/export.<str:fmt>", views.claim_export, name="claim_export"),
    path("claims/<int:pk>/", cached_page(views.claim_detail), name="claim_detail_short"),
    path("claims/<int:pk>/<slug:slug>/", cached_page(views.claim_detail), name="claim_detail"),
    path("articles/", cached_page(views.article_list), name="article_list"),
    path("articles/export.<str:fmt>", views.article_export, name="article_export"),
    path("articles/<int:pk>/", cached_page(views.article_detail), name="article_detail_short"),
    path(
        "articles/<int:pk>/<slug:slug>/", cached_page(views.article_detail), name="article_detail"
    ),
    path("sources/<slug:slug>/", cached_page(views.source_detail), name="source_detail"),
    path("countries/", cached_page(views.country_list), name="country_list"),
    path("countries/<country:code>/", cached_page(views.country_detail), name="country_detail"),
    path("countries/<country:code>/feed/", cached_page(feeds.CountryFeed()), name="country_feed"),
    path(
        "countries/<country:code>/<country:other>/",
        cached_page(views.country_pair),
        name="country_pair",
    ),
    path(
        "countries/<country:code>/<country:other>/feed/",
        cached_page(feeds.CountryPairFeed()),
        name="country_pair_feed",
    ),
    path("events/", cached_page(views.event_list), name="event_list"),
    path("events/<slug:slug>/", cached_page(views.event_detail), name="event_detail"),
    path("events/<slug:slug>/feed/", cached_page(feeds.EventFeed()), name="event_feed"),
    path("actors/", cached_page(views.actor_list), name="actor_list"),
    path("actors/<slug:slug>/", cached_page(views.actor_detail), name="actor_detail"),
    path("api/claims/", cached_page(views.api_claims), name="api_claims"),
    path("api/articles/", cached_page(views.api_articles), name="api_articles"),
    # An index of sections, each paged at its Sitemap.limit, so no page is ever left out.
    path(
        "sitemap.xml",
        cached_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
]
