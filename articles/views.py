"""Readers' pages. Only published content is ever shown; drafts answer 404."""

import csv
import datetime
import io
import itertools
from collections import defaultdict

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from . import derived, export, facets, structured_data
from .filters import MOST_RECENT, SORTS, ActorFilter, ArticleFilter, ClaimFilter, EventFilter
from .models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Involvement,
    Source,
    Status,
    claim_count,
)
from .pg import use_statement_timeout

PAGE_SIZE = 20
# Seconds after which a client may try again when the site answers 503.
RETRY_AFTER = 60


class CappedPaginator(Paginator):
    """
    A Paginator over at most `cap` rows. Past the cap the total reads "10,000+" and the
    pages end there: narrowing the filters (dates, countries…) reaches the rest.
    Counting a million matches is what made big lists slow, and offsets no deeper than
    the cap keep the last page about as fast as the first.
    """

    cap = 10_000

    def __init__(self, object_list, per_page, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if counted is not None:  # the rows up to cap + 1, when the caller has them
            self.counted = counted

    @cached_property
    def counted(self):
        # A count of the first cap + 1 ids, unordered, without the rows' annotations:
        # enough to know it goes on. (The API pages export.ClaimRows, which wrap the
        # queryset they read.)
        queryset = getattr(self.object_list, "queryset", self.object_list)
        return queryset.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def more(self):
        """True when rows beyond the cap exist and are left out."""
        return self.counted > self.cap

    @property
    def total(self):
        return f"{self.count:,}+" if self.more else f"{self.count:,}"


def paginate(request, queryset, per_page=PAGE_SIZE, counted=None):
    """A page of `queryset`; nonsense or out-of-range page numbers land on a real page."""
    return CappedPaginator(queryset, per_page, counted).get_page(request.GET.get("page"))


def browse_claims(request, base, fixed_countries=()):
    """
    Context for a filtered claims list over `base`, with facets and chips.
    Queries: one per named value to validate (country, actor, event, source), the
    matching ids, the page of rows, their actors, and six facets.
    """
    filterset = ClaimFilter(request.GET, queryset=base)
    params = request.GET
    if not filterset.is_valid():
        return {"filter": filterset, "errors": filterset.errors, "chips": []}, 400
    # The matching ids, up to one past the cap: they give the count, and when they are
    # all there, the facets count over them rather than filter six more times.
    cap = CappedPaginator.cap
    ids = list(filterset.qs.order_by().values_list("pk", flat=True)[: cap + 1])
    everything = len(ids) <= cap
    page = paginate(request, filterset.sorted_qs(rank=everything).for_list(), counted=len(ids))
    # Downloads of this list select the same claims, the page's own country included.
    export_params = params.copy()
    for country in fixed_countries:
        export_params.appendlist("country", country.slug)
    context = {
        "filter": filterset,
        "page_obj": page,
        "claims": page.object_list,
        "facets": facets.claim_facets(
            filterset, params, base, fixed_countries, ids if everything else None
        ),
        # A search with more matches than the cap is listed by date, not relevance.
        "unranked": "rank" in filterset.qs.query.annotations
        and not everything
        and not params.get("sort"),
        "chips": facets.chips(filterset, params),
        "search_words": filterset.search_words,
        "export_query": query_string(export_params, drop=("page",)),
        # Filtered views are pages of their own; stray parameters (utm_…) are not.
        "canonical_url": request.build_absolute_uri(
            request.path
            + query_string(params, drop=[key for key in params if key not in filterset.filters])
        ),
        "clear_href": facets.without(params, *filterset.filters),
        # The filter form resubmits the facet selections it does not show as inputs.
        "hidden_params": [
            (key, value)
            for key, values in params.lists()
            if key not in ("q", "from", "to", "page")
            for value in values
        ],
        "sorts": [
            (key, label, facets.toggled(params, "sort", key) if key != current_sort(params) else "")
            for key, (label, _) in SORTS.items()
        ],
    }
    return context, 200


def query_string(params, drop=()):
    """'?a=1&b=2' from a QueryDict without the keys in `drop`, or '' when nothing is left."""
    params = params.copy()
    for key in drop:
        params.pop(key, None)
    return f"?{params.urlencode()}" if params else ""


def current_sort(params):
    return params.get("sort") if params.get("sort") in SORTS else "recent"


def home(request):
    latest = Claim.objects.published().for_list()[:10]
    countries = Country.objects.public().order_by("-claim_count", "name")[:12]
    events = Event.objects.public().order_by("-claim_count", "-start_date")[:8]
    return render(
        request,
        "articles/home.html",
        {
            "title": "Geopolitical news claims, traced to their sources",
            "latest": latest,
            "countries": countries,
            "events": events,
        },
    )


def claim_list(request):
    context, status = browse_claims(request, Claim.objects.published())
    context.update(
        title="Claims",
        feed_title="New claims matching these filters",
        feed_url=reverse("claim_feed") + query_string(request.GET, drop=("page", "sort")),
    )
    return render(request, "articles/claim_list.html", context, status=status)


def claim_detail(request, pk, slug=None):
    claim = get_object_or_404(
        Claim.objects.published()
        .select_related("country", "event")
        .prefetch_related(
            Prefetch("roles", queryset=ClaimActor.objects.select_related("actor__country")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(article__status=Status.PUBLISHED)
                .select_related("article__source")
                .order_by("article__published_at"),
            ),
            "corrections",
        ),
        pk=pk,
    )
    if slug != claim.slug:
        return redirect(claim, permanent=True)
    actor_ids = [role.actor_id for role in claim.roles.all()]
    shares_actor = Exists(ClaimActor.objects.filter(claim=OuterRef("pk"), actor__in=actor_ids))
    related = (
        Claim.objects.published()
        .exclude(pk=claim.pk)
        .filter(shares_actor | Q(event_id=claim.event_id) if claim.event_id else shares_actor)
        .select_related("event")
        .order_by(MOST_RECENT, "-id")[:8]
    )
    return render(
        request,
        "articles/claim_detail.html",
        {
            "title": claim.statement,
            "description": f"{claim.get_kind_display()} claim, {claim.when or 'undated'}: "
            f"{claim.statement}",
            "canonical_url": request.build_absolute_uri(claim.get_absolute_url()),
            "og_type": "article",
            "structured_data": structured_data.claim_data(claim, request.build_absolute_uri),
            "claim": claim,
            "related": related,
        },
    )


def article_list(request):
    filterset = ArticleFilter(
        request.GET,
        # Counted per row shown (a correlated subquery), not grouped over every article.
        queryset=Article.objects.published()
        .select_related("source")
        .annotate(claim_total=claim_count(Evidence, "article")),
    )
    if not filterset.is_valid():
        return render(
            request,
            "articles/article_list.html",
            {"title": "Articles", "filter": filterset},
            status=400,
        )
    page = paginate(request, filterset.qs.order_by("-published_at", "-id"))
    return render(
        request,
        "articles/article_list.html",
        {
            "title": "Articles",
            "filter": filterset,
            "page_obj": page,
            "articles": page.object_list,
            "export_query": query_string(request.GET, drop=("page",)),
        },
    )


def article_detail(request, pk, slug=None):
    article = get_object_or_404(
        Article.objects.published().select_related("source__country"), pk=pk
    )
    if slug != article.slug:
        return redirect(article, permanent=True)
    # Through the article's own manager, so each evidence knows its article (no query).
    evidence = list(
        article.evidence.filter(claim__status=Status.PUBLISHED)
        .select_related("claim")
        .order_by(F("claim__occurred_on").asc(nulls_last=True), "claim_id")
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "title": article.title,
            "description": article.summary or f"{article.title} ({article.source.name})",
            "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
            "og_type": "article",
            "structured_data": structured_data.article_data(article, request.build_absolute_uri),
            "article": article,
            "evidence": evidence,
            "body": highlighted_body(article, evidence),
        },
    )


