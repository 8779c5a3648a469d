"""
Facets and chips beside a claims list, counted by the read engine: exact, always.

Country, partner, actor, event, source, language and year counts are taken over the
claims shown, so each count is exactly what adding that value would show. Kind,
verification and the number of independent sources are any-of filters: they count with
their own selection left out, so other values can be added. A country's page shows its
partners (the countries of the claims' actors) rather than every country involved: a
meeting held in Moscow makes no partner of Russia. Actors, events and sources show their
first ten, with a link to all of them for the same filters. Every value is a link that
adds or removes it, and drops the page number.
"""

from urllib.parse import urlencode

from django.db.models import TextField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from . import names as local_names
from .filters import Sourcing
from .models import Actor, Claim, Country, Event, Source, split_aliases

REPEATABLE = {"country", "partner", "actor", "kind", "verification", "independent_sources"}
TOP_COUNTRIES = 15
TOP = 10
# The filter parameter each facet sets, and the engine's Filters field it fills.
FIELDS = {
    "kind": "kinds",
    "verification": "verifications",
    "independent_sources": "independent_sources",
}
# Facets whose values are rows: (model, the parameter's value, the label).
NAMED = {
    "country": (Country, "code", "name"),
    "partner": (Country, "code", "name"),
    "actor": (Actor, "slug", "name"),
    "event": (Event, "slug", "name"),
    "source": (Source, "slug", "name"),
}
CHOICES = {
    "kind": Claim.Kind,
    "verification": Claim.Verification,
    "independent_sources": Sourcing,
}
# Countries by their codes, in any case.
COUNTRY_KEYS = ("country", "partner")
LIMITS = {
    "country": None,
    "partner": None,
    "kind": None,
    "verification": None,
    "independent_sources": None,
    "year": None,
    "language": None,
    "actor": TOP,
    "event": TOP,
    "source": TOP,
}
TITLES = {
    "country": _("Countries"),
    "partner": _("Partner countries"),
    "actor": _("Actors"),
    "event": _("Events"),
    "source": _("Sources"),
    "language": _("Languages of the evidence"),
}
# The facets a "more" page lists in full.
LISTED = tuple(TITLES)


def counts(listing, limits=LIMITS):
    """{dimension: [(value, count)]} among the listing's matches (values as the engine has them)."""
    index, filters, matches = listing.index, listing.filters, listing.matches.bitmap
    own = {d for d in FIELDS if d in limits and getattr(filters, FIELDS[d])}
    found = index.facets(matches, {d: n for d, n in limits.items() if d not in own})
    for dimension in own:  # counted without the reader's own selection of it
        others = index.matching(filters.without(**{FIELDS[dimension]: ()}))
        found.update(index.facets(others, {dimension: limits[dimension]}))
    return found


def local_label(dimension, value, name, actor=("", "")):
    """
    A facet value's name as pages show it: in the page's language and script. `actor`:
    an actor's kind and aliases, as names_of() keeps them.
    """
    if dimension in COUNTRY_KEYS:
        return local_names.country_name(value.upper(), name)
    if dimension == "actor":
        _kind, aliases = actor
        return local_names.actor_name(name, split_aliases(aliases))
    if dimension == "event":
        return local_names.script_form(name)
    return name


def labelled(found, index, params, fixed_countries=(), also_named=None, local=True):
    """
    The facets as items {value, label, count, active, href}: `value` is the parameter's
    value, `href` the list with it toggled. One query names every row value shown, and
    those of `also_named` ({dimension: [(id, count)]}, for the filter form's choices).
    `local`: names as pages show them (the API keeps the stored ones: they are data).
    """
    names = names_of({**found, **(also_named or {})}, index)
    fixed = {country.pk for country in fixed_countries}
    selected = {key: set(params.getlist(key)) for key in (*NAMED, *CHOICES, "language")}
    for key in COUNTRY_KEYS:
        selected[key] = {code.lower() for code in selected[key]}
    items = {}
    for dimension, pairs in found.items():
        if dimension == "year":  # the newest first
            pairs = sorted(pairs, reverse=True)
        if dimension in CHOICES:
            # A value chosen that no claim has is still shown, so it can be removed.
            counted = {value for value, _ in pairs}
            chosen = selected[dimension] & set(CHOICES[dimension].values)
            pairs = [*pairs, *((value, 0) for value in sorted(chosen - counted))]
            if dimension == "independent_sources":  # 1, 2, 3+ in that order
                pairs = sorted(pairs)
        toggle = Toggle(params, dimension) if dimension != "year" else None
        rows = []
        for value, count in pairs:
            if dimension == "year":
                rows.append(year_item(params, value, count))
                continue
            if dimension in NAMED:
                if dimension in COUNTRY_KEYS and value in fixed:
                    continue  # every claim of the page has it: not a choice
                if value not in names[dimension]:
                    continue
                pk = value
                value, label = names[dimension][pk]
                if local:
                    actor = index.names.get(("actor-kind-aliases", pk), ("", ""))
                    label = local_label(dimension, value, label, actor)
            elif dimension in CHOICES:
                label = CHOICES[dimension](value).label
            else:
                label = value
            active = value in selected.get(dimension, ())
            rows.append(
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "active": active,
                    "href": toggle.href(value, active),
                }
            )
        items[dimension] = rows
    return items


