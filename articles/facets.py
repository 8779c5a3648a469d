"""
Facets and chips beside a claims list.

Country, actor, event and year counts are taken over the claims currently shown, so each
count is exactly what adding that value would show. Kind and verification are any-of
filters: they count with their own selection left out, so other values can be added.
Every value is a link that adds or removes it, and drops the page number.
"""

import time

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import Claim, ClaimActor, Involvement
from .pg import StatementTimeout, statement_timeout

REPEATABLE = {"country", "actor", "kind", "verification"}
TOP_COUNTRIES = 15


def toggled(params, key, value):
    """The query string with `value` added to or removed from `key`, without a page."""
    params = params.copy()
    params.pop("page", None)
    values = params.getlist(key)
    if value in values:
        values.remove(value)
    elif key in REPEATABLE:
        values.append(value)
    else:
        values = [value]
    params.setlist(key, values)
    return "?" + params.urlencode() if params else "?"


def without(params, *keys):
    params = params.copy()
    for key in ("page", *keys):
        params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


def facet(params, key, rows, selected=()):
    """Facet items from (value, label, count) rows."""
    return [
        {
            "value": value,
            "label": label,
            "count": count,
            "active": value in selected,
            "href": toggled(params, key, value),
        }
        for value, label, count in rows
    ]


# A facet whose query runs longer than TIMEOUT is left out, and says so, rather than
# holding up the page: counting over hundreds of thousands of claims takes seconds.
# Once the facets of a page have taken BUDGET seconds, the rest are left out unrun.
TIMEOUT = "100ms"
BUDGET = 0.3


def time_boxed(computations):
    """
    {name: function} → {name: its result}, each function's queries time-boxed on
    PostgreSQL. One that is cancelled, or not started within the budget, gives None.
    """
    results, pending = {}, list(computations.items())
    deadline = time.monotonic() + BUDGET
    while pending:
        try:
            with statement_timeout(TIMEOUT):
                while pending and time.monotonic() < deadline:
                    name, compute = pending[0]
                    results[name] = compute()
                    pending.pop(0)
        except StatementTimeout:
            # The computation under way is left out; none is when the statement that
            # ends the time box was the one cancelled, after the last had finished.
            if pending:
                name, _ = pending.pop(0)
                results[name] = None
        if time.monotonic() >= deadline:
            results.update((name, None) for name, _ in pending)
            break
    return results


def claim_facets(filterset, params, base_queryset, fixed_countries=(), ids=None):
    """
    Countries, kinds, verifications, years, events and actors: six queries (each any-of
    facet also validates its own FilterSet), time-boxed. A facet left out is None.
    `ids`, when given, are all the claims shown.
    """
    shown = filterset.qs.order_by().values("pk") if ids is None else ids
    # The form has accepted these values; empty ones (?kind=) select nothing.
    selected = {key: [value for value in params.getlist(key) if value] for key in REPEATABLE}

    def countries():
        rows = (
            Involvement.objects.filter(claim__in=shown)
            .values_list("country__code", "country__name")
            .annotate(n=Count("claim"))
            .order_by("-n", "country__name")
        )
        # The page's own country (on /countries/rs/) is not a choice: every claim has it.
        fixed = {country.code for country in fixed_countries}
        selected_countries = {code.lower() for code in selected["country"]}
        rows = [(code.lower(), name, n) for code, name, n in rows if code not in fixed]
        return facet(params, "country", rows, selected_countries)

    def actors():
        rows = (
            ClaimActor.objects.filter(claim__in=shown)
            .values_list("actor__slug", "actor__name")
            .annotate(n=Count("claim", distinct=True))
            .order_by("-n", "actor__name")[:10]
        )
        return facet(params, "actor", rows, selected["actor"])

    def events():
        rows = (
            Claim.objects.filter(pk__in=shown, event__isnull=False)
            .values_list("event__slug", "event__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "event__name")[:10]
        )
        return facet(params, "event", rows, params.getlist("event"))

    def years():
        rows = (
            Claim.objects.filter(pk__in=shown, occurred_on__isnull=False)
            .annotate(year=ExtractYear("occurred_on"))
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        )
        return [
            {
                "label": year,
                "count": n,
                "active": params.get("from") == str(year) and params.get("to") == str(year),
                "href": year_href(params, year),
            }
            for year, n in rows
        ]

    def choices(key, choices):
        return lambda: choice_facet(filterset, params, base_queryset, key, choices, selected[key])

    facets = time_boxed(
        {
            "countries": countries,
            "actors": actors,
            "events": events,
            "years": years,
            "kinds": choices("kind", Claim.Kind),
            "verifications": choices("verification", Claim.Verification),
        }
    )
    facets["left_out"] = None in facets.values()
    if (country_items := facets["countries"]) is not None:
        facets["countries"] = country_items[:TOP_COUNTRIES]
        facets["more_countries"] = country_items[TOP_COUNTRIES:]
    return facets


def year_href(params, year):
    params = params.copy()
    params.pop("page", None)
    if params.get("from") == str(year) and params.get("to") == str(year):
        params.pop("from")
        params.pop("to")
    else:
        params["from"] = params["to"] = str(year)
    return "?" + params.urlencode()


def choice_facet(filterset, params, base_queryset, key, choices, selected):
    """Counts for an any-of filter, computed with its own selection left out."""
    data = params.copy()
    data.pop(key, None)
    others = type(filterset)(data, queryset=base_queryset).qs.order_by()
    counts = dict(others.values_list(key).annotate(n=Count("pk")).values_list(key, "n"))
    rows = [(value, label, counts[value]) for value, label in choices.choices if value in counts]
    rows += [(value, choices(value).label, 0) for value in selected if value not in counts]
    return facet(params, key, rows, selected)


def chips(filterset, params):
    """Active filters as removable chips: (label, href without that value)."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    result = []
    for country in data.get("country") or ():
        result.append(
            (f"Country: {country.name}", toggled(params, "country", country_key(params, country)))
        )
    for actor in data.get("actor") or ():
        result.append((f"Actor: {actor.name}", toggled(params, "actor", actor.slug)))
    if event := data.get("event"):
        result.append((f"Event: {event.name}", without(params, "event")))
    for value in data.get("kind") or ():
        result.append((f"Kind: {Claim.Kind(value).label}", toggled(params, "kind", value)))
    for value in data.get("verification") or ():
        label = Claim.Verification(value).label
        result.append((f"Verification: {label}", toggled(params, "verification", value)))
    if source := data.get("source"):
        result.append((f"Source: {source.name}", without(params, "source")))
    if language := data.get("language"):
        result.append((f"Language: {language}", without(params, "language")))
    if params.get("from"):
        result.append((f"From {params['from']}", without(params, "from")))
    if params.get("to"):
        result.append((f"To {params['to']}", without(params, "to")))
    if query := data.get("q"):
        result.append((f"Words: {query}", without(params, "q")))
    return result


def country_key(params, country):
    """The spelling of the country code used in the URL, so removing it matches."""
    for value in params.getlist("country"):
        if value.upper() == country.code:
            return value
    return country.code.lower()