def highlighted_body(article, evidence):
    """
    The article's paragraphs with every evidence quote in a <mark> linking to its claim.

    Quotes are found with the same tolerant matching the admin validates with. They may
    nest or overlap, and a quote may run over a paragraph break, so each paragraph is cut
    at every quote boundary: a piece inside quotes links to the innermost one (the one
    that starts last), and each quote's anchor (#evidence-<id>) stands where it starts.
    """
    spans = [(*span, item) for item in evidence if (span := item.span()) is not None]
    paragraphs, offset = [], 0
    for line in article.body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            paragraphs.append(highlighted_paragraph(article.body, start, end, spans))
    return format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs))


def highlighted_paragraph(body, start, end, spans):
    cuts = sorted({start, end} | {p for s, e, _ in spans for p in (s, e) if start < p < end})
    pieces = []
    for piece_start, piece_end in itertools.pairwise(cuts):
        text = body[piece_start:piece_end]
        anchors = [item.anchor for s, _, item in spans if s == piece_start]
        covering = [(s, item.pk, item) for s, e, item in spans if s <= piece_start < e]
        if not covering:
            pieces.append(format_html("{}", text))
            continue
        innermost = max(covering, key=lambda found: found[:2])[2]
        pieces.append(
            format_html(
                '{}<mark{}><a href="{}">{}</a></mark>',
                format_html_join("", '<span id="{}"></span>', ((a,) for a in anchors[1:])),
                format_html(' id="{}"', anchors[0]) if anchors else "",
                innermost.claim.get_absolute_url(),
                text,
            )
        )
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("country"), slug=slug)
    articles = source.articles.published()
    if not articles.exists():
        raise Http404("No published articles from this source.")
    page = paginate(request, articles.order_by("-published_at", "-id"))
    return render(
        request,
        "articles/source_detail.html",
        {
            "title": source.name,
            "description": f"Articles from {source.name} and the claims they back.",
            "source": source,
            "page_obj": page,
            "articles": page.object_list,
        },
    )


