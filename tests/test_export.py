"""
Downloads: /claims/export.csv|json and /articles/export.csv|json.

An export holds every row the filters select (not one page), in documented columns, and
never anything a reader could not see on the site: no draft claims, no evidence from
draft articles.
"""

import csv
import datetime
import io
import json
import sys
from io import StringIO
from unittest import mock, skipUnless

from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext, override_script_prefix
from django.urls import reverse

from articles import export
from articles.filters import SORTS
from articles.models import Claim, ClaimActor, Evidence

from .factories import (
    awkward_csv_claims,
    country,
    make_actor,
    make_article,
    make_claim,
    make_event,
    numbered_world,
    serbia_china_world,
    state,
)

POSTGRESQL = connection.vendor == "postgresql"


def content(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    """The rows of a CSV download as lists of cells, the header first, BOM removed."""
    return csv_text_rows(content(response))


def csv_text_rows(text):
    assert text.startswith("\ufeff"), "the CSV starts with a byte-order mark"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def csv_records(response):
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def json_records(response):
    return json.loads(content(response))


def model_record(claim, absolute):
    """A claim's record made from its model instances: what export.claim_record() gives."""
    return {
        "id": claim.pk,
        "url": absolute(claim.get_absolute_url()),
        "statement": claim.statement,
        "kind": claim.kind,
        "verification": claim.verification,
        "date": claim.occurred_on,
        "date_precision": claim.date_precision or None,
        "when": claim.when,
        "place": claim.place,
        "country": claim.country.code if claim.country else None,
        "countries": [
            involvement.country.code for involvement in claim.involvements.order_by("country__code")
        ],
        "event": claim.event
        and {
            "name": claim.event.name,
            "slug": claim.event.slug,
            "url": absolute(claim.event.get_absolute_url()),
        },
        "actors": [
            {
                "name": role.actor.name,
                "slug": role.actor.slug,
                "kind": role.actor.kind,
                "country": role.actor.country.code if role.actor.country else None,
                "role": role.role,
                "url": absolute(role.actor.get_absolute_url()),
            }
            for role in claim.roles.order_by("role", "actor__name")
        ],
        # As stored (derived.py), whatever the instance was loaded with.
        "independent_sources": Claim.objects.get(pk=claim.pk).independent_sources,
        # Each publisher once, at its first published quote; a syndicated copy's is its agency.
        "publishers": list(
            dict.fromkeys(
                (item.article.agency or item.article.source).name
                for item in claim.evidence.filter(article__status="published").order_by(
                    "article__published_at", "id"
                )
            )
        ),
        "evidence": [
            {
                "article_url": absolute(item.article.get_absolute_url() + f"#{item.anchor}"),
                "original_url": item.article.url or None,
                "title": item.article.title,
                "source": item.article.source.name,
                "agency": item.article.agency.name if item.article.agency else None,
                "published_at": item.article.published_at,
                "language": item.article.language,
                "stance": item.stance,
                "quote": item.quote,
            }
            for item in claim.evidence.filter(article__status="published").order_by(
                "article__published_at", "id"
            )
        ],
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "links": [
            {"type": phrase.lower().replace(" ", "_"), "claim": absolute(other.get_absolute_url())}
            for phrase, other, _ in claim.shown_links()
        ],
        "corrections": [
            {"date": correction.created_at, "note": correction.note}
            for correction in claim.corrections.all()
        ],
    }


class ExportFixture(TestCase):
    """serbia_china_world(): the exercise, claims around it, and drafts (tests/factories.py)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = serbia_china_world()

    def export(self, fmt="csv", params=None, name="claim_export"):
        return self.client.get(reverse(name, args=[fmt]), params or {})


class ClaimCsvTests(ExportFixture):
    def row(self, claim):
        """The claim's row of the claims CSV."""
        (row,) = [row for row in csv_records(self.export()) if row["id"] == str(claim.pk)]
        return row

    def test_the_csv_is_streamed_as_an_attachment(self):
        response = self.export()
        self.assertEqual(response.status_code, 200)
        self.assertIsInstance(response, StreamingHttpResponse)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="claims.csv"')

    def test_the_header_is_the_documented_columns(self):
        header = csv_rows(self.export())[0]
        self.assertEqual(header, export.CLAIM_COLUMNS)

    def test_every_published_claim_is_a_row_and_drafts_are_not(self):
        w = self.world
        records = csv_records(self.export())
        self.assertCountEqual(
            [row["id"] for row in records],
            [str(claim.pk) for claim in (w.exercise, w.drones, w.observer, w.formula)]
            + [str(w.niger_exit.pk)],
        )

    def test_a_claims_row_holds_its_documented_values(self):
        w = self.world
        row = self.row(w.exercise)
        self.assertEqual(row["statement"], w.exercise.statement)
        self.assertEqual(row["url"], "http://testserver" + w.exercise.get_absolute_url())
        self.assertEqual(row["kind"], "military")
        self.assertEqual(row["verification"], "corroborated")
        self.assertEqual(row["date"], "2025-05-01")
        self.assertEqual(row["date_precision"], "month")
        self.assertEqual(row["when"], "May 2025")
        self.assertEqual(row["place"], "Hebei province")
        self.assertEqual(row["country"], "CN")
        self.assertEqual(row["event"], "Peace Guardian 2025")
        self.assertEqual(
            row["event_url"], "http://testserver" + w.peace_guardian.get_absolute_url()
        )
        self.assertEqual(
            row["created_at"], w.exercise.created_at.isoformat(), "ISO 8601 timestamps"
        )

    def test_countries_are_iso_codes_one_per_line(self):
        self.assertEqual(self.row(self.world.exercise)["countries"].split("\n"), ["CN", "RS"])

    def test_actors_come_with_their_roles_one_per_line(self):
        # By role, then by name.
        self.assertEqual(
            self.row(self.world.exercise)["actors"].split("\n"),
            [
                "China (host)",
                "People's Liberation Army (participant)",
                "Serbia (participant)",
            ],
        )

    def test_evidence_columns_list_the_published_articles_in_step(self):
        w = self.world
        row = self.row(w.exercise)
        # In the order the articles were published: the earlier one first.
        self.assertEqual(
            row["evidence_article_urls"].split("\n"),
            [
                f"http://testserver{w.earlier.get_absolute_url()}#evidence-{w.earlier_evidence.pk}",
                f"http://testserver{w.article.get_absolute_url()}#evidence-{w.evidence.pk}",
            ],
        )
        # An article without a URL keeps its line, empty, so the columns stay aligned.
        self.assertEqual(
            row["evidence_original_urls"].split("\n"), ["", "https://example.org/serbian-forces"]
        )
        self.assertEqual(row["evidence_sources"].split("\n"), ["Example Gazette", "Demo Wire"])
        self.assertEqual(row["evidence_stances"].split("\n"), ["reports", "asserts"])
        # Whitespace inside a quote is folded, so a line break always separates items.
        self.assertEqual(
            row["evidence_quotes"].split("\n"),
            [
                "Serbian and Chinese troops held a joint drill near Beijing, the ministry’s "
                "statement said.",
                "Officials called it the 'first joint exercise' of the two armies.",
            ],
        )

    def test_evidence_from_a_draft_article_is_left_out(self):
        # The draft article's quote, its URL, and the stance of its evidence.
        text = content(self.export())
        self.assertIn("asserts", text)
        self.assertNotIn("Zanzibarite", text)
        self.assertNotIn("example.org/zanzibarite", text)
        self.assertNotIn("disputes", text)

    def test_a_value_starting_with_equals_gets_a_leading_apostrophe(self):
        formula = self.world.formula.statement
        self.assertTrue(formula.startswith("="))
        self.assertEqual(self.row(self.world.formula)["statement"], "'" + formula)

    def test_other_formula_starts_are_neutralised_too(self):
        claims = {
            start: make_claim([self.world.niger], statement=f"{start}1+1 is a formula")
            for start in ["+", "-", "@"]
        }
        records = csv_records(self.export())
        statements = {row["id"]: row["statement"] for row in records}
        for start, claim in claims.items():
            with self.subTest(start):
                self.assertEqual(statements[str(claim.pk)], f"'{start}1+1 is a formula")

    def test_ordinary_values_are_not_prefixed(self):
        row = self.row(self.world.niger_exit)
        self.assertEqual(row["statement"], "Niger left ECOWAS.")
        self.assertTrue(row["url"].startswith("http"))

    def test_an_undated_claim_has_empty_date_cells(self):
        row = self.row(self.world.formula)
        self.assertEqual([row["date"], row["date_precision"], row["when"]], ["", "", ""])
        self.assertEqual([row["event"], row["event_url"], row["country"]], ["", "", ""])


class ClaimRecordTests(ExportFixture):
    """Records are built from plain values, not model instances, to the same result."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        observers = make_actor(name="Election observers", slug="observers", kind="other")
        cls.observed = make_claim(
            [(w.niger, "observer"), (observers, "observer"), (w.serbia, "critic")],
            article=w.article,
            quote="Drones were at the centre of the training.",
            statement="Observers  watched the vote\nin Niger.",
            occurred_on=datetime.date(2024, 6, 30),
            date_precision="year",
            place="Niamey",
        )
        Evidence.objects.create(
            claim=cls.observed,
            article=make_article(published_at=w.article.published_at, language="fr"),
            quote="Officials described\tthe vote.",
            stance="denies",
        )

    def records(self, claims, absolute):
        rows = export.ClaimRows([claim.pk for claim in claims])
        return list(export.records(rows, export.claim_record, absolute))

    def test_records_are_what_the_models_give(self):
        absolute = RequestFactory().get("/").build_absolute_uri
        claims = Claim.objects.published().order_by("pk")
        records = self.records(claims, absolute)
        self.assertEqual(len(records), 6, "the world's five published claims and this one")
        for claim, record in zip(claims, records, strict=True):
            with self.subTest(claim=claim.pk):
                expected = model_record(claim, absolute)
                self.assertEqual(record, expected)
                self.assertEqual(export.to_json(record), export.to_json(expected))
                self.assertEqual(export.claim_csv_row(record), export.claim_csv_row(expected))

    def test_links_keep_the_script_prefix(self):
        absolute = RequestFactory().get("/").build_absolute_uri
        exercise = self.world.exercise
        with override_script_prefix("/news/"):
            (record,) = self.records(Claim.objects.filter(pk=exercise.pk), absolute)
            self.assertEqual(record, model_record(exercise, absolute))
        self.assertTrue(record["url"].startswith("http://testserver/news/claims/"))


class ClaimJsonTests(ExportFixture):
    def test_the_json_is_streamed_as_an_attachment(self):
        response = self.export("json")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="claims.json"')

    def test_the_json_is_a_list_of_published_claims(self):
        w = self.world
        records = json_records(self.export("json"))
        self.assertCountEqual(
            [record["statement"] for record in records],
            [claim.statement for claim in (w.exercise, w.drones, w.observer, w.formula)]
            + [w.niger_exit.statement],
        )

    def test_an_empty_selection_is_an_empty_list(self):
        self.assertEqual(json_records(self.export("json", {"kind": "conflict"})), [])

    def record(self, claim):
        """The claim's record in the claims JSON."""
        records = json_records(self.export("json"))
        (record,) = [record for record in records if record["id"] == claim.pk]
        return record

    def test_a_record_holds_the_documented_fields(self):
        record = self.record(self.world.exercise)
        self.assertEqual(
            set(record),
            {
                "id",
                "url",
                "statement",
                "kind",
                "verification",
                "date",
                "date_precision",
                "when",
                "place",
                "country",
                "countries",
                "event",
                "actors",
                "independent_sources",
                "publishers",
                "evidence",
                "created_at",
                "updated_at",
                "links",
                "corrections",
            },
        )
        self.assertEqual(record["countries"], ["CN", "RS"])
        self.assertEqual(record["country"], "CN")
        self.assertEqual(record["date"], "2025-05-01")
        self.assertEqual(
            record["event"],
            {
                "name": "Peace Guardian 2025",
                "slug": "peace-guardian-2025",
                "url": "http://testserver" + self.world.peace_guardian.get_absolute_url(),
            },
        )
        self.assertEqual(
            [(actor["name"], actor["role"], actor["country"]) for actor in record["actors"]],
            [
                ("China", "host", "CN"),
                ("People's Liberation Army", "participant", "CN"),
                ("Serbia", "participant", "RS"),
            ],
        )

    def test_evidence_has_url_source_stance_and_quote_and_no_drafts(self):
        record = self.record(self.world.exercise)
        self.assertEqual(
            [
                (item["original_url"], item["source"], item["stance"], item["quote"])
                for item in record["evidence"]
            ],
            [
                (
                    None,
                    "Example Gazette",
                    "reports",
                    "Serbian and Chinese troops held a joint   drill\n"
                    "near Beijing, the ministry’s statement said.",
                ),
                (
                    "https://example.org/serbian-forces",
                    "Demo Wire",
                    "asserts",
                    "Officials called it the 'first joint exercise' of the two armies.",
                ),
            ],
        )
        for item in record["evidence"]:
            self.assertTrue(item["article_url"].startswith("http://testserver/articles/"))

    def test_the_json_export_and_the_csv_export_agree(self):
        # Most recent first: drones and observer on the same day, the later made first.
        w = self.world
        order = [w.observer, w.drones, w.exercise, w.niger_exit, w.formula]
        records = json_records(self.export("json"))
        rows = csv_records(self.export("csv"))
        self.assertEqual([r["id"] for r in records], [claim.pk for claim in order])
        self.assertEqual([row["id"] for row in rows], [str(claim.pk) for claim in order])
        self.assertEqual([r["url"] for r in records], [row["url"] for row in rows])

    def test_unicode_is_written_as_is(self):
        self.assertIn("the ministry’s statement", content(self.export("json")))


class ExportFilterTests(ExportFixture):
    def ids(self, fmt="json", **params):
        response = self.export(fmt, params)
        self.assertEqual(response.status_code, 200)
        if fmt == "json":
            return [record["id"] for record in json_records(response)]
        return [int(row["id"]) for row in csv_records(response)]

    def test_filters_select_the_same_claims_in_both_formats(self):
        w = self.world
        cases = [
            ({"country": "rs"}, {w.exercise, w.drones, w.formula}),
            ({"country": ["rs", "cn"]}, {w.exercise}),
            ({"country": "NE"}, {w.niger_exit}),
            ({"kind": "diplomatic"}, {w.niger_exit}),
            ({"verification": "corroborated"}, {w.exercise}),
            ({"event": "peace-guardian-2025"}, {w.exercise, w.observer}),
            ({"actor": "peoples-liberation-army"}, {w.exercise}),
            ({"source": "example-gazette"}, {w.exercise, w.formula}),
            ({"from": "2025"}, {w.exercise, w.drones, w.observer}),
            ({"to": "2024-12"}, {w.niger_exit}),
            ({"q": "ECOWAS"}, {w.niger_exit}),
        ]
        for params, expected in cases:
            for fmt in ["json", "csv"]:
                with self.subTest(params=params, fmt=fmt):
                    self.assertEqual(set(self.ids(fmt, **params)), {claim.pk for claim in expected})

    def test_a_source_with_only_draft_articles_cannot_be_named(self):
        response = self.export("json", {"source": self.world.hidden_source.slug})
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json()["errors"])

    def test_the_export_keeps_the_lists_order(self):
        w = self.world
        self.assertEqual(
            self.ids(),
            [claim.pk for claim in (w.observer, w.drones, w.exercise, w.niger_exit, w.formula)],
            "most recent",
        )
        self.assertEqual(
            self.ids(sort="added"),
            [claim.pk for claim in (w.niger_exit, w.formula, w.observer, w.drones, w.exercise)],
        )

    def test_an_unknown_format_is_a_json_400(self):
        response = self.export("xml")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("use csv or json", response.json()["error"])

    def test_the_export_urls_are_the_documented_ones(self):
        self.assertEqual(reverse("claim_export", args=["csv"]), "/claims/export.csv")
        self.assertEqual(reverse("article_export", args=["json"]), "/articles/export.json")

    def test_invalid_filters_are_a_json_400_naming_each_problem(self):
        for fmt in ["csv", "json"]:
            with self.subTest(fmt):
                response = self.export(
                    fmt, {"country": "zz", "kind": "nonsense", "from": "2025-13"}
                )
                self.assertEqual(response.status_code, 400)
                body = response.json()
                self.assertIn("error", body)
                self.assertEqual(set(body["errors"]), {"country", "kind", "from"})
                self.assertTrue(all(body["errors"][key] for key in body["errors"]))

    def test_a_search_over_200_characters_is_a_json_400(self):
        response = self.export("csv", {"q": "x" * 201})
        self.assertEqual(response.status_code, 400)
        self.assertIn("200 characters", response.json()["errors"]["q"][0])

    def test_malformed_searches_export_without_failing(self):
        for text in ['"unclosed', "-", "or or", "!!!", "& | ! :*", "'); drop table"]:
            with self.subTest(text):
                response = self.export("csv", {"q": text})
                self.assertEqual(response.status_code, 200)
                csv_rows(response)


