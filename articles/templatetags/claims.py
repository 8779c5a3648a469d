import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..search import highlight as highlight_words

register = template.Library()

# The characters that could end a <script> element or open a comment inside one.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def highlight(text, words):
    """{{ claim.statement|highlight:search_words }}: searched words in <mark>."""
    return highlight_words(text, words or ())


@register.simple_tag
def json_ld(data):
    """schema.org data in a <script type="application/ld+json"> block, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )
