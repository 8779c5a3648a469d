"""
Quote matching on a long article: how long finding a quote takes, and marking quotes in
the article's page, on a generated body of `--megabytes` (2 MB by default).

    python -m bench.quotes [--megabytes 2] [--quotes 20]

No database: the article and its evidence are built in memory, as the article page and
the admin's form hold them. Prints one line per measure, in milliseconds per quote:

- find_quote(): normalising the body and searching it, for each quote anew (what one
  evidence form's validation costs);
- one article: the body normalised once, then every quote searched in it (what a form
  with several evidence rows, and the article page, cost per quote);
- highlighting: highlighted_body() with one quote, and with all of them.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "Serbian",
    "Chinese",
    "troops",
    "held",
    "joint",
    "drill",
    "near",
    "Beijing",
    "ministry",
    "said",
    "exercise",
    "showed",
    "exceptional",
    "level",
    "organisation",
    "officials",
    "described",
    "partnership",
    "model",
    "others",
    "“quoted”",
    "‘words’",
    "drones",
    "missiles",
    "neutrality",
    "Vučić",
    "Belgrade",
    "Hebei",
    "province",
]


def generated_body(size, seed=1):
    """About `size` characters of paragraphs, with curly quotes, double spaces and accents."""
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(20, 120))]
        if rng.random() < 0.2:
            words.insert(rng.randint(0, len(words)), " ")  # a run of spaces
        paragraph = " ".join(words) + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 1
    return "\n".join(paragraphs)


def quotes_from(body, count, seed=2):
    """`count` quotes of 60–200 characters cut from the body on spaces, spread through it."""
    rng = random.Random(seed)
    quotes = []
    for n in range(count):
        start = body.index(" ", len(body) * n // count + rng.randint(0, 1000)) + 1
        end = body.index(" ", start + rng.randint(60, 200))
        # Typed with straight quote marks and its line breaks as spaces, as pasted.
        quote = body[start:end].replace("\n", " ").replace("“", '"').replace("”", '"')
        quotes.append(quote)
    return quotes


def timed(function, repeat=3):
    """The best of `repeat` runs of function(), in milliseconds."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        took = (time.perf_counter() - start) * 1000
        best = took if best is None else min(best, took)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--quotes", type=int, default=20)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsclaims.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from articles.highlighting import highlighted_body
    from articles.models import Article, Claim, Evidence, NormalisedText, find_quote

    body = generated_body(int(args.megabytes * 1_000_000))
    quotes = quotes_from(body, args.quotes)
    for quote in quotes:
        assert find_quote(body, quote) is not None, quote

    each_anew = [timed(lambda q=quote: find_quote(body, q)) for quote in quotes]
    normalising = timed(lambda: NormalisedText(body))
    index = NormalisedText(body)
    searching = [timed(lambda q=quote: index.find(q)) for quote in quotes]

    def evidence(quotes):
        article = Article(pk=1, slug="long", body=body)
        return article, [
            Evidence(
                pk=n + 1, claim=Claim(pk=n + 1, slug=f"claim-{n}"), article=article, quote=quote
            )
            for n, quote in enumerate(quotes)
        ]

    one = timed(lambda: highlighted_body(*evidence(quotes[:1])))
    every = timed(lambda: highlighted_body(*evidence(quotes)))

    print(f"body: {len(body) / 1_000_000:.2f} MB, {body.count(chr(10)) + 1} paragraphs")
    print(
        f"find_quote(), each quote anew: {statistics.median(each_anew):.1f} ms per quote "
        f"(median of {len(quotes)}; slowest {max(each_anew):.1f} ms)"
    )
    print(
        f"one article: normalised once in {normalising:.1f} ms, then "
        f"{statistics.median(searching):.2f} ms per quote"
    )
    print(f"highlighting, one quote: {one:.1f} ms")
    print(
        f"highlighting, {len(quotes)} quotes: {every:.1f} ms "
        f"({every / len(quotes):.1f} ms per quote)"
    )


if __name__ == "__main__":
    main()
