"""
A claim's public history: what readers could see change, and when, read from the
admin's own record of every change (django-simple-history), never who made it.

The claim's rows, its actors' and its quotes' historical rows are replayed in time
order. Rows saved within GAP of each other are one change (an admin save writes the
claim and its inlines a few milliseconds apart). After each change the claim's public
face is taken: its public fields, its actors with their roles, its quotes from articles
that are published now. Only faces of the published claim are compared, so nothing
done while it was a draft shows (neither before its first publication nor while it was
withdrawn): the first is "Published", a later one lists what differs from the last
face readers saw, and a withdrawal says only that it was withdrawn.
"""

import dataclasses
import datetime

from django.utils.translation import gettext, gettext_lazy

from . import names as local_names
from .models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Status,
    split_aliases,
)

# Historical rows closer together than this are one change.
GAP = datetime.timedelta(seconds=5)
# The claim's fields readers see, in the order a change lists them.
PUBLIC_FIELDS = [
    "statement",
    "kind",
    "verification",
    "occurred_on",
    "place",
    "country_id",
    "event_id",
]
CLAIM_COLUMNS = [*PUBLIC_FIELDS, "date_precision", "status"]
LABELS = {
    "statement": gettext_lazy("Statement"),
    "kind": gettext_lazy("Kind"),
    "verification": gettext_lazy("Verification"),
    "occurred_on": gettext_lazy("Date"),
    "place": gettext_lazy("Place"),
    "country_id": gettext_lazy("Country"),
    "event_id": gettext_lazy("Event"),
}


@dataclasses.dataclass
class Difference:
    """One thing that changed: `label`, and the `before` and `after` texts (or a `text`)."""

    label: str
    before: str = ""
    after: str = ""
    text: str = ""
    # Long texts (a statement, a quote) are shown one above the other, not on one line.
    long: bool = False


@dataclasses.dataclass
class Entry:
    date: datetime.datetime
    title: str
    differences: list


@dataclasses.dataclass
class Face:
    """What readers saw of the claim at one moment."""

    published: bool
    fields: dict
    roles: frozenset  # (actor id, role)
    quotes: dict  # evidence id → (article id, stance, quote)


def public_history(claim):
    """The entries of `claim`'s public history, oldest first. Four to eight queries."""
    rows = []
    for row in (
        Claim.history.filter(id=claim.pk)
        .order_by()
        .values("history_date", "history_id", "history_type", *CLAIM_COLUMNS)
    ):
        rows.append((row["history_date"], 0, row["history_id"], "claim", row))
    for row in (
        ClaimActor.history.filter(claim_id=claim.pk)
        .order_by()
        .values("history_date", "history_id", "history_type", "id", "actor_id", "role")
    ):
        rows.append((row["history_date"], 1, row["history_id"], "role", row))
    for row in (
        Evidence.history.filter(claim_id=claim.pk)
        .order_by()
        .values("history_date", "history_id", "history_type", "id", "article_id", "stance", "quote")
    ):
        rows.append((row["history_date"], 2, row["history_id"], "quote", row))
    rows.sort(key=lambda item: item[:3])

    fields, roles, quotes = None, {}, {}
    faces = []  # (date of the change, its face)
    for group in changes(rows):
        for _, _, _, kind, row in group:
            deleted = row["history_type"] == "-"
            if kind == "claim":
                fields = {name: row[name] for name in CLAIM_COLUMNS}
            else:
                held = roles if kind == "role" else quotes
                if deleted:
                    held.pop(row["id"], None)
                elif kind == "role":
                    held[row["id"]] = (row["actor_id"], row["role"])
                else:
                    held[row["id"]] = (row["article_id"], row["stance"], row["quote"])
        if fields is None:
            continue
        faces.append(
            (
                group[-1][0],
                Face(
                    fields["status"] == Status.PUBLISHED,
                    dict(fields),
                    frozenset(roles.values()),
                    dict(quotes),
                ),
            )
        )
    names = Names(faces)
    return entries(faces, names)


def changes(rows):
    """The sorted historical rows in groups, each one change."""
    group = []
    for item in rows:
        if group and item[0] - group[-1][0] > GAP:
            yield group
            group = []
        group.append(item)
    if group:
        yield group


