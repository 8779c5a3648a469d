#!/usr/bin/env python3
"""
Build articles/data/world-map.json, the country shapes of the claims map, from the
world-atlas package's TopoJSON (Natural Earth 1:50m admin-0 countries, public domain;
the package is ISC-licensed): run once, and again only to change the map's look.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_world_map.py package/countries-50m.json

It decodes the TopoJSON arcs, projects them with the Equal Earth projection (equal
areas, so large countries do not look larger than they are), simplifies each arc once
with Douglas–Peucker (shared borders stay shared, so neighbours never gap), rounds to
whole units of a 1000-unit-wide picture, drops islands too small to see, and writes one
SVG path per ISO 3166-1 alpha-2 code: {"width", "height", "source", "shapes": {code: d}}.
"""

import argparse
import json
import math
import sys
from pathlib import Path

import pycountry

WIDTH = 1000
# Douglas–Peucker tolerance and the smallest island kept, in the picture's units.
TOLERANCE = 0.5
MIN_AREA = 1.5
# The radius of the dot drawn for a country too small to see.
DOT = 2
# Space left above and below the land.
MARGIN = 4
# Shapes Natural Earth draws without an ISO number: where each belongs. Natural Earth
# follows the de facto borders; these follow ISO 3166 (and XK, the code in use for
# Kosovo, which the site's countries table has).
UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
# Antarctica takes a sixth of the picture for claims that are rare; left out (its
# claims are still in the table beside the map).
LEFT_OUT = {"AQ"}
OUTPUT = Path(__file__).resolve().parent.parent / "articles" / "data" / "world-map.json"

# Equal Earth (Šavrič, Patterson and Jenny, 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = 2.7066297319  # x at longitude 180°, latitude 0
Y_MAX = 1.3173627591  # y at latitude 90°


def equal_earth(lon, lat):
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lon)
        * math.cos(theta)
        / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    )
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    scale = WIDTH / (2 * X_MAX)
    return (x + X_MAX) * scale, (Y_MAX - y) * scale


def decode_arcs(topology):
    """Each arc as a list of (longitude, latitude) (TopoJSON's quantized deltas undone)."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def unwrapped(points):
    """The points with longitudes made continuous: 179, -179 becomes 179, 181."""
    result, shift = [], 0
    for n, (lon, lat) in enumerate(points):
        if n:
            step = lon + shift - result[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        result.append((lon + shift, lat))
    return result


def kept_points(points, tolerance):
    """Douglas–Peucker on the projected line: the indexes of the points to keep."""
    if len(points) < 3:
        return list(range(len(points)))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        worst, where = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, where = distance, i
        if where is not None and worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [n for n, kept in enumerate(keep) if kept]


def simplified(arc, tolerance):
    """
    The arc with only the points Douglas–Peucker keeps, judged where the map draws them
    (longitudes unwrapped, so an arc across the 180th meridian is one line). Each arc is
    simplified once, so the two countries a border separates keep the same line.
    """
    projected = [equal_earth(lon, lat) for lon, lat in unwrapped(arc)]
    return [arc[n] for n in kept_points(projected, tolerance)]


def ring_points(ring, arcs):
    """A ring's points from its arcs (a negative index ~i is arc i backwards)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points, keep_west):
    """Sutherland–Hodgman: the part of the ring west (or east) of longitude 180."""
    inside = (lambda lon: lon <= 180) if keep_west else (lambda lon: lon >= 180)
    result = []
    for n, current in enumerate(points):
        previous = points[n - 1]
        if inside(current[0]) != inside(previous[0]):
            (x1, y1), (x2, y2) = previous, current
            result.append((180, y1 + (y2 - y1) * (180 - x1) / (x2 - x1)))
        if inside(current[0]):
            result.append(current)
    return result


def pieces(points):
    """
    The ring as drawn: Natural Earth's rings may cross the 180th meridian (Chukotka,
    Fiji); such a ring is cut there into its western and eastern parts.
    """
    ring = unwrapped(points)
    if min(lon for lon, _ in ring) < -180:
        ring = [(lon + 360, lat) for lon, lat in ring]
    if max(lon for lon, _ in ring) <= 180:
        return [ring]
    west = clip(ring, keep_west=True)
    east = [(lon - 360, lat) for lon, lat in clip(ring, keep_west=False)]
    return [part for part in (west, east) if len(part) >= 3]


