"""
The claims and articles FilterSets: the URL is the state, so every filter is a GET
parameter a reader can share, and the same FilterSet serves pages, facets and exports.
"""

import calendar
import datetime
import re

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters.fields import ModelChoiceField, MultipleChoiceField

from .engine import Filters
from .models import (
    Actor,
    Article,
    Claim,
    Country,
    Event,
    Evidence,
    Involvement,
    Source,
    Status,
)

MAX_QUERY_LENGTH = 200
MAX_VALUES = 10  # per repeatable parameter: "claims involving all of 11 countries" is abuse

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(value):
    """'2025' / '2025-05' / '2025-05-08' → (first day, last day) of that period."""
    match = PARTIAL_DATE.match(value.strip())
    if not match:
        raise forms.ValidationError(
            _(
                "“%(value)s” is not a date: use a year (2025), a month (2025-05) "
                "or a day (2025-05-08)."
            ),
            params={"value": value},
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, 1), datetime.date(year, month, last)
        day = datetime.date(year, month, day)
        return day, day
    except (ValueError, calendar.IllegalMonthError):
        raise forms.ValidationError(
            _("“%(value)s” is not a real date."), params={"value": value}
        ) from None


class PartialDateField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return parse_partial_date(value) if value else None


class PartialDateFilter(django_filters.Filter):
    """Bound of a date range that accepts a year, a month or a day."""

    field_class = PartialDateField

    def filter(self, qs, value):
        if not value:
            return qs
        first, last = value
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": first})
        return qs.filter(**{f"{self.field_name}__lte": last})


def refuse_nul(value):
    # PostgreSQL cannot compare text holding NUL: refuse it before any query does.
    if "\x00" in str(value):
        raise forms.ValidationError(_("Null characters are not allowed."))


def repeated(values):
    """The values of a repeatable parameter: empty ones (?kind=) mean no filter."""
    values = [value for value in values or () if value]
    if len(values) > MAX_VALUES:
        raise forms.ValidationError(
            ngettext(
                "Choose at most %(limit)d value.", "Choose at most %(limit)d values.", MAX_VALUES
            )
            % {"limit": MAX_VALUES}
        )
    for value in values:
        refuse_nul(value)
    return values


class PublicModelChoiceField(ModelChoiceField):
    def to_python(self, value):
        if value:
            refuse_nul(value)
        return super().to_python(value)


class CountryCodeField(PublicModelChoiceField):
    """A country by its code, whatever its case: ?country=rs and ?country=RS agree."""

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class OneOfFilter(django_filters.ModelChoiceFilter):
    field_class = PublicModelChoiceField


class CountryFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("“%(value)s” is not the country code of a country with claims.")},
        )
        super().__init__(*args, **kwargs)


class LimitedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        return super().clean(repeated(value))


class LimitedMultipleChoiceField(MultipleChoiceField):
    def clean(self, value):
        return super().clean(repeated(value))


class CodeChoiceField(LimitedModelMultipleChoiceField):
    """Country codes are matched whatever their case: ?country=rs and ?country=RS agree."""

    def clean(self, value):
        return super().clean([str(item).upper() for item in repeated(value)])


class AllOfFilter(django_filters.ModelMultipleChoiceFilter):
    """Several values: claims with all of them (countries, actors)."""

    field_class = LimitedModelMultipleChoiceField


class CountriesFilter(AllOfFilter):
    field_class = CodeChoiceField


class AnyOfFilter(django_filters.MultipleChoiceFilter):
    """Several values: claims with any of them (kinds, verifications)."""

    field_class = LimitedMultipleChoiceField


class SourcingField(LimitedMultipleChoiceField):
    """Numbers of independent sources: "3+" typed into a URL arrives as "3 "."""

    def clean(self, value):
        values = [str(item).strip() for item in repeated(value)]
        return super().clean(["3+" if item == "3" else item for item in values])


class SourcingFilter(AnyOfFilter):
    """Claims with any of these numbers of independent sources."""

    field_class = SourcingField


class Sourcing(models.TextChoices):
    """The independent sources facet's values (engine.SOURCING), as readers read them."""

    ONE = "1", _("1 source")
    TWO = "2", _("2 independent sources")
    MORE = "3+", _("3 or more")


# Undated claims (standing facts) go last whatever the database's default for NULLs.
MOST_RECENT = F("occurred_on").desc(nulls_last=True)
SORTS = {
    "recent": _("Most recent"),
    "added": _("Recently added"),
    # By independent sources, then quotes, then date.
    "sourced": _("Best sourced"),
}


