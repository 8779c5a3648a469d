"""The site's own files: robots.txt, and /healthz for load balancers."""

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .. import derived, engine
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
