"""
The GDELT intake queue: machine-coded events from GDELT 2.0 event files, each waiting
for an editor to accept it (a draft article and claim) or dismiss it, and the mentions
that GDELT's mentions files list for them.

Column meanings are those of the GDELT 2.0 Event Codebook and Mentions documentation;
the verbose names give the GDELT column each field comes from.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from articles.links import web_url
from articles.models import (
    Article,
    Claim,
    Country,
    validate_no_control_characters,
    web_url_validator,
)

from . import codes


class QuadClass(models.IntegerChoices):
    VERBAL_COOPERATION = 1, codes.QUAD_CLASSES[1]
    MATERIAL_COOPERATION = 2, codes.QUAD_CLASSES[2]
    VERBAL_CONFLICT = 3, codes.QUAD_CLASSES[3]
    MATERIAL_CONFLICT = 4, codes.QUAD_CLASSES[4]


class GeoType(models.IntegerChoices):
    # 0 is what GDELT writes when it found no location.
    NONE = 0, _("No location")
    COUNTRY = 1, _("Country")
    US_STATE = 2, _("US state")
    US_CITY = 3, _("US city or landmark")
    WORLD_CITY = 4, _("City or landmark")
    WORLD_STATE = 5, _("Region (ADM1)")


class WebURLField(models.URLField):
    """
    A URLField that only takes web addresses, checked once: URLField's own validator
    would check every address a second time, for any scheme.
    """

    default_validators = [web_url_validator]


def country_field(column, indexed=True):
    # Not enforced by the database: checking five references a row at commit took more
    # than half of an import's database time. The importer takes the ids from the
    # Country table, and countries are never deleted (PROTECT, here and elsewhere).
    return models.ForeignKey(
        Country,
        verbose_name=format_lazy(_("{column} as a country"), column=column),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=indexed,
        db_constraint=False,
    )


class GdeltEventQuerySet(models.QuerySet):
    def involving(self, country):
        """Events with `country` as either actor's country or as where it happened."""
        return self.filter(
            Q(actor1_country=country) | Q(actor2_country=country) | Q(action_country=country)
        )

    def between(self, first, second):
        """Events whose actors are of these two countries, in either order."""
        return self.filter(
            Q(actor1_country=first, actor2_country=second)
            | Q(actor1_country=second, actor2_country=first)
        )


class GdeltEvent(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    # GDELT's own id: what makes importing a file again change nothing.
    id = models.BigIntegerField("GLOBALEVENTID", primary_key=True)
    occurred_on = models.DateField(_("date"), help_text=_("SQLDATE: the day the event took place."))
    date_added = models.DateTimeField(
        _("added to GDELT"), help_text=_("DATEADDED: when GDELT first saw it (UTC).")
    )
    is_root_event = models.BooleanField("IsRootEvent", default=False)

    actor1_code = models.CharField("Actor1Code", max_length=40, blank=True)
    actor1_name = models.CharField(
        "Actor1Name", max_length=255, blank=True, validators=[validate_no_control_characters]
    )
    actor1_country_code = models.CharField(
        "Actor1CountryCode", max_length=3, blank=True, help_text=_("CAMEO country code.")
    )
    actor1_country = country_field("Actor1CountryCode")
    actor1_type_code = models.CharField("Actor1Type1Code", max_length=3, blank=True)
    actor1_geo_country_code = models.CharField(
        "Actor1Geo_CountryCode", max_length=2, blank=True, help_text=_("FIPS 10-4 code.")
    )
    # Only shown, never filtered by: no index, so loading a file stays fast.
    actor1_geo_country = country_field("Actor1Geo_CountryCode", indexed=False)

    actor2_code = models.CharField("Actor2Code", max_length=40, blank=True)
    actor2_name = models.CharField(
        "Actor2Name", max_length=255, blank=True, validators=[validate_no_control_characters]
    )
    actor2_country_code = models.CharField(
        "Actor2CountryCode", max_length=3, blank=True, help_text=_("CAMEO country code.")
    )
    actor2_country = country_field("Actor2CountryCode")
    actor2_type_code = models.CharField("Actor2Type1Code", max_length=3, blank=True)
    actor2_geo_country_code = models.CharField(
        "Actor2Geo_CountryCode", max_length=2, blank=True, help_text=_("FIPS 10-4 code.")
    )
    actor2_geo_country = country_field("Actor2Geo_CountryCode", indexed=False)

    event_code = models.CharField("EventCode", max_length=4, help_text=_("CAMEO event code."))
    event_base_code = models.CharField("EventBaseCode", max_length=4)
    event_root_code = models.CharField("EventRootCode", max_length=2)
    quad_class = models.PositiveSmallIntegerField("QuadClass", choices=QuadClass.choices)
    goldstein = models.FloatField(
        "GoldsteinScale",
        validators=[MinValueValidator(-10), MaxValueValidator(10)],
        help_text=_("The theoretical impact of this type of event on a country's stability."),
    )
    num_mentions = models.PositiveIntegerField("NumMentions")
    num_sources = models.PositiveIntegerField("NumSources")
    num_articles = models.PositiveIntegerField("NumArticles")
    avg_tone = models.FloatField(
        "AvgTone", validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )

    action_geo_type = models.PositiveSmallIntegerField("ActionGeo_Type", choices=GeoType.choices)
    action_geo_name = models.CharField(
        "ActionGeo_FullName",
        max_length=255,
        blank=True,
        validators=[validate_no_control_characters],
    )
    action_geo_country_code = models.CharField(
        "ActionGeo_CountryCode", max_length=2, blank=True, help_text=_("FIPS 10-4 code.")
    )
    action_country = country_field("ActionGeo_CountryCode")

    # SOURCEURL holds "the URL or citation" of the first report: a web address is kept
    # as the source URL, anything else as a citation, which is never made a link.
    source_url = WebURLField("SOURCEURL", max_length=2000, blank=True)
    source_citation = models.CharField(
        "SOURCEURL (citation)",
        max_length=2000,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=_("SOURCEURL when it is not a web address."),
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="gdelt_events"
    )
    # The draft claim accepting made: the claim's link back to its GDELT event.
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="gdelt_event"
    )
    imported_at = models.DateTimeField()

    objects = GdeltEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("GDELT event")
        verbose_name_plural = _("GDELT events")
        ordering = ["-num_mentions", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quad_class__gte=1, quad_class__lte=4),
                name="gdelt_event_quad_class_known",
            ),
            models.CheckConstraint(
                condition=Q(goldstein__gte=-10, goldstein__lte=10),
                name="gdelt_event_goldstein_in_scale",
            ),
            models.CheckConstraint(
                condition=Q(status="new", decided_at__isnull=True)
                | (~Q(status="new") & Q(decided_at__isnull=False)),
                name="gdelt_event_decided_unless_new",
            ),
        ]
        indexes = [
            # The queue as editors open it: new events, most mentioned first.
            models.Index(fields=["status", "-num_mentions", "-id"], name="gdelt_event_queue_idx"),
            models.Index(fields=["occurred_on"], name="gdelt_event_date_idx"),
            models.Index(fields=["event_root_code", "status"], name="gdelt_event_root_idx"),
        ]

    def __str__(self):
        return f"GDELT event {self.id}: {self.description}"

    @property
    def event_label(self):
        return codes.event_label(self.event_code)

    @property
    def description(self):
        """Who did what to whom, as GDELT coded it: "SERBIA — Sign formal agreement — CHINA"."""
        parts = [
            self.actor1_name or "(no actor)",
            self.event_label or f"CAMEO {self.event_code}",
            self.actor2_name,
        ]
        return " — ".join(part for part in parts if part)

    @property
    def link(self):
        """The source URL, if it is a web address (the only kind that becomes a link)."""
        return web_url(self.source_url)


