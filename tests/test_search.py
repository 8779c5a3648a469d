"""
Searching claims with ?q=: names in any spelling or script, web-search syntax,
misspellings, highlighting, what the search document covers and how it stays current.

Every headline behaviour is tested on both databases: PostgreSQL (full text with
web-search syntax, trigram fallback) and SQLite (LIKE and difflib). Only ranking, which
SQLite does not do, is PostgreSQL-only.
"""

import datetime
import html
import re
from io import StringIO
from unittest import mock, skipUnless

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test import TestCase
from django.urls import reverse

from articles import search as search_module
from articles.models import Claim, ClaimActor, Evidence

from .factories import make_article, make_claim, searchable_world

STATEMENT = re.compile(r'<p class="claim-statement"><a href="[^"]*">(.*?)</a></p>', re.S)


def search(client, text, **params):
    return client.get(reverse("claim_list"), {"q": text, **params})


def statements(response):
    """The statements of the claims listed, in page order, with <mark> tags removed."""
    return [
        html.unescape(re.sub(r"</?mark>", "", text))
        for text in STATEMENT.findall(response.content.decode())
    ]


def listed(response):
    """The claims listed, in page order, found by their statements."""
    texts = statements(response)
    claims = {claim.statement: claim for claim in Claim.objects.filter(statement__in=texts)}
    return [claims[text] for text in texts]


def marked(response):
    """The words wrapped in <mark> in the results list."""
    rows = "".join(STATEMENT.findall(response.content.decode()))
    return [html.unescape(word) for word in re.findall(r"<mark>(.*?)</mark>", rows)]


class SearchFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = searchable_world()

    def found(self, text, **params):
        """The claims a search lists, in page order."""
        return listed(search(self.client, text, **params))


class NamesTests(SearchFixture):
    def test_a_name_typed_without_accents_finds_the_accented_name(self):
        response = search(self.client, "Vucic")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(listed(response), [self.world.friend])

    def test_a_name_typed_with_accents_finds_it_too(self):
        self.assertEqual(self.found("Vučić"), [self.world.friend])

    def test_a_cyrillic_alias_finds_the_countrys_claims(self):
        w = self.world
        self.assertCountEqual(self.found("Србија"), [w.drill, w.naval, w.praise])

    def test_a_latin_alias_in_another_language_finds_the_countrys_claims(self):
        w = self.world
        self.assertCountEqual(self.found("Srbija"), [w.drill, w.naval, w.praise])

    def test_an_abbreviation_alias_finds_the_armed_forces(self):
        w, found = self.world, self.found("PLA")
        self.assertIn(w.drill, found)
        self.assertNotIn(w.sanctions, found)
        self.assertNotIn(w.friend, found)

    def test_a_cyrillic_alias_of_a_person_finds_the_persons_claims(self):
        self.assertEqual(self.found("Вучић"), [self.world.friend])

    def test_serbian_words_are_found_in_either_script_without_an_alias(self):
        cyrillic = make_claim(statement="Војска Србије увежбавала је у Нишу са кинеском војском.")
        latin = make_claim(statement="Ministar Vulin razgovarao je u Čačku o nabavci dronova.")
        self.assertEqual(self.found("Nišu"), [cyrillic])
        self.assertEqual(self.found("nisu"), [cyrillic])
        self.assertEqual(self.found("Чачку"), [latin])
        self.assertEqual(self.found("Вулин дронова"), [latin])

    def test_searching_is_not_case_sensitive(self):
        self.assertEqual(self.found("vUčIć"), [self.world.friend])


