"""
The claims data model.

An Article (from a Source) backs Claims through Evidence: a verbatim quote plus the
article's stance. A Claim links Actors (each with a role), happens at a date of some
precision, possibly in a Country and at an Event. Readers only ever see what is
published; `published()` on each QuerySet is the one place that rule lives.
"""

import bisect
import datetime
import difflib
import functools
import re
import sys
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import names
from .search import DocumentVector, fold


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


bcp47_validator = RegexValidator(
    r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$",
    _("Enter a BCP 47 language tag such as “en”, “sr-Latn” or “zh-Hans”."),
)
wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id looks like “Q403”."))
# Importers bypass the admin's forms, and URLField alone also takes ftp://: only a web
# address is ever stored, so only a web address is ever linked to.
web_url_validator = URLValidator(
    schemes=["http", "https"],
    message=_("Enter a web address starting with http:// or https://."),
)
# Control characters (tab and line breaks aside) and the non-characters U+FFFE/U+FFFF:
# invisible, pasted from word processors, and mostly beyond what XML 1.0 (the feeds) can
# carry.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def validate_no_control_characters(value):
    """For names and statements: refuse an invisible character rather than store it."""
    if match := CONTROL_CHARACTER.search(value):
        raise ValidationError(
            gettext(
                "Remove the invisible control character U+%(code)04X (character %(position)d): "
                "it usually comes with text pasted from a word processor."
            ),
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


# Quote matching: editors paste quotes from browsers and word processors, which change
# quote marks and fold whitespace. Both sides are normalised the same way.
QUOTE_MARKS = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "`": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "«": '"',
    "»": '"',
}
WHITESPACE = re.compile(r"\s+")
SPACE_RUN = re.compile("  +")
# The rules a new quote must meet (Evidence.clean), besides occurring in the article: a
# quote of a word or two ("the") backs nothing.
MIN_QUOTE_LENGTH = 20


def normalise_quote(text):
    """Text folded for quote matching: NFC, plain quote marks, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(str.maketrans(QUOTE_MARKS))
    return WHITESPACE.sub(" ", text).strip()


@functools.cache
def character_folds():
    """(character, replacement) for every quote mark and every kind of white space."""
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    return [*QUOTE_MARKS.items(), *((char, " ") for char in spaces if char != " ")]


def is_word_character(char):
    return char.isalnum() or char == "_"


class NormalisedText:
    """
    A text normalised for quote matching once (as normalise_quote() does), with where
    each of its characters came from: every quote found in it afterwards is one
    str.find() and a binary search, however long the text. Building it is linear too:
    one str.replace() per kind of quote mark or space the text holds, then one pass
    over the runs of spaces that collapse.
    """

    def __init__(self, text):
        folded = text
        for char, plain in character_folds():
            if char in folded:
                folded = folded.replace(char, plain)
        # Spans of the normalised text that are unbroken stretches of the original:
        # each starts at self.starts[k] here and at self.origins[k] there.
        self.starts, self.origins, pieces = [], [], []
        position = len(folded) - len(folded.lstrip(" "))
        length = 0
        for run in SPACE_RUN.finditer(folded, position):
            # Keep the run's first space, drop the rest.
            piece = folded[position : run.start() + 1]
            self.starts.append(length)
            self.origins.append(position)
            pieces.append(piece)
            length += len(piece)
            position = run.end()
        self.starts.append(length)
        self.origins.append(position)
        pieces.append(folded[position:])
        self.text = "".join(pieces)

    def origin(self, index):
        """Where the normalised text's character `index` stands in the original."""
        k = bisect.bisect_right(self.starts, index) - 1
        return self.origins[k] + index - self.starts[k]

    def occurrences(self, needle):
        """Start positions of the (normalised) `needle` in the normalised text."""
        start = self.text.find(needle)
        while start != -1:
            yield start
            start = self.text.find(needle, start + 1)

    def on_word_boundaries(self, start, end):
        """Whether text[start:end] neither starts nor ends inside a word."""
        text = self.text
        starts_cut = start > 0 and is_word_character(text[start - 1])
        ends_cut = end < len(text) and is_word_character(text[end])
        return not (
            (starts_cut and is_word_character(text[start]))
            or (ends_cut and is_word_character(text[end - 1]))
        )

    def find(self, quote, whole_words=False):
        """
        The (start, end) span of `quote` in the original text, or None: the first
        occurrence that starts and ends on word boundaries, or with `whole_words` false
        and no such occurrence, the first at all.
        """
        needle = normalise_quote(quote)
        if not needle:
            return None
        first = None
        for start in self.occurrences(needle):
            end = start + len(needle)
            if self.on_word_boundaries(start, end):
                first = start
                break
            if first is None and not whole_words:
                first = start
        if first is None:
            return None
        return self.origin(first), self.origin(first + len(needle) - 1) + 1


