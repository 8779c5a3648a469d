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
from django.test import TestCase
from django.urls import reverse

from articles import search as search_module
from articles.models import Actor, ClaimActor, Evidence

from .factories import country, make_actor, make_article, make_claim, make_event, state

STATEMENT = re.compile(r'<p class="claim-statement"><a href="[^"]*">(.*?)</a></p>', re.S)

DRILL = "Serbian and Chinese special forces held a joint drill in Hebei province."
NAVAL = "The two navies held a joint naval drill in the Adriatic."
PRAISE = "Serbia's defence ministry praised the Chinese forces for their organisation."
FRIEND = "President Vučić called China a most precious friend."
SANCTIONS = "ECOWAS lifted most of its sanctions on Niger."
GENEVA = "Officials met in Geneva to discuss the harbour."
DRAFT_CLAIM = "Zanzibarite envoys met President Vučić in secret."


def search(client, text, **params):
    return client.get(reverse("claim_list"), {"q": text, **params})


def statements(response):
    """The statements of the claims listed, in page order, with <mark> tags removed."""
    return [
        html.unescape(re.sub(r"</?mark>", "", text))
        for text in STATEMENT.findall(response.content.decode())
    ]


def marked(response):
    """The words wrapped in <mark> in the results list."""
    rows = "".join(STATEMENT.findall(response.content.decode()))
    return [html.unescape(word) for word in re.findall(r"<mark>(.*?)</mark>", rows)]


