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
from django.utils import timezone

from articles import export
from articles.filters import SORTS
from articles.models import Claim, ClaimActor, Evidence

from .factories import (
    country,
    make_actor,
    make_article,
    make_claim,
    make_event,
    make_source,
    state,
)

POSTGRESQL = connection.vendor == "postgresql"

EXERCISE = "Serbia hosted China for a joint exercise near Niš."
FORMULA = '=HYPERLINK("http://evil.example","click")'
NIGER = "Niger left ECOWAS."
DRAFT = "Zanzibarite draft claim about Serbia."

BODY_ONE = "Serbia hosted China.\nThe joint exercise took place near Niš.\nMore later."
BODY_TWO = "Chinese troops arrived.\nThey trained with Serbian units for a week."
DRAFT_BODY = "Zanzibarite observers watched the exercise."


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
        "evidence": [
            {
                "article_url": absolute(item.article.get_absolute_url() + f"#{item.anchor}"),
                "original_url": item.article.url or None,
                "title": item.article.title,
                "source": item.article.source.name,
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
    }


class ExportFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.serbia, cls.china, cls.niger = state("RS"), state("CN"), state("NE")
        cls.ministry = make_actor(
            name="Ministry of Defence", slug="mod", kind="government", country=country("RS")
        )
        cls.wire = make_source(name="Demo Wire", slug="wire")
        cls.gazette = make_source(name="Example Gazette", slug="gazette")
        cls.one = make_article(
            title="Serbia hosts China",
            source=cls.wire,
            body=BODY_ONE,
            url="https://example.org/one",
            published_at=timezone.make_aware(datetime.datetime(2025, 5, 1, 9, 0)),
        )
        cls.two = make_article(
            title="Chinese troops in Serbia",
            source=cls.gazette,
            body=BODY_TWO,
            url="",
            published_at=timezone.make_aware(datetime.datetime(2025, 5, 2, 9, 0)),
        )
        cls.draft_article = make_article(
            title="Zanzibarite draft article",
            body=DRAFT_BODY,
            url="https://example.org/zanzibarite",
            status="draft",
        )
        cls.event = make_event(name="Peace Guardian", slug="peace-guardian")
        cls.exercise = make_claim(
            [(cls.serbia, "host"), (cls.china, "participant"), (cls.ministry, "speaker")],
            article=cls.one,
            quote="The joint   exercise\ntook place near Niš.",
            stance="asserts",
            statement=EXERCISE,
            kind="military",
            verification="corroborated",
            country=country("RS"),
            event=cls.event,
            place="Niš",
            occurred_on=datetime.date(2025, 5, 1),
            date_precision="month",
        )
        Evidence.objects.create(
            claim=cls.exercise,
            article=cls.two,
            quote="They trained with Serbian units for a week.",
            stance="reports",
        )
        Evidence.objects.create(
            claim=cls.exercise,
            article=cls.draft_article,
            quote="Zanzibarite observers watched the exercise.",
            stance="disputes",
        )
        cls.formula = make_claim(
            [cls.serbia],
            article=cls.two,
            quote="Chinese troops arrived.",
            statement=FORMULA,
            kind="other",
            occurred_on=None,
            date_precision="",
        )
        cls.niger_claim = make_claim(
            [(cls.niger, "participant")],
            statement=NIGER,
            kind="diplomatic",
            occurred_on=datetime.date(2024, 1, 28),
            date_precision="day",
        )
        cls.draft = make_claim(
            [cls.serbia, cls.china], article=cls.one, statement=DRAFT, status="draft"
        )


class ClaimCsvTests(ExportFixture):
    def test_the_csv_is_streamed_as_an_attachment(self):
        response = self.client.get(reverse("claim_export", args=["csv"]))
        self.assertEqual(response.status_code, 200)
        self.assertIsInstance(response, StreamingHttpResponse)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="claims.csv"')

    def test_the_header_is_the_documented_columns(self):
        header = csv_rows(self.client.get(reverse("claim_export", args=["csv"])))[0]
        self.assertEqual(header, export.CLAIM_COLUMNS)

    def test_every_published_claim_is_a_row_and_drafts_are_not(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        self.assertCountEqual(
            [row["statement"] for row in records], [EXERCISE, "'" + FORMULA, NIGER]
        )
        self.assertEqual(len({row["id"] for row in records}), 3)

    def test_a_claims_row_holds_its_documented_values(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["statement"] == EXERCISE)
        self.assertEqual(row["id"], str(self.exercise.pk))
        self.assertEqual(row["url"], "http://testserver" + self.exercise.get_absolute_url())
        self.assertEqual(row["kind"], "military")
        self.assertEqual(row["verification"], "corroborated")
        self.assertEqual(row["date"], "2025-05-01")
        self.assertEqual(row["date_precision"], "month")
        self.assertEqual(row["when"], "May 2025")
        self.assertEqual(row["place"], "Niš")
        self.assertEqual(row["country"], "RS")
        self.assertEqual(row["event"], "Peace Guardian")
        self.assertEqual(row["event_url"], "http://testserver" + self.event.get_absolute_url())
        self.assertEqual(
            row["created_at"], self.exercise.created_at.isoformat(), "ISO 8601 timestamps"
        )

    def test_countries_are_iso_codes_one_per_line(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["statement"] == EXERCISE)
        self.assertEqual(row["countries"].split("\n"), ["CN", "RS"])

    def test_actors_come_with_their_roles_one_per_line(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["statement"] == EXERCISE)
        self.assertEqual(
            row["actors"].split("\n"),
            ["Serbia (host)", "China (participant)", "Ministry of Defence (speaker)"],
        )

    def test_evidence_columns_list_the_published_articles_in_step(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["statement"] == EXERCISE)
        first, second = self.exercise.evidence.filter(article__status="published").order_by(
            "article__published_at"
        )
        self.assertEqual(
            row["evidence_article_urls"].split("\n"),
            [
                f"http://testserver{self.one.get_absolute_url()}#evidence-{first.pk}",
                f"http://testserver{self.two.get_absolute_url()}#evidence-{second.pk}",
            ],
        )
        # An article without a URL keeps its line, empty, so the columns stay aligned.
        self.assertEqual(row["evidence_original_urls"].split("\n"), ["https://example.org/one", ""])
        self.assertEqual(row["evidence_sources"].split("\n"), ["Demo Wire", "Example Gazette"])
        self.assertEqual(row["evidence_stances"].split("\n"), ["asserts", "reports"])
        # Whitespace inside a quote is folded, so a line break always separates items.
        self.assertEqual(
            row["evidence_quotes"].split("\n"),
            [
                "The joint exercise took place near Niš.",
                "They trained with Serbian units for a week.",
            ],
        )

    def test_evidence_from_a_draft_article_is_left_out(self):
        text = content(self.client.get(reverse("claim_export", args=["csv"])))
        self.assertNotIn("Zanzibarite", text)
        self.assertNotIn("example.org/zanzibarite", text)
        self.assertNotIn("disputes", text)

    def test_a_value_starting_with_equals_gets_a_leading_apostrophe(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        self.assertIn("'" + FORMULA, [row["statement"] for row in records])
        self.assertNotIn(FORMULA, [row["statement"] for row in records])

    def test_other_formula_starts_are_neutralised_too(self):
        claims = {
            start: make_claim([self.niger], statement=f"{start}1+1 is a formula")
            for start in ["+", "-", "@"]
        }
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        statements = {row["id"]: row["statement"] for row in records}
        for start, claim in claims.items():
            with self.subTest(start):
                self.assertEqual(statements[str(claim.pk)], f"'{start}1+1 is a formula")

    def test_ordinary_values_are_not_prefixed(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["id"] == str(self.niger_claim.pk))
        self.assertEqual(row["statement"], NIGER)
        self.assertTrue(row["url"].startswith("http"))

    def test_an_undated_claim_has_empty_date_cells(self):
        records = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        row = next(row for row in records if row["id"] == str(self.formula.pk))
        self.assertEqual([row["date"], row["date_precision"], row["when"]], ["", "", ""])
        self.assertEqual([row["event"], row["event_url"], row["country"]], ["", "", ""])


class ClaimRecordTests(ExportFixture):
    """Records are built from plain values, not model instances, to the same result."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        observers = make_actor(name="Election observers", slug="observers", kind="other")
        cls.observed = make_claim(
            [(cls.niger, "observer"), (observers, "observer"), (cls.serbia, "critic")],
            article=cls.one,
            quote="Serbia hosted China.",
            statement="Observers  watched the vote\nin Niger.",
            occurred_on=datetime.date(2024, 6, 30),
            date_precision="year",
            place="Niamey",
        )
        Evidence.objects.create(
            claim=cls.observed,
            article=make_article(published_at=cls.one.published_at, language="fr"),
            quote="Officials described\tthe vote.",
            stance="denies",
        )

    def records(self, claims, absolute):
        return list(export.records(export.claims_for_export(claims), export.claim_record, absolute))

    def test_records_are_what_the_models_give(self):
        absolute = RequestFactory().get("/").build_absolute_uri
        claims = Claim.objects.published().order_by("pk")
        records = self.records(claims, absolute)
        self.assertEqual(len(records), 4)
        for claim, record in zip(claims, records, strict=True):
            with self.subTest(claim=claim.pk):
                expected = model_record(claim, absolute)
                self.assertEqual(record, expected)
                self.assertEqual(export.to_json(record), export.to_json(expected))
                self.assertEqual(export.claim_csv_row(record), export.claim_csv_row(expected))

    def test_links_keep_the_script_prefix(self):
        absolute = RequestFactory().get("/").build_absolute_uri
        with override_script_prefix("/news/"):
            (record,) = self.records(Claim.objects.filter(pk=self.exercise.pk), absolute)
            self.assertEqual(record, model_record(self.exercise, absolute))
        self.assertTrue(record["url"].startswith("http://testserver/news/claims/"))


class ClaimJsonTests(ExportFixture):
    def test_the_json_is_streamed_as_an_attachment(self):
        response = self.client.get(reverse("claim_export", args=["json"]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="claims.json"')

    def test_the_json_is_a_list_of_published_claims(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        self.assertCountEqual(
            [record["statement"] for record in records], [EXERCISE, FORMULA, NIGER]
        )

    def test_an_empty_selection_is_an_empty_list(self):
        response = self.client.get(reverse("claim_export", args=["json"]), {"kind": "arms"})
        self.assertEqual(json_records(response), [])

    def test_a_record_holds_the_documented_fields(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        record = next(record for record in records if record["id"] == self.exercise.pk)
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
                "evidence",
                "created_at",
                "updated_at",
            },
        )
        self.assertEqual(record["countries"], ["CN", "RS"])
        self.assertEqual(record["country"], "RS")
        self.assertEqual(record["date"], "2025-05-01")
        self.assertEqual(
            record["event"],
            {
                "name": "Peace Guardian",
                "slug": "peace-guardian",
                "url": "http://testserver" + self.event.get_absolute_url(),
            },
        )
        self.assertEqual(
            [(actor["name"], actor["role"], actor["country"]) for actor in record["actors"]],
            [
                ("Serbia", "host", "RS"),
                ("China", "participant", "CN"),
                ("Ministry of Defence", "speaker", "RS"),
            ],
        )

    def test_evidence_has_url_source_stance_and_quote_and_no_drafts(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        record = next(record for record in records if record["id"] == self.exercise.pk)
        self.assertEqual(
            [
                (item["original_url"], item["source"], item["stance"], item["quote"])
                for item in record["evidence"]
            ],
            [
                (
                    "https://example.org/one",
                    "Demo Wire",
                    "asserts",
                    "The joint   exercise\ntook place near Niš.",
                ),
                (None, "Example Gazette", "reports", "They trained with Serbian units for a week."),
            ],
        )
        for item in record["evidence"]:
            self.assertTrue(item["article_url"].startswith("http://testserver/articles/"))

    def test_the_json_export_and_the_csv_export_agree(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        rows = csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        self.assertEqual([str(r["id"]) for r in records], [row["id"] for row in rows])
        self.assertEqual([r["url"] for r in records], [row["url"] for row in rows])

    def test_unicode_is_written_as_is(self):
        text = content(self.client.get(reverse("claim_export", args=["json"])))
        self.assertIn("Niš", text)


class ExportFilterTests(ExportFixture):
    def ids(self, fmt="json", **params):
        response = self.client.get(reverse("claim_export", args=[fmt]), params)
        self.assertEqual(response.status_code, 200)
        if fmt == "json":
            return [record["id"] for record in json_records(response)]
        return [int(row["id"]) for row in csv_records(response)]

    def test_filters_select_the_same_claims_in_both_formats(self):
        cases = [
            ({"country": "rs"}, {self.exercise.pk, self.formula.pk}),
            ({"country": ["rs", "cn"]}, {self.exercise.pk}),
            ({"country": "NE"}, {self.niger_claim.pk}),
            ({"kind": "diplomatic"}, {self.niger_claim.pk}),
            ({"verification": "corroborated"}, {self.exercise.pk}),
            ({"event": "peace-guardian"}, {self.exercise.pk}),
            ({"actor": "mod"}, {self.exercise.pk}),
            ({"source": "gazette"}, {self.exercise.pk, self.formula.pk}),
            ({"from": "2025"}, {self.exercise.pk}),
            ({"to": "2024-12"}, {self.niger_claim.pk}),
            ({"q": "ECOWAS"}, {self.niger_claim.pk}),
        ]
        for params, expected in cases:
            for fmt in ["json", "csv"]:
                with self.subTest(params=params, fmt=fmt):
                    self.assertEqual(set(self.ids(fmt, **params)), expected)

    def test_a_source_with_only_draft_articles_cannot_be_named(self):
        response = self.client.get(
            reverse("claim_export", args=["json"]), {"source": self.draft_article.source.slug}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json()["errors"])

    def test_the_export_keeps_the_lists_order(self):
        self.assertEqual(
            self.ids(), [self.exercise.pk, self.niger_claim.pk, self.formula.pk], "most recent"
        )
        self.assertEqual(
            self.ids(sort="added"), [self.niger_claim.pk, self.formula.pk, self.exercise.pk]
        )

    def test_an_unknown_format_is_a_json_400(self):
        response = self.client.get(reverse("claim_export", args=["xml"]))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("use csv or json", response.json()["error"])

    def test_the_export_urls_are_the_documented_ones(self):
        self.assertEqual(reverse("claim_export", args=["csv"]), "/claims/export.csv")
        self.assertEqual(reverse("article_export", args=["json"]), "/articles/export.json")

    def test_invalid_filters_are_a_json_400_naming_each_problem(self):
        for fmt in ["csv", "json"]:
            with self.subTest(fmt):
                response = self.client.get(
                    reverse("claim_export", args=[fmt]),
                    {"country": "zz", "kind": "nonsense", "from": "2025-13"},
                )
                self.assertEqual(response.status_code, 400)
                body = response.json()
                self.assertIn("error", body)
                self.assertEqual(set(body["errors"]), {"country", "kind", "from"})
                self.assertTrue(all(body["errors"][key] for key in body["errors"]))

    def test_a_search_over_200_characters_is_a_json_400(self):
        response = self.client.get(reverse("claim_export", args=["csv"]), {"q": "x" * 201})
        self.assertEqual(response.status_code, 400)
        self.assertIn("200 characters", response.json()["errors"]["q"][0])

    def test_malformed_searches_export_without_failing(self):
        for text in ['"unclosed', "-", "or or", "!!!", "& | ! :*", "'); drop table"]:
            with self.subTest(text):
                response = self.client.get(reverse("claim_export", args=["csv"]), {"q": text})
                self.assertEqual(response.status_code, 200)
                csv_rows(response)


class ExportAllRowsTests(TestCase):
    """The export is every selected claim, not the 20 of a page."""

    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()
        serbia, niger = state("RS"), state("NE")
        for n in range(45):
            make_claim(
                [serbia if n % 3 else niger],
                article=cls.article,
                statement=f"Numbered claim {n:02d}.",
            )

    def test_the_list_shows_a_page_but_the_export_has_all_45_claims(self):
        page = self.client.get(reverse("claim_list"))
        self.assertEqual(len(page.context["claims"]), 20)
        self.assertEqual(page.context["page_obj"].paginator.count, 45)
        for fmt, parse in [("csv", csv_records), ("json", json_records)]:
            with self.subTest(fmt):
                records = parse(self.client.get(reverse("claim_export", args=[fmt])))
                self.assertEqual(len(records), 45)
                self.assertEqual(
                    {record["statement"] for record in records},
                    {f"Numbered claim {n:02d}." for n in range(45)},
                )

    def test_a_page_parameter_does_not_cut_the_export(self):
        records = json_records(self.client.get(reverse("claim_export", args=["json"]), {"page": 2}))
        self.assertEqual(len(records), 45)

    def test_a_filtered_export_has_exactly_the_filtered_claims(self):
        records = json_records(
            self.client.get(reverse("claim_export", args=["json"]), {"country": "rs"})
        )
        self.assertEqual(len(records), 30)
        self.assertTrue(all(record["countries"] == ["RS"] for record in records))


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
        # The claims, then their roles, their published evidence and their countries; or
        # on PostgreSQL, the CSV's one COPY.
        expected = {"csv": 1 if POSTGRESQL else 4, "json": 4}
        for fmt in ["csv", "json"]:
            small, _ = self.export_queries(fmt)
            self.assertEqual(small, expected[fmt], fmt)
        for _ in range(45):
            self.add_claim()
        for fmt in ["csv", "json"]:
            with self.subTest(fmt), self.assertNumQueries(expected[fmt]):
                records = content(self.client.get(reverse("claim_export", args=[fmt])))
            rows = json.loads(records) if fmt == "json" else csv_text_rows(records)[1:]
            self.assertEqual(len(rows), 50)

    def test_each_chunk_of_claims_takes_three_queries(self):
        for _ in range(45):
            self.add_claim()
        with mock.patch.object(export, "CHUNK_SIZE", 10):
            for fmt in ["csv", "json"]:
                # The claims, then for each chunk of 10: roles, evidence and countries. The
                # COPY has no chunks.
                queries = 1 if fmt == "csv" and POSTGRESQL else 1 + 5 * 3
                with self.subTest(fmt), self.assertNumQueries(queries):
                    content(self.client.get(reverse("claim_export", args=[fmt])))

    def test_the_export_is_the_same_whatever_the_chunk_size(self):
        for fmt in ["csv", "json"]:
            with self.subTest(fmt):
                whole = content(self.client.get(reverse("claim_export", args=[fmt])))
                with mock.patch.object(export, "CHUNK_SIZE", 2):
                    chunked = content(self.client.get(reverse("claim_export", args=[fmt])))
                self.assertEqual(chunked, whole)

    def test_filters_add_a_fixed_number_of_queries(self):
        filters = {"country": "rs", "actor": self.serbia.slug, "q": "Officials"}
        small = {fmt: self.export_queries(fmt, **filters)[0] for fmt in ["csv", "json"]}
        for _ in range(45):
            self.add_claim()
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
        response = self.client.get(reverse("article_export", args=["csv"]))
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="articles.csv"')
        header = csv_rows(response)[0]
        self.assertEqual(header, export.ARTICLE_COLUMNS)

    def test_every_published_article_and_no_draft(self):
        records = csv_records(self.client.get(reverse("article_export", args=["csv"])))
        titles = [row["title"] for row in records]
        self.assertIn("Serbia hosts China", titles)
        self.assertIn("Chinese troops in Serbia", titles)
        self.assertNotIn("Zanzibarite draft article", titles)
        self.assertEqual(len(records), 3, "two named articles and the Niger claim's")

    def test_an_articles_row_lists_its_published_claims(self):
        records = csv_records(self.client.get(reverse("article_export", args=["csv"])))
        row = next(row for row in records if row["title"] == "Serbia hosts China")
        self.assertEqual(row["url"], "http://testserver" + self.one.get_absolute_url())
        self.assertEqual(row["original_url"], "https://example.org/one")
        self.assertEqual(row["source"], "Demo Wire")
        self.assertEqual(row["source_url"], "http://testserver" + self.wire.get_absolute_url())
        self.assertEqual(row["published_at"], self.one.published_at.isoformat())
        # The draft claim also cites this article: it is not listed.
        self.assertEqual(
            row["claim_urls"].split("\n"), ["http://testserver" + self.exercise.get_absolute_url()]
        )

    def test_the_articles_json_matches_the_csv(self):
        records = json_records(self.client.get(reverse("article_export", args=["json"])))
        rows = csv_records(self.client.get(reverse("article_export", args=["csv"])))
        self.assertEqual([str(record["id"]) for record in records], [row["id"] for row in rows])
        record = next(record for record in records if record["id"] == self.two.pk)
        self.assertIsNone(record["original_url"])
        self.assertCountEqual(
            record["claim_urls"],
            [
                "http://testserver" + self.exercise.get_absolute_url(),
                "http://testserver" + self.formula.get_absolute_url(),
            ],
        )

    def test_article_filters_select_the_rows(self):
        cases = [
            ({"source": "gazette"}, {self.two.pk}),
            ({"country": "rs"}, {self.one.pk, self.two.pk}),
            ({"country": "NE"}, {self.niger_claim.evidence.get().article_id}),
            ({"from": "2025-05-02", "to": "2025-05-02"}, {self.two.pk}),
        ]
        for params, expected in cases:
            with self.subTest(params):
                response = self.client.get(reverse("article_export", args=["json"]), params)
                self.assertEqual({record["id"] for record in json_records(response)}, expected)

    def test_unknown_format_and_invalid_filters_are_json_400s(self):
        response = self.client.get(reverse("article_export", args=["xlsx"]))
        self.assertEqual(response.status_code, 400)
        self.assertIn("error", response.json())
        response = self.client.get(
            reverse("article_export", args=["csv"]), {"source": "nope", "from": "May"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()["errors"]), {"source", "from"})

    def test_a_source_with_only_drafts_cannot_be_named(self):
        response = self.client.get(
            reverse("article_export", args=["json"]), {"source": self.draft_article.source.slug}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("source", response.json()["errors"])


class ClaimActorOrderTests(ExportFixture):
    def test_an_actor_with_two_roles_is_listed_once_per_role(self):
        ClaimActor.objects.create(claim=self.niger_claim, actor=self.niger, role="target")
        records = json_records(self.client.get(reverse("claim_export", args=["json"])))
        record = next(record for record in records if record["id"] == self.niger_claim.pk)
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
        odd = make_source(name="  Odd\u2028 Source\xa0 ", slug="odd")
        late = make_article(
            source=odd,
            url='https://example.org/a,b?q="x"',
            published_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0)),
        )
        early = make_article(
            url="",
            published_at=timezone.make_aware(datetime.datetime(2024, 1, 1, 9, 0)),
        )
        observers = make_actor(name='=Observers,\t"united"', slug="observers", kind="other")
        event = make_event(name="-Manoeuvres “Østfold”", slug="manoeuvres")
        statements = [
            'A "quoted", comma\'d statement\r\nover lines.',
            "\tA tab first, then\x1c a separator.",
            "+1 say Beograd, 北京 and Zürich.",
            "@handle said so.",
            "\rA carriage return first.",
            'Ends with a quote"',
        ]
        for n, statement in enumerate(statements):
            claim = make_claim(
                [(cls.serbia, "host"), (observers, "observer"), (cls.niger, "observer")][: n % 4],
                article=[late, early, False][n % 3],
                quote=' Said:\n\n"yes",  twice\u3000\u200a ' if n % 2 else "=SUM(A1)",
                statement=statement,
                place=["@home", "", 'Niš, "the south"'][n % 3],
                country=country("RS") if n % 2 else None,
                event=event if n % 3 else None,
                occurred_on=[None, datetime.date(2025, 12, 31), datetime.date(999, 1, 1)][n % 3],
                date_precision=["", "year", "month"][n % 3],
            )
            if n % 3 == 0:
                # Published when the first was: in the order of the evidence's ids.
                tie = make_article(source=odd, published_at=late.published_at)
                Evidence.objects.create(claim=claim, article=tie, quote="\t \n", stance="denies")
                Evidence.objects.create(claim=claim, article=cls.draft_article, quote="Draft.")
        # Addresses only an importer could store, in any case: exported only if http(s).
        for url in ["JavaScript:alert(6)", " https://example.org/space", "HTTPS://EXAMPLE.ORG/"]:
            Evidence.objects.create(
                claim=claim, article=make_article(source=odd, url=url), quote="Officials"
            )
        # Timestamps with and without microseconds.
        Claim.objects.filter(statement__startswith="+").update(
            created_at=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
            updated_at=datetime.datetime(2025, 1, 2, 3, 4, 5, 60, tzinfo=datetime.UTC),
        )

    def export(self, params=None):
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
                    copied = self.export(params)
                copies = [query for query in queries if query["sql"].startswith("COPY")]
                self.assertEqual(len(copies), 1)
                with mock.patch.object(export, "copy_claim_rows", return_value=None):
                    written = self.export(params)
                self.assertEqual(copied, written)
        # Pieces of one row each (a row is one message of the COPY).
        whole = self.export()
        with mock.patch.object(export, "COPY_PIECE_SIZE", 1):
            self.assertEqual(self.export(), whole)

    def test_links_keep_the_script_prefix(self):
        with override_script_prefix("/news/"):
            copied = self.export()
            with mock.patch.object(export, "copy_claim_rows", return_value=None):
                self.assertEqual(self.export(), copied)
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
