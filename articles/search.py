"""
Search that understands names.

Every claim keeps a search document: its statement, the names and aliases of its
actors, its event, and the quotes and titles of the published articles behind it, all
folded (lower case, Serbian Cyrillic in Latin, accents removed) so that "Vucic" and
"Вучић" find "Vučić". Aliases carry other names and scripts ("Srbija" is one of Serbia's).

On PostgreSQL the document is also stored as a weighted tsvector with a GIN index and
queried with web-search syntax ("quoted phrases", or, -word), ranked; when that finds
nothing, trigram word similarity finds misspellings such as "Belgarde". On SQLite (the
demo) the same syntax is matched with LIKE, and misspellings with difflib.
"""

import difflib
import functools
import re
import sys
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.utils.html import format_html, format_html_join

from .pg import StatementTimeout, statement_timeout
from .scripts import to_latin

SEARCH_CONFIG = "english"
# Letters that Unicode does not decompose into a base letter and an accent.
EXTRA_FOLDS = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i"})
TOKEN = re.compile(r'-?"[^"]*"?|\S+')
WORD = re.compile(r"\w+")
MAX_TERMS = 12
# pg_trgm word similarity: 'belgarde' against 'belgrade' scores 0.44.
FUZZY_MIN_SIMILARITY = 0.4
FUZZY_LIMIT = 500
FUZZY_TIMEOUT = "1s"


@functools.cache
def combining_marks():
    """A character class of every character unicodedata.combining() calls one."""
    ranges, start = [], None
    for code in range(sys.maxunicode + 2):
        marked = code <= sys.maxunicode and unicodedata.combining(chr(code)) != 0
        if marked and start is None:
            start = code
        elif not marked and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    return re.compile(f"[{''.join(ranges)}]")


def fold(text):
    """
    Lower case, Serbian Cyrillic in Latin, without accents: 'Vučić' and 'Вучић' are
    both 'vucic'. Other scripts are kept as they are.
    """
    if text.isascii():  # most text, and the fast way
        return text.lower()
    text = to_latin(text.casefold())
    text = combining_marks().sub("", unicodedata.normalize("NFKD", text))
    return text.translate(EXTRA_FOLDS)


class DocumentVector(Func):
    """
    The weighted tsvector of a search document "statement\nnames\nquotes": the
    statement weighs most (A), then the names (B), then the quotes and titles (C).
    PostgreSQL computes it (a generated column); elsewhere it is NULL.
    """

    output_field = SearchVectorField(null=True)
    template = " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, "
        f"split_part(%(expressions)s, E'\\n', {part})), '{weight}')"
        for part, weight in ((1, "A"), (2, "B"), (3, "C"))
    )

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


def uses_postgres():
    return connection.vendor == "postgresql"


class Query:
    """
    A parsed web-search query: required terms (words or "phrases"), excluded terms and
    groups of alternatives joined by `or`. Nothing a reader can type makes it fail.
    """

    def __init__(self, text):
        self.text = text
        self.groups = []  # each group: alternatives, any of which must match
        self.excluded = []
        tokens = TOKEN.findall(fold(text))[: MAX_TERMS * 2]
        join_next = False
        for token in tokens:
            if token == "or":
                join_next = bool(self.groups)
                continue
            negative = token.startswith("-") and len(token) > 1
            term = " ".join(WORD.findall(token.lstrip("-")))
            if not term:
                continue
            if negative:
                self.excluded.append(term)
            elif join_next:
                self.groups[-1].append(term)
            else:
                self.groups.append([term])
            join_next = False
        self.groups = self.groups[:MAX_TERMS]
        self.excluded = self.excluded[:MAX_TERMS]

    def __bool__(self):
        return bool(self.groups or self.excluded)

    @property
    def words(self):
        """The single words a reader looked for, for highlighting."""
        return [word for group in self.groups for term in group for word in term.split()]

    def like_filter(self):
        condition = self.exclusions()
        for group in self.groups:
            alternatives = Q()
            for term in group:
                alternatives |= Q(search_document__contains=term)
            condition &= alternatives
        return condition

    def exclusions(self):
        condition = Q()
        for term in self.excluded:
            condition &= ~Q(search_document__contains=term)
        return condition


# --- words for the read engine (PostgreSQL) ----------------------------------------------

TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(?::[*A-D]+)?|<->|<\d+>|[&|!()]")