class SearchFixture(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.serbia = state("RS")
        cls.serbia.aliases = "Србија\nSrbija\nRepublic of Serbia"
        cls.serbia.save()
        cls.china = state("CN")
        cls.china.aliases = "PRC\n中国"
        cls.china.save()
        cls.pla = make_actor(
            name="People's Liberation Army",
            slug="peoples-liberation-army",
            kind=Actor.Kind.ARMED_FORCES,
            country=country("CN"),
            aliases="PLA\nChinese People's Liberation Army",
        )
        # No ASCII alias: "Vucic" must find him by folding accents, not through an alias.
        cls.vucic = make_actor(
            name="Aleksandar Vučić",
            slug="aleksandar-vucic",
            kind=Actor.Kind.PERSON,
            country=country("RS"),
            aliases="Александар Вучић",
        )
        cls.niger = state("NE")
        cls.moscow = make_event(name="Victory Day commemorations in Moscow", slug="victory-day")

        def claim(statement, actors, quote, title=None, **fields):
            article = make_article(body=f"Some context first.\n{quote}\nMore context.")
            if title:
                article.title = title
                article.save()
            return make_claim(actors, article=article, quote=quote, statement=statement, **fields)

        cls.drill = claim(
            DRILL,
            [cls.serbia, cls.pla],
            "Troops from both armies trained near Beijing for ten days.",
        )
        cls.naval = claim(NAVAL, [cls.serbia], "Ships from both fleets sailed together.")
        cls.praise = claim(
            PRAISE,
            [(cls.serbia, "speaker")],
            "Belgrade was said to be impressed by its Chinese counterparts.",
        )
        cls.friend = claim(
            FRIEND,
            [cls.vucic, cls.china],
            "He described the country as a most precious friend.",
            event=cls.moscow,
        )
        cls.sanctions = claim(
            SANCTIONS,
            [cls.niger],
            "Leaders agreed to lift the freeze on financial transactions.",
            title="West African bloc reopens borders",
        )
        cls.sanctions_article = cls.sanctions.evidence.get().article
        # Published, with published evidence, and with evidence from a draft article whose
        # quote and title must never make it match.
        cls.geneva = claim(GENEVA, [state("US")], "Delegations met by the lake.")
        cls.draft_article = make_article(
            title="Quibbling Zanzibarite memo",
            body="Zanzibarite observers confirmed the harbour deal.",
            status="draft",
        )
        Evidence.objects.create(
            claim=cls.geneva,
            article=cls.draft_article,
            quote="Zanzibarite observers confirmed the harbour deal.",
        )
        cls.draft = make_claim(
            [cls.vucic], statement=DRAFT_CLAIM, status="draft", quote="Zanzibarite envoys."
        )


class NamesTests(SearchFixture):
    def test_a_name_typed_without_accents_finds_the_accented_name(self):
        response = search(self.client, "Vucic")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(statements(response), [FRIEND])

    def test_a_name_typed_with_accents_finds_it_too(self):
        self.assertEqual(statements(search(self.client, "Vučić")), [FRIEND])

    def test_a_cyrillic_alias_finds_the_countrys_claims(self):
        self.assertCountEqual(statements(search(self.client, "Србија")), [DRILL, NAVAL, PRAISE])

    def test_a_latin_alias_in_another_language_finds_the_countrys_claims(self):
        self.assertCountEqual(statements(search(self.client, "Srbija")), [DRILL, NAVAL, PRAISE])

    def test_an_abbreviation_alias_finds_the_armed_forces(self):
        found = statements(search(self.client, "PLA"))
        self.assertIn(DRILL, found)
        self.assertNotIn(SANCTIONS, found)
        self.assertNotIn(FRIEND, found)

    def test_a_cyrillic_alias_of_a_person_finds_the_persons_claims(self):
        self.assertEqual(statements(search(self.client, "Вучић")), [FRIEND])

    def test_searching_is_not_case_sensitive(self):
        self.assertEqual(statements(search(self.client, "vUčIć")), [FRIEND])


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
        self.assertEqual(statements(response), [])
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            self.assertEqual(cursor.fetchone()[0], "0")

    def test_a_misspelled_city_in_a_quote_still_finds_its_claim(self):
        found = statements(search(self.client, "Belgarde"))
        self.assertIn(PRAISE, found)
        self.assertNotIn(SANCTIONS, found)

    def test_another_misspelling_still_finds_its_claim(self):
        found = statements(search(self.client, "Beijng"))
        self.assertIn(DRILL, found)
        self.assertNotIn(SANCTIONS, found)

    def test_a_misspelling_alongside_a_correct_word_finds_the_claim(self):
        found = statements(search(self.client, "impressed Belgarde"))
        self.assertIn(PRAISE, found)

    def test_a_misspelling_respects_the_other_filters(self):
        response = search(self.client, "Beijng", kind="arms")
        self.assertEqual(statements(response), [])

    def test_a_word_like_nothing_in_the_documents_finds_nothing(self):
        response = search(self.client, "xqzvkwj")
        self.assertEqual(statements(response), [])
        self.assertContains(response, "No published claims match.")

    def test_a_misspelled_search_highlights_the_word_it_matched(self):
        """
        search_claims() promises the words to highlight after a fuzzy match are the
        ones found in the documents. A statement containing the corrected word shows it
        marked, whatever the database.
        """
        claim = make_claim(
            [self.serbia],
            statement="Serbian officers visited Beijing in June.",
            quote="Officers visited the capital.",
        )
        response = search(self.client, "Beijng")
        self.assertIn(claim.statement, statements(response))
        self.assertIn("Beijing", marked(response))


class SyntaxTests(SearchFixture):
    def test_words_must_all_match(self):
        self.assertCountEqual(statements(search(self.client, "joint drill")), [DRILL, NAVAL])
        self.assertEqual(statements(search(self.client, "joint Hebei")), [DRILL])

    def test_a_quoted_phrase_matches_only_those_words_together(self):
        self.assertEqual(statements(search(self.client, '"joint drill"')), [DRILL])

    def test_or_matches_either_word(self):
        found = statements(search(self.client, "Niger or Hebei"))
        self.assertCountEqual(found, [SANCTIONS, DRILL])

    def test_or_joins_a_phrase_and_a_word(self):
        found = statements(search(self.client, '"joint drill" or Niger'))
        self.assertCountEqual(found, [DRILL, SANCTIONS])

    def test_or_is_not_case_sensitive(self):
        self.assertCountEqual(statements(search(self.client, "Niger OR Hebei")), [SANCTIONS, DRILL])

    def test_a_minus_excludes_a_word(self):
        self.assertCountEqual(statements(search(self.client, "Chinese")), [DRILL, PRAISE])
        self.assertEqual(statements(search(self.client, "Chinese -Belgrade")), [DRILL])

    def test_a_minus_excludes_a_quoted_phrase(self):
        self.assertEqual(statements(search(self.client, 'joint -"joint drill"')), [NAVAL])

    def test_an_exclusion_alone_lists_everything_else(self):
        found = statements(search(self.client, "-Chinese"))
        self.assertNotIn(DRILL, found)
        self.assertNotIn(PRAISE, found)
        self.assertIn(SANCTIONS, found)
        self.assertIn(FRIEND, found)

    def test_a_search_combines_with_the_other_filters(self):
        response = search(self.client, "joint drill", country="cn")
        self.assertEqual(statements(response), [DRILL])

    def test_an_empty_search_lists_every_published_claim(self):
        self.assertEqual(len(statements(search(self.client, "   "))), 6)

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
        self.assertEqual(statements(response), [])

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
        self.assertNotContains(response, "<mark>")

    def test_a_statement_is_still_escaped_when_marked(self):
        make_claim(
            [self.serbia],
            statement="Officials said <b>Krakatoa</b> & more.",
            quote="Officials said so.",
        )
        response = search(self.client, "Krakatoa")
        self.assertContains(response, "&lt;b&gt;<mark>Krakatoa</mark>&lt;/b&gt; &amp; more.")
        self.assertNotContains(response, "<b>Krakatoa")


class CoverageTests(SearchFixture):
    def test_search_covers_statements(self):
        self.assertEqual(statements(search(self.client, "organisation")), [PRAISE])

    def test_search_covers_evidence_quotes(self):
        self.assertEqual(statements(search(self.client, "transactions")), [SANCTIONS])

    def test_search_covers_actor_names(self):
        self.assertEqual(statements(search(self.client, "Liberation")), [DRILL])

    def test_search_covers_event_names(self):
        self.assertEqual(statements(search(self.client, "commemorations")), [FRIEND])

    def test_search_covers_article_titles(self):
        self.assertEqual(statements(search(self.client, "reopens")), [SANCTIONS])

    def test_a_quote_only_in_a_draft_article_does_not_make_a_claim_match(self):
        response = search(self.client, "Zanzibarite")
        self.assertEqual(statements(response), [])
        self.assertContains(response, "No published claims match.")
        self.assertEqual(statements(search(self.client, "confirmed")), [])

    def test_a_draft_articles_title_does_not_make_a_claim_match(self):
        self.assertEqual(statements(search(self.client, "Quibbling")), [])

    def test_the_claims_own_published_words_still_match(self):
        self.assertEqual(statements(search(self.client, "harbour")), [GENEVA])

    def test_draft_claims_are_never_found(self):
        response = search(self.client, "Vucic")
        self.assertNotContains(response, "Zanzibarite")
        self.assertNotContains(response, "envoys")

    def test_a_misspelling_does_not_reach_draft_words_either(self):
        response = search(self.client, "Zanzibarit")
        self.assertEqual(statements(response), [])


class DocumentUpdateTests(SearchFixture):
    def test_a_new_alias_is_searchable_once_the_actor_is_saved(self):
        self.assertEqual(statements(search(self.client, "Jiefangjun")), [])
        self.pla.aliases += "\nJiefangjun"
        self.pla.save()
        self.assertEqual(statements(search(self.client, "Jiefangjun")), [DRILL])

    def test_a_removed_alias_no_longer_matches(self):
        self.serbia.aliases = "Republic of Serbia"
        self.serbia.save()
        self.assertEqual(statements(search(self.client, "Србија")), [])

    def test_a_renamed_actor_is_found_by_its_new_name(self):
        self.vucic.name = "Aleksandar Vučić Junior"
        self.vucic.save()
        self.assertEqual(statements(search(self.client, "Junior")), [FRIEND])

    def test_an_unpublished_articles_quotes_and_title_drop_out(self):
        self.assertEqual(statements(search(self.client, "freeze")), [SANCTIONS])
        self.sanctions_article.status = "draft"
        self.sanctions_article.save()
        self.assertEqual(statements(search(self.client, "freeze")), [])
        self.assertEqual(statements(search(self.client, "reopens")), [])
        # The claim's own statement is still searchable.
        self.assertEqual(statements(search(self.client, "ECOWAS")), [SANCTIONS])

    def test_a_published_draft_articles_quotes_become_searchable(self):
        self.draft_article.status = "published"
        self.draft_article.save()
        self.assertEqual(statements(search(self.client, "Zanzibarite")), [GENEVA])

    def test_new_evidence_makes_its_quote_searchable(self):
        article = make_article(body="The treaty was signed aboard the Krakatoa.")
        Evidence.objects.create(
            claim=self.friend, article=article, quote="signed aboard the Krakatoa"
        )
        self.assertEqual(statements(search(self.client, "Krakatoa")), [FRIEND])

    def test_deleted_evidence_takes_its_quote_away(self):
        self.friend.evidence.get().delete()
        self.assertEqual(statements(search(self.client, "precious")), [FRIEND])  # statement
        self.assertEqual(statements(search(self.client, "described")), [])

    def test_a_new_actor_role_makes_the_actor_searchable(self):
        ClaimActor.objects.create(claim=self.sanctions, actor=self.pla, role="observer")
        self.assertIn(SANCTIONS, statements(search(self.client, "Liberation")))

    def test_a_renamed_event_is_found_by_its_new_name(self):
        self.moscow.name = "Red Square parade"
        self.moscow.save()
        self.assertEqual(statements(search(self.client, "parade")), [FRIEND])
        self.assertEqual(statements(search(self.client, "commemorations")), [])

    def test_a_deleted_events_name_drops_out(self):
        """
        Deleting an event sets its claims' event to NULL with an UPDATE (on_delete=SET_NULL):
        no claim is saved, so nothing rebuilds their search documents.
        """
        self.moscow.delete()
        self.friend.refresh_from_db()
        self.assertIsNone(self.friend.event_id)
        self.assertEqual(statements(search(self.client, "commemorations")), [])

    def test_a_published_draft_claim_becomes_searchable(self):
        self.assertEqual(statements(search(self.client, "envoys")), [])
        self.draft.status = "published"
        self.draft.save()
        self.assertEqual(statements(search(self.client, "envoys")), [DRAFT_CLAIM])

    def test_an_edited_statement_is_searchable(self):
        self.naval.statement = "The two navies held a joint exercise near Kotor."
        self.naval.save()
        self.assertEqual(statements(search(self.client, "Kotor")), [self.naval.statement])


class RankingTests(SearchFixture):
    def test_a_statement_match_ranks_above_a_quote_match(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite does not rank: results keep the most recent order.")
        older = make_claim(
            [self.serbia],
            statement="Serbia announced a flotilla visit.",
            quote="No word of ships.",
            occurred_on=datetime.date(2020, 1, 1),
        )
        newer = make_claim(
            [self.serbia],
            statement="Officials made an announcement.",
            quote="A flotilla visit was planned.",
            occurred_on=datetime.date(2025, 12, 1),
        )
        self.assertEqual(
            statements(search(self.client, "flotilla")), [older.statement, newer.statement]
        )

    def test_a_chosen_sort_overrides_the_ranking(self):
        response = search(self.client, "joint drill", sort="added")
        self.assertEqual(statements(response), [NAVAL, DRILL])


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