def names_of(found, index):
    """
    {dimension: {id: (parameter value, label)}} for the row values of `found`. Names
    change only through edits, which move the change log on: the read `index` keeps
    them until then (ClaimIndex.names), and those it does not have yet are read in one
    query. A partner is a country: both are kept under one name.
    """
    names = index.names

    def key(dimension, pk):
        return ("country" if dimension in COUNTRY_KEYS else dimension), pk

    # An actor's kind and aliases too: its local name depends on them (names.py).
    blank = Value("", output_field=TextField())
    queries = [
        model.objects.filter(pk__in=missing)
        .annotate(
            facet=Value(dimension),
            actor_kind=Cast("kind", TextField()) if model is Actor else blank,
            actor_aliases=Cast("aliases", TextField()) if model is Actor else blank,
        )
        .order_by()
        .values_list("facet", "pk", value, label, "actor_kind", "actor_aliases")
        for dimension, (model, value, label) in NAMED.items()
        if (
            missing := [pk for pk, _ in found.get(dimension, ()) if key(dimension, pk) not in names]
        )
    ]
    if queries:
        # Without an order: the first model's own (Meta.ordering) names no column of all.
        rows = queries[0].union(*queries[1:], all=True).order_by()
        for dimension, pk, value, label, kind, aliases in rows:
            names[key(dimension, pk)] = (
                value.lower() if dimension in COUNTRY_KEYS else value,
                label,
            )
            if dimension == "actor":
                names[("actor-kind-aliases", pk)] = (kind, aliases)
    return {
        dimension: {
            pk: names[key(dimension, pk)]
            for pk, _ in found.get(dimension, ())
            if key(dimension, pk) in names
        }
        for dimension in NAMED
    }


# What a claims list shows of each facet: all of the few-valued ones; of the others,
# the first few, one more to know whether there are more, and then a link to all.
SHOWN = {
    "country": TOP_COUNTRIES,
    "partner": TOP_COUNTRIES,
    "actor": TOP,
    "event": TOP,
    "source": TOP,
}


def claim_facets(listing, params, fixed_countries=()):
    """
    The facets of a claims list, as its template shows them. A country's page shows its
    partners (countries of the claims' actors) where other lists show every country.
    """
    countries = "partner" if fixed_countries else "country"
    # One more country than shown when the page's own one will be left out.
    limits = {
        **{d: n for d, n in LIMITS.items() if d not in COUNTRY_KEYS},
        **{
            d: n + 1 + len(fixed_countries) * (d == countries)
            for d, n in SHOWN.items()
            if d not in COUNTRY_KEYS or d == countries
        },
    }
    found = counts(listing, {d: n for d, n in limits.items() if d != "partner"})
    if fixed_countries:
        found["partner"], partner_params = partner_counts(listing, params, fixed_countries)
    # The filter form's source choices: every source of a published claim, named with
    # the facets (read index's names, or the same one query).
    every_source = [(pk, 0) for pk in sorted(listing.index.bitmaps["source"])]
    items = labelled(found, listing.index, params, fixed_countries, {"source": every_source})
    if fixed_countries:
        # Each partner link keeps the page's own country a partner too, so it shows
        # exactly the claims counted.
        toggle = Toggle(partner_params, "partner")
        for item in items["partner"]:
            item["href"] = toggle.href(item["value"], item["active"])
    # "All of them" lists the values of the same claims: the page's own countries too.
    scope = params.copy()
    for country in fixed_countries:
        if country.slug not in {code.lower() for code in scope.getlist("country")}:
            scope.appendlist("country", country.slug)
    more = facet_query(scope)
    source_names = names_of({"source": every_source}, listing.index)["source"]
    facets = {
        "source_choices": sorted(source_names.values(), key=lambda item: item[1].lower()),
        "kinds": items["kind"],
        "verifications": items["verification"],
        "independent_sources": items["independent_sources"],
        "years": items["year"],
        "languages": items["language"],
        "countries_key": countries,
        "countries_title": gettext("Partners") if fixed_countries else gettext("Countries"),
    }
    for dimension, key in (
        (countries, "countries"),
        ("actor", "actors"),
        ("event", "events"),
        ("source", "sources"),
    ):
        facets[key] = items[dimension][: SHOWN[dimension]]
        # All of them, on a page of their own, when there are more than shown.
        if len(items[dimension]) > SHOWN[dimension]:
            facets[f"all_{key}"] = reverse("claim_facet", args=[dimension]) + more
    return facets