class ClaimFilter(django_filters.FilterSet):
    """
    The claims filters of a URL, read and checked: countries and actors mean all of
    them, kinds and verifications any of them. The read engine applies them
    (engine_filters()), not SQL: every list, feed, export and the API ask it.
    """

    # Only what readers may see can be named: a draft-only actor is "not a valid choice".
    country = CountriesFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Countries (all of)"),
    )
    # The countries of the claims' actors only, not where they happened.
    partner = CountriesFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        label=_("Partner countries (all of)"),
    )
    actor = AllOfFilter(
        queryset=Actor.objects.public(),
        to_field_name="slug",
        label=_("Actors (all of)"),
    )
    event = OneOfFilter(queryset=Event.objects.public(), to_field_name="slug", label=_("Event"))
    kind = AnyOfFilter(choices=Claim.Kind.choices, label=_("Kind"))
    verification = AnyOfFilter(choices=Claim.Verification.choices, label=_("Verification"))
    independent_sources = SourcingFilter(
        choices=Sourcing.choices,
        label=_("Independent sources"),
    )
    source = OneOfFilter(queryset=Source.objects.public(), to_field_name="slug", label=_("Source"))
    language = django_filters.CharFilter(max_length=35, label=_("Language of the evidence"))
    # "from" is a Python keyword: these two are declared by name.
    locals()["from"] = PartialDateFilter(label=_("From (2025, 2025-05 or 2025-05-08)"))
    locals()["to"] = PartialDateFilter(label=_("To (2025, 2025-05 or 2025-05-08)"))
    q = django_filters.CharFilter(label=_("Search"), max_length=MAX_QUERY_LENGTH, strip=True)
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()), empty_label=None, label=_("Sort by")
    )

    class Meta:
        model = Claim
        fields = []

    def filter_queryset(self, queryset):
        raise NotImplementedError("Claims are filtered by the read engine: see engine_filters().")

    def engine_filters(self, words=None, **fixed):
        """
        The read engine's Filters for these parameters (the form must be valid), with
        `words`: a bitmap of the claims matching the words searched for, and `fixed`: countries,
        partner countries, actors and an event the page itself stands for, added to the
        reader's.
        """
        data = self.form.cleaned_data

        def pks(objects):
            return tuple(dict.fromkeys(item.pk for item in objects))

        first, last = data.get("from"), data.get("to")
        event = fixed.get("event") or data.get("event")
        return Filters(
            countries=pks([*(data.get("country") or ()), *fixed.get("countries", ())]),
            partners=pks([*(data.get("partner") or ()), *fixed.get("partners", ())]),
            actors=pks([*(data.get("actor") or ()), *fixed.get("actors", ())]),
            event=event.pk if event else None,
            kinds=tuple(data.get("kind") or ()),
            verifications=tuple(data.get("verification") or ()),
            independent_sources=tuple(data.get("independent_sources") or ()),
            source=data["source"].pk if data.get("source") else None,
            language=data.get("language") or None,
            date_from=first[0] if first else None,
            date_to=last[1] if last else None,
            words=words,
        )


class ArticleFilter(django_filters.FilterSet):
    source = OneOfFilter(queryset=Source.objects.public(), to_field_name="slug", label=_("Source"))
    country = CountryFilter(
        queryset=Country.objects.public(),
        method="by_country",
        label=_("Country (of the claims it backs)"),
    )
    language = django_filters.CharFilter(lookup_expr="iexact", max_length=35, label=_("Language"))
    locals()["from"] = PartialDateFilter(
        field_name="published_at__date", lookup_expr="gte", label=_("Published from")
    )
    locals()["to"] = PartialDateFilter(
        field_name="published_at__date", lookup_expr="lte", label=_("Published until")
    )

    class Meta:
        model = Article
        fields = []

    def by_country(self, qs, name, value):
        return qs.filter(
            Exists(
                Evidence.objects.filter(
                    article=OuterRef("pk"),
                    claim__status=Status.PUBLISHED,
                    claim__involvements__country=value,
                )
            )
        )


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Event.Kind.choices,
        label=_("Kind"),
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of event.")},
    )
    country = CountryFilter(
        queryset=Country.objects.public(), method="by_country", label=_("Country")
    )

    class Meta:
        model = Event
        fields = []

    def by_country(self, qs, name, value):
        """Events it hosted, or whose published claims involve it."""
        return qs.filter(
            Q(host_country=value)
            | Exists(
                Involvement.objects.filter(
                    claim__event=OuterRef("pk"), claim__status=Status.PUBLISHED, country=value
                )
            )
        )


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Actor.Kind.choices,
        label=_("Kind"),
        error_messages={"invalid_choice": _("“%(value)s” is not a kind of actor.")},
    )
    country = CountryFilter(queryset=Country.objects.public(), label=_("Country"))

    class Meta:
        model = Actor
        fields = []
