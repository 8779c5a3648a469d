"""
Links between claims: one supports, contradicts, updates or duplicates another. Entered
in the admin (an inline of the claim) and shown on both claims' pages while both are
published; a published duplicate of a published claim redirects to it and is not listed.
"""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse

from articles import derived
from articles.models import Claim, ClaimLink, Correction, Country, Status

from .factories import country, make_claim, state
from .test_access_control import add_correction, change_form_data
from .test_admin import make_publisher
from .test_feeds import ATOM, AtomTestCase

MAY_12 = datetime.date(2025, 5, 12)


def link(source, kind, target, **fields):
    return ClaimLink.objects.create(
        from_claim=source, type=kind, to_claim=target, recorded_on=MAY_12, **fields
    )


def add_link_rows(data, *rows):
    """Add new rows (type, claim id) to posted claim form data (the inline's prefix: links_from)."""
    n = int(data.get("links_from-TOTAL_FORMS", ["0"])[0])
    data["links_from-TOTAL_FORMS"] = [str(n + len(rows))]
    for i, (kind, target) in enumerate(rows, start=n):
        data.update(
            {
                f"links_from-{i}-id": [""],
                f"links_from-{i}-type": [kind],
                f"links_from-{i}-to_claim": [str(target)],
                f"links_from-{i}-recorded_on": ["2025-05-12"],
                f"links_from-{i}-note": [""],
            }
        )
    return data


class ConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = make_claim(statement="Serbia bought Chinese drones in May.")
        cls.b = make_claim(statement="Serbia denied buying any Chinese drones.")
        cls.c = make_claim(statement="A third claim about the drones.")

    def test_the_database_refuses_a_link_from_a_claim_to_itself(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            link(self.a, "supports", self.a)

    def test_the_database_refuses_the_same_link_twice(self):
        link(self.a, "contradicts", self.b)
        with self.assertRaises(IntegrityError), transaction.atomic():
            link(self.a, "contradicts", self.b)
        # Another type between the same claims is another link.
        link(self.a, "updates", self.b)

    def test_the_database_refuses_a_second_duplicates_target(self):
        link(self.a, "duplicates", self.b)
        with self.assertRaises(IntegrityError), transaction.atomic():
            link(self.a, "duplicates", self.c)

    def test_validation_refuses_a_cycle_of_duplicates_with_a_message(self):
        link(self.a, "duplicates", self.b)
        link(self.b, "duplicates", self.c)
        closing = ClaimLink(from_claim=self.c, type="duplicates", to_claim=self.a)
        with self.assertRaises(ValidationError) as caught:
            closing.full_clean()
        self.assertIn("cannot duplicate its own duplicate", str(caught.exception))
        # A chain that closes no cycle is valid.
        ClaimLink(from_claim=self.c, type="supports", to_claim=self.a).full_clean()

    def test_validation_names_the_constraints_broken(self):
        link(self.a, "duplicates", self.b)
        with self.assertRaises(ValidationError) as caught:
            ClaimLink(from_claim=self.a, type="duplicates", to_claim=self.c).full_clean()
        self.assertIn("A claim duplicates at most one other claim.", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            ClaimLink(from_claim=self.a, type="supports", to_claim=self.a).full_clean()
        self.assertIn("A claim cannot be linked to itself.", str(caught.exception))


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        cls.a = make_claim([state("RS")], statement="Serbia bought Chinese drones in May.")
        cls.b = make_claim([state("RS")], statement="Serbia denied buying any Chinese drones.")

    def setUp(self):
        self.client.force_login(self.publisher)

    def post(self, claim, *rows):
        data = add_link_rows(change_form_data(self.client, "claim", claim), *rows)
        return self.client.post(reverse("admin:articles_claim_change", args=[claim.pk]), data)

    def test_a_publisher_links_two_claims_from_the_claims_admin_page(self):
        response = self.post(self.a, ("contradicts", self.b.pk))
        self.assertEqual(response.status_code, 302)
        saved = ClaimLink.objects.get()
        self.assertEqual(
            (saved.from_claim, saved.type, saved.to_claim), (self.a, "contradicts", self.b)
        )
        self.assertContains(self.client.get(self.b.get_absolute_url()), "Contradicted by")

    def test_the_change_form_offers_the_links_inline_with_an_autocomplete(self):
        response = self.client.get(reverse("admin:articles_claim_change", args=[self.a.pk]))
        self.assertContains(response, 'name="links_from-TOTAL_FORMS"')
        self.assertContains(response, "data-ajax--url")

    def test_an_added_row_left_empty_is_ignored_though_its_date_is_filled_in(self):
        data = change_form_data(self.client, "claim", self.a)
        data = add_link_rows(data, ("", ""))
        response = self.client.post(reverse("admin:articles_claim_change", args=[self.a.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ClaimLink.objects.exists())

    def test_a_link_to_itself_is_a_form_error_not_a_500(self):
        response = self.post(self.a, ("supports", self.a.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A claim cannot be linked to itself.")
        self.assertFalse(ClaimLink.objects.exists())

    def test_two_duplicates_targets_in_one_form_are_a_form_error_not_a_500(self):
        c = make_claim(statement="A third claim about the drones.")
        response = self.post(self.a, ("duplicates", self.b.pk), ("duplicates", c.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A claim duplicates at most one other claim")
        self.assertFalse(ClaimLink.objects.exists())

    def test_a_cycle_of_duplicates_is_a_form_error_not_a_500(self):
        link(self.b, "duplicates", self.a)
        response = self.post(self.a, ("duplicates", self.b.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot duplicate its own duplicate")
        self.assertEqual(ClaimLink.objects.count(), 1)

    def test_the_same_link_twice_is_a_form_error_not_a_500(self):
        link(self.a, "supports", self.b)
        response = self.post(self.a, ("supports", self.b.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "already linked this way")


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = make_claim([state("RS")], statement="Serbia bought Chinese drones in May.")
        cls.b = make_claim([state("RS")], statement="Serbia denied buying any Chinese drones.")
        cls.draft = make_claim(
            [state("RS")], statement="Zanzibarite drones were seen in Serbia.", status=Status.DRAFT
        )

    def test_each_claim_page_phrases_the_link_from_its_own_side_with_the_date(self):
        for kind, forward, backward in [
            ("supports", "Supports", "Supported by"),
            ("contradicts", "Contradicts", "Contradicted by"),
            ("updates", "Updates", "Updated by"),
        ]:
            with self.subTest(kind):
                made = link(self.a, kind, self.b)
                page_a = self.client.get(self.a.get_absolute_url()).content.decode()
                page_b = self.client.get(self.b.get_absolute_url()).content.decode()
                self.assertIn(
                    f'{forward} <a href="{self.b.get_absolute_url()}">{self.b.statement}</a>, '
                    '<time datetime="2025-05-12">12 May 2025</time>',
                    page_a,
                )
                self.assertIn(
                    f'{backward} <a href="{self.a.get_absolute_url()}">{self.a.statement}</a>, '
                    '<time datetime="2025-05-12">12 May 2025</time>',
                    page_b,
                )
                made.delete()

    def test_the_original_shows_which_claims_duplicate_it(self):
        link(self.a, "duplicates", self.b, note="Same report, two wires.")
        response = self.client.get(self.b.get_absolute_url())
        self.assertContains(response, f'Duplicated by <a href="{self.a.get_absolute_url()}">')
        self.assertContains(response, "Same report, two wires.")

    def test_a_link_to_a_draft_never_shows_on_the_published_claims_page(self):
        link(self.a, "contradicts", self.draft)
        link(self.draft, "supports", self.a)
        response = self.client.get(self.a.get_absolute_url())
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, "Other claims bearing on this one")
        self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)

    def test_a_published_duplicate_of_a_published_claim_redirects_permanently_to_it(self):
        link(self.a, "duplicates", self.b)
        for url in [
            self.a.get_absolute_url(),
            reverse("claim_detail_short", args=[self.a.pk]),
            reverse("claim_detail", args=[self.a.pk, "an-old-slug"]),
        ]:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], self.b.get_absolute_url())

    def test_a_duplicate_of_a_draft_keeps_its_page_and_never_names_the_draft(self):
        link(self.a, "duplicates", self.draft)
        response = self.client.get(self.a.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Zanzibarite")

    def test_the_claim_page_reads_its_links_in_two_queries_however_many(self):
        # The claim page's own eight queries (tests/test_detail_pages.py), and its links
        # each way with the claims at their other ends.
        url = self.a.get_absolute_url()
        link(self.a, "supports", self.b)
        with self.assertNumQueries(10):
            self.client.get(url)
        for n in range(10):
            other = make_claim(statement=f"Another claim, number {n}, on the drones.")
            link(other, "contradicts", self.a)
            link(self.a, "updates", other)
        with self.assertNumQueries(10):
            response = self.client.get(url)
        self.assertContains(response, "Contradicted by", count=10)
        self.assertContains(response, "Updates <a", count=10)


class ListingTests(TestCase):
    """A duplicate is not listed nor counted while what it duplicates is published."""

    @classmethod
    def setUpTestData(cls):
        cls.original = make_claim([state("RS")], statement="Serbia bought Chinese drones in May.")
        cls.copy = make_claim([state("RS")], statement="Serbia bought drones from China in May.")

    def listed(self):
        return self.client.get(reverse("claim_list")).content.decode()

    def test_a_duplicate_leaves_the_lists_and_counts_and_comes_back_when_the_original_goes(self):
        serbia = country("RS")
        self.assertIn(self.copy.statement, self.listed())
        link(self.copy, "duplicates", self.original)
        self.assertNotIn(self.copy.statement, self.listed())
        self.assertEqual(Country.objects.get(pk=serbia.pk).claim_count, 1)
        self.assertEqual(derived.check(), [])
        # The original unpublished: the duplicate is the claim readers have.
        with derived.batch():
            Claim.objects.filter(pk=self.original.pk).update(status=Status.DRAFT)
            derived.touch(claims=[self.original.pk])
        self.assertIn(self.copy.statement, self.listed())
        self.assertEqual(self.client.get(self.copy.get_absolute_url()).status_code, 200)
        self.assertEqual(Country.objects.get(pk=serbia.pk).claim_count, 1)
        self.assertEqual(derived.check(), [])

    def test_removing_the_link_lists_the_claim_again(self):
        made = link(self.copy, "duplicates", self.original)
        made.delete()
        self.assertIn(self.copy.statement, self.listed())
        self.assertEqual(Country.objects.get(code="RS").claim_count, 2)
        self.assertEqual(derived.check(), [])


class FeedTests(AtomTestCase):
    """A feed entry carries the claim's corrections and links; a corrected claim comes back."""

    @classmethod
    def setUpTestData(cls):
        cls.publisher = make_publisher()
        cls.old = make_claim([state("RS")], statement="Serbia bought Chinese drones in May.")
        cls.new = make_claim([state("RS")], statement="Serbia denied buying any Chinese drones.")
        cls.draft = make_claim(
            [state("RS")], statement="Zanzibarite drones were seen in Serbia.", status=Status.DRAFT
        )
        # Saved a day apart (the feed's order counts whole seconds).
        for claim, day in [(cls.old, 8), (cls.new, 9)]:
            Claim.objects.filter(pk=claim.pk).update(
                updated_at=datetime.datetime(2025, 5, day, tzinfo=datetime.UTC)
            )

    def entries(self):
        _, entries = self.atom(self.client.get(reverse("claim_feed")))
        return {
            entry.findtext(f"{ATOM}title"): (
                entry.findtext(f"{ATOM}summary"),
                entry.findtext(f"{ATOM}updated"),
            )
            for entry in entries
        }, [entry.findtext(f"{ATOM}title") for entry in entries]

    def test_an_entry_names_the_claims_links_by_their_address_and_never_a_draft(self):
        link(self.new, "contradicts", self.old)
        link(self.old, "supports", self.draft)
        entries, _ = self.entries()
        summary = entries[self.old.statement][0]
        self.assertIn(
            f"Contradicted by “{self.new.statement}” "
            f"(http://testserver{self.new.get_absolute_url()}), 12 May 2025",
            summary,
        )
        self.assertIn(
            "Contradicts “Serbia bought Chinese drones in May.”", entries[self.new.statement][0]
        )
        self.assertNotIn("Zanzibarite", "".join(summary for summary, _ in entries.values()))

    def test_a_claim_corrected_in_the_admin_comes_back_first_with_its_correction(self):
        _, order = self.entries()
        self.assertEqual(order, [self.new.statement, self.old.statement])
        self.client.force_login(self.publisher)
        data = add_correction(
            change_form_data(self.client, "claim", self.old),
            self.old,
            "The drones were bought in April, not May.",
        )
        response = self.client.post(
            reverse("admin:articles_claim_change", args=[self.old.pk]), data
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        entries, order = self.entries()
        self.assertEqual(order, [self.old.statement, self.new.statement])
        summary, updated = entries[self.old.statement]
        correction = Correction.objects.get()
        self.assertIn(
            f"Correction, {correction.created_at:%-d %B %Y}: "
            "The drones were bought in April, not May.",
            summary,
        )
        self.assertEqual(
            datetime.datetime.fromisoformat(updated),
            max(correction.created_at, Claim.objects.get(pk=self.old.pk).updated_at),
        )


class ExportTests(TestCase):
    """Records carry links (both ways, between published claims) and corrections."""

    @classmethod
    def setUpTestData(cls):
        cls.a = make_claim([state("RS")], statement="Serbia bought Chinese drones in May.")
        cls.b = make_claim([state("RS")], statement="Serbia denied buying any Chinese drones.")
        cls.draft = make_claim(
            [state("RS")], statement="Zanzibarite drones were seen in Serbia.", status=Status.DRAFT
        )
        link(cls.b, "contradicts", cls.a)
        link(cls.a, "supports", cls.draft)
        link(cls.draft, "updates", cls.a)
        cls.correction = Correction.objects.create(claim=cls.a, note="Bought in April.")

    def api_record(self, claim):
        results = self.client.get(reverse("api_claims")).json()["results"]
        return next(record for record in results if record["id"] == claim.pk)

    def test_the_api_gives_links_both_ways_as_absolute_urls_and_never_to_a_draft(self):
        self.assertEqual(
            self.api_record(self.a)["links"],
            [{"type": "contradicted_by", "claim": f"http://testserver{self.b.get_absolute_url()}"}],
        )
        self.assertEqual(
            self.api_record(self.b)["links"],
            [{"type": "contradicts", "claim": f"http://testserver{self.a.get_absolute_url()}"}],
        )

    def test_the_api_gives_corrections_with_their_dates(self):
        self.assertEqual(
            self.api_record(self.a)["corrections"],
            [
                {
                    # As DjangoJSONEncoder writes every time: to the millisecond, in UTC.
                    "date": DjangoJSONEncoder().default(self.correction.created_at),
                    "note": "Bought in April.",
                }
            ],
        )
        self.assertEqual(self.api_record(self.b)["corrections"], [])

    def test_the_csv_has_a_links_and_a_corrections_column(self):
        response = self.client.get(reverse("claim_export", args=["csv"]))
        text = b"".join(response.streaming_content).decode()
        self.assertNotIn("Zanzibarite", text)
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text[1:], newline=""))}
        self.assertEqual(
            rows[str(self.a.pk)]["links"],
            f"contradicted_by http://testserver{self.b.get_absolute_url()}",
        )
        self.assertEqual(
            rows[str(self.a.pk)]["corrections"],
            f"{self.correction.created_at.isoformat()} Bought in April.",
        )
