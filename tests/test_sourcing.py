"""
Sourcing strength and places: a claim's independent sources (distinct publishers, a
syndicated wire story counted once) and its involved countries (its actors') told apart
from where it happened.
"""

import datetime
from unittest import mock

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from articles import derived, export
from articles.models import Claim, Evidence, Involvement, Status

from .factories import country, make_article, make_claim, make_source, state
from .test_export import csv_records, json_records

QUOTE = "The ministry said the exercise showed “an exceptional level of organisation”."
OTHER_QUOTE = "Officials described the partnership as a model for others."


def stored(claim):
    return Claim.objects.get(pk=claim.pk).independent_sources


class IndependentSourcesTests(TestCase):
    """The derived count follows every kind of edit, and the check agrees with it."""

    def setUp(self):
        self.reuters, self.tanjug, self.gazette = (
            make_source(name="Reuters"),
            make_source(name="Tanjug"),
            make_source(name="Gazette"),
        )
        self.wire = make_article(source=self.reuters)
        self.claim = make_claim([state("RS"), state("CN")], article=self.wire)

    def add_evidence(self, article, quote=QUOTE):
        return Evidence.objects.create(claim=self.claim, article=article, quote=quote)

    def assertSources(self, n):
        self.assertEqual(stored(self.claim), n)
        self.assertEqual(derived.check(), [])

    def test_one_article_is_one_source(self):
        self.assertSources(1)

    def test_a_quote_from_another_publisher_adds_a_source_and_removing_it_takes_it_away(self):
        evidence = self.add_evidence(make_article(source=self.tanjug))
        self.assertSources(2)
        evidence.delete()
        self.assertSources(1)

    def test_two_quotes_from_one_publisher_are_one_source(self):
        self.add_evidence(make_article(source=self.reuters))
        self.assertSources(1)
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).evidence_count, 2)

    def test_a_syndicated_copy_counts_as_its_originating_agency(self):
        copy = make_article(source=self.gazette)
        self.add_evidence(copy)
        self.assertSources(2)
        copy.agency = self.reuters
        copy.save()
        self.assertSources(1)
        copy.agency = None
        copy.save()
        self.assertSources(2)

    def test_a_copy_whose_agency_is_not_otherwise_quoted_is_one_source(self):
        self.add_evidence(make_article(source=self.gazette, agency=self.tanjug))
        self.add_evidence(make_article(source=make_source(), agency=self.tanjug), OTHER_QUOTE)
        self.assertSources(2)  # Reuters, and Tanjug through two copies
        facets = Claim.objects.get(pk=self.claim.pk).facets
        self.assertEqual(facets["publishers"], sorted([self.reuters.pk, self.tanjug.pk]))

    def test_unpublishing_an_article_takes_its_source_away(self):
        article = make_article(source=self.tanjug)
        self.add_evidence(article)
        self.assertSources(2)
        article.status = Status.DRAFT
        article.save()
        self.assertSources(1)

    def test_a_draft_article_never_counts(self):
        self.add_evidence(make_article(source=self.tanjug, status=Status.DRAFT))
        self.assertSources(1)

    def test_moving_articles_to_another_source_merges_them(self):
        article = make_article(source=self.tanjug)
        self.add_evidence(article)
        self.assertSources(2)
        # Tanjug's articles merged into Reuters': one publisher left.
        article.source = self.reuters
        article.save()
        self.assertSources(1)

    def test_a_source_save_refreshes_the_claims_that_count_it_as_an_agency(self):
        copy = make_article(source=self.gazette, agency=self.tanjug)
        self.add_evidence(copy)
        self.assertSources(2)
        with mock.patch.object(derived, "refresh", wraps=derived.refresh) as refresh:
            self.tanjug.name = "Tanjug news agency"
            self.tanjug.save()
        self.assertIn(self.claim.pk, refresh.call_args.args[0])

    def test_an_article_cannot_be_syndicated_from_its_own_source(self):
        self.wire.agency = self.reuters
        with self.assertRaises(ValidationError) as raised:
            self.wire.full_clean()
        self.assertIn("agency", raised.exception.message_dict)

    def test_the_check_finds_a_wrong_count_and_the_rebuild_repairs_it(self):
        Claim.objects.filter(pk=self.claim.pk).update(independent_sources=7)  # no signals
        problems = derived.check()
        self.assertEqual(len(problems), 1)
        self.assertIn("independent_sources is 7, expected 1", problems[0])
        derived.rebuild()
        self.assertSources(1)


