"""
The claims map: a world map whose countries are shaded by how many claims of a filter
involve them, as an SVG file that reads the same on its own or in an <img>.

The shapes are a static asset (data/world-map.json, built by scripts/build_world_map.py
from Natural Earth through the world-atlas package). The parts of the picture that no
count changes are made once per process; a request only picks each country's shade and
link. Shades are `fill` attributes, not CSS: the site's Content-Security-Policy allows
no inline style, and an <img> loads no stylesheet.
"""

import csv
import functools
import json
from pathlib import Path

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from . import facets
from .feeds import xml_text
from .names import country_name, country_namer, language

DATA = Path(__file__).resolve().parent / "data"
# Sea, land without claims, the chosen countries, and shades from few claims to most:
# each shade darker than the last, the darkest with white text contrast to spare.
SEA = "#ffffff"
NO_CLAIMS = "#d9dde2"
CHOSEN = "#b43c0a"
SHADES = ("#c6dbef", "#8fbfe0", "#5a9bd0", "#2b6fb0", "#0b3f7a")
BORDER = "#ffffff"
LEGEND_HEIGHT = 52


def xml(value):
    """
    Text for the SVG: escaped, and without what XML 1.0 cannot carry (a name saved past
    the admin's validation would otherwise make the whole file unreadable).
    """
    return escape(xml_text(str(value)))


@functools.cache
def shapes():
    """(width, height, [(code, path data)]) of the asset, read once per process."""
    data = json.loads((DATA / "world-map.json").read_text(encoding="utf-8"))
    return data["width"], data["height"], list(data["shapes"].items())


@functools.cache
def country_names():
    """{code: name} from the list the countries table is made from (no query needed)."""
    with (DATA / "countries.csv").open(encoding="utf-8", newline="") as file:
        return {row["alpha2"]: row["name"] for row in csv.DictReader(file)}


@functools.cache
def thousands_separator(lang):
    return get_format("THOUSAND_SEPARATOR", lang)


def number_writer():
    """
    number(n): a count as the page's language writes it ("1,234", "1.234"), as
    number_format() would, with the language and its separator looked up once for the
    hundreds of numbers on a map rather than for each.
    """
    separator = thousands_separator(language())
    return lambda n: f"{n:,}".replace(",", separator)


def number(n):
    return number_writer()(n)


@functools.cache
def blank_shapes(lang):
    """
    {code: the <path> of a country without claims}, the same for every request in the
    page's language `lang` (the active one: the argument keys the cache).
    """
    names = country_names()
    return {
        code: f'<path data-country="{code}" fill="{NO_CLAIMS}" d="{d}">'
        "<title>"
        + xml(
            gettext("%(country)s: no claims")
            % {"country": country_name(code, names.get(code, code))}
        )
        + "</title></path>"
        for code, d in shapes()[2]
    }


def counted(found, params, fixed_countries=()):
    """
    Every country involved in the listing's claims, most first: {code, name, count,
    chosen, href}. `href` is the claims list of `params` with the country added (as it is
    for a country already chosen). `fixed_countries` are part of the filter without being
    in `params` (a country's page): they are added to the links. Names come from the read
    index (one query when it does not know them yet).
    """
    pairs = found.index.facets(found.matches.bitmap, {"country": None})["country"]
    names = facets.names_of({"country": pairs}, found.index)["country"]
    params = params.copy()
    for key in ("page", "sort"):
        params.pop(key, None)
    for country in fixed_countries:
        if country.slug not in {code.lower() for code in params.getlist("country")}:
            params.appendlist("country", country.slug)
    chosen = {code.lower() for code in params.getlist("country")}
    toggle = facets.Toggle(params, "country")
    here = reverse("claim_list")
    name_of = country_namer()
    items = []
    for pk, count in pairs:
        if pk not in names:
            continue
        code, name = names[pk]
        active = code in chosen
        items.append(
            {
                "code": code.upper(),
                "name": name_of(code.upper(), name),
                "count": count,
                "chosen": active,
                "href": here + (facets.facet_query(params) if active else toggle.href(code, False)),
            }
        )
    return items


def map_query(params, fixed_countries=()):
    """The query string of map.svg for a page's filters (its own countries included)."""
    params = params.copy()
    for key in ("page", "sort"):
        params.pop(key, None)
    for country in fixed_countries:
        params.appendlist("country", country.slug)
    return facets.facet_query(params)