def find_quote(body, quote):
    """
    Return the (start, end) character span of `quote` inside `body`, tolerating
    differences of whitespace and quote-mark style, or None when it does not occur.
    Positions are those of `body` as given (articles store their body in NFC).
    """
    return NormalisedText(body).find(quote)


class WithDerivedColumns(models.Model):
    """
    A model with columns that only articles/derived.py writes (`derived_fields`): saving
    a loaded instance updates its other columns, so an instance read before a refresh
    never writes the old derived values back.
    """

    derived_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not (field.primary_key or field.generated or field.name in self.derived_fields)
            ]
        super().save(*args, **kwargs)


class EditedModel(models.Model):
    """
    A model edited through forms: full_clean() trusts related rows the form has just
    loaded. ModelChoiceField fetched the actor; ForeignKey.validate() checking that it
    exists would be the same query again, once per row of every inline.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        loaded = {
            field.name
            for field in self._meta.concrete_fields
            if field.many_to_one and field.is_cached(self) and getattr(self, field.name) is not None
        }
        super().clean_fields(exclude={*(exclude or ()), *loaded})


def split_aliases(text):
    """An actor's aliases, one per line, as a list."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def claim_count(model, to, claim="claim"):
    """
    How many distinct published claims the rows of `model` whose `to` is the outer row
    lead to, through `claim`; "" when each row stands for one claim and carries its
    status (claims, and country links). A correlated subquery, for annotating the rows
    of one page.
    """
    status, counted = (
        (f"{claim}__status", Count(claim, distinct=True)) if claim else ("status", Count("*"))
    )
    rows = (
        model.objects.filter(**{to: OuterRef("pk"), status: Status.PUBLISHED})
        .order_by()
        .values(to)
        .annotate(n=counted)
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class CountryQuerySet(models.QuerySet):
    def public(self):
        """Countries a reader can visit: involved in at least one published claim."""
        return self.filter(claim_count__gt=0)

    def by_code(self, code):
        """The country with this ISO code, whatever its case (rs, RS), or None."""
        return self.filter(code=code.upper()).first()


class Country(WithDerivedColumns):
    code = models.CharField(
        _("ISO alpha-2"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code in capitals, e.g. RS. XK is Kosovo."),
    )
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
        unique=True,
        validators=[validate_no_control_characters],
    )
    region = models.CharField(
        verbose_name=_("region"), max_length=50, blank=True, help_text=_("UN M49 region.")
    )
    subregion = models.CharField(
        verbose_name=_("subregion"), max_length=50, blank=True, help_text=_("UN M49 sub-region.")
    )
    # Published claims involving it: stored, because counting them for every row of an
    # index page took seconds. Maintained by articles/derived.py.
    claim_count = models.PositiveIntegerField(
        verbose_name=_("claim count"), default=0, db_default=0, editable=False
    )
    derived_fields = ["claim_count"]

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        ordering = ["name"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_two_capitals"
            ),
        ]

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("country_detail", args=[self.slug])

    @property
    def local_name(self):
        """The name in the page's language, from CLDR (names.py)."""
        return names.country_name(self.code, self.name)

    @property
    def slug(self):
        return self.code.lower()


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources a reader can visit: with at least one published article."""
        return self.filter(
            Exists(Article.objects.filter(source=OuterRef("pk"), status=Status.PUBLISHED))
        )


class Source(models.Model):
    name = models.CharField(
        verbose_name=_("name"), max_length=200, validators=[validate_no_control_characters]
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    domain = models.CharField(
        verbose_name=_("domain"),
        max_length=200,
        blank=True,
        help_text=_("Web domain without scheme, e.g. “bbc.co.uk”."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
        help_text=_("Where the publisher is based."),
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Article(models.Model):
    title = models.CharField(
        verbose_name=_("title"), max_length=300, validators=[validate_no_control_characters]
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        validators=[web_url_validator],
        help_text=_("Where the article was published. Leave empty for print or unknown sources."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="articles"
    )
    # A syndicated copy of a wire story: it and the agency's own story are one source, not
    # two, when counting a claim's independent sources (derived.py).
    agency = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="syndicated_articles",
        verbose_name=_("originating agency"),
        help_text=_(
            "For a wire story republished here (Reuters, Tanjug, Xinhua…): the agency "
            "that wrote it. Leave empty for the publisher's own reporting."
        ),
    )
    authors = models.CharField(
        verbose_name=_("authors"),
        max_length=300,
        blank=True,
        help_text=_("As credited, comma-separated."),
    )
    published_at = models.DateTimeField(
        _("published"), help_text=_("When the source published it.")
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=35,
        default="en",
        validators=[bcp47_validator],
        help_text=_("BCP 47 tag of the text: “en”, “sr-Latn”, “zh-Hans”."),
    )
    body = models.TextField(
        verbose_name=_("body"),
        help_text=_("The full text exactly as published; evidence quotes must occur in it."),
    )
    summary = models.TextField(verbose_name=_("summary"), blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Readers see only published articles."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", _("Can publish and unpublish articles"))]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_given"
            ),
        ]
        indexes = [
            # The public articles list: published, newest first.
            models.Index(fields=["status", "-published_at"], name="article_status_published_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = unicodedata.normalize("NFC", self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk, self.slug])

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Whether readers could see it before an edit (signals.py).
        instance.loaded_status = instance.__dict__.get("status")
        return instance

    def clean(self):
        # One normal form, so quote positions found in it are positions in what is stored.
        self.body = unicodedata.normalize("NFC", self.body)
        if self.agency_id is not None and self.agency_id == self.source_id:
            raise ValidationError(
                {
                    "agency": gettext(
                        "The originating agency is another publisher whose story this "
                        "one republishes; leave it empty for the publisher's own reporting."
                    )
                }
            )

    @property
    def publisher_id(self):
        """Who wrote it: the originating agency of a syndicated copy, else its source."""
        return self.agency_id or self.source_id

    @property
    def normalised_body(self):
        """The body normalised for quote matching: computed once for each body it has."""
        cached = self.__dict__.get("_normalised_body")
        if cached is None or cached[0] is not self.body:
            cached = self.__dict__["_normalised_body"] = (self.body, NormalisedText(self.body))
        return cached[1]


class ActorQuerySet(models.QuerySet):
    def public(self):
        """Actors a reader can visit: with a role in at least one published claim."""
        return self.filter(claim_count__gt=0)


class Actor(WithDerivedColumns):
    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ARMED_FORCES = "armed_forces", _("Armed forces")
        GOVERNMENT = "government", _("Government body")
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        ALLIANCE = "alliance", _("Alliance or bloc")
        OTHER = "other", _("Other")

    name = models.CharField(
        verbose_name=_("name"), max_length=200, validators=[validate_no_control_characters]
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actors",
        help_text=_("The country the actor belongs to; empty for the EU, the UN and the like."),
    )
    aliases = models.TextField(
        verbose_name=_("aliases"),
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Other names and spellings, one per line, any script: “Србија”, “PLA”."),
    )
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[wikidata_validator],
        help_text=_("Optional, e.g. Q403 for Serbia."),
    )
    # Published claims involving it: stored, because counting them for every row of an
    # index page took seconds. Maintained by articles/derived.py.
    claim_count = models.PositiveIntegerField(
        verbose_name=_("claim count"), default=0, db_default=0, editable=False
    )
    derived_fields = ["claim_count"]

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["claim_count"])

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            # The data migration creates exactly one state actor per country.
            models.UniqueConstraint(
                fields=["country"], condition=Q(kind="state"), name="actor_one_state_per_country"
            ),
        ]
        indexes = [
            # The actors index filtered by kind.
            models.Index(fields=["kind", "name"], name="actor_kind_name_idx"),
            # The actors index: most claims first (actor_list).
            models.Index(fields=["-claim_count", "name"], name="actor_claim_count_idx"),
        ]

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("actor_detail", args=[self.slug])

    @property
    def local_name(self):
        """The name for the page: a state's as its country, a Serbian name in its script."""
        # Lists load actors without their aliases: no query per actor for them.
        aliases = () if "aliases" in self.get_deferred_fields() else self.alias_list
        return names.actor_name(self.name, aliases)

    @property
    def alias_list(self):
        return split_aliases(self.aliases)