class MisspellingTests(SearchFixture):
    @skipUnless(connection.vendor == "postgresql", "the time-box is PostgreSQL's")
    def test_a_misspelling_search_out_of_time_finds_nothing_and_leaks_no_setting(self):
        class SlowSimilarity(TrigramWordSimilarity):
            # 10 ms a row: far past a 1 ms time-box, on any machine.
            template = "(%(function)s(%(expressions)s) + (SELECT 0 FROM pg_sleep(0.01)))"

        with (
            mock.patch.object(search_module, "FUZZY_TIMEOUT", "1ms"),
            mock.patch.object(search_module, "TrigramWordSimilarity", SlowSimilarity),
        ):
            response = search(self.client, "Belgarde")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(listed(response), [])
        # The time box's own limit did not outlive it (what the request itself runs
        # under, STATEMENT_TIMEOUT, may remain).
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            self.assertNotEqual(cursor.fetchone()[0], "1ms")

    def test_a_misspelled_city_in_a_quote_still_finds_its_claim(self):
        found = self.found("Belgarde")
        self.assertIn(self.world.praise, found)
        self.assertNotIn(self.world.sanctions, found)

    def test_another_misspelling_still_finds_its_claim(self):
        found = self.found("Beijng")
        self.assertIn(self.world.drill, found)
        self.assertNotIn(self.world.sanctions, found)

    def test_a_misspelling_alongside_a_correct_word_finds_the_claim(self):
        self.assertIn(self.world.praise, self.found("impressed Belgarde"))

    def test_a_misspelling_respects_the_other_filters(self):
        # Without ?kind=arms, "Beijng" finds the drill (above); no claim is an arms one.
        self.assertEqual(self.found("Beijng", kind="arms"), [])

    def test_a_word_like_nothing_in_the_documents_finds_nothing(self):
        response = search(self.client, "xqzvkwj")
        self.assertEqual(listed(response), [])
        self.assertContains(response, "No published claims match.")

    def test_a_misspelled_search_highlights_the_word_it_matched(self):
        """
        search.matching() promises the words to highlight after a fuzzy match are the
        ones found in the documents. A statement containing the corrected word shows it
        marked, whatever the database.
        """
        claim = make_claim(
            [self.world.serbia],
            statement="Serbian officers visited Beijing in June.",
            quote="Officers visited the capital.",
        )
        response = search(self.client, "Beijng")
        self.assertIn(claim, listed(response))
        self.assertIn("Beijing", marked(response))


class SyntaxTests(SearchFixture):
    def test_words_must_all_match(self):
        w = self.world
        self.assertCountEqual(self.found("joint drill"), [w.drill, w.naval])
        self.assertEqual(self.found("joint Hebei"), [w.drill])

    def test_a_quoted_phrase_matches_only_those_words_together(self):
        self.assertEqual(self.found('"joint drill"'), [self.world.drill])

    def test_or_matches_either_word(self):
        w = self.world
        self.assertCountEqual(self.found("Niger or Hebei"), [w.sanctions, w.drill])

    def test_or_joins_a_phrase_and_a_word(self):
        w = self.world
        self.assertCountEqual(self.found('"joint drill" or Niger'), [w.drill, w.sanctions])

    def test_or_is_not_case_sensitive(self):
        w = self.world
        self.assertCountEqual(self.found("Niger OR Hebei"), [w.sanctions, w.drill])

    def test_a_minus_excludes_a_word(self):
        w = self.world
        self.assertCountEqual(self.found("Chinese"), [w.drill, w.praise])
        self.assertEqual(self.found("Chinese -Belgrade"), [w.drill])

    def test_a_minus_excludes_a_quoted_phrase(self):
        self.assertEqual(self.found('joint -"joint drill"'), [self.world.naval])

    def test_an_exclusion_alone_lists_everything_else(self):
        w = self.world
        self.assertCountEqual(self.found("-Chinese"), [w.naval, w.friend, w.sanctions, w.geneva])

    def test_a_search_combines_with_the_other_filters(self):
        self.assertEqual(self.found("joint drill", country="cn"), [self.world.drill])

    def test_an_empty_search_lists_every_published_claim(self):
        w = self.world
        self.assertCountEqual(
            self.found("   "), [w.drill, w.naval, w.praise, w.friend, w.sanctions, w.geneva]
        )

    @staticmethod
    def junk_queries():
        return {
            "unclosed quote": '"unclosed',
            "lone minus": "-",
            "double or": "or or",
            "or alone": "or",
            "trailing or": "Niger or",
            "bangs": "!!!",
            "tsquery operators": "& | ! :*",
            "sql": "'); drop table articles_claim; --",
            "backslashes and wildcards": "\\ % _ %% \\%",
            "brackets": "(((vucic)) <-> [x] {y}",
            "unicode junk": "\u202e\u200b\ufeff😀 é\u0301\u0301 ﷽ 𝔘𝔫𝔦 \U0010ffff",
            "only quotes": '"""""',
            "only minus words": "--- -- -",
            "two hundred characters": ('"joint drill" or -Niger Vučić !:* ' * 8)[:200],
            "many terms": " ".join(f"w{n}" for n in range(66))[:200],
        }

    def test_malformed_searches_never_fail(self):
        for name, text in self.junk_queries().items():
            with self.subTest(name):
                self.assertLessEqual(len(text), 200)
                response = search(self.client, text)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Zanzibarite", response.content.decode())

    def test_a_null_character_is_refused_with_a_message(self):
        response = search(self.client, "vucic\x00")
        self.assertContains(response, "Null characters are not allowed.", status_code=400)
        self.assertEqual(listed(response), [])

    def test_two_hundred_characters_is_the_limit(self):
        text = "Vucic " + "x" * 194
        self.assertEqual(len(text), 200)
        self.assertEqual(search(self.client, text).status_code, 200)

    def test_a_longer_search_is_refused_with_a_message(self):
        response = search(self.client, "Vucic " + "x" * 195)
        self.assertContains(response, "at most 200 characters", status_code=400)

    def test_surrounding_spaces_do_not_count_towards_the_limit(self):
        response = search(self.client, "  " + "x" * 200 + "  ")
        self.assertEqual(response.status_code, 200)


