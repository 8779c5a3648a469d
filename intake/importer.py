"""
Importing GDELT files into the intake queue, in constant memory: lines are read one at
a time and written in batches, each line's values checked by the model's own fields
first. Events are identified by GLOBALEVENTID, mentions by (GLOBALEVENTID,
MentionIdentifier, SentenceID), so importing a file again adds nothing.

On PostgreSQL a batch is written with COPY; elsewhere with one prepared INSERT.
"""

import dataclasses
import functools
import time
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import CONTROL_CHARACTER, Country, validate_no_control_characters

from . import codes, gdelt
from .models import GdeltEvent, GdeltMention

# Lines written per round trip.
BATCH = 5000
# Taken (until commit) by an import, so that two imports at once cannot both count a
# line as new. Any constant of our own.
IMPORT_LOCK = 0x67646C74  # "gdlt"


def one_of(column, values):
    """
    A filter: `column` is one of `values`. On PostgreSQL one array parameter: the driver
    spends longer on 5,000 placeholders than the server on the query.
    """
    if connection.vendor == "postgresql":
        return RawSQL(  # nosec B611: the column is a name of ours, the values a parameter
            f"{connection.ops.quote_name(column)} = ANY(%s)",
            [list(values)],
            output_field=BooleanField(),
        )
    return Q(**{f"{column}__in": values})


