"""The site's own files: robots.txt, and /healthz for load balancers."""

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .. import derived, engine
from ..pagination import PastTheEnd
from ..responses import RETRY_AFTER


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def healthz(request):
    """
    For load balancers and monitors: 200 while the database answers, 503 when it does
    not, as JSON with the latest change log number (`change_seq`) and how many entries
    this worker's read index has yet to apply (`index_lag`; null before its first use).
    """
    try:
        seq = derived.change_seq()
    except DatabaseError:
        response = JsonResponse({"status": "database unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "change_seq": seq, "index_lag": engine.lag()})


def page_not_found(request, exception):
    """
    Django's 404 page (404.html, which needs no database), and for a page number past the
    end of a list, a link to its last page.
    """
    context = {"request_path": request.path, "exception": str(exception) if exception else ""}
    if isinstance(exception, PastTheEnd):
        context["last_url"] = exception.last_url
    return HttpResponseNotFound(render_to_string("404.html", context))