def projected(ring):
    """A lon/lat ring on the map; edges along the map's edge follow its curve."""
    result = []
    for n, (lon, lat) in enumerate(ring):
        previous_lon, previous_lat = ring[n - 1]
        if abs(lon) == 180 and previous_lon == lon:
            steps = int(abs(lat - previous_lat))
            for step in range(1, steps):
                result.append(equal_earth(lon, previous_lat + (lat - previous_lat) * step / steps))
        result.append(equal_earth(lon, lat))
    return result


def rounded(points):
    """Whole units, without repeated points."""
    result = []
    for x, y in points:
        point = (round(x), round(y))
        if not result or point != result[-1]:
            result.append(point)
    if len(result) > 1 and result[0] == result[-1]:
        result.pop()
    return result


def area(points):
    """The shoelace formula."""
    following = points[1:] + points[:1]
    pairs = zip(points, following, strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def path_data(rings):
    """SVG path data, relative moves after the first point: the shortest to write."""
    parts = []
    last = (0, 0)
    for ring in rings:
        (x, y), rest = ring[0], ring[1:]
        parts.append(f"M{x} {y}" if not parts else f"m{x - last[0]} {y - last[1]}")
        steps = []
        previous = (x, y)
        for px, py in rest:
            steps.append(f"{px - previous[0]} {py - previous[1]}")
            previous = (px, py)
        parts.append("l" + " ".join(steps) + "z")
        last = (x, y)  # after z, the current point is the ring's first
    return "".join(parts).replace(" -", "-")


def centre(points):
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


def dot(x, y):
    """A circle of radius DOT around (x, y), as path data."""
    x, y = round(x - DOT), round(y)
    return f"M{x} {y}a{DOT} {DOT} 0 1 0 {2 * DOT} 0a{DOT} {DOT} 0 1 0-{2 * DOT} 0z"


def alpha2(geometry):
    name = geometry["properties"]["name"]
    if geometry.get("id") is None:
        return UNNUMBERED.get(name)
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else None


def build(topology):
    raw = decode_arcs(topology)
    arcs = [simplified(arc, TOLERANCE) for arc in raw]
    shapes, dots, skipped = {}, {}, []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code is None or code in LEFT_OUT:
            skipped.append(geometry["properties"]["name"])
            continue
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}
        kept, largest = [], None
        for polygon in polygons.get(geometry["type"], []):
            rings = [
                [rounded(projected(piece)) for piece in pieces(ring_points(ring, arcs))]
                for ring in polygon
            ]
            for n, outer in enumerate(rings[0]):
                if len(outer) >= 3 and area(outer) >= MIN_AREA:
                    kept.append(outer)
                    if n == 0:  # holes (Lesotho in South Africa) cut the uncut outer ring
                        kept.extend(
                            hole
                            for parts in rings[1:]
                            for hole in parts
                            if len(hole) >= 3 and area(hole) >= MIN_AREA
                        )
            outer = [equal_earth(*point) for point in ring_points(polygon[0], raw)]
            if largest is None or area(outer) > area(largest):
                largest = outer
        if kept:
            shapes.setdefault(code, []).extend(kept)
        elif largest:
            # Too small to see at this scale (Monaco, Nauru…): a dot where it is, so
            # that it can still be shaded and clicked.
            dots[code] = centre(largest)
    # The picture ends where the land does (Antarctica being left out), with a margin.
    every = [point for rings in shapes.values() for ring in rings for point in ring]
    top = min(y for _, y in every) - MARGIN
    bottom = max(y for _, y in every) + MARGIN
    shapes = {
        code: [[(x, y - top) for x, y in ring] for ring in rings] for code, rings in shapes.items()
    }
    dots = {code: (x, y - top) for code, (x, y) in dots.items()}
    return {
        "width": WIDTH,
        "height": bottom - top,
        "source": "Natural Earth 1:50m admin-0 countries (public domain), from the "
        "world-atlas 2.0.2 package (ISC licence); Equal Earth projection; "
        "built by scripts/build_world_map.py",
        "shapes": {
            **{code: path_data(rings) for code, rings in sorted(shapes.items())},
            **{code: dot(*point) for code, point in sorted(dots.items()) if code not in shapes},
        },
    }, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    result, skipped = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    text = json.dumps(result, separators=(",", ":"), ensure_ascii=False)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(
        f"{args.output}: {len(result['shapes'])} countries, {len(text):,} bytes; "
        f"left out: {', '.join(sorted(skipped)) or 'none'}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
