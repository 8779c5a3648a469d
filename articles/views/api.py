"""The read-only JSON API and the downloads: every row the filters select."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.http import JsonResponse

from .. import describe, export, facets, listing
from ..filters import ArticleFilter, ClaimFilter
from ..models import Article
from ..pagination import CappedPaginator
from ..pg import use_statement_timeout
from ..responses import bad_request, form_errors, unavailable

EXPORT_FORMATS = ("csv", "json")
API_PAGE_SIZE, API_MAX_PAGE_SIZE = 20, 100


def download(request, fmt, filterset, records, layout, csv_rows=None):
    """
    Every row the filters select (not one page), streamed as CSV or JSON. `records()`
    gives the records; `layout` is (name, columns, to_row). `csv_rows()`, if given,
    makes the CSV rows in the database instead, or returns None where it cannot.
    """
    if fmt not in EXPORT_FORMATS:
        return bad_request(f"Unknown export format “{fmt}”: use csv or json.")
    if not filterset.is_valid():
        return bad_request("These filters cannot be used.", errors=form_errors(filterset))
    name, columns, to_row = layout
    if request.method == "HEAD":
        # The headers a GET gets, none of the work: servers read a HEAD's body through
        # only to throw it away.
        return (
            export.csv_response((), columns, name) if fmt == "csv" else export.stream_json((), name)
        )
    # Every row the filters select, not a page of them: a longer limit than pages get.
    use_statement_timeout(settings.EXPORT_STATEMENT_TIMEOUT)
    # A database that cannot answer is a 503 now, not a download that starts and breaks
    # off: the rows are read later, while the response is sent. (As Django does before a
    # request's first query, a persistent connection that has died is replaced.)
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    try:
        if fmt == "csv":
            rows = csv_rows() if csv_rows else None
            if rows is None:
                return export.stream_csv(export.in_slot(records()), columns, to_row, name)
            return export.csv_response(export.in_slot(rows), columns, name)
        return export.stream_json(export.in_slot(records()), name)
    except export.Busy:
        return unavailable(request, "Too many downloads are running. Try again in a minute.")


def download_name(filterset, request, noun):
    """A file name that says what it holds: claims-rs-cn-military-2025 (ASCII only)."""
    if not filterset.is_valid():
        return noun  # answered with a 400 before any file is named
    return describe.describe(filterset, request.GET).filename(noun)


def claim_export(request, fmt):
    filterset = ClaimFilter(request.GET)
    absolute = request.build_absolute_uri

    def matches():  # read when the download starts, not for a HEAD
        return listing.find(request, filterset=filterset).matches

    return download(
        request,
        fmt,
        filterset,
        lambda: export.records(export.ClaimRows(matches()), export.claim_record, absolute),
        (download_name(filterset, request, "claims"), export.CLAIM_COLUMNS, export.claim_csv_row),
        # PostgreSQL writes the CSV about three times faster than csv.writer can.
        lambda: export.copy_claim_rows(matches(), absolute),
    )


def article_export(request, fmt):
    filterset = ArticleFilter(request.GET, queryset=Article.objects.published())
    return download(
        request,
        fmt,
        filterset,
        lambda: export.records(
            export.articles_for_export(filterset.qs.order_by("-published_at", "-id")),
            export.article_record,
            request.build_absolute_uri,
        ),
        (
            download_name(filterset, request, "articles"),
            export.ARTICLE_COLUMNS,
            export.article_csv_row,
        ),
    )


def api_page(request, paginator, to_record, **extra):
    """One page of records with links to the next and previous pages, as JSON."""
    page_number = request.GET.get("page", 1)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        return bad_request("page must be a whole number from 1.")
    except EmptyPage:
        return JsonResponse(
            {"error": f"There is no page {page_number}: the last is {paginator.num_pages}."},
            status=404,
        )

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "count_capped": getattr(paginator, "more", False),
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [to_record(obj, request.build_absolute_uri) for obj in page],
            **extra,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def page_size(request):
    """The page_size parameter, or None when it is not a whole number from 1 to 100."""
    try:
        size = int(request.GET.get("page_size", API_PAGE_SIZE))
    except ValueError:
        return None
    return size if 1 <= size <= API_MAX_PAGE_SIZE else None


def api_claims(request):
    """
    A page of claim records and, for the same filters, every facet's exact counts, each
    value as the parameter that selects it: {"facets": {"country": [{value, label,
    count}], "kind": […], …}}.
    """
    if (size := page_size(request)) is None:
        return bad_request(f"page_size must be a whole number from 1 to {API_MAX_PAGE_SIZE}.")
    found = listing.find(request)
    if not found.valid:
        return bad_request("These filters cannot be used.", errors=form_errors(found.filterset))
    return api_page(
        request,
        Paginator(export.ClaimRows(found.matches), size),
        export.claim_record,
        facets=facets.api_facets(found, request.GET),
    )


def api_articles(request):
    if (size := page_size(request)) is None:
        return bad_request(f"page_size must be a whole number from 1 to {API_MAX_PAGE_SIZE}.")
    filterset = ArticleFilter(request.GET, queryset=Article.objects.published())
    if not filterset.is_valid():
        return bad_request("These filters cannot be used.", errors=form_errors(filterset))
    articles = export.articles_for_export(filterset.qs.order_by("-published_at", "-id"))
    return api_page(request, CappedPaginator(articles, size), export.article_record)
