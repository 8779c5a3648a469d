"""
GDELT 2.0 files as they are published: Events exports (`*.export.CSV`, 61 columns) and
Mentions (`*.mentions.CSV`, 16 columns), tab-separated UTF-8 without a header row, one
record a line, plain or as a zip holding the one file. This module reads them line by
line and turns a line into the values of a GdeltEvent or GdeltMention, or says why it
cannot (BadLine). It knows the format, not the database.

Columns, in order, as the GDELT 2.0 Event Codebook (V2.0, 2015) and its Mentions table
documentation list them.
"""

import contextlib
import datetime
import functools
import hashlib
import math
import os
import zipfile

EVENT_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)
MENTION_COLUMNS = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)
EVENTS, MENTIONS = "events", "mentions"
KINDS = {len(EVENT_COLUMNS): EVENTS, len(MENTION_COLUMNS): MENTIONS}
COLUMNS = {EVENTS: EVENT_COLUMNS, MENTIONS: MENTION_COLUMNS}
E = {name: index for index, name in enumerate(EVENT_COLUMNS)}
M = {name: index for index, name in enumerate(MENTION_COLUMNS)}

# Lines looked at to tell an events file from a mentions file: the first line with 61
# or 16 columns decides.
LINES_TO_TELL = 1000
# Distinct dates, times and the like remembered while parsing: a file has few of them.
MEMO = 4096


class BadLine(ValueError):
    """A line that cannot be imported; its message says which column and why."""


class NotGdelt(ValueError):
    """A file that is not a GDELT events or mentions file (or a zip of one)."""


@contextlib.contextmanager
def opened(path):
    """
    The file's bytes as a stream, and their size: the one file inside a zip, or the
    file itself.
    """
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) != 1:
                raise NotGdelt(f"a GDELT zip holds one file; this one holds {len(members)}")
            with archive.open(members[0]) as stream:
                yield stream, members[0].file_size
    else:
        with open(path, "rb") as stream:
            yield stream, os.fstat(stream.fileno()).st_size


def kind_of(path):
    """EVENTS or MENTIONS, by the column count of the file's first well-formed line."""
    with opened(path) as (stream, _):
        for _, raw in zip(range(LINES_TO_TELL), stream, strict=False):
            if kind := KINDS.get(raw.count(b"\t") + 1):
                return kind
    raise NotGdelt(
        f"none of its first {LINES_TO_TELL:,} lines has {len(EVENT_COLUMNS)} columns "
        f"(an events file) or {len(MENTION_COLUMNS)} (a mentions file)"
    )


def lines(stream):
    """(line number, the line's bytes) for every line, read one at a time."""
    for number, raw in enumerate(stream, start=1):
        yield number, raw.rstrip(b"\r\n")


def split(raw):
    """A line's columns."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadLine(
            f"invalid UTF-8: byte 0x{raw[error.start]:02X} at position {error.start + 1}"
        ) from None
    return text.split("\t")


def check_columns(columns, kind):
    expected = len(COLUMNS[kind])
    if len(columns) != expected:
        raise BadLine(f"{len(columns)} columns, expected {expected} in {kind} files")


# --- values ------------------------------------------------------------------------------


def whole_number(column, value, signed=False):
    digits = value[1:] if signed and value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()):
        raise BadLine(f"{column}: {value!r} is not a whole number")
    return int(value)


def number(column, value):
    try:
        result = float(value)
    except ValueError:
        result = math.nan
    if not math.isfinite(result) or "_" in value:
        raise BadLine(f"{column}: {value!r} is not a number")
    return result


def flag(column, value):
    if value not in ("0", "1"):
        raise BadLine(f"{column}: {value!r} is neither 0 nor 1")
    return value == "1"


@functools.lru_cache(maxsize=MEMO)
def day(column, value):
    """YYYYMMDD."""
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise BadLine(f"{column}: {value!r} is not a date (YYYYMMDD)") from None


@functools.lru_cache(maxsize=MEMO)
def moment(column, value):
    """YYYYMMDDHHMMSS, in UTC."""
    try:
        if len(value) != 14 or not value.isdigit():
            raise ValueError
        parts = [int(value[start:end]) for start, end in ((0, 4), (4, 6), (6, 8), (8, 10))]
        parts += [int(value[10:12]), int(value[12:])]
        return datetime.datetime(*parts, tzinfo=datetime.UTC)
    except ValueError:
        raise BadLine(f"{column}: {value!r} is not a date and time (YYYYMMDDHHMMSS)") from None


def digest(identifier):
    """What stands for a MentionIdentifier in the mentions' unique key."""
    return hashlib.blake2b(identifier.encode(), digest_size=16).hexdigest()