def country_list(request):
    countries = Country.objects.public().order_by("region", "subregion", "name")
    regions = defaultdict(list)
    for country in countries:
        regions[country.region or "Other"].append(country)
    return render(
        request,
        "articles/country_list.html",
        {"title": "Countries", "regions": dict(regions)},
    )


def get_country(code):
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404(f"There is no country with the code “{code}”.")
    return country


def country_detail(request, code):
    country = get_country(code)
    if code != country.slug:
        url = reverse("country_detail", args=[country.slug])
        return redirect(url + query_string(request.GET), permanent=True)
    base = Claim.objects.published().involving(country)
    if not base.exists():
        raise Http404("No published claims involve this country yet.")
    context, status = browse_claims(request, base, fixed_countries=[country])

    def partners():
        rows = (
            Involvement.objects.filter(claim__in=base.values("pk"))
            .exclude(country=country)
            .values_list("country__code", "country__name")
            .annotate(n=Count("claim"))
            .order_by("-n", "country__name")[:10]
        )
        return [{"code": code.lower(), "name": name, "count": n} for code, name, n in rows]

    context.update(
        title=country.name,
        description=f"Published claims involving {country.name}: partners, events and a timeline.",
        feed_title=f"New claims involving {country.name}",
        feed_url=reverse("country_feed", args=[country.slug]),
        country=country,
        # Counted over all the country's claims: time-boxed like the facets.
        **facets.time_boxed(
            {
                "partners": partners,
                "events": lambda: list(
                    Event.objects.filter(claims__in=base).distinct().order_by("-start_date")[:10]
                ),
                "chart": lambda: monthly_chart(base),
            }
        ),
    )
    return render(request, "articles/country_detail.html", context, status=status)


def country_pair(request, code, other):
    country, partner = get_country(code), get_country(other)
    if country == partner:
        return redirect("country_detail", country.slug, permanent=True)
    if (code, other) != (country.slug, partner.slug):
        return redirect("country_pair", country.slug, partner.slug, permanent=True)
    base = Claim.objects.published().involving(country, partner)
    page = paginate(request, base.for_list().order_by(MOST_RECENT, "-id"))
    if not page.paginator.count:
        raise Http404("No published claims involve both of these countries yet.")
    extras = facets.time_boxed(
        {
            "kinds": lambda: [
                (Claim.Kind(kind).label, kind, n)
                for kind, n in base.order_by()
                .values_list("kind")
                .annotate(n=Count("pk"))
                .order_by("-n")
            ],
            "events": lambda: list(
                Event.objects.filter(claims__in=base).distinct().order_by("-start_date")
            ),
        }
    )
    return render(
        request,
        "articles/country_pair.html",
        {
            "title": f"{country.name} and {partner.name}",
            "description": f"Published claims involving both {country.name} and {partner.name}.",
            "feed_title": f"New claims involving {country.name} and {partner.name}",
            "feed_url": reverse("country_pair_feed", args=[country.slug, partner.slug]),
            "country": country,
            "partner": partner,
            "page_obj": page,
            "claims": page.object_list,
            # /countries/rs/cn/ and /countries/cn/rs/ are the same page; search engines
            # are told to index one of them.
            "canonical_url": request.build_absolute_uri(
                reverse("country_pair", args=sorted([country.slug, partner.slug]))
            ),
            **extras,
        },
    )


