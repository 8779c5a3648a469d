"""The claims: the home page, the filtered claims list and its facets, a claim's page."""

from babel import Locale, UnknownLocaleError
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from .. import (
    describe,
    detection,
    engine,
    facets,
    history,
    listing,
    names,
    pairs,
    structured_data,
    worldmap,
)
from ..filters import MAX_VALUES, SORTS
from ..models import (
    DERIVED_FOR_SEARCH,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Status,
)
from ..names import by_name
from ..pagination import ExactPaginator, paginate
from ..search import fold

FACET_PAGE_SIZE = 100
RELATED = 8
# What the filter form shows as its own inputs; it resubmits every other parameter.
FORM_FIELDS = ("q", "from", "to", "source", "language", "independent_sources", "page")
# The headings of the pages listing every value of a facet (claim_facet).
FACET_TITLES = {
    "country": _("Countries of these claims"),
    "partner": _("Partner countries of these claims"),
    "actor": _("Actors of these claims"),
    "event": _("Events of these claims"),
    "source": _("Sources of these claims"),
    "language": _("Languages of the evidence of these claims"),
}


def browse(request, found, fixed_countries=()):
    """
    Context for a filtered claims list (includes/claim_browser.html) and its status:
    400 with the reasons when the filters cannot be used. Queries: one per value the
    filters name (to check it), a page of claims, their actors, the facets' names.
    """
    params = request.GET
    filterset = found.filterset
    if not found.valid:
        return {"filter": filterset, "errors": filterset.errors, "chips": []}, 400
    page = paginate(request, found.claims(), paginator=ExactPaginator)
    # Downloads of this list select the same claims, the page's own country included.
    export_params = params.copy()
    for country in fixed_countries:
        export_params.appendlist("country", country.slug)
    context = {
        "filter": filterset,
        "page_obj": page,
        "claims": page.object_list,
        "facets": facets.claim_facets(found, params, fixed_countries),
        "unranked": found.unranked,
        "chips": facets.chips(filterset, params),
        "search_words": found.words,
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
            if key not in FORM_FIELDS
            for value in values
        ],
        "language_choices": [
            (code, language_name(code)) for code in sorted(found.index.bitmaps["language"])
        ],
        "sorts": [
            (key, label, facets.toggled(params, "sort", key) if key != current_sort(params) else "")
            for key, label in SORTS.items()
        ],
    }
    return context, 200