# --- records -------------------------------------------------------------------------------


def event_values(columns):
    """
    The GdeltEvent field values of an events line, not yet validated by the model; the
    country codes are still GDELT's own (intake/importer.py maps them).
    """
    check_columns(columns, EVENTS)
    c = columns
    return {
        "id": whole_number("GLOBALEVENTID", c[E["GLOBALEVENTID"]]),
        "occurred_on": day("SQLDATE", c[E["SQLDATE"]]),
        "date_added": moment("DATEADDED", c[E["DATEADDED"]]),
        "is_root_event": flag("IsRootEvent", c[E["IsRootEvent"]]),
        "actor1_code": c[E["Actor1Code"]],
        "actor1_name": c[E["Actor1Name"]],
        "actor1_country_code": c[E["Actor1CountryCode"]],
        "actor1_type_code": c[E["Actor1Type1Code"]],
        "actor1_geo_country_code": c[E["Actor1Geo_CountryCode"]],
        "actor2_code": c[E["Actor2Code"]],
        "actor2_name": c[E["Actor2Name"]],
        "actor2_country_code": c[E["Actor2CountryCode"]],
        "actor2_type_code": c[E["Actor2Type1Code"]],
        "actor2_geo_country_code": c[E["Actor2Geo_CountryCode"]],
        "event_code": c[E["EventCode"]],
        "event_base_code": c[E["EventBaseCode"]],
        "event_root_code": c[E["EventRootCode"]],
        "quad_class": whole_number("QuadClass", c[E["QuadClass"]]),
        "goldstein": number("GoldsteinScale", c[E["GoldsteinScale"]]),
        "num_mentions": whole_number("NumMentions", c[E["NumMentions"]]),
        "num_sources": whole_number("NumSources", c[E["NumSources"]]),
        "num_articles": whole_number("NumArticles", c[E["NumArticles"]]),
        "avg_tone": number("AvgTone", c[E["AvgTone"]]),
        "action_geo_type": whole_number("ActionGeo_Type", c[E["ActionGeo_Type"]]),
        "action_geo_name": c[E["ActionGeo_FullName"]],
        "action_geo_country_code": c[E["ActionGeo_CountryCode"]],
        "source": c[E["SOURCEURL"]].strip(),
    }


def mention_values(columns):
    """The GdeltMention field values of a mentions line, not yet validated by the model."""
    check_columns(columns, MENTIONS)
    c = columns
    identifier = c[M["MentionIdentifier"]].strip()
    return {
        "event_id": whole_number("GLOBALEVENTID", c[M["GLOBALEVENTID"]]),
        "event_time": moment("EventTimeDate", c[M["EventTimeDate"]]),
        "mention_time": moment("MentionTimeDate", c[M["MentionTimeDate"]]),
        "mention_type": whole_number("MentionType", c[M["MentionType"]]),
        "source_name": c[M["MentionSourceName"]],
        "identifier": identifier,
        "identifier_digest": digest(identifier),
        "sentence_id": whole_number("SentenceID", c[M["SentenceID"]]),
        "actor1_offset": whole_number("Actor1CharOffset", c[M["Actor1CharOffset"]], signed=True),
        "actor2_offset": whole_number("Actor2CharOffset", c[M["Actor2CharOffset"]], signed=True),
        "action_offset": whole_number("ActionCharOffset", c[M["ActionCharOffset"]], signed=True),
        "in_raw_text": flag("InRawText", c[M["InRawText"]]),
        "confidence": whole_number("Confidence", c[M["Confidence"]]),
        "doc_length": whole_number("MentionDocLen", c[M["MentionDocLen"]]),
        "doc_tone": number("MentionDocTone", c[M["MentionDocTone"]]),
        "translation_info": c[M["MentionDocTranslationInfo"]],
    }