def partner_counts(listing, params, fixed_countries):
    """
    A country page's partners among the claims shown: the countries of the actors of
    the claims that have actors of the page's own country too (a claim held there with
    foreign actors only partners no one with it). Also the parameters that select those
    claims: the reader's, with the page's countries as partners.
    """
    index = listing.index
    own = [index.bitmap("partner", country.pk) for country in fixed_countries]
    partnered = listing.matches.bitmap & BitMap.intersection(*own)
    limit = SHOWN["partner"] + 1 + len(fixed_countries)
    params = params.copy()
    chosen = {code.lower() for code in params.getlist("partner")}
    for country in fixed_countries:
        if country.slug not in chosen:
            params.appendlist("partner", country.slug)
    return index.facets(partnered, {"partner": limit})["partner"], params


def facet_query(params):
    params = params.copy()
    params.pop("page", None)
    return f"?{params.urlencode()}" if params else ""


def api_facets(listing, params):
    """The facets for the JSON API: {dimension: [{value, label, count}]}."""
    items = labelled(counts(listing), listing.index, params, local=False)
    # Labels are data here, in English whatever the request's language.
    with translation.override("en"):
        return {
            dimension: [
                {
                    "value": item["value"],
                    "label": str(label) if isinstance(label := item["label"], Promise) else label,
                    "count": item["count"],
                }
                for item in rows
            ]
            for dimension, rows in items.items()
        }


class Toggle:
    """Links that add a value of one parameter to the query string, or take it out."""

    def __init__(self, params, key):
        self.key = key
        params = params.copy()
        params.pop("page", None)
        self.values = params.getlist(key)
        params.pop(key, None)
        self.rest = params.urlencode()
        # What every added value keeps (a map makes a link for each of 250 countries).
        self.kept = urlencode([(key, v) for v in self.values]) if key in REPEATABLE else ""

    def href(self, value, active):
        if active:
            values = urlencode(
                [(self.key, v) for v in self.values if v.lower() != str(value).lower()]
            )
        else:
            added = urlencode([(self.key, value)])
            values = f"{self.kept}&{added}" if self.kept else added
        query = "&".join(part for part in (self.rest, values) if part)
        return f"?{query}"


def toggled(params, key, value):
    """The query string with `value` added to or removed from `key`, without a page."""
    return Toggle(params, key).href(value, value in params.getlist(key))


def without(params, *keys):
    params = params.copy()
    for key in ("page", *keys):
        params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


def year_item(params, year, count):
    active = params.get("from") == str(year) and params.get("to") == str(year)
    params = params.copy()
    params.pop("page", None)
    if active:
        params.pop("from")
        params.pop("to")
    else:
        params["from"] = params["to"] = str(year)
    return {
        "value": str(year),
        "label": year,
        "count": count,
        "active": active,
        "href": "?" + params.urlencode(),
    }


def chips(filterset, params):
    """Active filters as removable chips: (label, href without that value)."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    result = []
    for country in data.get("country") or ():
        key = country_key(params, country)
        label = gettext("Country: %(country)s") % {"country": country.local_name}
        result.append((label, toggled(params, "country", key)))
    for country in data.get("partner") or ():
        key = country_key(params, country, "partner")
        label = gettext("Partner: %(country)s") % {"country": country.local_name}
        result.append((label, toggled(params, "partner", key)))
    for actor in data.get("actor") or ():
        label = gettext("Actor: %(actor)s") % {"actor": actor.local_name}
        result.append((label, toggled(params, "actor", actor.slug)))
    if event := data.get("event"):
        label = gettext("Event: %(event)s") % {"event": event.local_name}
        result.append((label, without(params, "event")))
    for value in data.get("kind") or ():
        label = gettext("Kind: %(kind)s") % {"kind": Claim.Kind(value).label}
        result.append((label, toggled(params, "kind", value)))
    for value in data.get("verification") or ():
        label = gettext("Verification: %(verification)s") % {
            "verification": Claim.Verification(value).label
        }
        result.append((label, toggled(params, "verification", value)))
    for value in data.get("independent_sources") or ():
        label = gettext("Independent sources: %(sources)s") % {"sources": Sourcing(value).label}
        result.append((label, toggled(params, "independent_sources", value)))
    if source := data.get("source"):
        label = gettext("Source: %(source)s") % {"source": source.name}
        result.append((label, without(params, "source")))
    if language := data.get("language"):
        label = gettext("Language: %(language)s") % {"language": language}
        result.append((label, without(params, "language")))
    if params.get("from"):
        label = gettext("From %(date)s") % {"date": params["from"]}
        result.append((label, without(params, "from")))
    if params.get("to"):
        label = gettext("To %(date)s") % {"date": params["to"]}
        result.append((label, without(params, "to")))
    if query := data.get("q"):
        label = gettext("Words: %(words)s") % {"words": query}
        result.append((label, without(params, "q")))
    return result


def country_key(params, country, key="country"):
    """The spelling of the country code used in the URL, so removing it matches."""
    for value in params.getlist(key):
        if value.upper() == country.code:
            return value
    return country.code.lower()
