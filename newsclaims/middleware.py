from django.conf import settings
from django.http import HttpResponse

MAX_QUERY_STRING = 4096


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
            return HttpResponse("Invalid Content-Length.", status=400, content_type="text/plain")
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                f"Request body too large: at most {settings.REQUEST_MAX_BYTES} bytes.",
                status=413,
                content_type="text/plain",
            )
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return HttpResponse(
                f"Query string too long: at most {MAX_QUERY_STRING} characters.",
                status=400,
                content_type="text/plain",
            )
        return self.get_response(request)
