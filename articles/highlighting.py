"""An article's text with the quotes that back claims marked, each linking to its claim."""

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString


def highlighted_body(article, evidence):
    """
    The article's paragraphs with every evidence quote in a <mark> linking to its claim.

    Quotes are found with the same tolerant matching the admin validates with. They may
    nest or overlap, and a quote may run over a paragraph break, so each paragraph is cut
    at every quote boundary: a piece inside quotes links to the innermost one (the one
    that starts last), and each quote's anchor (#evidence-<id>) stands where it starts.

    Linear in the length of the body: the quotes are found in one normalised copy of it
    (Article.normalised_body), and each paragraph only looks at the quotes that reach it.
    """
    spans = sorted(
        ((*span, item) for item in evidence if (span := item.span()) is not None),
        key=lambda found: found[:2],
    )
    body, paragraphs, offset = article.body, [], 0
    waiting, reaching = iter(spans), []
    upcoming = next(waiting, None)
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        # The quotes that overlap this paragraph: those already open, and those starting in it.
        while upcoming is not None and upcoming[0] < end:
            reaching.append(upcoming)
            upcoming = next(waiting, None)
        reaching = [span for span in reaching if span[1] > start]
        if not line.strip():
            continue
        if reaching:
            paragraphs.append(highlighted_paragraph(body, start, end, reaching))
        else:
            paragraphs.append(escape(line))
    html = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return SafeString(html)  # nosec B703: each piece of it was escaped


def highlighted_paragraph(body, start, end, spans):
    cuts = sorted({start, end} | {p for s, e, _ in spans for p in (s, e) if start < p < end})
    pieces = []
    for piece_start, piece_end in itertools.pairwise(cuts):
        text = escape(body[piece_start:piece_end])
        anchors = [item.anchor for s, _, item in spans if s == piece_start]
        covering = [(s, item.pk, item) for s, e, item in spans if s <= piece_start < e]
        if not covering:
            pieces.append(text)
            continue
        innermost = max(covering, key=lambda found: found[:2])[2]
        pieces.append(
            "".join(f'<span id="{escape(a)}"></span>' for a in anchors[1:])
            + "<mark"
            + (f' id="{escape(anchors[0])}"' if anchors else "")
            + f'><a href="{escape(innermost.claim.get_absolute_url())}">{text}</a></mark>'
        )
    return "".join(pieces)
