from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from articles import urls as articles

urlpatterns = [
    # The admin is in the language of the reader's cookie (set by the language switcher).
    path("admin/", admin.site.urls),
    path("", include(articles)),
    # Pages: English at the root (/claims/), Serbian Cyrillic under /sr/, Latin under
    # /sr-latn/.
    *i18n_patterns(path("", include(articles.pages)), prefix_default_language=False),
]

# A page past the end of a list links to the last page (articles/pagination.py).
handler404 = "articles.views.site.page_not_found"
