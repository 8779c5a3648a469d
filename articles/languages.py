"""The site's languages: their tags and names, and a page's address in each of them."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

# Each language's tag for <html lang> and hreflang, and its name in itself.
LANGUAGE_TAGS = {"en": "en", "sr": "sr-Cyrl", "sr-latn": "sr-Latn"}
LANGUAGE_NAMES = {"en": "English", "sr": "Српски (ћирилица)", "sr-latn": "Srpski (latinica)"}


def translated(address, code):
    """
    A local address (path and query) in language `code`, whichever language it is in;
    as it is when it names no page.
    """
    source = translation.get_language_from_path(address.split("?")[0]) or settings.LANGUAGE_CODE
    with translation.override(source):
        return translate_url(address, code)


def versions(request):
    """
    The page in every language: [{code, tag, name, url, switch_url, current}], `url` the
    absolute address of the same page and filters in that language, `switch_url` the
    switcher's link (which also remembers the choice). Empty where the address is not a
    page (an error for an address that does not exist) or its host is refused.
    """
    current = translation.get_language()
    here = request.get_full_path()
    try:
        resolve(request.path_info)
        found = []
        for code, _name in settings.LANGUAGES:
            path = translated(here, code)
            found.append(
                {
                    "code": code,
                    "tag": LANGUAGE_TAGS[code],
                    "name": LANGUAGE_NAMES[code],
                    "url": request.build_absolute_uri(path),
                    "switch_url": reverse("choose_language")
                    + "?"
                    + urlencode({"language": code, "next": path}),
                    "current": code == current,
                }
            )
    except (Resolver404, DisallowedHost):
        return []
    # An address only one language has (nothing to translate) has no other versions.
    return found if len({version["url"] for version in found}) == len(found) else []
