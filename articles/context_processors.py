from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import get_language

from .languages import LANGUAGE_TAGS, versions


def canonical_url(request):
    """
    The page's address without its query string: the canonical URL unless a view knows better.

    Lazy: built only where a template prints it. Error pages do not, and the 400 page for a
    Host header that ALLOWED_HOSTS refuses could not build it (DisallowedHost again).
    """
    return {"default_canonical_url": lazy(request.build_absolute_uri, str)(request.path)}


def languages(request):
    """<html lang>, and the page's versions in each language (lazily: error pages need none)."""
    return {
        "html_lang": LANGUAGE_TAGS.get(get_language(), "en"),
        "language_versions": SimpleLazyObject(lambda: versions(request)),
    }