CHART_MONTHS = 36


def monthly_chart(claims, height=120):
    """
    Claims per month over the last three years with claims, as bars for an inline SVG
    drawn on the server, or {} when there are none. Claims dated only to a year are left
    out: their month is unknown. One query.
    """
    rows = list(
        claims.filter(occurred_on__isnull=False)
        .exclude(date_precision=Claim.Precision.YEAR)
        .annotate(month=TruncMonth("occurred_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    if not rows:
        return {}
    counts = {month_key(row["month"]): row["n"] for row in rows}
    last = month_key(rows[-1]["month"])
    first = max(month_key(rows[0]["month"]), months_before(last, CHART_MONTHS - 1))
    months = [first]
    while months[-1] < last:
        year, month = months[-1]
        months.append((year + 1, 1) if month == 12 else (year, month + 1))
    peak = max(counts.get(key, 0) for key in months)
    width = 12
    bars = []
    for index, key in enumerate(months):
        n = counts.get(key, 0)
        bar_height = round(n / peak * height) if n else 0
        bars.append(
            {
                "x": index * width,
                "y": height - bar_height,
                "width": width - 2,
                "height": bar_height,
                "count": n,
                "label": datetime.date(key[0], key[1], 1).strftime("%B %Y"),
            }
        )
    return {
        "bars": bars,
        "width": len(months) * width,
        "height": height,
        "peak": peak,
        "first": bars[0]["label"],
        "last": bars[-1]["label"],
    }


def months_before(key, count):
    year, month = key
    index = year * 12 + (month - 1) - count
    return (index // 12, index % 12 + 1)


def month_key(value):
    return (value.year, value.month)


def event_list(request):
    filterset = EventFilter(
        request.GET,
        queryset=Event.objects.public()
        .select_related("host_country")
        .order_by("-start_date", "name"),
    )
    return filtered_index(request, filterset, "articles/event_list.html", "Events", 20)


def filtered_index(request, filterset, template, title, per_page):
    """An index page (events, actors): its filters, a page of rows, or 400 with why."""
    context = {"title": title, "filter": filterset}
    if not filterset.is_valid():
        return render(request, template, context, status=400)
    page = paginate(request, filterset.qs, per_page=per_page)
    context.update(page_obj=page, object_list=page.object_list)
    return render(request, template, context)


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.select_related("host_country").prefetch_related(
            Prefetch("participants", queryset=Actor.objects.order_by("name"))
        ),
        slug=slug,
    )
    # A page of claims at a time: the busiest events have thousands.
    page = paginate(
        request,
        event.claims.published().for_list().order_by(F("occurred_on").asc(nulls_last=True), "id"),
    )
    if not page.paginator.count:
        raise Http404("No published claims about this event yet.")
    articles = (
        Article.objects.published()
        .filter(evidence__claim__in=[claim.pk for claim in page.object_list])
        .select_related("source")
        .distinct()
        .order_by("-published_at")
    )
    return render(
        request,
        "articles/event_detail.html",
        {
            "title": event.name,
            "description": (event.description or f"{event.get_kind_display()}: {event.name}")[:200],
            "feed_title": f"New claims about {event.name}",
            "feed_url": reverse("event_feed", args=[event.slug]),
            "structured_data": structured_data.event_data(event, request.build_absolute_uri),
            "event": event,
            "page_obj": page,
            "claims": page.object_list,
            "articles": articles,
        },
    )


def actor_list(request):
    filterset = ActorFilter(
        request.GET,
        queryset=Actor.objects.public().select_related("country").order_by("-claim_count", "name"),
    )
    return filtered_index(request, filterset, "articles/actor_list.html", "Actors", 50)


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("country"), slug=slug)
    roles = (
        ClaimActor.objects.filter(actor=actor, claim__status=Status.PUBLISHED)
        .select_related("claim__event", "claim__country")
        .order_by(F("claim__occurred_on").desc(nulls_last=True), "-claim_id")
    )
    page = paginate(request, roles)
    if not page.paginator.count:
        raise Http404("No published claims involve this actor yet.")
    return render(
        request,
        "articles/actor_detail.html",
        {
            "title": actor.name,
            "description": f"Claims involving {actor.name} and the roles it played.",
            "actor": actor,
            "page_obj": page,
            "roles": page.object_list,
        },
    )


# --- Downloads and the read-only JSON API ---------------------------------------------

EXPORT_FORMATS = ("csv", "json")
API_PAGE_SIZE, API_MAX_PAGE_SIZE = 20, 100


def bad_request(message, **extra):
    return JsonResponse({"error": message, **extra}, status=400)


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


def form_errors(filterset):
    return {field: [str(error) for error in errors] for field, errors in filterset.errors.items()}


def download(request, fmt, filterset, records, layout, csv_rows=None):
    """
    Every row `filterset` selects (not one page), streamed as CSV or JSON.
    `records` turns the filtered queryset into records; `layout` is (name, columns, to_row).
    `csv_rows`, if given, makes the CSV rows in the database instead, or returns None
    where the database cannot.
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
            rows = csv_rows(filterset) if csv_rows else None
            if rows is None:
                return export.stream_csv(export.in_slot(records(filterset)), columns, to_row, name)
            return export.csv_response(export.in_slot(rows), columns, name)
        return export.stream_json(export.in_slot(records(filterset)), name)
    except export.Busy:
        return unavailable(request, "Too many downloads are running. Try again in a minute.")


def claim_export(request, fmt):
    return download(
        request,
        fmt,
        ClaimFilter(request.GET, queryset=Claim.objects.published()),
        lambda filterset: export.records(
            export.claims_for_export(filterset.sorted_qs()),
            export.claim_record,
            request.build_absolute_uri,
        ),
        ("claims", export.CLAIM_COLUMNS, export.claim_csv_row),
        # PostgreSQL writes the CSV about three times faster than csv.writer can.
        lambda filterset: export.copy_claim_rows(filterset.sorted_qs(), request.build_absolute_uri),
    )


def article_export(request, fmt):
    return download(
        request,
        fmt,
        ArticleFilter(request.GET, queryset=Article.objects.published()),
        lambda filterset: export.records(
            export.articles_for_export(filterset.qs.order_by("-published_at", "-id")),
            export.article_record,
            request.build_absolute_uri,
        ),
        ("articles", export.ARTICLE_COLUMNS, export.article_csv_row),
    )


def api_page(request, queryset, to_record):
    """One page of records with links to the next and previous pages, as JSON."""
    try:
        page_size = int(request.GET.get("page_size", API_PAGE_SIZE))
    except ValueError:
        page_size = 0
    if not 1 <= page_size <= API_MAX_PAGE_SIZE:
        return bad_request(f"page_size must be a whole number from 1 to {API_MAX_PAGE_SIZE}.")
    paginator = CappedPaginator(queryset, page_size)
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
            "count_capped": paginator.more,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [to_record(obj, request.build_absolute_uri) for obj in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def api_claims(request):
    filterset = ClaimFilter(request.GET, queryset=Claim.objects.published())
    if not filterset.is_valid():
        return bad_request("These filters cannot be used.", errors=form_errors(filterset))
    return api_page(request, export.claims_for_export(filterset.sorted_qs()), export.claim_record)


def api_articles(request):
    filterset = ArticleFilter(request.GET, queryset=Article.objects.published())
    if not filterset.is_valid():
        return bad_request("These filters cannot be used.", errors=form_errors(filterset))
    queryset = filterset.qs.order_by("-published_at", "-id")
    return api_page(request, export.articles_for_export(queryset), export.article_record)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def healthz(request):
    """
    For load balancers and monitors: 200 while the database answers, 503 when it does
    not, as JSON with the latest change log number (`change_seq`) and how many changes
    a read index has yet to apply (`index_lag`; there is none yet, so 0).
    """
    try:
        seq = derived.change_seq()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok", "change_seq": seq, "index_lag": 0})