@dataclasses.dataclass
class Tally:
    """What importing files of one kind did, line by line."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    rejected: int = 0
    # Mentions only: good lines whose event is not in the intake (yet).
    unmatched: int = 0

    @property
    def good(self):
        return self.new + self.duplicate

    def summary(self, kind):
        line = (
            f"{kind}: read {self.read}, new {self.new}, duplicate {self.duplicate}, "
            f"rejected {self.rejected}"
        )
        return line + (f", unmatched {self.unmatched}" if kind == gdelt.MENTIONS else "")


class Checker:
    """
    The model's field-level validation (what full_clean() runs field by field: to
    Python, choices, blank, max length, validators) of the values of one line. The
    related countries come from our own table and uniqueness is what the import counts,
    so neither is looked up here. A field's clean() depends on the value alone, and
    GDELT repeats codes, names, dates and source URLs from line to line: each field
    remembers its last few thousand values.
    """

    def __init__(self, model, names):
        self.fields = {name: model._meta.get_field(name) for name in names}
        self.cleaners = {
            name: functools.lru_cache(maxsize=gdelt.MEMO)(functools.partial(self.clean, field))
            for name, field in self.fields.items()
        }

    @staticmethod
    def clean(field, value):
        if validate_no_control_characters in field.validators:
            # Machine-read names: an invisible character becomes a space, not a lost line.
            value = CONTROL_CHARACTER.sub(" ", value)
        try:
            return field.clean(value, None), None
        except ValidationError as error:
            return value, f"{field.verbose_name}: {value!r}: {' '.join(error.messages)}"

    def check(self, name, value):
        """The cleaned value, or BadLine naming the GDELT column and what is wrong."""
        cleaned, problem = self.cleaners[name](value)
        if problem:
            raise gdelt.BadLine(problem)
        return cleaned

    def check_all(self, names, values):
        """The cleaned values of `names` (a tuple), in order; BadLine at the first problem."""
        results = [self.cleaners[name](values[name]) for name in names]
        for _, problem in results:
            if problem:
                raise gdelt.BadLine(problem)
        return [cleaned for cleaned, _ in results]

    def passes(self, name, value):
        return self.cleaners[name](value)[1] is None


class Countries:
    """GDELT's country codes as our countries' ids; the unknown ones are counted."""

    def __init__(self):
        self.ids = dict(Country.objects.values_list("code", "pk"))
        self.unknown = Counter()

    def of(self, system, code, to_iso):
        if not code:
            return None
        if pk := self.ids.get(to_iso(code)):
            return pk
        self.unknown[system, code] += 1
        return None

    def cameo(self, code):
        return self.of("CAMEO", code, codes.iso_from_cameo)

    def fips(self, code):
        return self.of("FIPS 10-4", code, codes.iso_from_fips)


class Importer:
    """
    Imports files into the intake, counting what each line did by kind of file.
    `report(path, number, reason)` hears of each bad line; `progress(path, lines,
    fraction)` of the progress through each file now and then.
    """

    def __init__(self, report, progress=None):
        self.report = report
        self.progress = progress or (lambda *args: None)
        self.tallies = {gdelt.EVENTS: Tally(), gdelt.MENTIONS: Tally()}
        self.countries = Countries()
        self.now = timezone.now()
        self.events = EventRows(self)
        self.mentions = MentionRows(self)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])

    def import_file(self, path, kind):
        rows = self.events if kind == gdelt.EVENTS else self.mentions
        tally = self.tallies[kind]
        with gdelt.opened(path) as (stream, size):
            batch, done, last_shown = [], 0, time.monotonic()
            for number, raw in gdelt.lines(stream):
                tally.read += 1
                done += len(raw) + 1
                try:
                    batch.append(rows.row(gdelt.split(raw)))
                except gdelt.BadLine as error:
                    tally.rejected += 1
                    self.report(path, number, str(error))
                if len(batch) == BATCH:
                    rows.write(batch, tally)
                    batch = []
                    if time.monotonic() - last_shown > 0.5:
                        self.progress(path, number, min(done / size, 1) if size else 1)
                        last_shown = time.monotonic()
            rows.write(batch, tally)
            self.progress(path, tally.read, 1)


class Rows:
    """Turning lines of one kind into rows of one table, and writing them."""

    model = None
    names = ()

    def __init__(self, importer):
        self.importer = importer
        self.countries = importer.countries
        opts = self.model._meta
        self.fields = [opts.get_field(name) for name in self.names]
        self.table = connection.ops.quote_name(opts.db_table)
        self.columns = [connection.ops.quote_name(field.column) for field in self.fields]

    def insert(self, rows):
        if not rows:
            return
        columns = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                # Each value converted for the database as bulk_create() would, without
                # building model instances: a tenth of the time and memory.
                prepare = [field.get_db_prep_save for field in self.fields]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})",  # nosec B608: identifiers from model metadata
                    [
                        [
                            convert(value, connection)
                            for convert, value in zip(prepare, row, strict=True)
                        ]
                        for row in rows
                    ],
                )


class EventRows(Rows):
    model = GdeltEvent
    checked = [
        "id",
        "occurred_on",
        "date_added",
        "is_root_event",
        "actor1_code",
        "actor1_name",
        "actor1_country_code",
        "actor1_type_code",
        "actor1_geo_country_code",
        "actor2_code",
        "actor2_name",
        "actor2_country_code",
        "actor2_type_code",
        "actor2_geo_country_code",
        "event_code",
        "event_base_code",
        "event_root_code",
        "quad_class",
        "goldstein",
        "num_mentions",
        "num_sources",
        "num_articles",
        "avg_tone",
        "action_geo_type",
        "action_geo_name",
        "action_geo_country_code",
    ]
    names = [
        *checked,
        "actor1_country_id",
        "actor1_geo_country_id",
        "actor2_country_id",
        "actor2_geo_country_id",
        "action_country_id",
        "source_url",
        "source_citation",
        "status",
        "imported_at",
    ]

    def __init__(self, importer):
        super().__init__(importer)
        self.checker = Checker(self.model, [*self.checked, "source_url", "source_citation"])

    def row(self, columns):
        values = gdelt.event_values(columns)
        countries = self.countries
        row = self.checker.check_all(self.checked, values)
        source = values["source"]
        # SOURCEURL is "the URL or citation" of the first report.
        url = source if self.checker.passes("source_url", source) else ""
        row += [
            countries.cameo(values["actor1_country_code"]),
            countries.fips(values["actor1_geo_country_code"]),
            countries.cameo(values["actor2_country_code"]),
            countries.fips(values["actor2_geo_country_code"]),
            countries.fips(values["action_geo_country_code"]),
            url,
            "" if url else self.checker.check("source_citation", source),
            GdeltEvent.Status.NEW,
            self.importer.now,
        ]
        return row

    def write(self, rows, tally):
        """Insert the rows whose GLOBALEVENTID is not in the intake yet."""
        ids = {row[0] for row in rows}
        seen = set(GdeltEvent.objects.filter(one_of("id", ids)).values_list("pk", flat=True))
        new = []
        for row in rows:
            if row[0] in seen:
                tally.duplicate += 1
            else:
                seen.add(row[0])
                new.append(row)
        self.insert(new)
        tally.new += len(new)


class MentionRows(Rows):
    model = GdeltMention
    names = [
        "event_id",
        "event_time",
        "mention_time",
        "mention_type",
        "source_name",
        "identifier",
        "identifier_digest",
        "sentence_id",
        "actor1_offset",
        "actor2_offset",
        "action_offset",
        "in_raw_text",
        "confidence",
        "doc_length",
        "doc_tone",
        "translation_info",
    ]
    # The event is looked for when the batch is written.
    checked = [name for name in names if name not in ("event_id", "identifier_digest")]

    def __init__(self, importer):
        super().__init__(importer)
        self.checker = Checker(self.model, self.checked)

    def row(self, columns):
        values = gdelt.mention_values(columns)
        values.update(zip(self.checked, self.checker.check_all(self.checked, values), strict=True))
        return [values[name] for name in self.names]

    def write(self, rows, tally):
        """
        Insert the rows whose (event, identifier, sentence) is not in the intake yet,
        and count those whose event is not there.
        """
        events = {row[0] for row in rows}
        digests = {row[6] for row in rows}
        present = set(GdeltEvent.objects.filter(one_of("id", events)).values_list("pk", flat=True))
        seen = set(
            GdeltMention.objects.filter(
                one_of("event_id", events), one_of("identifier_digest", digests)
            ).values_list("event_id", "identifier_digest", "sentence_id")
        )
        new = []
        for row in rows:
            key = (row[0], row[6], row[7])
            if row[0] not in present:
                tally.unmatched += 1
            if key in seen:
                tally.duplicate += 1
            else:
                seen.add(key)
                new.append(row)
        self.insert(new)
        tally.new += len(new)
