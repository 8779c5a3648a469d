"""
A filter in words: what a feed's title, a download's file name and a list's heading say
it holds ("Claims: Serbia and China, military, 2025"; claims-rs-cn-military-2025.csv).
One function reads a valid FilterSet's values, so the three never disagree.
"""

import dataclasses

from django.utils.text import slugify
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .search import fold

# File names stay short enough for every file system and Content-Disposition header.
MAX_FILENAME = 100
# Kinds and verifications as a title says them ("Claims: Serbia, military"); the file
# name keeps the value itself.
VALUE_WORDS = {
    "military": pgettext_lazy("claims filtered by kind", "military"),
    "arms": pgettext_lazy("claims filtered by kind", "arms"),
    "diplomatic": pgettext_lazy("claims filtered by kind", "diplomatic"),
    "policy": pgettext_lazy("claims filtered by kind", "policy"),
    "economic": pgettext_lazy("claims filtered by kind", "economic"),
    "conflict": pgettext_lazy("claims filtered by kind", "conflict"),
    "other": pgettext_lazy("claims filtered by kind", "other"),
    "reported": pgettext_lazy("claims filtered by verification", "reported"),
    "corroborated": pgettext_lazy("claims filtered by verification", "corroborated"),
    "disputed": pgettext_lazy("claims filtered by verification", "disputed"),
    "refuted": pgettext_lazy("claims filtered by verification", "refuted"),
}


@dataclasses.dataclass(frozen=True)
class Description:
    # (words, slug) per filter, in a fixed order: places, who, what, where from, when, words.
    parts: tuple = ()

    def title(self):
        words = [text for text, _ in self.parts]
        if not words:
            return gettext("Claims")
        return gettext("Claims: %(filters)s") % {"filters": ", ".join(words)}

    def filename(self, noun="claims"):
        """An ASCII file name without extension: only letters, digits and hyphens."""
        slugs = [noun, *(slug for _, slug in self.parts if slug)]
        name = "-".join(slugs)[:MAX_FILENAME].strip("-")
        return name or noun


def ascii_slug(value):
    # Folded first (Vučić → vucic, Србија → srbija); other scripts drop out.
    return slugify(fold(str(value)))


def in_order(objects, codes):
    """Countries in the order the URL names them (a model field gives them by name)."""
    order = {code.upper(): n for n, code in enumerate(codes)}
    return sorted(objects, key=lambda country: order.get(country.code, len(order)))


def and_list(names):
    names = list(names)
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def describe(filterset=None, params=None, countries=(), actors=(), event=None):
    """
    The Description of a valid claims or articles FilterSet (None: no filters of the
    reader's), with the `countries`, `actors` and `event` a page stands for first.
    """
    data = filterset.form.cleaned_data if filterset is not None and filterset.is_valid() else {}
    if params is None and filterset is not None:
        params = filterset.data
    chosen = data.get("country")
    if chosen is not None and not isinstance(chosen, (list, tuple)) and hasattr(chosen, "code"):
        chosen = [chosen]  # the articles' filter takes one country
    chosen = in_order(chosen or (), params.getlist("country") if params else ())
    # Partners (countries of the claims' actors) read as countries do: "Serbia and China".
    partners = in_order(data.get("partner") or (), params.getlist("partner") if params else ())
    all_countries = list(dict.fromkeys([*countries, *chosen, *partners]))
    parts = []
    if all_countries:
        parts.append(
            (
                and_list(country.local_name for country in all_countries),
                "-".join(country.code.lower() for country in all_countries),
            )
        )
    for actor in [*actors, *(data.get("actor") or ())]:
        parts.append((actor.local_name, ascii_slug(actor.slug)))
    if event := event or data.get("event"):
        parts.append((event.local_name, ascii_slug(event.slug)))
    for key in ("kind", "verification"):
        for value in data.get(key) or ():
            parts.append((str(VALUE_WORDS.get(value, value)), ascii_slug(value)))
    if source := data.get("source"):
        parts.append((source.name, ascii_slug(source.slug)))
    if language := data.get("language"):
        parts.append((gettext("in %(language)s") % {"language": language}, ascii_slug(language)))
    first, last = (params.get(key, "").strip() if params else "" for key in ("from", "to"))
    if data.get("from") and data.get("to") and first == last:
        parts.append((first, ascii_slug(first)))
    else:
        if data.get("from"):
            # The file name stays English: from-2025-05.
            parts.append((gettext("from %(date)s") % {"date": first}, ascii_slug(f"from {first}")))
        if data.get("to"):
            parts.append((gettext("to %(date)s") % {"date": last}, ascii_slug(f"to {last}")))
    if query := data.get("q"):
        words = pgettext("words searched for, in quote marks", "“%(words)s”") % {"words": query}
        parts.append((words, ascii_slug(query)))
    return Description(tuple(parts))
