from django.contrib.sitemaps import views as sitemaps
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import feeds
from .caching import cached_page
from .sitemaps import SITEMAPS
from .views import api, articles, browse, claims, countries, maps, site


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
# downloads and checks are not cached. Pages are in the reader's language: English at
# the root, Serbian under /sr/ and /sr-latn/ (newsclaims/urls.py).
pages = [
    path("", site.follows_language_cookie(page(claims.home)), name="home"),
    path("claims/", page(claims.claim_list), name="claim_list"),
    path("claims/feed/", page(feeds.ClaimsFeed()), name="claim_feed"),
    path("claims/map.svg", page(maps.claim_map), name="claim_map"),
    path("claims/facets/<str:dimension>/", page(claims.claim_facet), name="claim_facet"),
    path("claims/<int:pk>/", page(claims.claim_detail), name="claim_detail_short"),
    path("claims/<int:pk>/<slug:slug>/", page(claims.claim_detail), name="claim_detail"),
    path("claims/<int:pk>/<slug:slug>/history/", page(claims.claim_history), name="claim_history"),
    path("articles/", page(articles.article_list), name="article_list"),
    path("articles/<int:pk>/", page(articles.article_detail), name="article_detail_short"),
    path("articles/<int:pk>/<slug:slug>/", page(articles.article_detail), name="article_detail"),
    path("sources/<slug:slug>/", page(browse.source_detail), name="source_detail"),
    path("countries/", page(countries.country_list), name="country_list"),
    path("countries/pair/", page(countries.country_pair_picker), name="country_pair_picker"),
    path("countries/<country:code>/", page(countries.country_detail), name="country_detail"),
    path("countries/<country:code>/feed/", page(feeds.CountryFeed()), name="country_feed"),
    path(
        "countries/<country:code>/<country:other>/",
        page(countries.country_pair),
        name="country_pair",
    ),
    path(
        "countries/<country:code>/<country:other>/feed/",
        page(feeds.CountryPairFeed()),
        name="country_pair_feed",
    ),
    path("events/", page(browse.event_list), name="event_list"),
    path("events/<slug:slug>/", page(browse.event_detail), name="event_detail"),
    path("events/<slug:slug>/feed/", page(feeds.EventFeed()), name="event_feed"),
    path("actors/", page(browse.actor_list), name="actor_list"),
    path("actors/<slug:slug>/", page(browse.actor_detail), name="actor_detail"),
]

# Data and machine-read addresses are the same in every language.
urlpatterns = [
    path("claims/export.<str:fmt>", require_safe(api.claim_export), name="claim_export"),
    path("articles/export.<str:fmt>", require_safe(api.article_export), name="article_export"),
    path("api/claims/", page(api.api_claims), name="api_claims"),
    path("api/articles/", page(api.api_articles), name="api_articles"),
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
    # The language switcher's links: the same address from every language.
    path("language/", require_safe(site.choose_language), name="choose_language"),
    path("robots.txt", require_safe(site.robots_txt), name="robots_txt"),
    path("healthz", require_safe(site.healthz), name="healthz"),
]