def tsquery(text):
    """
    What PostgreSQL makes of a web search (its stemming, stop words, quotes, `or` and
    `-`) as a tree the read engine evaluates: ("word", lexeme), ("not", node),
    ("and" | "or" | "phrase", [nodes]); None when it keeps no word ("the"). One query,
    no table read.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, fold(text)]
        )
        parsed = cursor.fetchone()[0]
    tokens = [
        ("word", match.group(1).replace("''", "'")) if match.group(1) is not None else match.group()
        for match in TSQUERY_TOKEN.finditer(parsed)
    ]
    if not tokens:
        return None
    node, rest = either(tokens)
    return node if not rest else None


def either(tokens):
    node, tokens = every(tokens)
    nodes = [node]
    while tokens and tokens[0] == "|":
        node, tokens = every(tokens[1:])
        nodes.append(node)
    return (nodes[0] if len(nodes) == 1 else ("or", nodes)), tokens


def every(tokens):
    node, tokens = phrase(tokens)
    nodes = [node]
    while tokens and tokens[0] == "&":
        node, tokens = phrase(tokens[1:])
        nodes.append(node)
    return (nodes[0] if len(nodes) == 1 else ("and", nodes)), tokens


def phrase(tokens):
    node, tokens = term(tokens)
    nodes = [node]
    while tokens and isinstance(tokens[0], str) and tokens[0].startswith("<"):
        node, tokens = term(tokens[1:])
        nodes.append(node)
    return (nodes[0] if len(nodes) == 1 else ("phrase", nodes)), tokens


def term(tokens):
    first, rest = tokens[0], tokens[1:]
    if first == "!":
        node, rest = term(rest)
        return ("not", node), rest
    if first == "(":
        node, rest = either(rest)
        return node, rest[1:]  # the ")"
    return first, rest


def has_phrase(node):
    return node[0] == "phrase" or (node[0] != "word" and any(map(has_phrase, children(node))))


def children(node):
    return [node[1]] if node[0] == "not" else node[1]


def verified(queryset, ids, text):
    """The claims among `ids` whose documents match `text`, phrases and all (PostgreSQL)."""
    tsquery = SearchQuery(fold(text), search_type="websearch", config=SEARCH_CONFIG)
    return list(queryset.filter(pk__in=ids, search_vector=tsquery).values_list("pk", flat=True))


def ranks(queryset, ids, text):
    """{id: relevance} of these claims for `text` (PostgreSQL): one query."""
    tsquery = SearchQuery(fold(text), search_type="websearch", config=SEARCH_CONFIG)
    return dict(
        queryset.filter(pk__in=ids)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .values_list("pk", "rank")
    )


# Up to this many matches are ranked by relevance; more are listed by date (ranking
# scores every match, which takes seconds for a common word at a million claims).
RANK_AT_MOST = 10_000


def matching(queryset, text):
    """
    The ids of the claims of `queryset` matching `text` (all of them: the read engine
    intersects them with the other filters; None when `text` holds no word), their
    relevance {id: rank} when PostgreSQL ranks them and there are at most RANK_AT_MOST,
    and the words to highlight (the document's words after a misspelling).
    """
    query = Query(text)
    if not query:  # nothing but punctuation: no words to look for
        return None, None, []
    if uses_postgres():
        tsquery = SearchQuery(fold(text), search_type="websearch", config=SEARCH_CONFIG)
        found = queryset.filter(search_vector=tsquery)
        found = found.annotate(rank=SearchRank(F("search_vector"), tsquery))
    else:
        found = queryset.filter(query.like_filter())
    ids, ranks = ids_and_ranks(found)
    words = query.words
    if not ids and query.groups:  # nothing: perhaps a misspelling
        found, words = (fuzzy_postgres if uses_postgres() else fuzzy_sqlite)(queryset, query)
        ids, ranks = ids_and_ranks(found)
    return ids, ranks, words


def ids_and_ranks(found):
    """
    The ids of `found` and, when it is ranked (PostgreSQL) and holds at most
    RANK_AT_MOST claims, their ranks: one query, or two when there are more.
    """
    if "rank" not in found.query.annotations:
        return list(found.order_by().values_list("pk", flat=True)), None
    rows = list(found.order_by().values_list("pk", "rank")[: RANK_AT_MOST + 1])
    if len(rows) <= RANK_AT_MOST:
        return [pk for pk, _ in rows], dict(rows)
    return list(found.order_by().values_list("pk", flat=True)), None


def fuzzy_postgres(queryset, query):
    """
    Every word must be similar to some word of the document (pg_trgm). Returns the
    matches and, for highlighting, the document words they were similar to.

    word_similarity() cannot use an index, so on a large database this scans every
    document: it is looked for once, among at most FUZZY_LIMIT claims, within
    FUZZY_TIMEOUT; past that the search finds nothing rather than holding a worker.
    """
    queryset = queryset.filter(query.exclusions())
    similarity = Value(0.0)
    matches = queryset
    for index, word in enumerate(query.words):
        name = f"similarity_{index}"
        matches = matches.annotate(
            **{name: TrigramWordSimilarity(Value(word), "search_document")}
        ).filter(**{f"{name}__gte": FUZZY_MIN_SIMILARITY})
        similarity = similarity + F(name)
    matches = matches.annotate(rank=similarity)
    try:
        with statement_timeout(FUZZY_TIMEOUT):
            found = list(
                matches.order_by("-rank").values_list("pk", "search_document")[:FUZZY_LIMIT]
            )
    except StatementTimeout:
        return queryset.none(), query.words
    vocabulary = set()
    for _, document in found[:50]:
        vocabulary.update(WORD.findall(document))
    words = [
        close
        for word in query.words
        for close in difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.6) or [word]
    ]
    return matches.filter(pk__in=[pk for pk, _ in found]), words


def fuzzy_sqlite(queryset, query):
    """Replace each word by its closest spelling found in the documents (difflib)."""
    queryset = queryset.filter(query.exclusions())
    vocabulary = set()
    for document in queryset.values_list("search_document", flat=True)[:5000]:
        vocabulary.update(WORD.findall(document))
    condition, words = Q(), []
    for word in query.words:
        matches = difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.75)
        if not matches:
            return queryset.none(), []
        alternatives = Q()
        for match in matches:
            alternatives |= Q(search_document__contains=match)
        condition &= alternatives
        words.extend(matches)
    return queryset.filter(condition), words


def highlight(text, words):
    """`text` with each word starting with one of `words` (accents ignored) in a <mark>."""
    stems = tuple({fold(word) for word in words if len(word) > 1})
    if not stems:
        return text
    marked, position = [], 0
    for match in WORD.finditer(text):
        if fold(match.group()).startswith(stems):
            marked.append((text[position : match.start()], match.group()))
            position = match.end()
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", marked), text[position:])