class HighlightTests(SearchFixture):
    def test_the_matched_word_is_marked_in_the_results_list(self):
        response = search(self.client, "Vucic")
        self.assertContains(response, "<mark>Vučić</mark>", html=False)

    def test_every_searched_word_is_marked(self):
        response = search(self.client, '"joint drill" Hebei')
        self.assertEqual(marked(response), ["joint", "drill", "Hebei"])

    def test_excluded_words_are_not_marked(self):
        response = search(self.client, "Chinese -Belgrade")
        self.assertEqual(set(marked(response)), {"Chinese"})

    def test_nothing_is_marked_without_a_search(self):
        response = self.client.get(reverse("claim_list"))
        self.assertEqual(len(listed(response)), 6)
        self.assertNotContains(response, "<mark>")

    def test_a_statement_is_still_escaped_when_marked(self):
        make_claim(
            [self.world.serbia],
            statement="Officials said <b>Krakatoa</b> & more.",
            quote="Officials said so.",
        )
        response = search(self.client, "Krakatoa")
        self.assertContains(response, "&lt;b&gt;<mark>Krakatoa</mark>&lt;/b&gt; &amp; more.")
        self.assertNotContains(response, "<b>Krakatoa")


class CoverageTests(SearchFixture):
    def test_search_covers_statements(self):
        self.assertEqual(self.found("organisation"), [self.world.praise])

    def test_search_covers_evidence_quotes(self):
        self.assertEqual(self.found("transactions"), [self.world.sanctions])

    def test_search_covers_actor_names(self):
        self.assertEqual(self.found("Liberation"), [self.world.drill])

    def test_search_covers_event_names(self):
        self.assertEqual(self.found("commemorations"), [self.world.friend])

    def test_search_covers_article_titles(self):
        self.assertEqual(self.found("reopens"), [self.world.sanctions])

    def test_a_quote_only_in_a_draft_article_does_not_make_a_claim_match(self):
        response = search(self.client, "Zanzibarite")
        self.assertEqual(listed(response), [])
        self.assertContains(response, "No published claims match.")
        self.assertEqual(self.found("confirmed"), [])

    def test_a_draft_articles_title_does_not_make_a_claim_match(self):
        self.assertEqual(self.found("Quibbling"), [])

    def test_the_claims_own_published_words_still_match(self):
        self.assertEqual(self.found("harbour"), [self.world.geneva])

    def test_draft_claims_are_never_found(self):
        response = search(self.client, "Vucic")
        self.assertEqual(listed(response), [self.world.friend])
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, "envoys")

    def test_a_misspelling_does_not_reach_draft_words_either(self):
        self.assertEqual(self.found("Zanzibarit"), [])