class EventQuerySet(models.QuerySet):
    def public(self):
        """Events a reader can visit: with at least one published claim."""
        return self.filter(claim_count__gt=0)


class Event(WithDerivedColumns):
    class Kind(models.TextChoices):
        EXERCISE = "exercise", _("Military exercise")
        SUMMIT = "summit", _("Summit or visit")
        AGREEMENT = "agreement", _("Agreement")
        ARMS_DEAL = "arms_deal", _("Arms deal")
        CONFLICT = "conflict", _("Conflict")
        ELECTION = "election", _("Election")
        SANCTION = "sanction", _("Sanction")
        OTHER = "other", _("Other")

    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
        validators=[validate_no_control_characters],
        help_text=_("As it is known: “Peace Guardian 2025”."),
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=80, unique=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(
        verbose_name=_("start date"),
    )
    end_date = models.DateField(
        verbose_name=_("end date"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a one-day or ongoing event."),
    )
    place = models.CharField(
        verbose_name=_("place"), max_length=200, blank=True, help_text=_("E.g. “Hebei province”.")
    )
    host_country = models.ForeignKey(
        Country,
        verbose_name=_("host country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    participants = models.ManyToManyField(
        "Actor", verbose_name=_("participants"), blank=True, related_name="events"
    )
    description = models.TextField(verbose_name=_("description"), blank=True)
    # Published claims involving it: stored, because counting them for every row of an
    # index page took seconds. Maintained by articles/derived.py.
    claim_count = models.PositiveIntegerField(
        verbose_name=_("claim count"), default=0, db_default=0, editable=False
    )
    derived_fields = ["claim_count"]

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participants], excluded_fields=["claim_count"])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            # The events index, by date.
            models.Index(fields=["-start_date"], name="event_start_idx"),
        ]

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("event_detail", args=[self.slug])

    @property
    def local_name(self):
        """The name for the page: a Serbian name in its script (names.py)."""
        return names.script_form(self.name)