def scale(items):
    """
    The upper bounds of up to five shades, growing geometrically up to the largest count
    of a country not chosen (a chosen country has every claim: it would flatten the rest).
    """
    top = max((item["count"] for item in items if not item["chosen"]), default=0)
    if not top:
        return []
    return sorted({max(1, round(top ** (step / len(SHADES)))) for step in range(1, 6)})


def shade_of(bounds):
    """Count → shade, spreading the bounds' shades over the palette's range."""
    if len(bounds) == 1:
        colours = [SHADES[-2]]
    else:
        last = len(SHADES) - 1
        colours = [SHADES[round(n * last / (len(bounds) - 1))] for n in range(len(bounds))]

    def shade(count):
        for bound, colour in zip(bounds, colours, strict=True):
            if count <= bound:
                return colour
        return colours[-1]

    return shade, colours


def legend(bounds, colours, any_chosen, y, number=number):
    entries = [(NO_CLAIMS, gettext("No claims"))]
    low = 1
    for bound, colour in zip(bounds, colours, strict=True):
        entries.append((colour, number(low) if low == bound else f"{number(low)}–{number(bound)}"))
        low = bound + 1
    if any_chosen:
        entries.append((CHOSEN, gettext("Chosen")))
    parts, x = [], 10
    for colour, label in entries:
        parts.append(
            f'<rect x="{x}" y="{y}" width="20" height="20" fill="{colour}" stroke="#545d68"/>'
            f'<text x="{x + 26}" y="{y + 16}">{xml(label)}</text>'
        )
        x += 40 + 10 * len(label)
    return (
        '<g aria-hidden="true" font-family="system-ui, sans-serif" font-size="18" '
        f'fill="#1b1f24">{"".join(parts)}</g>'
    )


def description(items, number=number):
    if not items:
        return gettext("No claims match these filters.")
    listed = ", ".join(f"{item['name']} {number(item['count'])}" for item in items)
    return gettext("Claims involving each country, most first: %(list)s.") % {"list": listed}


def svg(items, title=None):
    """The map as an SVG document (a string) for `counted()`'s items."""
    if title is None:
        title = gettext("Claims by country")
    width, height, all_shapes = shapes()
    blank = blank_shapes(language())
    number = number_writer()
    bounds = scale(items)
    shade, colours = shade_of(bounds) if bounds else (None, [])
    by_code = {item["code"]: item for item in items}
    paths, dots = [], []
    for code, d in all_shapes:
        item = by_code.get(code)
        if item is None:
            part = blank[code]
        else:
            count = item["count"]
            fill = CHOSEN if item["chosen"] else shade(count)
            label = ngettext(
                "%(country)s: %(count)s claim", "%(country)s: %(count)s claims", count
            ) % {"country": item["name"], "count": number(count)}
            part = (
                f'<a href="{escape(item["href"])}"><path data-country="{code}" fill="{fill}" '
                f'd="{d}"><title>{xml(label)}</title></path></a>'
            )
        # Dots (countries too small to draw, the only arcs) go on top of their neighbours.
        (dots if "a" in d else paths).append(part)
    total_height = height + LEGEND_HEIGHT
    any_chosen = any(item["chosen"] for item in items)
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
            f'width="{width}" height="{total_height}" role="img" '
            'aria-labelledby="map-title map-desc">',
            f'<title id="map-title">{xml(title)}</title>',
            f'<desc id="map-desc">{xml(description(items, number))}</desc>',
            f'<rect width="{width}" height="{total_height}" fill="{SEA}"/>',
            f'<g stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">',
            *paths,
            *dots,
            "</g>",
            legend(bounds, colours, any_chosen, height + 18, number),
            "</svg>\n",
        ]
    )


def size():
    """(width, height) of the picture, for <img> attributes that keep its place."""
    width, height, _ = shapes()
    return width, height + LEGEND_HEIGHT


def page_map(found, params, fixed_countries=()):
    """What includes/map.html shows: the SVG's address, its size and the same numbers."""
    items = counted(found, params, fixed_countries)
    width, height = size()
    return {
        "src": reverse("claim_map") + map_query(params, fixed_countries),
        "width": width,
        "height": height,
        "items": items,
        "top": ", ".join(f"{item['name']} {number(item['count'])}" for item in items[:5]),
    }
