"""
An article's text as paragraphs of sentences, each with where it stands in the body.

Sentences are found by syntok, a rule-based splitter that keeps quotations with their
sentence (“…,” the ministry said.), knows English abbreviations (Mr., U.S.) and splits
where a full stop lacks its space ("drones.China"). Serbian abbreviations are joined
back here (dr., gen., tzv., др.). A line of the body is a paragraph, as on the article's
page: a line that ends without a full stop ("…troops from Serbia") is a sentence too.
"""

import dataclasses
import re

from syntok import segmenter

# Serbian abbreviations after which a full stop does not end the sentence.
SERBIAN_ABBREVIATIONS = {
    "dr", "gen", "prof", "mr", "tzv", "npr", "itd", "sl", "br", "str", "god", "ul", "min",
    "др", "ген", "проф", "мр", "тзв", "нпр", "итд", "сл", "бр", "стр", "год", "ул", "мин",
}  # fmt: skip
LAST_WORD = re.compile(r"(\w+)\.$")


@dataclasses.dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def paragraphs(body):
    """The body's non-blank lines, each as a list of its sentences."""
    found, offset = [], 0
    for line in body.split("\n"):
        start = offset
        offset += len(line) + 1
        if line.strip():
            found.append([Sentence(start + s, start + e, line[s:e]) for s, e in split(line)])
    return found


def split(text):
    """(start, end) of each sentence of one paragraph of text."""
    spans = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = [token for token in sentence if token.value]
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            if spans and joins_previous(text[spans[-1][0] : spans[-1][1]]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def joins_previous(previous):
    """Whether the sentence before ends on an abbreviation, so that this one continues it."""
    match = LAST_WORD.search(previous)
    return bool(match) and match.group(1).lower() in SERBIAN_ABBREVIATIONS