NO_ACTOR = _("A published claim needs at least one actor: who did or said it.")
# How alike two statements must be (difflib's ratio of their folded texts) for a claim to
# be pointed out as a possible duplicate of another on the same date and countries.
SIMILAR_STATEMENTS = 0.6

# A claim's columns that only search and the read index read.
DERIVED_FOR_SEARCH = ("search_document", "search_vector", "facets")


# What a mention of a linked claim needs: its statement, its address, whether it is public.
LINKED_CLAIM_FIELDS = ["statement", "slug", "status", "occurred_on", "date_precision"]


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def involving(self, *countries):
        """
        Claims involving every one of `countries` (Country instances or codes), from the
        derived country links: what the read engine's country filter answers, in SQL.
        """
        qs = self
        for country in countries:
            if isinstance(country, str):
                qs = qs.filter(involvements__country__code=country.upper())
            else:
                qs = qs.filter(involvements__country=country)
        return qs

    def with_publication_checks(self):
        """What Claim.publication_problem() needs, in the same query."""
        return self.annotate(
            has_published_evidence=Exists(
                Evidence.objects.filter(claim=OuterRef("pk"), article__status=Status.PUBLISHED)
            ),
            has_actor=Exists(ClaimActor.objects.filter(claim=OuterRef("pk"))),
        )

    def similar_to(self, claim, countries, limit=5):
        """
        Claims that look like `claim` (saved, with these country ids): the same date (or
        both undated), at the same event or involving the same countries, and a similar
        statement. A warning for editors, not a rule: two claims may rightly look alike.
        """
        near = Q(involvements__country__in=countries) if countries else Q(pk__in=[])
        if claim.event_id:
            near |= Q(event=claim.event_id)
        candidates = (
            self.exclude(pk=claim.pk)
            .filter(near, occurred_on=claim.occurred_on)
            .distinct()
            .order_by("-pk")
            .only("pk", "slug", "statement", "status", "event_id", "facets")[:200]
        )
        statement = fold(claim.statement)
        similar = []
        for other in candidates:
            same_context = (claim.event_id and other.event_id == claim.event_id) or (
                set((other.facets or {}).get("countries", [])) == set(countries)
            )
            ratio = difflib.SequenceMatcher(None, statement, fold(other.statement)).ratio()
            if same_context and ratio >= SIMILAR_STATEMENTS:
                similar.append(other)
        return similar[:limit]

    def with_links(self):
        """Each claim's links both ways, with the claim at the other end: two queries."""
        return self.prefetch_related(
            *(
                Prefetch(
                    name,
                    queryset=ClaimLink.objects.select_related(other).only(
                        "from_claim",
                        "to_claim",
                        "type",
                        "recorded_on",
                        "note",
                        *(f"{other}__{field}" for field in LINKED_CLAIM_FIELDS),
                    ),
                )
                for name, other in (("links_from", "to_claim"), ("links_to", "from_claim"))
            )
        )

    def for_list(self):
        """What a row of a claims list shows: two extra queries, however many rows."""
        return (
            self.select_related("country", "event")
            # Not the derived columns: a search document and its vector are kilobytes.
            .defer(*DERIVED_FOR_SEARCH)
            .prefetch_related(
                Prefetch(
                    "roles",
                    queryset=ClaimActor.objects.select_related("actor__country")
                    .defer("actor__aliases")
                    .order_by("role", "actor__name"),
                )
            )
        )


