"""An article's text with the quotes that back claims marked, each linking to its claim."""

import itertools

from django.utils.html import format_html, format_html_join


def highlighted_body(article, evidence):
    """
    The article's paragraphs with every evidence quote in a <mark> linking to its claim.

    Quotes are found with the same tolerant matching the admin validates with. They may
    nest or overlap, and a quote may run over a paragraph break, so each paragraph is cut
    at every quote boundary: a piece inside quotes links to the innermost one (the one
    that starts last), and each quote's anchor (#evidence-<id>) stands where it starts.
    """
    spans = [(*span, item) for item in evidence if (span := item.span()) is not None]
    paragraphs, offset = [], 0
    for line in article.body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            paragraphs.append(highlighted_paragraph(article.body, start, end, spans))
    return format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs))


def highlighted_paragraph(body, start, end, spans):
    cuts = sorted({start, end} | {p for s, e, _ in spans for p in (s, e) if start < p < end})
    pieces = []
    for piece_start, piece_end in itertools.pairwise(cuts):
        text = body[piece_start:piece_end]
        anchors = [item.anchor for s, _, item in spans if s == piece_start]
        covering = [(s, item.pk, item) for s, e, item in spans if s <= piece_start < e]
        if not covering:
            pieces.append(format_html("{}", text))
            continue
        innermost = max(covering, key=lambda found: found[:2])[2]
        pieces.append(
            format_html(
                '{}<mark{}><a href="{}">{}</a></mark>',
                format_html_join("", '<span id="{}"></span>', ((a,) for a in anchors[1:])),
                format_html(' id="{}"', anchors[0]) if anchors else "",
                innermost.claim.get_absolute_url(),
                text,
            )
        )
    return format_html_join("", "{}", ((piece,) for piece in pieces))