class ExportAllRowsTests(TestCase):
    """The export is every selected claim, not the 20 of a page."""

    @classmethod
    def setUpTestData(cls):
        cls.world = numbered_world(45, serbian=30)

    def test_the_list_shows_a_page_but_the_export_has_all_45_claims(self):
        page = self.client.get(reverse("claim_list"))
        self.assertEqual(len(page.context["claims"]), 20)
        self.assertEqual(page.context["page_obj"].paginator.count, 45)
        for fmt, parse in [("csv", csv_records), ("json", json_records)]:
            with self.subTest(fmt):
                records = parse(self.client.get(reverse("claim_export", args=[fmt])))
                self.assertEqual(
                    sorted(str(record["id"]) for record in records),
                    sorted(str(claim.pk) for claim in self.world.claims),
                )

    def test_a_page_parameter_does_not_cut_the_export(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"]), {"page": 2}))
        self.assertEqual(len(records), 45)

    def test_a_filtered_export_has_exactly_the_filtered_claims(self):
        records = json_records(
            self.client.get(reverse("claim_export", args=["json"]), {"country": "ne"})
        )
        self.assertEqual(
            {record["id"] for record in records}, {claim.pk for claim in self.world.claims[30:]}
        )
        self.assertTrue(all(record["countries"] == ["NE"] for record in records))


class ExportQueryCountTests(TestCase):
    """Rows are read in chunks with their related rows prefetched: no query per row."""

    @classmethod
    def setUpTestData(cls):
        cls.serbia, cls.china = state("RS"), state("CN")
        cls.event = make_event()
        for _ in range(5):
            cls.add_claim()

    @classmethod
    def add_claim(cls):
        claim = make_claim(
            [(cls.serbia, "host"), (cls.china, "participant")],
            event=cls.event,
            country=country("RS"),
        )
        Evidence.objects.create(claim=claim, article=make_article(), quote="Officials described")
        Evidence.objects.create(
            claim=claim, article=make_article(status="draft"), quote="Officials described"
        )

    def export_queries(self, fmt, **params):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("claim_export", args=[fmt]), params)
            rows = content(response)
        return len(queries), rows

    def test_exporting_5_or_50_claims_takes_the_same_queries(self):
        self.assertLessEqual(50, export.CHUNK_SIZE, "both exports fit one chunk")
        # The change log number (the read index knows which claims match, in order), then
        # the claims, their roles, their published evidence, their countries, their links
        # and their corrections; or on PostgreSQL, the CSV's one COPY.
        expected = {"csv": 2 if POSTGRESQL else 7, "json": 7}
        for fmt in ["csv", "json"]:
            small, _ = self.export_queries(fmt)
            self.assertEqual(small, expected[fmt], fmt)
        for _ in range(45):
            self.add_claim()
        self.client.get(reverse("claim_list"))  # the read index catches up
        for fmt in ["csv", "json"]:
            with self.subTest(fmt), self.assertNumQueries(expected[fmt]):
                records = content(self.client.get(reverse("claim_export", args=[fmt])))
            rows = json.loads(records) if fmt == "json" else csv_text_rows(records)[1:]
            self.assertEqual(len(rows), 50)

    def test_each_chunk_of_claims_takes_six_queries(self):
        for _ in range(45):
            self.add_claim()
        self.client.get(reverse("claim_list"))  # the read index catches up
        with mock.patch.object(export, "CHUNK_SIZE", 10):
            for fmt in ["csv", "json"]:
                # The change log number, then for each chunk of 10: the claims, their
                # roles, evidence, countries, links and corrections. The COPY has no
                # chunks this small.
                queries = 2 if fmt == "csv" and POSTGRESQL else 1 + 5 * 6
                with self.subTest(fmt), self.assertNumQueries(queries):
                    content(self.client.get(reverse("claim_export", args=[fmt])))

    def test_the_export_is_the_same_whatever_the_chunk_size(self):
        for fmt, parse in [("csv", lambda text: csv_text_rows(text)[1:]), ("json", json.loads)]:
            with self.subTest(fmt):
                whole = content(self.client.get(reverse("claim_export", args=[fmt])))
                self.assertEqual(len(parse(whole)), 5)
                with mock.patch.object(export, "CHUNK_SIZE", 2):
                    chunked = content(self.client.get(reverse("claim_export", args=[fmt])))
                self.assertEqual(chunked, whole)

    def test_filters_add_a_fixed_number_of_queries(self):
        filters = {"country": "rs", "actor": self.serbia.slug, "q": "Officials"}
        small = {fmt: self.export_queries(fmt, **filters)[0] for fmt in ["csv", "json"]}
        for _ in range(45):
            self.add_claim()
        self.client.get(reverse("claim_list"))  # the read index catches up
        # The CSV's rows follow its header.
        for fmt, parse in [("csv", lambda text: csv_text_rows(text)[1:]), ("json", json.loads)]:
            with self.subTest(fmt):
                large, rows = self.export_queries(fmt, **filters)
                self.assertEqual(large, small[fmt])
                self.assertEqual(len(parse(rows)), 50)

    def test_articles_export_queries_do_not_grow_with_rows(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                content(self.client.get(reverse("article_export", args=["csv"])))
            return len(queries)

        small = count()
        for _ in range(10):
            self.add_claim()
        self.assertEqual(count(), small)


class ArticleExportTests(ExportFixture):
    def test_the_articles_csv_has_the_documented_columns(self):
        response = self.export(name="article_export")
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="articles.csv"')
        header = csv_rows(response)[0]
        self.assertEqual(header, export.ARTICLE_COLUMNS)

    def test_every_published_article_and_no_draft(self):
        w = self.world
        records = csv_records(self.export(name="article_export"))
        # The exercise's two, and those of drones, observer and niger_exit.
        self.assertCountEqual(
            [row["id"] for row in records],
            [str(article.pk) for article in (w.article, w.earlier)]
            + [str(claim.evidence.get().article_id) for claim in (w.drones, w.observer)]
            + [str(w.niger_exit.evidence.get().article_id)],
        )
        self.assertNotIn("Zanzibarite", content(self.export(name="article_export")))

    def test_an_articles_row_lists_its_published_claims(self):
        w = self.world
        records = csv_records(self.export(name="article_export"))
        (row,) = [row for row in records if row["id"] == str(w.article.pk)]
        self.assertEqual(row["title"], "Serbian forces train in China")
        self.assertEqual(row["url"], "http://testserver" + w.article.get_absolute_url())
        self.assertEqual(row["original_url"], "https://example.org/serbian-forces")
        self.assertEqual(row["source"], "Demo Wire")
        self.assertEqual(row["source_url"], "http://testserver" + w.wire.get_absolute_url())
        self.assertEqual(row["published_at"], w.article.published_at.isoformat())
        # The draft claim also cites this article: it is not listed.
        self.assertEqual(
            row["claim_urls"].split("\n"), ["http://testserver" + w.exercise.get_absolute_url()]
        )

    def test_the_articles_json_matches_the_csv(self):
        w = self.world
        records = json_records(self.export("json", name="article_export"))
        rows = csv_records(self.export("csv", name="article_export"))
        self.assertEqual(len(records), 5)
        self.assertEqual([str(record["id"]) for record in records], [row["id"] for row in rows])
        (record,) = [record for record in records if record["id"] == w.earlier.pk]
        self.assertIsNone(record["original_url"])
        self.assertCountEqual(
            record["claim_urls"],
            [
                "http://testserver" + w.exercise.get_absolute_url(),
                "http://testserver" + w.formula.get_absolute_url(),
            ],
        )

    def test_article_filters_select_the_rows(self):
        w = self.world
        drones_article = w.drones.evidence.get().article_id
        cases = [
            ({"source": "example-gazette"}, {w.earlier.pk}),
            ({"country": "rs"}, {w.article.pk, w.earlier.pk, drones_article}),
            ({"country": "NE"}, {w.niger_exit.evidence.get().article_id}),
            ({"from": "2025-05-18", "to": "2025-05-18"}, {w.earlier.pk}),
        ]
        for params, expected in cases:
            with self.subTest(params):
                response = self.export("json", params, name="article_export")
                self.assertEqual({record["id"] for record in json_records(response)}, expected)

    def test_unknown_format_and_invalid_filters_are_json_400s(self):
        response = self.export("xlsx", name="article_export")
        self.assertEqual(response.status_code, 400)
        self.assertIn("error", response.json())
        response = self.export("csv", {"source": "nope", "from": "May"}, name="article_export")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"source", "from"})

    def test_a_source_with_only_drafts_cannot_be_named(self):
        response = self.export(
            "json", {"source": self.world.hidden_source.slug}, name="article_export"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json()["errors"])


