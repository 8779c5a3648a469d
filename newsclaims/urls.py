from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

# A page past the end of a list links to the last page (articles/pagination.py).
handler404 = "articles.views.site.page_not_found"