class Names:
    """The names of the actors, countries, events and (published) articles the faces use."""

    def __init__(self, faces):
        ids = {"actor": set(), "country": set(), "event": set(), "article": set()}
        for _, face in faces:
            if not face.published:
                continue
            ids["actor"].update(actor for actor, _ in face.roles)
            ids["country"].add(face.fields["country_id"])
            ids["event"].add(face.fields["event_id"])
            ids["article"].update(article for article, _, _ in face.quotes.values())
        wanted = {kind: values - {None} for kind, values in ids.items()}
        # Names as the claim's page shows them: in the page's language and script.
        self.actors = {
            pk: local_names.actor_name(name, split_aliases(aliases))
            for pk, (name, kind, aliases) in lookup(
                Actor.objects, wanted["actor"], "name", "kind", "aliases"
            ).items()
        }
        self.countries = {
            pk: local_names.country_name(code, name)
            for pk, (code, name) in lookup(
                Country.objects, wanted["country"], "code", "name"
            ).items()
        }
        self.events = {
            pk: local_names.script_form(name)
            for pk, name in lookup(Event.objects, wanted["event"], "name").items()
        }
        # Quotes count only from articles readers can read.
        self.articles = lookup(Article.objects.published(), wanted["article"], "title")


def lookup(queryset, ids, name, *more):
    """
    {id: name} for these ids, or {id: (name, *more)} with `more` columns: one query,
    none when there are none.
    """
    if not ids:
        return {}
    rows = queryset.filter(pk__in=ids).order_by().values_list("pk", name, *more)
    return {pk: tuple(values) if more else values[0] for pk, *values in rows}


def entries(faces, names):
    """The entries readers see, from the faces after each change."""
    result, shown, withdrawn = [], None, False
    for date, face in faces:
        if not face.published:
            if shown is not None and not withdrawn:
                result.append(Entry(date, gettext("Withdrawn from publication"), []))
                withdrawn = True
            continue
        if shown is None:
            result.append(Entry(date, gettext("Published"), []))
        else:
            found = differences(shown, face, names)
            if withdrawn:
                result.append(Entry(date, gettext("Published again"), found))
            elif found:
                result.append(Entry(date, gettext("Changed"), found))
        shown, withdrawn = face, False
    return result


def differences(old, new, names):
    """What differs between two public faces, in words."""
    found = []
    for field in PUBLIC_FIELDS:
        before, after = shown_value(old.fields, field, names), shown_value(new.fields, field, names)
        if before != after:
            found.append(Difference(str(LABELS[field]), before, after, long=field == "statement"))
    for actor, role in sorted(new.roles - old.roles, key=str):
        found.append(Difference(gettext("Actor added"), text=actor_text(actor, role, names)))
    for actor, role in sorted(old.roles - new.roles, key=str):
        found.append(Difference(gettext("Actor removed"), text=actor_text(actor, role, names)))
    old_quotes, new_quotes = public_quotes(old, names), public_quotes(new, names)
    for pk in sorted(old_quotes.keys() | new_quotes.keys()):
        before, after = old_quotes.get(pk), new_quotes.get(pk)
        if before == after:
            continue
        title = names.articles[(after or before)[0]]
        if before is None:
            label = gettext("Quote added from “%(article)s”") % {"article": title}
            found.append(Difference(label, text=after[2], long=True))
        elif after is None:
            label = gettext("Quote removed from “%(article)s”") % {"article": title}
            found.append(Difference(label, text=before[2], long=True))
        else:
            if before[2] != after[2]:
                label = gettext("Quote from “%(article)s”") % {"article": title}
                found.append(Difference(label, before[2], after[2], long=True))
            if before[1] != after[1]:
                label = gettext("Stance of “%(article)s”") % {"article": title}
                found.append(Difference(label, stance(before[1]), stance(after[1])))
    return found


def public_quotes(face, names):
    return {pk: quote for pk, quote in face.quotes.items() if quote[0] in names.articles}


def shown_value(fields, field, names):
    """A field's value as the claim's page shows it."""
    value = fields[field]
    if field == "occurred_on":
        return Claim(occurred_on=value, date_precision=fields["date_precision"]).when or gettext(
            "no date"
        )
    if field == "kind":
        return str(dict(Claim.Kind.choices).get(value, value))
    if field == "verification":
        return str(dict(Claim.Verification.choices).get(value, value))
    if field == "country_id":
        return names.countries.get(value, gettext("none"))
    if field == "event_id":
        return names.events.get(value, gettext("none"))
    return value or gettext("none")


def actor_text(actor, role, names):
    name = names.actors.get(actor) or gettext("an actor since deleted")
    return gettext("%(actor)s (%(role)s)") % {"actor": name, "role": role_label(role)}


def role_label(role):
    return str(dict(ClaimActor.Role.choices).get(role, role)).lower()


def stance(value):
    return str(dict(Evidence.Stance.choices).get(value, value)).lower()
