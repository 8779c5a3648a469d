import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from .. import links
from ..languages import LANGUAGE_TAGS
from ..search import highlight as highlight_words

register = template.Library()


@register.filter
def language_tag(code):
    """A language code as <html lang> and hreflang write it: "sr-latn" is "sr-Latn"."""
    return LANGUAGE_TAGS.get(code, code)


@register.filter
def lang_if_other(tag):
    """
    ' lang="…"' for content in language `tag` (a statement, a quote) where it differs
    from the page's, so that screen readers and browsers read it as what it is.
    """
    page = get_language() or settings.LANGUAGE_CODE
    if not tag or tag.lower() in {page.lower(), LANGUAGE_TAGS.get(page, page).lower()}:
        return ""
    return format_html(' lang="{}"', tag)


# The characters that could end a <script> element or open a comment inside one.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def highlight(text, words):
    """{{ claim.statement|highlight:search_words }}: searched words in <mark>."""
    return highlight_words(text, words or ())


@register.filter
def web_url(url):
    """{{ article.url|web_url }}: the address if it is http(s), otherwise "" (never a link)."""
    return links.web_url(url)


class EscapedJSON:
    """JSON text escaped for a <script> element (see JSON_SCRIPT_ESCAPES): safe as it is."""

    def __init__(self, data):
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
        self.text = text.translate(JSON_SCRIPT_ESCAPES)

    def __html__(self):
        return self.text


@register.filter
def duration(value):
    """A timedelta in words: 30 minutes, 2 hours, 1 day."""
    minutes = int(value.total_seconds() // 60)
    if minutes >= 1440 and minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@register.simple_tag
def json_ld(data):
    """schema.org data in a <script type="application/ld+json"> block."""
    return format_html('<script type="application/ld+json">{}</script>', EscapedJSON(data))
