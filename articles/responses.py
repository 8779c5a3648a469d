"""Answers shared by views and middleware: a 400 that says why, a 503 to try again."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

# Seconds after which a client may try again when the site answers 503.
RETRY_AFTER = 60


def bad_request(message, **extra):
    return JsonResponse({"error": message, **extra}, status=400)


def form_errors(filterset):
    return {field: [str(error) for error in errors] for field, errors in filterset.errors.items()}


def unavailable(request, message):
    """
    503 with Retry-After, in the form the address promises: JSON for the API and the JSON
    downloads, CSV for the CSV downloads (an `error` column), an HTML page elsewhere. The
    page needs neither the database nor the context processors.
    """
    match = request.resolver_match
    fmt = match.kwargs.get("fmt") if match else None
    if fmt == "json" or (match and match.route.startswith("api/")):
        response = JsonResponse({"error": message}, status=503)
    elif fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows([["error"], [message]])
        response = HttpResponse(text.getvalue(), "text/csv; charset=utf-8", status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