class Claim(WithDerivedColumns, EditedModel):
    class Kind(models.TextChoices):
        MILITARY = "military", _("Military cooperation")
        ARMS = "arms", _("Arms transfer")
        DIPLOMATIC = "diplomatic", _("Diplomatic relations")
        POLICY = "policy", _("Policy")
        ECONOMIC = "economic", _("Economic")
        CONFLICT = "conflict", _("Conflict")
        OTHER = "other", _("Other")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    class Verification(models.TextChoices):
        REPORTED = "reported", _("Reported")
        CORROBORATED = "corroborated", _("Corroborated")
        DISPUTED = "disputed", _("Disputed")
        REFUTED = "refuted", _("Refuted")

    statement = models.CharField(
        verbose_name=_("statement"),
        max_length=400,
        validators=[validate_no_control_characters],
        help_text=_("One sentence saying who did what with whom, in the site's own words."),
    )
    # Statements stay in the language they were written in, whatever the page's: the
    # page marks it (lang) where the two differ.
    language = models.CharField(
        verbose_name=_("language"),
        max_length=35,
        default="en",
        db_default="en",
        validators=[bcp47_validator],
        help_text=_("BCP 47 tag of the statement as written: “en”, “sr-Latn”, “sr-Cyrl”."),
    )
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=80,
        help_text=_("Used in the URL beside the id; old links keep working."),
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(
        _("when"),
        null=True,
        blank=True,
        help_text=_("When it happened. Leave empty when the sources give no date."),
    )
    date_precision = models.CharField(
        _("precision"),
        max_length=5,
        choices=Precision.choices,
        blank=True,
        help_text=_("How much of the date is known: with “month”, the day is ignored."),
    )
    place = models.CharField(
        verbose_name=_("place"), max_length=200, blank=True, help_text=_("E.g. “Hebei province”.")
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_here",
        help_text=_("Where it happened, if anywhere in particular."),
    )
    # PROTECT: deleting an event that claims use is refused with the list of them, rather
    # than quietly taking it from published pages.
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    actors = models.ManyToManyField(
        Actor, verbose_name=_("actors"), through="ClaimActor", related_name="claims"
    )
    verification = models.CharField(
        verbose_name=_("verification"),
        max_length=15,
        choices=Verification.choices,
        default=Verification.REPORTED,
        help_text=_("Our assessment of the claim, whatever the articles' stance."),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Publishing needs at least one evidence quote from a published article."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    # Derived by articles/derived.py, never by hand: the folded text search reads (see
    # articles/search.py), its weighted tsvector (computed by PostgreSQL from it), the
    # number of quotes from published articles, and what the claim was last filtered and
    # counted by: {"published", "kind", "occurred_on", "countries" (its actors' and its
    # place's), "partners" (its actors' only), "actors", "event", "sources", "publishers",
    # "languages"}. The claim counts of
    # countries, actors and events move by the difference when these facets change.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=DocumentVector("search_document"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        editable=False,
    )
    evidence_count = models.PositiveIntegerField(
        verbose_name=_("evidence count"), default=0, db_default=0, editable=False
    )
    # Distinct publishers among its published evidence articles, a syndicated copy
    # counted as its originating agency (Article.agency); their ids are facets["publishers"].
    independent_sources = models.PositiveIntegerField(
        verbose_name=_("independent sources"), default=0, db_default=0, editable=False
    )
    facets = models.JSONField(null=True, editable=False)
    derived_fields = ["search_document", "evidence_count", "independent_sources", "facets"]

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "search_document",
            "search_vector",
            "evidence_count",
            "independent_sources",
            "facets",
        ]
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = [models.F("occurred_on").desc(nulls_last=True), "-id"]
        permissions = [
            ("publish_claim", _("Can publish and unpublish claims and record corrections")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(occurred_on__isnull=True) & Q(date_precision=""))
                | (Q(occurred_on__isnull=False) & ~Q(date_precision="")),
                name="claim_date_and_precision_together",
                violation_error_message=_("Give a precision with a date, and none without one."),
            ),
        ]
        # The "most recent" sort (occurred_on DESC NULLS LAST) and the search indexes
        # are PostgreSQL-only: see migrations 0004 and 0005.
        indexes = [
            # Claims list sorted by "recently added".
            models.Index(fields=["status", "-created_at"], name="claim_status_created_idx"),
            # Filters by kind and verification.
            models.Index(fields=["kind", "status"], name="claim_kind_idx"),
            # An event's page: its published claims in date order (event_detail).
            models.Index(
                fields=["event", "status", "occurred_on", "id"], name="claim_event_date_idx"
            ),
        ]

    def __str__(self):
        return self.statement

    def save(self, *args, **kwargs):
        self.occurred_on = self.normalised_date()
        if not self.slug:
            self.slug = slugify(self.statement)[:80].strip("-") or "claim"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.pk, self.slug])

    def get_constraints(self):
        # clean() checks the date and its precision in Python, with a message on the
        # right field; evaluating the same check in the database costs three queries.
        return [
            (model, [c for c in constraints if c.name != "claim_date_and_precision_together"])
            for model, constraints in super().get_constraints()
        ]

    def clean(self):
        errors = {}
        if self.occurred_on and not self.date_precision:
            errors["date_precision"] = gettext("Say how precise the date is.")
        if self.date_precision and not self.occurred_on:
            errors["occurred_on"] = gettext("A precision needs a date.")
        if errors:
            raise ValidationError(errors)
        self.occurred_on = self.normalised_date()

    def normalised_date(self):
        """The date with the unknown parts set to 1, so sorting and year filters agree."""
        if self.occurred_on is None:
            return None
        if self.date_precision == self.Precision.YEAR:
            return self.occurred_on.replace(month=1, day=1)
        if self.date_precision == self.Precision.MONTH:
            return self.occurred_on.replace(day=1)
        return self.occurred_on

    @property
    def involved_countries(self):
        """
        The countries of its actors, in the order of its roles: the partners in it, told
        apart from where it happened (`country`). No query when the roles are prefetched
        with their actors' countries (for_list(), the claim's page).
        """
        countries = {}
        for role in self.roles.all():
            if role.actor.country_id is not None:
                countries.setdefault(role.actor.country_id, role.actor.country)
        return list(countries.values())

    @property
    def where(self):
        """Where it happened, as readers read it: “Moscow, Russia”, “Russia”, or ""."""
        return ", ".join(
            part for part in (self.place, self.country and self.country.local_name) if part
        )

    @property
    def when(self):
        """The date as precisely as it is known: “8 May 2025”, “May 2025”, “2025”."""
        if self.occurred_on is None:
            return ""
        if self.date_precision == self.Precision.YEAR:
            return f"{self.occurred_on.year}"
        if self.date_precision == self.Precision.MONTH:
            return date_format(self.occurred_on, "YEAR_MONTH_FORMAT")
        return date_format(self.occurred_on)

    def shown_links(self, preview=False):
        """
        The links its page shows, as (phrase, other claim, link), by date: only those
        between published claims, unless staff preview a draft (then every one). No
        query when the claim comes from ClaimQuerySet.with_links().
        """
        shown = [
            (link.phrase(self), link.other(self), link)
            for link in [*self.links_from.all(), *self.links_to.all()]
        ]
        if not preview:
            shown = [item for item in shown if item[1].status == Status.PUBLISHED]
        return sorted(shown, key=lambda item: (item[2].recorded_on, item[2].pk))

    def original(self, links):
        """The published claim that this published claim duplicates (of `links`), or None."""
        if self.status != Status.PUBLISHED:
            return None
        for _phrase, other, link in links:
            if link.type == ClaimLink.Type.DUPLICATES and link.from_claim_id == self.pk:
                return other
        return None

    def publication_problem(self):
        """
        Why this claim cannot be published yet, or "" when it can. No query when the
        claim comes from ClaimQuerySet.with_publication_checks().
        """
        if not hasattr(self, "has_published_evidence"):
            self.has_published_evidence = (
                self.pk is not None
                and Evidence.objects.filter(claim=self, article__status=Status.PUBLISHED).exists()
            )
        if not hasattr(self, "has_actor"):
            self.has_actor = self.pk is not None and self.roles.exists()
        if not self.has_published_evidence:
            return gettext(
                "A published claim needs at least one evidence quote from a published article."
            )
        if not self.has_actor:
            return NO_ACTOR
        return ""