class ClaimActorOrderTests(ExportFixture):
    def test_an_actor_with_two_roles_is_listed_once_per_role(self):
        w = self.world
        ClaimActor.objects.create(claim=w.niger_exit, actor=w.niger, role="target")
        records = json_records(self.export("json"))
        (record,) = [record for record in records if record["id"] == w.niger_exit.pk]
        self.assertEqual(
            [(actor["name"], actor["role"]) for actor in record["actors"]],
            [("Niger", "participant"), ("Niger", "target")],
        )


class DemoDataExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_no_export_ever_contains_the_draft(self):
        for name in ["claim_export", "article_export"]:
            for fmt in ["csv", "json"]:
                with self.subTest(name=name, fmt=fmt):
                    response = self.client.get(reverse(name, args=[fmt]))
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("zanzibarite", content(response).lower())

    def test_filtered_exports_do_not_contain_the_draft_either(self):
        for params in [
            {"event": "peace-guardian-2025"},
            {"country": ["rs", "cn"]},
            {"q": "drones"},
        ]:
            with self.subTest(params):
                response = self.client.get(reverse("claim_export", args=["json"]), params)
                self.assertNotIn("zanzibarite", content(response).lower())

    def test_the_demo_export_has_every_published_claim(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        self.assertEqual(len(records), 23)


@skipUnless(POSTGRESQL, "PostgreSQL writes the claims CSV with COPY")
class CopyCsvTests(ExportFixture):
    """The CSV PostgreSQL writes is, byte for byte, the one csv.writer writes elsewhere."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        awkward_csv_claims(cls.world)

    def csv_bytes(self, params=None):
        # A path: under override_script_prefix(), reverse() adds a prefix urls.py doesn't serve.
        response = self.client.get("/claims/export.csv", params)
        return b"".join(response.streaming_content)

    def test_the_copy_is_what_csv_writer_writes(self):
        selections = [
            {},
            *({"sort": sort} for sort in SORTS),
            {"q": "statement"},
            {"country": "rs"},
            {"q": "nothing matches this"},
        ]
        for params in selections:
            with self.subTest(**params):
                with CaptureQueriesContext(connection) as queries:
                    copied = self.csv_bytes(params)
                copies = [query for query in queries if query["sql"].startswith("COPY")]
                # One COPY for each COPY_CHUNK claims: none when none match.
                self.assertEqual(len(copies), 0 if params.get("q") == "nothing matches this" else 1)
                with mock.patch.object(export, "copy_claim_rows", return_value=None):
                    written = self.csv_bytes(params)
                self.assertEqual(copied, written)
        # Pieces of one row each (a row is one message of the COPY).
        whole = self.csv_bytes()
        # The header, the world's five published claims and the six awkward ones.
        self.assertEqual(len(csv_text_rows(whole.decode())), 1 + 5 + 6)
        # Links both ways and corrections are among what both write.
        for text in [b"contradicted_by http", b"supports http", b'""Earlier"", it said.']:
            self.assertIn(text, whole)
        with mock.patch.object(export, "COPY_PIECE_SIZE", 1):
            self.assertEqual(self.csv_bytes(), whole)

    def test_links_keep_the_script_prefix(self):
        with override_script_prefix("/news/"):
            copied = self.csv_bytes()
            with mock.patch.object(export, "copy_claim_rows", return_value=None):
                self.assertEqual(self.csv_bytes(), copied)
        self.assertIn(b"http://testserver/news/claims/", copied)

    def test_the_whitespace_folded_is_what_str_split_splits_on(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n FROM generate_series(1, %s) AS n "
                "WHERE n NOT BETWEEN 55296 AND 57343 AND chr(n) ~ %s ORDER BY n",
                [sys.maxunicode, export.FOLD],
            )
            folded = "".join(chr(n) for (n,) in cursor.fetchall())
        self.assertEqual(
            folded, "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
        )

    def test_rows_end_with_crlf_and_line_breaks_in_cells_are_kept(self):
        pieces = [b'1,"a\nb",', b'"c""\nd"\n2,', b'""""\n']
        quoted, crlf = False, []
        for piece in pieces:
            piece, quoted = export.with_crlf(piece, quoted)
            crlf.append(piece)
        self.assertEqual(b"".join(crlf), b'1,"a\nb","c""\nd"\r\n2,""""\r\n')
        self.assertFalse(quoted)
