"""World maps drawn here without any tile server (the map of actions, the origins of seeds).

The base map is Natural Earth's country outlines at 1:110 million (public domain), which
the ``pyogrio`` wheel ships with its test data; ``pyshp`` reads them. They are projected
(equirectangular: longitude and latitude straight to x and y, so places are placed by the
same two lines of arithmetic), simplified (Douglas-Peucker, half a unit) and written once as
an SVG of about 40 KB that browsers cache; pages draw their markers over it in the same
coordinates and zoom by choosing the viewBox.

When the operator runs a tile server (``MINGA_MAP_TILE_URL``, e.g.
``https://tiles.example.org/{z}/{x}/{y}.png``), the map uses its tiles instead, in Web
Mercator, still without JavaScript.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WIDTH = 2000
HEIGHT = 1000
TOP_LATITUDE = 84.0
BOTTOM_LATITUDE = -60.0
SCALE = WIDTH / 360.0
TOLERANCE = 0.5
TILE = 256


def _outline_file() -> Path:
    spec = importlib.util.find_spec("pyogrio")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("pyogrio is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Longitude and latitude to map units (x to the east, y to the south)."""
    return (longitude + 180.0) * SCALE, (TOP_LATITUDE - latitude) * SCALE


VIEW_HEIGHT = (TOP_LATITUDE - BOTTOM_LATITUDE) * SCALE


def _distance(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]
) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: drop points closer than ``tolerance`` to the line they sit on."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if index != -1 and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _ring_path(ring: list[tuple[float, float]]) -> str:
    rounded = [(round(x), round(y)) for x, y in ring]
    compact: list[tuple[int, int]] = []
    for point in rounded:
        if not compact or compact[-1] != point:
            compact.append(point)
    if len(compact) < 3:
        return ""
    parts = [f"M{compact[0][0]} {compact[0][1]}"]
    previous = compact[0]
    steps = []
    for point in compact[1:]:
        steps.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
        previous = point
    parts.append("l" + " ".join(steps).replace(" -", "-"))
    return "".join(parts) + "z"


@cache
def country_paths() -> tuple[tuple[str, str], ...]:
    """(ISO code, SVG path data) of every country outline."""
    import shapefile

    reader = shapefile.Reader(str(_outline_file()))
    fields = [field[0] for field in reader.fields[1:]]
    paths = []
    for record in reader.shapeRecords():
        values = dict(zip(fields, record.record, strict=True))
        shape = record.shape
        bounds = [*shape.parts, len(shape.points)]
        rings = []
        for start, end in itertools.pairwise(bounds):
            ring = [project(lat, lon) for lon, lat in shape.points[start:end]]
            ring = simplify(ring, TOLERANCE)
            path = _ring_path(ring)
            if path:
                rings.append(path)
        if rings:
            paths.append((str(values.get("iso_a3", "")), "".join(rings)))
    return tuple(paths)


@cache
def base_svg() -> str:
    """The world's outlines as a standalone SVG in map units."""
    body = "".join(f'<path id="c-{code}" d="{path}"/>' for code, path in country_paths())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {VIEW_HEIGHT:.0f}" width="{WIDTH}" height="{VIEW_HEIGHT:.0f}">'
        f'<rect width="{WIDTH}" height="{VIEW_HEIGHT:.0f}" fill="#dfe9ef"/>'
        f'<g fill="#f4f1e8" stroke="#9b9687" stroke-width="0.8" stroke-linejoin="round">{body}</g>'
        "</svg>"
    )


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    title: str
    url: str
    count: int = 1