class ClaimActor(EditedModel):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        HOST = "host", _("Host")
        BUYER = "buyer", _("Buyer")
        SUPPLIER = "supplier", _("Supplier")
        SPEAKER = "speaker", _("Speaker")
        SUBJECT = "subject", _("Subject")
        TARGET = "target", _("Target")
        CRITIC = "critic", _("Critic")
        SUPPORTER = "supporter", _("Supporter")
        OBSERVER = "observer", _("Observer")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="roles"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="claim_roles"
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.PARTICIPANT,
        help_text=_("What the actor did in this claim."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "role", "actor__name"]
        verbose_name = _("actor and role")
        verbose_name_plural = _("actors and roles")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "actor", "role"], name="claim_actor_role_unique"
            ),
        ]
        indexes = [
            # An actor's page: its claims.
            models.Index(fields=["actor", "claim"], name="claimactor_actor_idx"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display().lower()})"


class Involvement(models.Model):
    """
    Derived: a claim involves a country (its actors' or where it happened). Maintained
    by articles/derived.py, with copies of the claim's status, kind and date, so that
    "claims involving Serbia" narrowed by kind and dates is one range of an index
    rather than a join per claim. `by_actor` says whether an actor of the claim belongs
    to the country (a partner in it) or the claim only happened there.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="involvements")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="involvements")
    by_actor = models.BooleanField(
        default=True, help_text=_("An actor's country, not only where the claim happened.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(max_length=20, choices=Claim.Kind.choices, blank=True)
    occurred_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "country"], name="involvement_unique"),
        ]
        indexes = [
            # "Claims involving country X": country first, then the claim to join on.
            models.Index(fields=["country", "claim"], name="involvement_country_idx"),
            # The claims filter ?country=X, with ?from/?to (filters.CountriesFilter).
            models.Index(
                fields=["country", "status", "occurred_on", "claim"], name="involvement_date_idx"
            ),
            # … and with ?kind=.
            models.Index(
                fields=["country", "status", "kind", "occurred_on", "claim"],
                name="involvement_kind_idx",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} involves {self.country_id}"


class Evidence(EditedModel):
    class Stance(models.TextChoices):
        ASSERTS = "asserts", _("Asserts")
        REPORTS = "reports", _("Reports")
        DISPUTES = "disputes", _("Disputes")
        DENIES = "denies", _("Denies")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="evidence"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="evidence"
    )
    quote = models.TextField(
        verbose_name=_("quote"),
        help_text=_(
            "Copied verbatim from the article's body; quote marks and line breaks may differ."
        ),
    )
    stance = models.CharField(
        verbose_name=_("stance"),
        max_length=10,
        choices=Stance.choices,
        default=Stance.REPORTS,
        help_text=_(
            "The article's stance: “asserts” in its own voice, “reports” what someone said."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        ordering = ["article__published_at", "id"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["claim", "article"], name="evidence_one_per_article"),
        ]
        indexes = [
            # An article's page: the claims it backs.
            models.Index(fields=["article", "claim"], name="evidence_article_idx"),
        ]

    def __str__(self):
        return f"{self.article} → {self.claim}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # A quote saved before the rules of quote_problem() is held to them only once
        # it is edited.
        instance.loaded_quote = instance.__dict__.get("quote")
        return instance

    def clean(self):
        try:
            # A new article's evidence holds the unsaved article itself (see admin.py).
            article = self.article
        except Article.DoesNotExist:
            article = None
        if article is not None and self.quote and (problem := self.quote_problem()):
            raise ValidationError({"quote": problem})

    def quote_problem(self):
        """
        Which rule the quote breaks, in words for the editor, or "": at least
        MIN_QUOTE_LENGTH characters, whole words at both ends, and in the article's body
        (whitespace and quote-mark style aside).
        """
        new = self.quote != getattr(self, "loaded_quote", None)
        length = len(normalise_quote(self.quote))
        if new and length < MIN_QUOTE_LENGTH:
            return gettext(
                "A quote needs at least %(minimum)d characters to back a claim; this one has "
                "%(length)d. Quote the words that say what the claim says."
            ) % {"minimum": MIN_QUOTE_LENGTH, "length": length}
        body = self.article.normalised_body
        if body.find(self.quote, whole_words=True) is not None:
            return ""
        if body.find(self.quote) is None:
            return gettext(
                "This quote does not occur in the article “%(article)s”. "
                "Copy it exactly from the article's body."
            ) % {"article": self.article}
        if new:
            return gettext(
                "This quote starts or ends in the middle of a word of the article. Quote whole "
                "words, from the start of the first to the end of the last."
            )
        return ""

    def span(self):
        """Where the quote stands in the article's body, as (start, end), or None."""
        return self.article.normalised_body.find(self.quote)

    @property
    def anchor(self):
        return f"evidence-{self.pk}"


