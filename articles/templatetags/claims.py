from django import template

from ..search import highlight as highlight_words

register = template.Library()


@register.filter
def highlight(text, words):
    """{{ claim.statement|highlight:search_words }}: searched words in <mark>."""
    return highlight_words(text, words or ())