@dataclass(frozen=True)
class View:
    """What part of the map a page shows (map units)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def box(self) -> str:
        return f"{self.x:.0f} {self.y:.0f} {self.width:.0f} {self.height:.0f}"

    @property
    def radius(self) -> float:
        return max(2.0, self.width / 160)


WORLD = View(0, 0, WIDTH, VIEW_HEIGHT)


def view_for(points: Iterable[tuple[float, float]], *, margin: float = 40) -> View:
    """The smallest 2:1 view holding the points (the whole world when there are none)."""
    points = list(points)
    if not points:
        return WORLD
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    left, right = min(xs) - margin, max(xs) + margin
    top, bottom = min(ys) - margin, max(ys) + margin
    width = max(right - left, 160.0)
    height = max(bottom - top, 80.0)
    if width < height * 2:
        width = height * 2
    else:
        height = width / 2
    center_x, center_y = (left + right) / 2, (top + bottom) / 2
    x = min(max(center_x - width / 2, 0), max(WIDTH - width, 0))
    y = min(max(center_y - height / 2, 0), max(VIEW_HEIGHT - height, 0))
    if width >= WIDTH:
        return WORLD
    return View(x, y, width, min(height, VIEW_HEIGHT))


def markers(places: Iterable[tuple[float, float, str, str]]) -> list[Marker]:
    """Markers for (latitude, longitude, title, url); several at one spot become one."""
    grouped: dict[tuple[int, int], list[tuple[float, float, str, str]]] = {}
    for latitude, longitude, title, url in places:
        x, y = project(latitude, longitude)
        grouped.setdefault((round(x), round(y)), []).append((x, y, title, url))
    found = []
    for items in grouped.values():
        x, y, title, url = items[0]
        titles = "; ".join(item[2] for item in items[:5]) + ("…" if len(items) > 5 else "")
        found.append(Marker(x, y, titles, url, len(items)))
    return found


# Tiles of an operator's own tile server (Web Mercator) --------------------------------


def mercator(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """Pixel coordinates at a zoom level (OpenStreetMap's slippy-map scheme)."""
    latitude = max(min(latitude, 85.0511), -85.0511)
    size = TILE * 2**zoom
    x = (longitude + 180.0) / 360.0 * size
    sine = math.sin(math.radians(latitude))
    y = (0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)) * size
    return x, y


@dataclass(frozen=True)
class TileView:
    zoom: int
    x: float
    y: float
    width: float
    height: float
    tiles: tuple[tuple[str, float, float], ...]  # (url, x, y)

    @property
    def box(self) -> str:
        return f"{self.x:.0f} {self.y:.0f} {self.width:.0f} {self.height:.0f}"

    @property
    def radius(self) -> float:
        return max(3.0, self.width / 160)


def tile_view(
    template: str, points: Sequence[tuple[float, float]], *, width: int = 768, height: int = 384
) -> TileView:
    """The tiles covering the points at the largest zoom that holds them all."""
    zoom = 1
    if points:
        for candidate in range(14, 0, -1):
            projected = [mercator(lat, lon, candidate) for lat, lon in points]
            xs = [x for x, _y in projected]
            ys = [y for _x, y in projected]
            if max(xs) - min(xs) <= width * 0.85 and max(ys) - min(ys) <= height * 0.85:
                zoom = candidate
                break
        projected = [mercator(lat, lon, zoom) for lat, lon in points]
        center_x = (min(x for x, _ in projected) + max(x for x, _ in projected)) / 2
        center_y = (min(y for _, y in projected) + max(y for _, y in projected)) / 2
    else:
        center_x = center_y = TILE * 2**zoom / 2
    size = TILE * 2**zoom
    left = min(max(center_x - width / 2, 0), max(size - width, 0))
    top = min(max(center_y - height / 2, 0), max(size - height, 0))
    tiles = []
    for tile_x in range(int(left // TILE), int((left + width) // TILE) + 1):
        for tile_y in range(int(top // TILE), int((top + height) // TILE) + 1):
            if 0 <= tile_x < 2**zoom and 0 <= tile_y < 2**zoom:
                url = template.format(z=zoom, x=tile_x, y=tile_y)
                tiles.append((url, tile_x * TILE, tile_y * TILE))
    return TileView(zoom, left, top, width, height, tuple(tiles))