class DocumentUpdateTests(SearchFixture):
    def test_a_new_alias_is_searchable_once_the_actor_is_saved(self):
        w = self.world
        self.assertEqual(self.found("Jiefangjun"), [])
        w.pla.aliases += "\nJiefangjun"
        w.pla.save()
        self.assertEqual(self.found("Jiefangjun"), [w.drill])

    def test_a_removed_alias_no_longer_matches(self):
        w = self.world
        self.assertCountEqual(self.found("Republic"), [w.drill, w.naval, w.praise])
        w.serbia.aliases = "Србија\nSrbija"
        w.serbia.save()
        self.assertEqual(self.found("Republic"), [])

    def test_a_renamed_actor_is_found_by_its_new_name(self):
        w = self.world
        w.vucic.name = "Aleksandar Vučić Junior"
        w.vucic.save()
        self.assertEqual(self.found("Junior"), [w.friend])

    def test_an_unpublished_articles_quotes_and_title_drop_out(self):
        w = self.world
        self.assertEqual(self.found("freeze"), [w.sanctions])
        w.sanctions_article.status = "draft"
        w.sanctions_article.save()
        self.assertEqual(self.found("freeze"), [])
        self.assertEqual(self.found("reopens"), [])
        # The claim's own statement is still searchable.
        self.assertEqual(self.found("ECOWAS"), [w.sanctions])

    def test_a_published_draft_articles_quotes_become_searchable(self):
        w = self.world
        w.draft_article.status = "published"
        w.draft_article.save()
        self.assertEqual(self.found("Zanzibarite"), [w.geneva])

    def test_new_evidence_makes_its_quote_searchable(self):
        w = self.world
        self.assertEqual(self.found("Krakatoa"), [])
        article = make_article(body="The treaty was signed aboard the Krakatoa.")
        Evidence.objects.create(claim=w.friend, article=article, quote="signed aboard the Krakatoa")
        self.assertEqual(self.found("Krakatoa"), [w.friend])

    def test_deleted_evidence_takes_its_quote_away(self):
        w = self.world
        self.assertEqual(self.found("described"), [w.friend])
        w.friend.evidence.get().delete()
        self.assertEqual(self.found("precious"), [w.friend])  # statement
        self.assertEqual(self.found("described"), [])

    def test_a_new_actor_role_makes_the_actor_searchable(self):
        w = self.world
        ClaimActor.objects.create(claim=w.sanctions, actor=w.pla, role="observer")
        self.assertIn(w.sanctions, self.found("Liberation"))

    def test_a_renamed_event_is_found_by_its_new_name(self):
        w = self.world
        w.moscow.name = "Red Square parade"
        w.moscow.save()
        self.assertEqual(self.found("parade"), [w.friend])
        self.assertEqual(self.found("commemorations"), [])

    def test_an_event_is_deleted_only_once_no_claim_uses_it_and_its_name_drops_out(self):
        """
        Deleting an event that claims use is refused (Claim.event is PROTECT); taking it
        off its claims first drops its name from their search documents.
        """
        w = self.world
        with self.assertRaises(ProtectedError):
            w.moscow.delete()
        self.assertEqual(self.found("commemorations"), [w.friend])
        w.friend.event = None
        w.friend.save()
        w.moscow.delete()
        self.assertEqual(self.found("commemorations"), [])

    def test_a_published_draft_claim_becomes_searchable(self):
        w = self.world
        self.assertEqual(self.found("envoys"), [])
        w.draft.status = "published"
        w.draft.save()
        self.assertEqual(self.found("envoys"), [w.draft])

    def test_an_edited_statement_is_searchable(self):
        w = self.world
        self.assertEqual(self.found("Kotor"), [])
        w.naval.statement = "The two navies held a joint exercise near Kotor."
        w.naval.save()
        self.assertEqual(self.found("Kotor"), [w.naval])


class RankingTests(SearchFixture):
    def test_a_statement_match_ranks_above_a_quote_match(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite does not rank: results keep the most recent order.")
        older = make_claim(
            [self.world.serbia],
            statement="Serbia announced a flotilla visit.",
            quote="No word of ships.",
            occurred_on=datetime.date(2020, 1, 1),
        )
        newer = make_claim(
            [self.world.serbia],
            statement="Officials made an announcement.",
            quote="A flotilla visit was planned.",
            occurred_on=datetime.date(2025, 12, 1),
        )
        self.assertEqual(self.found("flotilla"), [older, newer])

    def test_a_chosen_sort_overrides_the_ranking(self):
        w = self.world
        self.assertEqual(self.found("joint drill", sort="added"), [w.naval, w.drill])


class DemoDataSearchTests(TestCase):
    """The headline searches on the demo data a visitor first sees."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def found(self, text):
        response = search(self.client, text)
        self.assertEqual(response.status_code, 200)
        return statements(response)

    def test_vucic_finds_the_claims_about_vucic(self):
        found = self.found("Vucic")
        self.assertTrue(found)
        self.assertIn(
            "President Aleksandar Vučić called Beijing Serbia's “most precious friend” when "
            "he met Xi Jinping in Moscow.",
            found,
        )

    def test_serbia_in_cyrillic_and_serbian_latin_find_the_same_claims(self):
        cyrillic, latin = self.found("Србија"), self.found("Srbija")
        self.assertTrue(cyrillic)
        self.assertCountEqual(cyrillic, latin)
        self.assertIn(
            "Serbia has acquired Chinese drones and surface-to-air missile systems.", latin
        )

    def test_pla_finds_the_peoples_liberation_army(self):
        self.assertIn(
            "The Peace Guardian 2025 exercise focused on the use of drones in special-forces "
            "tasks.",
            self.found("PLA"),
        )

    def test_belgarde_finds_the_seed_quote_about_belgrade(self):
        self.assertIn(
            "Serbia's defence ministry praised the Chinese forces at Peace Guardian 2025 for "
            "their organisation and professionalism.",
            self.found("Belgarde"),
        )

    def test_beijng_finds_beijing(self):
        found = self.found("Beijng")
        self.assertIn(
            "President Aleksandar Vučić called Beijing Serbia's “most precious friend” when "
            "he met Xi Jinping in Moscow.",
            found,
        )

    def test_the_draft_never_surfaces(self):
        # The draft claim's words, its actor's name and the draft article's quote, which
        # backs a published claim: none of them finds anything.
        for text in ["Zanzibarite", "Zanzibarit", "Draft-only Actor", "observers confirmed"]:
            with self.subTest(text):
                self.assertEqual(self.found(text), [])
