"""
The site's URLs plus two floors for the benchmark (bench/settings.py only):

- /bench/floor/static/: a bare Django view returning a fixed response;
- /bench/floor/query/?id=N: a view running one indexed single-row query (a claim by
  primary key).

Both go through the same middleware as every page, so a page's throughput as a
fraction of the one-query floor says how much the page itself costs.
"""

from django.http import Http404, HttpResponse
from django.urls import path

from articles.models import Claim
from newsclaims import urls as site

FIXED = b"newsclaims benchmark floor\n"


def floor_static(request):
    return HttpResponse(FIXED, content_type="text/plain; charset=utf-8")


def floor_query(request):
    try:
        pk = int(request.GET.get("id", "1"))
    except ValueError:
        raise Http404("id must be a number") from None
    statement = Claim.objects.filter(pk=pk).values_list("statement", flat=True).first()
    if statement is None:
        raise Http404("no such claim")
    return HttpResponse(statement.encode() + b"\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/static/", floor_static, name="bench_floor_static"),
    path("bench/floor/query/", floor_query, name="bench_floor_query"),
    # Spliced, not included: i18n_patterns must be at the root.
    *site.urlpatterns,
]
handler404 = site.handler404