class Correction(models.Model):
    """A public note on a published claim, shown to readers with its date."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(
        verbose_name=_("note"),
        help_text=_("What was wrong and what changed, in words a reader understands."),
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("Correction to “%(claim)s” on %(date)s") % {
            "claim": self.claim,
            "date": date_format(self.created_at, "d F Y"),
        }

    def get_absolute_url(self):
        return self.claim.get_absolute_url() + f"#correction-{self.pk}"


class ClaimLink(EditedModel):
    """
    What an editor recorded about two claims: one supports, contradicts, updates or
    duplicates the other. Readers see a link on both claims' pages, phrased for each
    side, while both claims are published. A published claim that duplicates another
    published one is not listed, and its address redirects to the other (derived.py,
    views/claims.py).
    """

    class Type(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        CONTRADICTS = "contradicts", _("contradicts")
        UPDATES = "updates", _("updates")
        DUPLICATES = "duplicates", _("duplicates")

    # How a claim's page says it, from each side: (this claim → other, other → this claim).
    PHRASES = {
        Type.SUPPORTS: (_("Supports"), _("Supported by")),
        Type.CONTRADICTS: (_("Contradicts"), _("Contradicted by")),
        Type.UPDATES: (_("Updates"), _("Updated by")),
        Type.DUPLICATES: (_("Duplicates"), _("Duplicated by")),
    }

    from_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="links_from", verbose_name=_("this claim")
    )
    type = models.CharField(verbose_name=_("type"), max_length=12, choices=Type.choices)
    to_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="links_to", verbose_name=_("claim")
    )
    recorded_on = models.DateField(
        _("date"),
        default=datetime.date.today,
        help_text=_("When the link became known: shown to readers beside it."),
    )
    note = models.CharField(
        verbose_name=_("note"),
        max_length=300,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("Optional, for readers: why the claims are linked."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "id"]
        verbose_name = _("link to another claim")
        verbose_name_plural = _("links to other claims")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=models.F("to_claim")),
                name="claimlink_not_to_itself",
                violation_error_message=_("A claim cannot be linked to itself."),
            ),
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "type"],
                name="claimlink_unique_per_pair_and_type",
                violation_error_message=_("These two claims are already linked this way."),
            ),
            models.UniqueConstraint(
                fields=["from_claim"],
                condition=Q(type="duplicates"),
                name="claimlink_one_duplicate_target",
                violation_error_message=_("A claim duplicates at most one other claim."),
            ),
        ]
        indexes = [
            # A claim's page: the links that point at it.
            models.Index(fields=["to_claim", "type"], name="claimlink_to_idx"),
        ]

    def __str__(self):
        return f"{self.from_claim_id} {self.type} {self.to_claim_id}"

    def clean(self):
        # A cycle of duplicates (A duplicates B, which duplicates A) would redirect
        # readers round in circles: no database constraint can see one, so it is checked
        # here, along the chain of "duplicates" links from the target.
        if self.type != self.Type.DUPLICATES or not (self.from_claim_id and self.to_claim_id):
            return
        seen, current = {self.to_claim_id}, self.to_claim_id
        while True:
            current = (
                ClaimLink.objects.filter(from_claim=current, type=self.Type.DUPLICATES)
                .exclude(pk=self.pk)
                .values_list("to_claim", flat=True)
                .first()
            )
            if current is None or current in seen:
                return
            if current == self.from_claim_id:
                raise ValidationError(
                    {
                        "to_claim": gettext(
                            "That claim already duplicates this one (directly or "
                            "through others): a claim cannot duplicate its own duplicate."
                        )
                    },
                    code="duplicate_cycle",
                )
            seen.add(current)

    def phrase(self, claim):
        """How the page of `claim` (one end of the link) says it: “Contradicted by”."""
        forward, backward = self.PHRASES[self.type]
        return forward if claim.pk == self.from_claim_id else backward

    def other(self, claim):
        """The claim at the other end from `claim`."""
        return self.to_claim if claim.pk == self.from_claim_id else self.from_claim


class Change(models.Model):
    """
    The change log: one entry per committed change that readers can see, numbered in
    commit order. Cached pages are keyed by the latest number, and a read index catches
    up by reading the entries after the last one it applied. Written only by
    articles/derived.py.
    """

    seq = models.BigAutoField(primary_key=True)
    # Ids of the claims whose public face changed (edited, published, unpublished,
    # deleted, or changed through what they use); null when every claim may have (after
    # a rebuild). Empty when only other pages changed (an article, an event's details).
    claims = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"change {self.seq}"
