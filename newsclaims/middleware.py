from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware import locale
from django.utils import translation
from django.utils.translation import gettext, ngettext

MAX_QUERY_STRING = 4096
ADMIN_PREFIX = "/admin/"  # newsclaims/urls.py


class RequestSizeLimitMiddleware:
    """
    Refuse oversized requests before anything parses them: a body larger than
    REQUEST_MAX_BYTES (413) or a query string longer than any page needs (400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(
                gettext("Invalid Content-Length."), status=400, content_type="text/plain"
            )
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                ngettext(
                    "Request body too large: at most %(limit)d byte.",
                    "Request body too large: at most %(limit)d bytes.",
                    settings.REQUEST_MAX_BYTES,
                )
                % {"limit": settings.REQUEST_MAX_BYTES},
                status=413,
                content_type="text/plain",
            )
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return HttpResponse(
                ngettext(
                    "Query string too long: at most %(limit)d character.",
                    "Query string too long: at most %(limit)d characters.",
                    MAX_QUERY_STRING,
                )
                % {"limit": MAX_QUERY_STRING},
                status=400,
                content_type="text/plain",
            )
        return self.get_response(request)


class AdminMethodsMiddleware:
    """
    The admin takes GET and HEAD, and POST from its forms. Its views treat any other
    method (TRACE, OPTIONS, PUT…) as a GET and answer with the page: refuse those with 405.
    (Public views refuse all but GET and HEAD themselves: require_safe, articles/urls.py.)
    Before the CSRF check, which would refuse some of them with 403 instead.
    """

    allowed = ["GET", "HEAD", "POST"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in self.allowed and "admin" in request.resolver_match.namespaces:
            return HttpResponseNotAllowed(self.allowed)
        return None


class LocaleMiddleware(locale.LocaleMiddleware):
    """
    Pages take their language from their address (English at the root, /sr/, /sr-latn/).
    The admin has one address for every language: it takes the reader's choice from the
    language switcher's cookie, else the browser's Accept-Language.
    """

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