class PlacesTests(TestCase):
    """A Serbia–China meeting held in Moscow: Russia is its place, not a partner."""

    def setUp(self):
        self.meeting = make_claim(
            [state("RS"), state("CN")],
            statement="Serbian and Chinese officials met in Moscow.",
            place="Moscow",
            country=country("RU"),
        )

    def test_the_links_say_which_countries_come_from_actors(self):
        links = dict(
            Involvement.objects.filter(claim=self.meeting).values_list("country__code", "by_actor")
        )
        self.assertEqual(links, {"RS": True, "CN": True, "RU": False})

    def test_an_actor_of_the_place_country_makes_it_a_partner(self):
        claim = make_claim([state("RS"), state("RU")], place="Moscow", country=country("RU"))
        links = dict(claim.involvements.values_list("country__code", "by_actor"))
        self.assertEqual(links, {"RS": True, "RU": True})

    def test_the_country_filter_still_finds_the_claim_by_its_place(self):
        response = self.client.get(reverse("claim_list"), {"country": "ru"})
        self.assertContains(response, "Serbian and Chinese officials met in Moscow.")

    def test_the_partner_filter_does_not(self):
        response = self.client.get(reverse("claim_list"), {"partner": "ru"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Serbian and Chinese officials met in Moscow.")
        response = self.client.get(reverse("claim_list"), {"partner": ["rs", "cn"]})
        self.assertContains(response, "Serbian and Chinese officials met in Moscow.")

    def test_a_card_shows_the_involved_countries_and_the_place_apart(self):
        response = self.client.get(reverse("claim_list"))
        self.assertContains(
            response,
            '<p class="claim-places">Involved: China, Serbia · Place: Moscow, Russia</p>',
            html=True,
        )

    def test_the_claim_page_shows_the_involved_countries_and_the_place_apart(self):
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(
            response,
            '<dt>Involved</dt><dd><a href="/countries/cn/">China</a>, '
            '<a href="/countries/rs/">Serbia</a></dd>',
            html=True,
        )
        self.assertContains(
            response,
            '<dt>Place</dt><dd>Moscow, <a href="/countries/ru/">Russia</a></dd>',
            html=True,
        )

    def test_russia_is_no_partner_of_serbia_and_their_pair_page_has_no_claims_yet(self):
        serbia = self.client.get(reverse("country_detail", args=["rs"]))
        self.assertContains(serbia, "Serbia and China")
        self.assertNotContains(serbia, "Serbia and Russia")
        self.assertContains(
            self.client.get(reverse("country_pair", args=["rs", "ru"])), "No claims yet"
        )
        self.assertEqual(
            self.client.get(reverse("country_pair", args=["rs", "cn"])).status_code, 200
        )

    def test_a_draft_makes_no_partners(self):
        make_claim([state("RS"), state("FR")], status=Status.DRAFT)
        serbia = self.client.get(reverse("country_detail", args=["rs"]))
        self.assertNotContains(serbia, "France")
        self.assertContains(
            self.client.get(reverse("country_pair", args=["rs", "fr"])), "No claims yet"
        )


class ListTests(TestCase):
    """The facet, the filter and the "best sourced" order of the claims list."""

    def setUp(self):
        reuters, tanjug, xinhua = (make_source(name=n) for n in ("Reuters", "Tanjug", "Xinhua"))
        self.one = make_claim(
            [state("RS")], statement="One source only.", article=make_article(source=reuters)
        )
        self.two = make_claim(
            [state("RS")],
            statement="Two sources.",
            article=make_article(source=reuters),
            occurred_on=datetime.date(2020, 1, 1),
        )
        Evidence.objects.create(claim=self.two, article=make_article(source=tanjug), quote=QUOTE)
        self.three = make_claim(
            [state("RS")],
            statement="Three sources.",
            article=make_article(source=reuters),
            occurred_on=datetime.date(2019, 1, 1),
        )
        for source in (tanjug, xinhua):
            Evidence.objects.create(
                claim=self.three, article=make_article(source=source), quote=QUOTE
            )
        # Three quotes, but copies of one Reuters story: one source.
        self.copies = make_claim(
            [state("RS")],
            statement="Three copies of one wire story.",
            article=make_article(source=reuters),
            occurred_on=datetime.date(2018, 1, 1),
        )
        for _ in range(2):
            Evidence.objects.create(
                claim=self.copies,
                article=make_article(source=make_source(), agency=reuters),
                quote=QUOTE,
            )

    def statements(self, params):
        response = self.client.get(reverse("claim_list"), params)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        found = [c for c in (self.one, self.two, self.three, self.copies) if c.statement in page]
        return sorted(found, key=lambda claim: page.index(claim.statement))

    def test_best_sourced_orders_by_independent_sources_then_quotes(self):
        self.assertEqual(
            self.statements({"sort": "sourced"}), [self.three, self.two, self.copies, self.one]
        )

    def test_the_filter_selects_by_number_of_sources(self):
        self.assertEqual(self.statements({"independent_sources": "1"}), [self.one, self.copies])
        self.assertEqual(self.statements({"independent_sources": "3+"}), [self.three])
        # "3+" typed into an address arrives as "3 ".
        self.assertEqual(self.statements({"independent_sources": "3 "}), [self.three])
        self.assertEqual(
            self.statements({"independent_sources": ["2", "3+"]}), [self.two, self.three]
        )

    def test_a_wrong_value_is_a_400_with_a_message(self):
        response = self.client.get(reverse("claim_list"), {"independent_sources": "4"})
        self.assertContains(response, "independent_sources", status_code=400)

    def test_the_facet_counts_each_value_with_its_own_selection_left_out(self):
        response = self.client.get(reverse("claim_list"), {"independent_sources": "1"})
        self.assertContains(
            response, '<a href="?independent_sources=1&amp;independent_sources=2">', count=1
        )
        data = self.client.get(reverse("api_claims"), {"independent_sources": "1"}).json()
        self.assertEqual(
            [
                (item["value"], item["label"], item["count"])
                for item in data["facets"]["independent_sources"]
            ],
            [("1", "1 source", 2), ("2", "2 independent sources", 1), ("3+", "3 or more", 1)],
        )

    def test_the_form_offers_the_filter_as_checkboxes(self):
        response = self.client.get(reverse("claim_list"), {"independent_sources": "2"})
        self.assertContains(
            response,
            '<input type="checkbox" name="independent_sources" value="2" checked>',
            html=True,
        )

    def test_a_card_says_how_many_independent_sources_and_quotes(self):
        response = self.client.get(reverse("claim_list"))
        self.assertContains(
            response, '<span class="sourcing">1 independent source (3 quotes)</span>', html=True
        )
        self.assertContains(
            response, '<span class="sourcing">3 independent sources</span>', html=True
        )

    def test_the_claim_page_lists_the_publishers(self):
        response = self.client.get(self.copies.get_absolute_url())
        self.assertContains(response, "1 independent source: ")
        self.assertContains(response, ">Reuters</a>")
        self.assertContains(response, "copies of one wire story count once")
        response = self.client.get(self.three.get_absolute_url())
        self.assertContains(response, "3 independent sources: ")

    def test_the_claim_page_takes_the_same_queries_however_many_publishers(self):
        self.client.get(reverse("home"))  # the read index catches up
        # 1 the change log number, 2 the claim, 3 its roles with their actors' countries,
        # 4 its evidence with the articles' sources and agencies, 5 its corrections, 6-7
        # its links both ways, 8 the related claims.
        for claim in (self.one, self.three, self.copies):
            with self.subTest(claim.statement), self.assertNumQueries(8):
                self.client.get(claim.get_absolute_url())

    def test_records_hold_the_independent_sources_and_publishers(self):
        records = {
            record["id"]: record
            for record in json_records(self.client.get(reverse("claim_export", args=["json"])))
        }
        self.assertEqual(records[self.copies.pk]["independent_sources"], 1)
        self.assertEqual(records[self.copies.pk]["publishers"], ["Reuters"])
        self.assertEqual(
            [item["agency"] for item in records[self.copies.pk]["evidence"]],
            [None, "Reuters", "Reuters"],
        )
        self.assertEqual(records[self.three.pk]["publishers"], ["Reuters", "Tanjug", "Xinhua"])
        rows = {
            row["id"]: row
            for row in csv_records(self.client.get(reverse("claim_export", args=["csv"])))
        }
        self.assertEqual(rows[str(self.three.pk)]["independent_sources"], "3")
        self.assertEqual(rows[str(self.three.pk)]["publishers"], "Reuters\nTanjug\nXinhua")
        api = self.client.get(reverse("api_claims"), {"sort": "sourced"}).json()
        self.assertEqual(api["results"][0]["independent_sources"], 3)

    def test_the_copy_csv_is_the_python_csv(self):
        if connection.vendor != "postgresql":
            self.skipTest("COPY is PostgreSQL's")
        url = "/claims/export.csv"
        copied = b"".join(self.client.get(url, {"sort": "sourced"}).streaming_content)
        with mock.patch.object(export, "copy_claim_rows", return_value=None):
            written = b"".join(self.client.get(url, {"sort": "sourced"}).streaming_content)
        self.assertEqual(copied, written)
        self.assertIn(b"Reuters\nTanjug\nXinhua", copied)


class DateLabelTests(TestCase):
    def test_a_refuted_claim_without_a_date_says_no_date_was_given(self):
        claim = make_claim(
            [state("RS")],
            statement="Serbia joined an alliance.",
            occurred_on=None,
            date_precision="",
            verification=Claim.Verification.REFUTED,
        )
        for url in (claim.get_absolute_url(), reverse("claim_list")):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertContains(response, "No date given")
                self.assertNotContains(response, "standing fact")
        self.assertContains(
            self.client.get(claim.get_absolute_url()),
            '<meta name="description" content="Military cooperation claim, no date given: '
            'Serbia joined an alliance.">',
        )
