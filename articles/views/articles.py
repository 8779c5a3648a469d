"""Articles: the index with its filters, and an article with its quotes marked."""

from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from .. import structured_data
from ..filters import ArticleFilter
from ..highlighting import highlighted_body
from ..models import Article, Evidence, Status, claim_count
from ..pagination import paginate
from .claims import previewing, query_string


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
            {"title": gettext("Articles"), "filter": filterset},
            status=400,
        )
    page = paginate(request, filterset.qs.order_by("-published_at", "-id"))
    return render(
        request,
        "articles/article_list.html",
        {
            "title": gettext("Articles"),
            "filter": filterset,
            "page_obj": page,
            "articles": page.object_list,
            "export_query": query_string(request.GET, drop=("page",)),
        },
    )


def article_detail(request, pk, slug=None):
    articles = Article.objects.all() if previewing(request) else Article.objects.published()
    article = get_object_or_404(articles.select_related("source__country", "agency"), pk=pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    preview = article.status != Status.PUBLISHED
    # Through the article's own manager, so each evidence knows its article (no query).
    # A draft's preview marks its draft claims' quotes too.
    evidence = (
        article.evidence.all()
        if preview
        else article.evidence.filter(claim__status=Status.PUBLISHED)
    )
    evidence = list(
        evidence.select_related("claim").order_by(
            F("claim__occurred_on").asc(nulls_last=True), "claim_id"
        )
    )
    response = render(
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
            "preview": preview,
        },
    )
    if preview:
        # Never indexed, never kept by a shared cache: only staff get here.
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
    return response