def language_name(code):
    """'sr-latn' → 'Serbian (Latin) · sr-latn' in the page's language, or the code alone."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(names.LOCALES[names.language()])
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return f"{name} · {code}" if name else code


def country_suggestion(found, params):
    """
    Pages to suggest when the words searched for name countries ("what has serbia done
    with china"): the pair's page, the country's page, and the list filtered by them
    instead of by the words. None when the words name no country not already chosen.
    """
    query = found.filterset.form.cleaned_data.get("q") if found.valid else None
    if not query:
        return None
    chosen = describe.in_order(
        found.filterset.form.cleaned_data.get("country") or (), params.getlist("country")
    )
    taken = {country.code for country in chosen}
    named = [code for code in detection.detect(query).countries if code not in taken]
    if not named:
        return None
    by_code = Country.objects.in_bulk(named[:MAX_VALUES], field_name="code")
    countries = [*chosen, *(by_code[code] for code in named if code in by_code)][:MAX_VALUES]
    if len(countries) == len(chosen):
        return None
    filtered = params.copy()
    for key in ("q", "page", "country"):
        filtered.pop(key, None)
    for country in countries:
        filtered.appendlist("country", country.slug)
    suggestion = {
        "countries": countries,
        "names": describe.and_list(country.local_name for country in countries),
        "filter_url": reverse("claim_list") + query_string(filtered),
    }
    if len(countries) >= 2:
        suggestion["pair_url"] = reverse("country_pair", args=[c.slug for c in countries[:2]])
        suggestion["pair_name"] = describe.and_list(c.local_name for c in countries[:2])
    elif countries[0].claim_count:
        suggestion["country_url"] = countries[0].get_absolute_url()
    return suggestion


def query_string(params, drop=()):
    """'?a=1&b=2' from a QueryDict without the keys in `drop`, or '' when nothing is left."""
    params = params.copy()
    for key in drop:
        params.pop(key, None)
    return f"?{params.urlencode()}" if params else ""


def current_sort(params):
    return params.get("sort") if params.get("sort") in SORTS else "recent"


def home(request):
    index = engine.for_request(request)
    # One query for every country readers can visit: the pair picker's choices, the
    # busiest pairs' names and the most active countries.
    public = list(Country.objects.public().order_by("name"))
    return render(
        request,
        "articles/home.html",
        {
            "title": gettext("Geopolitical news claims, traced to their sources"),
            "latest": listing.in_order(index.page(index.published, "recent", 0, 10)),
            "countries": sorted(public, key=lambda country: -country.claim_count)[:12],
            "events": Event.objects.public().order_by("-claim_count", "-start_date")[:8],
            "pair_countries": [(country.slug, country.local_name) for country in by_name(public)],
            "pairs": pairs.pair_links(index, {country.pk: country for country in public}),
            "map": worldmap.page_map(listing.find(request, params=NO_FILTERS), NO_FILTERS),
        },
    )


def claim_list(request):
    found = listing.find(request)
    context, status = browse(request, found)
    # The heading says what the filters select: "Claims: Serbia and China, military".
    title = (
        describe.describe(found.filterset, request.GET).title()
        if found.valid
        else gettext("Claims")
    )
    context.update(
        title=title,
        feed_title=title,
        map=worldmap.page_map(found, request.GET) if found.valid else None,
        feed_url=reverse("claim_feed") + query_string(request.GET, drop=("page", "sort")),
        suggestion=country_suggestion(found, request.GET),
    )
    return render(request, "articles/claim_list.html", context, status=status)


def claim_facet(request, dimension):
    """
    Every value of one facet (countries, actors, events, sources, languages) for the
    claims the other parameters select, with counts: the "more" of a claims list.
    `within` narrows the values to those whose name holds these letters.
    """
    if dimension not in facets.LISTED:
        raise Http404(gettext("Only countries, actors, events, sources and languages are listed."))
    within = request.GET.get("within", "")[:100].strip()
    params = request.GET.copy()
    params.pop("within", None)
    found = listing.find(request, params=params)
    context = {
        "title": FACET_TITLES[dimension],
        "dimension": dimension,
        "within": within,
        "filter": found.filterset,
        "list_url": reverse("claim_list") + query_string(params, drop=("page",)),
        "hidden_params": [
            (key, value) for key, values in params.lists() for value in values if key != "page"
        ],
    }
    if not found.valid:
        context["errors"] = found.filterset.errors
        return render(request, "articles/claim_facet.html", context, status=400)
    items = facets.labelled(facets.counts(found, {dimension: None}), found.index, params)
    items = items[dimension]
    if within:
        letters = fold(within)
        items = [item for item in items if letters in fold(str(item["label"]))]
    page = paginate(request, items, per_page=FACET_PAGE_SIZE, paginator=ExactPaginator)
    context.update(page_obj=page, items=page.object_list, total=found.total)
    return render(request, "articles/claim_facet.html", context)


def previewing(request):
    """
    Whether drafts may be shown: to staff only, at their public addresses, marked as
    drafts (base.html). Such requests carry a session, so no page cache ever serves or
    stores them (caching.py).
    """
    return request.user.is_active and request.user.is_staff


def claim_detail(request, pk, slug=None):
    staff = previewing(request)
    evidence = Evidence.objects.select_related("article__source", "article__agency").order_by(
        "article__published_at", "id"
    )
    claim = get_object_or_404(
        (Claim.objects.all() if staff else Claim.objects.published())
        .select_related("country", "event")
        .defer(*DERIVED_FOR_SEARCH)
        .prefetch_related(
            Prefetch("roles", queryset=ClaimActor.objects.select_related("actor__country")),
            Prefetch(
                "evidence",
                queryset=evidence if staff else evidence.filter(article__status=Status.PUBLISHED),
            ),
            "corrections",
        )
        .with_links(),
        pk=pk,
    )
    preview = claim.status != Status.PUBLISHED
    links = claim.shown_links(preview)
    if original := claim.original(links):
        # One claim, one address: a duplicate's (its short one too) is the original's.
        return redirect(original, permanent=True)
    if slug != claim.slug:
        return redirect(claim, permanent=True)
    # A published claim shows what readers see; a draft also its quotes from drafts.
    shown = [
        item for item in claim.evidence.all() if preview or item.article.status == Status.PUBLISHED
    ]
    # The latest claims that share an actor or the event with it (the read index's).
    index = engine.for_request(request)
    sharing = [index.bitmap("actor", role.actor_id) for role in claim.roles.all()]
    if claim.event_id:
        sharing.append(index.bitmap("event", claim.event_id))
    related = BitMap.union(*sharing) if sharing else BitMap()
    related.discard(claim.pk)
    # What independent_sources counts (derived.py): the publishers of published articles,
    # a syndicated copy's being its originating agency; each once, at its first quote.
    publishers = {}
    for item in shown:
        if item.article.status == Status.PUBLISHED:
            article = item.article
            publishers.setdefault(article.publisher_id, article.agency or article.source)
    related = listing.in_order(
        index.page(related, "recent", 0, RELATED),
        Claim.objects.select_related("event").defer(*DERIVED_FOR_SEARCH),
    )
    response = render(
        request,
        "articles/claim_detail.html",
        {
            "title": claim.statement,
            "description": gettext("%(kind)s claim, %(date)s: %(statement)s")
            % {
                "kind": claim.get_kind_display(),
                "date": claim.when or gettext("no date given"),
                "statement": claim.statement,
            },
            "canonical_url": request.build_absolute_uri(claim.get_absolute_url()),
            "og_type": "article",
            "structured_data": structured_data.claim_data(claim, request.build_absolute_uri),
            "claim": claim,
            "evidence": shown,
            "publishers": list(publishers.values()),
            "related": related,
            "links": links,
            "preview": preview,
        },
    )
    if preview:
        # Never indexed, never kept by a shared cache: only staff get here.
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
    return response


def claim_history(request, pk, slug):
    """
    Every public change of a published claim (what and when, never who) and its
    corrections: see history.py. Drafts are 404, as at the claim's own address.
    """
    claim = get_object_or_404(
        Claim.objects.published().defer(*DERIVED_FOR_SEARCH).prefetch_related("corrections"),
        pk=pk,
    )
    if slug != claim.slug:
        return redirect("claim_history", claim.pk, claim.slug, permanent=True)
    entries = history.public_history(claim)
    return render(
        request,
        "articles/claim_history.html",
        {
            "title": gettext("History: %(statement)s") % {"statement": claim.statement},
            "description": gettext("Every public change and correction of the claim: %(statement)s")
            % {"statement": claim.statement},
            "canonical_url": request.build_absolute_uri(
                reverse("claim_history", args=[claim.pk, claim.slug])
            ),
            "claim": claim,
            # Newest first, as the corrections below.
            "entries": entries[::-1],
            "corrections": list(claim.corrections.all())[::-1],
        },
    )


# A page that takes no filters of the reader's: only its own, and the page number.
NO_FILTERS = QueryDict()