class GdeltMention(models.Model):
    class Type(models.IntegerChoices):
        WEB = 1, _("Web")
        CITATION_ONLY = 2, _("Citation only")
        CORE = 3, "CORE"
        DTIC = 4, "DTIC"
        JSTOR = 5, "JSTOR"
        NON_TEXTUAL = 6, _("Non-textual source")

    # A mentions file also names events from earlier files, so a mention may arrive
    # before its event: no database constraint, and it joins its event when that is
    # imported.
    event = models.ForeignKey(
        GdeltEvent,
        verbose_name="GLOBALEVENTID",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="mentions",
    )
    event_time = models.DateTimeField("EventTimeDate")
    mention_time = models.DateTimeField("MentionTimeDate")
    mention_type = models.PositiveSmallIntegerField("MentionType", choices=Type.choices)
    source_name = models.CharField(
        "MentionSourceName", max_length=255, blank=True, validators=[validate_no_control_characters]
    )
    identifier = models.CharField(
        "MentionIdentifier",
        max_length=2000,
        help_text=_("The document: a URL for web mentions, otherwise a citation or DOI."),
    )
    # MentionIdentifier can be longer than an index entry may be: its digest stands in
    # for it in the unique key (intake/gdelt.py computes it).
    identifier_digest = models.CharField(max_length=32, editable=False)
    sentence_id = models.PositiveIntegerField("SentenceID")
    actor1_offset = models.IntegerField("Actor1CharOffset", help_text=_("-1: not found."))
    actor2_offset = models.IntegerField("Actor2CharOffset", help_text=_("-1: not found."))
    action_offset = models.IntegerField("ActionCharOffset", help_text=_("-1: not found."))
    in_raw_text = models.BooleanField("InRawText")
    confidence = models.PositiveSmallIntegerField(
        "Confidence", validators=[MaxValueValidator(100)], help_text=_("Percent.")
    )
    doc_length = models.PositiveIntegerField("MentionDocLen")
    doc_tone = models.FloatField(
        "MentionDocTone", validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )
    translation_info = models.CharField(
        "MentionDocTranslationInfo",
        max_length=500,
        blank=True,
        validators=[validate_no_control_characters],
    )

    class Meta:
        verbose_name = _("GDELT mention")
        verbose_name_plural = _("GDELT mentions")
        ordering = ["-confidence", "id"]
        constraints = [
            # The same sentence of a document can come twice, with the actors' offsets
            # swapped: it is one mention.
            models.UniqueConstraint(
                fields=["event", "identifier_digest", "sentence_id"], name="gdelt_mention_unique"
            ),
            models.CheckConstraint(
                condition=Q(confidence__lte=100), name="gdelt_mention_confidence_percent"
            ),
        ]

    def __str__(self):
        return f"{self.source_name or self.identifier} (sentence {self.sentence_id})"

    @property
    def url(self):
        """The document's address, for web mentions that have a web address."""
        return web_url(self.identifier) if self.mention_type == self.Type.WEB else ""

    @property
    def language(self):
        """The document's language as a BCP 47 tag, "" when it cannot be told."""
        return codes.language_from_translation_info(self.translation_info)
