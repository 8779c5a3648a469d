"""The site's own files: robots.txt, /healthz for load balancers, the language switcher."""

from functools import wraps

from django.conf import settings
from django.db import DatabaseError
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import derived, engine
from ..languages import translated
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


@never_cache
def choose_language(request):
    """
    The language switcher's links (plain links: no JavaScript, no form): remember the
    reader's choice in the language cookie, which the admin and the home page follow,
    and go to `next` (the same page and filters) in that language.
    """
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        message = _("Choose one of these languages: %(languages)s.") % {
            "languages": ", ".join(code for code, _name in settings.LANGUAGES)
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        with translation.override(language):
            target = reverse("home")
    response = HttpResponseRedirect(translated(target, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def follows_language_cookie(view):
    """
    For the home page: a reader who chose another language with the switcher comes
    back to the home page in it. Other pages keep the language of their address.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            translation.get_language() == settings.LANGUAGE_CODE
            and chosen != settings.LANGUAGE_CODE
            and chosen in dict(settings.LANGUAGES)
        ):
            response = HttpResponseRedirect(translated(request.get_full_path(), chosen))
        else:
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
