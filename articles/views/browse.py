"""Events, actors and sources: their indexes and their pages."""

from collections import defaultdict

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext

from .. import describe, listing, structured_data
from ..filters import ActorFilter, EventFilter
from ..models import Actor, Article, ClaimActor, Event, Source
from ..pagination import ExactPaginator, paginate
from .claims import NO_FILTERS


def filtered_index(request, filterset, template, title, per_page):
    """An index page (events, actors): its filters, a page of rows, or 400 with why."""
    context = {"title": title, "filter": filterset}
    if not filterset.is_valid():
        return render(request, template, context, status=400)
    page = paginate(request, filterset.qs, per_page=per_page)
    context.update(page_obj=page, object_list=page.object_list)
    return render(request, template, context)


def event_list(request):
    filterset = EventFilter(
        request.GET,
        queryset=Event.objects.public()
        .select_related("host_country")
        .order_by("-start_date", "name"),
    )
    return filtered_index(request, filterset, "articles/event_list.html", gettext("Events"), 20)


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.select_related("host_country").prefetch_related(
            Prefetch("participants", queryset=Actor.objects.order_by("name"))
        ),
        slug=slug,
    )
    # In the order things happened, a page at a time: the busiest events have thousands.
    found = listing.find(request, params=NO_FILTERS, sort="oldest", event=event)
    if not found.total:
        raise Http404(gettext("No published claims about this event yet."))
    page = paginate(request, found.claims(), paginator=ExactPaginator)
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
            "title": event.local_name,
            "description": (
                event.description
                or gettext("%(kind)s: %(event)s")
                % {"kind": event.get_kind_display(), "event": event.local_name}
            )[:200],
            "feed_title": describe.describe(event=event).title(),
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
    return filtered_index(request, filterset, "articles/actor_list.html", gettext("Actors"), 50)


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("country"), slug=slug)
    found = listing.find(request, params=NO_FILTERS, actors=[actor])
    if not found.total:
        raise Http404(gettext("No published claims involve this actor yet."))
    page = paginate(request, found.claims(), paginator=ExactPaginator)
    # The roles it played in the claims of the page (one may hold several).
    roles = defaultdict(list)
    for role in ClaimActor.objects.filter(actor=actor, claim__in=page.object_list):
        roles[role.claim_id].append(role.get_role_display().lower())
    for claim in page.object_list:
        claim.actor_roles = sorted(roles[claim.pk])
    return render(
        request,
        "articles/actor_detail.html",
        {
            "title": actor.local_name,
            "description": gettext("Claims involving %(actor)s and the roles it played.")
            % {"actor": actor.local_name},
            "actor": actor,
            "page_obj": page,
            "claims": page.object_list,
        },
    )


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("country"), slug=slug)
    articles = source.articles.published()
    if not articles.exists():
        raise Http404(gettext("No published articles from this source."))
    page = paginate(request, articles.order_by("-published_at", "-id"))
    return render(
        request,
        "articles/source_detail.html",
        {
            "title": source.name,
            "description": gettext("Articles from %(source)s and the claims they back.")
            % {"source": source.name},
            "source": source,
            "page_obj": page,
            "articles": page.object_list,
        },
    )
