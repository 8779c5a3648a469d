"""
manage.py import_gdelt: GDELT 2.0 events and mentions files into the intake queue, from
the hand-made files in tests/fixtures/gdelt/ (their README says what each line is).
"""

import datetime
import io
import os
import shutil
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from bench.gdelt import event_lines
from intake.models import GdeltEvent, GdeltMention

from .factories import country

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gdelt"
EVENTS = FIXTURES / "20250508120000.export.CSV"
MENTIONS = FIXTURES / "20250508121500.mentions.CSV"
LATER_EVENTS = FIXTURES / "20250508121500.export.CSV"
RTS = "https://www.rts.rs/lat/vesti/politika/5678901/srbija-kina-sporazum.html"
UTC = datetime.UTC


def run(*paths):
    """Import the files: (standard output lines, standard error lines)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_gdelt", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


class TemporaryFolder:
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)


def snapshot():
    return (
        list(GdeltEvent.objects.order_by("pk").values()),
        list(GdeltMention.objects.order_by("pk").values()),
    )


class EventsImportTests(TemporaryFolder, TestCase):
    def test_the_summary_counts_every_line_good_or_bad(self):
        out, _ = run(EVENTS)
        self.assertEqual(out[-1], "events: read 12, new 6, duplicate 1, rejected 5")
        self.assertEqual(GdeltEvent.objects.count(), 6)

    def test_an_event_keeps_the_columns_the_codebook_describes(self):
        run(EVENTS)
        event = GdeltEvent.objects.get(pk=1234567801)
        self.assertEqual(event.occurred_on, datetime.date(2025, 5, 8))
        self.assertEqual(event.date_added, datetime.datetime(2025, 5, 8, 12, 0, tzinfo=UTC))
        self.assertTrue(event.is_root_event)
        self.assertEqual(
            (event.actor1_code, event.actor1_name, event.actor1_country_code),
            ("SRB", "SERBIA", "SRB"),
        )
        self.assertEqual((event.actor2_code, event.actor2_name), ("CHN", "CHINA"))
        self.assertEqual(
            (event.event_code, event.event_base_code, event.event_root_code),
            ("057", "057", "05"),
        )
        self.assertEqual(event.event_label, "Sign formal agreement")
        self.assertEqual(event.get_quad_class_display(), "Verbal cooperation")
        self.assertEqual(event.goldstein, 8.0)
        self.assertEqual(
            (event.num_mentions, event.num_sources, event.num_articles, event.avg_tone),
            (12, 4, 10, 2.75),
        )
        self.assertEqual(event.get_action_geo_type_display(), "City or landmark")
        self.assertEqual(event.action_geo_name, "Beograd, Central Serbia, Serbia")
        self.assertEqual(event.source_url, RTS)
        self.assertEqual(event.status, GdeltEvent.Status.NEW)
        self.assertEqual(
            str(event), "GDELT event 1234567801: SERBIA — Sign formal agreement — CHINA"
        )

    def test_both_country_code_systems_become_our_countries(self):
        run(EVENTS)
        event = GdeltEvent.objects.get(pk=1234567802)
        # CAMEO codes (ISO alpha-3) for the actors…
        self.assertEqual((event.actor1_country_code, event.actor1_country), ("CHN", country("CN")))
        self.assertEqual((event.actor2_country_code, event.actor2_country), ("SRB", country("RS")))
        # … FIPS 10-4 for places: CH is China, RI Serbia.
        self.assertEqual(
            (event.action_geo_country_code, event.action_country), ("CH", country("CN"))
        )
        self.assertEqual(event.actor1_geo_country, country("CN"))
        self.assertEqual(event.actor2_geo_country, country("RS"))
        washington = GdeltEvent.objects.get(pk=1234567803)
        self.assertEqual(washington.action_country, country("US"))

    def test_unknown_country_codes_are_kept_raw_and_counted(self):
        out, _ = run(EVENTS)
        event = GdeltEvent.objects.get(pk=1234567804)
        self.assertEqual((event.actor1_country_code, event.actor1_country), ("EUR", None))
        self.assertEqual((event.action_geo_country_code, event.action_country), ("GZ", None))
        self.assertIn("unknown CAMEO country code EUR: 1 line", out)
        self.assertIn("unknown FIPS 10-4 country code GZ: 1 line", out)
        # No code is not an unknown code.
        self.assertEqual(GdeltEvent.objects.get(pk=1234567805).actor2_country_code, "")
        self.assertEqual(len(out), 3)

    def test_place_names_keep_their_letters(self):
        run(EVENTS)
        self.assertEqual(
            GdeltEvent.objects.get(pk=1234567805).action_geo_name, "Čačak, Moravički Okrug, Serbia"
        )
        self.assertEqual(
            GdeltEvent.objects.get(pk=1234567806).action_geo_name, "Zürich, Zürich, Switzerland"
        )

    def test_control_characters_in_names_and_places_become_spaces(self):
        columns = EVENTS.read_bytes().splitlines()[0].split(b"\t")
        columns[6], columns[52] = b"SERBIA\x0bARMY", b"Beograd,\x1f Serbia\x7f"
        path = self.folder / "odd.export.CSV"
        path.write_bytes(b"\t".join(columns) + b"\n")
        run(path)
        event = GdeltEvent.objects.get()
        self.assertEqual(event.actor1_name, "SERBIA ARMY")
        self.assertEqual(event.action_geo_name, "Beograd,  Serbia ")
        event.full_clean()

    def test_a_citation_for_a_source_is_kept_but_never_a_link(self):
        run(EVENTS)
        event = GdeltEvent.objects.get(pk=1234567806)
        self.assertEqual(event.source_url, "")
        self.assertEqual(event.source_citation, "BBC Monitoring Europe - Political")
        self.assertEqual(event.link, "")

    def test_a_source_that_is_no_web_address_never_becomes_a_url(self):
        line = EVENTS.read_bytes().splitlines()[0].replace(RTS.encode(), b"javascript:alert(1)")
        path = self.folder / "odd.export.CSV"
        path.write_bytes(line + b"\n")
        run(path)
        event = GdeltEvent.objects.get()
        self.assertEqual((event.source_url, event.source_citation), ("", "javascript:alert(1)"))

    def test_bad_lines_are_reported_with_their_number_and_what_is_wrong(self):
        _, err = run(EVENTS)
        self.assertEqual(
            err,
            [
                f"{EVENTS}:4: 60 columns, expected 61 in events files",
                f"{EVENTS}:7: SQLDATE: '20251308' is not a date (YYYYMMDD)",
                f"{EVENTS}:8: GLOBALEVENTID: '12345678x3' is not a whole number",
                f"{EVENTS}:11: GoldsteinScale: -42.0: Ensure this value is greater than or "
                "equal to -10.",
                f"{EVENTS}:12: invalid UTF-8: byte 0x9A at position 167",
            ],
        )
        self.assertFalse(GdeltEvent.objects.filter(pk__in=[1234567809, 1234567811, 1234567812]))

    def test_importing_a_file_again_changes_nothing(self):
        run(EVENTS, MENTIONS)
        before = snapshot()
        out, _ = run(EVENTS, MENTIONS)
        self.assertEqual(
            out[-2:],
            [
                "events: read 12, new 0, duplicate 7, rejected 5",
                "mentions: read 12, new 0, duplicate 7, rejected 5, unmatched 1",
            ],
        )
        self.assertEqual(snapshot(), before)

    def test_a_zipped_file_imports_like_the_plain_one(self):
        path = self.folder / "20250508120000.export.CSV.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(EVENTS, EVENTS.name)
        out, err = run(path)
        self.assertEqual(out[-1], "events: read 12, new 6, duplicate 1, rejected 5")
        self.assertEqual(err[0], f"{path}:4: 60 columns, expected 61 in events files")
        self.assertEqual(
            GdeltEvent.objects.get(pk=1234567805).action_geo_name, "Čačak, Moravički Okrug, Serbia"
        )

    def test_a_zip_holding_more_than_one_file_is_refused(self):
        path = self.folder / "two.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(EVENTS, EVENTS.name)
            archive.write(MENTIONS, MENTIONS.name)
        with self.assertRaisesMessage(CommandError, "a GDELT zip holds one file; this one holds 2"):
            run(path)

    def test_files_are_told_apart_by_their_columns_not_their_names(self):
        misnamed = self.folder / "20250508120000.mentions.CSV"
        shutil.copy(EVENTS, misnamed)
        out, _ = run(misnamed)
        self.assertEqual(out[-1], "events: read 12, new 6, duplicate 1, rejected 5")

    def test_a_file_that_is_not_gdelt_is_refused(self):
        path = self.folder / "notes.CSV"
        path.write_text("name,country\nSerbia,RS\n")
        with self.assertRaisesMessage(CommandError, "none of its first 1,000 lines has 61"):
            run(path)
        self.assertFalse(GdeltEvent.objects.exists())

    def test_without_a_single_good_line_the_command_fails(self):
        # Django exits with status 1 on a CommandError.
        lines = EVENTS.read_bytes().splitlines()
        path = self.folder / "bad.export.CSV"
        path.write_bytes(b"\n".join([lines[3], lines[6], lines[7]]) + b"\n")
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaisesMessage(CommandError, "No line could be imported."):
            call_command("import_gdelt", str(path), stdout=out, stderr=err)
        self.assertEqual(out.getvalue(), "events: read 3, new 0, duplicate 0, rejected 3\n")
        self.assertEqual(len(err.getvalue().splitlines()), 3)

    def test_imported_rows_pass_the_models_full_validation(self):
        run(EVENTS, LATER_EVENTS, MENTIONS)
        for event in GdeltEvent.objects.all():
            event.full_clean()
        for mention in GdeltMention.objects.filter(event__in=GdeltEvent.objects.all()):
            mention.full_clean()


class MentionsImportTests(TestCase):
    def test_the_summary_counts_every_line_and_the_unmatched_ones(self):
        out, err = run(EVENTS, MENTIONS)
        self.assertEqual(out[-1], "mentions: read 12, new 6, duplicate 1, rejected 5, unmatched 1")
        self.assertEqual(
            [line for line in err if line.startswith(str(MENTIONS))],
            [
                f"{MENTIONS}:3: 15 columns, expected 16 in mentions files",
                f"{MENTIONS}:4: GLOBALEVENTID: 'abc' is not a whole number",
                f"{MENTIONS}:8: EventTimeDate: '2025050709300' is not a date and time "
                "(YYYYMMDDHHMMSS)",
                f"{MENTIONS}:9: Confidence: 150: Ensure this value is less than or equal to 100.",
                f"{MENTIONS}:12: invalid UTF-8: byte 0xE9 at position 51",
            ],
        )

    def test_the_same_sentence_with_the_actors_swapped_is_one_mention(self):
        run(EVENTS, MENTIONS)
        sentences = GdeltMention.objects.filter(event_id=1234567801, identifier=RTS)
        self.assertEqual(sorted(sentences.values_list("sentence_id", flat=True)), [2, 5])
        first = sentences.get(sentence_id=2)
        self.assertEqual(
            (first.actor1_offset, first.actor2_offset, first.action_offset), (10, 48, 25)
        )

    def test_a_mention_keeps_the_columns_the_documentation_describes(self):
        run(EVENTS, MENTIONS)
        mention = GdeltMention.objects.get(event_id=1234567801, identifier=RTS, sentence_id=2)
        self.assertEqual(mention.event_time, datetime.datetime(2025, 5, 8, 12, 0, tzinfo=UTC))
        self.assertEqual(mention.mention_time, datetime.datetime(2025, 5, 8, 12, 15, tzinfo=UTC))
        self.assertEqual(mention.mention_type, GdeltMention.Type.WEB)
        self.assertEqual(mention.source_name, "rts.rs")
        self.assertTrue(mention.in_raw_text)
        self.assertEqual(
            (mention.confidence, mention.doc_length, mention.doc_tone), (100, 2400, 2.5)
        )
        self.assertEqual(mention.url, RTS)
        self.assertEqual(mention.language, "sr")
        citation = GdeltMention.objects.get(event_id=1234567802, mention_type=2)
        self.assertEqual(citation.identifier, "BBC Monitoring Europe, 8 May 2025: Serbian army")
        self.assertEqual(citation.url, "")
        english = GdeltMention.objects.get(event_id=1234567802, mention_type=1)
        self.assertEqual(english.language, "en")
        chinese = GdeltMention.objects.get(source_name="xinhuanet.com")
        self.assertEqual(chinese.language, "zh")

    def test_mentions_of_events_not_imported_yet_join_them_when_they_arrive(self):
        out, _ = run(EVENTS, MENTIONS)
        self.assertTrue(out[-1].endswith("unmatched 1"))
        waiting = GdeltMention.objects.get(event_id=1234567890)
        self.assertFalse(GdeltEvent.objects.filter(pk=1234567890).exists())
        out, _ = run(LATER_EVENTS)
        self.assertEqual(out, ["events: read 1, new 1, duplicate 0, rejected 0"])
        event = GdeltEvent.objects.get(pk=1234567890)
        self.assertEqual(list(event.mentions.all()), [waiting])

    def test_events_files_are_read_first_whatever_the_order_given(self):
        out, _ = run(MENTIONS, LATER_EVENTS, EVENTS)
        self.assertEqual(
            out[-2:],
            [
                "events: read 13, new 7, duplicate 1, rejected 5",
                "mentions: read 12, new 6, duplicate 1, rejected 5, unmatched 0",
            ],
        )

    def test_a_mentions_file_alone_keeps_every_mention(self):
        out, _ = run(MENTIONS)
        self.assertEqual(out, ["mentions: read 12, new 6, duplicate 1, rejected 5, unmatched 7"])
        self.assertEqual(GdeltMention.objects.count(), 6)


class ConstantMemoryTests(TemporaryFolder, TestCase):
    def peak_while_importing(self, lines, first_id):
        path = self.folder / f"{first_id}.export.CSV"
        with path.open("wb") as out:
            out.writelines(event_lines(lines, first_id=first_id))
        tracemalloc.start()
        try:
            out, _ = run(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertEqual(out, [f"events: read {lines}, new {lines}, duplicate 0, rejected 0"])
        return peak, os.path.getsize(path)

    def test_a_100k_line_file_imports_in_constant_memory(self):
        small, _ = self.peak_while_importing(10_000, first_id=1)
        peak, size = self.peak_while_importing(100_000, first_id=1_000_000)
        # Reading the file whole, or keeping its rows, would take more than the file's
        # size; streaming takes the same few megabytes for ten times the lines.
        self.assertGreater(size, 25_000_000)
        self.assertLess(peak, 20_000_000)
        self.assertLess(peak, small + 3_000_000)
        self.assertEqual(GdeltEvent.objects.count(), 110_000)
