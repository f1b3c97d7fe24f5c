"""Province map as SVG path data, from the 38-province GeoJSON.

Pure Python, no Django: the dashboards render the result into an inline ``<svg>``
so the map works with no online service and no JavaScript.

- ``province_paths`` projects every province (equirectangular, scaled to a given
  width), simplifies its rings with Douglas-Peucker and returns one SVG path and a
  label point per province, plus the viewBox size.
- ``choropleth_classes`` / ``class_ranges`` put values into classes ``0..bins-1``
  (the CSS classes ``.q0`` ... ``.q4``) and describe each class for the legend.
- ``arc_path`` draws a replication arc between two label points.

Coordinates in the output are SVG user units (y grows downwards), rounded to
one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Point = tuple[float, float]
Ring = list[Point]

# Default Douglas-Peucker tolerance in output user units. At width=1000 the
# shipped GeoJSON comes out at roughly 20 KB of path data with this value,
# well under the 150 KB budget, and the coastlines still read at full width.
DEFAULT_TOLERANCE = 0.5

# Blank margin around the map, as a fraction of the width, so strokes on the
# outermost coastlines are not clipped by the viewBox.
_MARGIN = 0.005


@dataclass(frozen=True, slots=True)
class ProvincePath:
    """One province, ready for ``<path d="...">``.

    ``code`` is the Kemendagri province code (``"35"``), ``name`` the name from
    the GeoJSON, ``d`` the SVG path data (one ``M ... Z`` subpath per ring) and
    ``centroid`` a point inside the province's largest ring, for labels and
    arc endpoints.
    """

    code: str
    name: str
    d: str
    centroid: Point


def province_paths(
    geojson: Mapping[str, Any],
    width: int = 1000,
    tolerance: float = DEFAULT_TOLERANCE,
) -> tuple[list[ProvincePath], tuple[float, float]]:
    """Project and simplify every province of a FeatureCollection.

    Input: a GeoJSON FeatureCollection whose features are Polygon or
    MultiPolygon geometries (lon/lat, WGS84) with properties ``KODE_PROV`` and
    ``PROVINSI``. ``width`` is the viewBox width; ``tolerance`` is the
    Douglas-Peucker tolerance in the same user units (0 keeps every vertex).

    Output: ``(paths, (width, height))``. ``paths`` has one entry per feature
    with a geometry, sorted by code; ``height`` follows from the data's extent.

    Invariants: every province keeps at least one ring (its largest, if
    simplification would remove them all); every ring in ``d`` has at least
    three distinct points; x grows eastwards, y southwards; all coordinates lie
    within the viewBox.

    The projection is equirectangular with its standard parallel at the middle
    latitude of the data (about 2.5 deg S for Indonesia, so lon and lat degrees
    are nearly the same size on screen). Holes, if any, are emitted as further
    subpaths: render with ``fill-rule: evenodd``.
    """
    if width <= 0:
        raise ValueError("width must be positive")
    if tolerance < 0:
        raise ValueError("tolerance must not be negative")

    features = [f for f in geojson.get("features", []) if f.get("geometry")]
    polygons_by_feature = [_polygons(f["geometry"]) for f in features]
    all_points = [p for polys in polygons_by_feature for poly in polys for ring in poly for p in ring]
    if not all_points:
        return [], (float(width), 0.0)

    lon_min = min(p[0] for p in all_points)
    lon_max = max(p[0] for p in all_points)
    lat_min = min(p[1] for p in all_points)
    lat_max = max(p[1] for p in all_points)
    x_stretch = math.cos(math.radians((lat_min + lat_max) / 2))
    margin = width * _MARGIN
    span = max((lon_max - lon_min) * x_stretch, 1e-9)
    scale = (width - 2 * margin) / span
    height = _round((lat_max - lat_min) * scale + 2 * margin)

    def project(lon: float, lat: float) -> Point:
        return ((lon - lon_min) * x_stretch * scale + margin, (lat_max - lat) * scale + margin)

    result = []
    for feature, polygons in zip(features, polygons_by_feature, strict=True):
        props = feature.get("properties") or {}
        rings = [[project(lon, lat) for lon, lat in ring] for poly in polygons for ring in poly]
        rings = [r for r in rings if len(r) >= 3]
        if not rings:
            continue
        largest = max(rings, key=lambda r: abs(_signed_area(r)))
        kept = [s for s in (_simplify_ring(r, tolerance) for r in rings) if s]
        if not kept:
            # Everything collapsed below the tolerance: keep the largest ring as is.
            kept = [_clean_ring(largest)] if _clean_ring(largest) else [_rounded(largest)]
        result.append(
            ProvincePath(
                code=str(props.get("KODE_PROV", feature.get("id", ""))),
                name=str(props.get("PROVINSI", "")),
                d="".join(_ring_to_path(r) for r in kept),
                centroid=_label_point(largest),
            )
        )
    result.sort(key=lambda p: p.code)
    return result, (float(width), height)


def choropleth_classes(
    values: Mapping[str, float | None],
    bins: int = 5,
    *,
    method: Literal["quantile", "equal"] = "quantile",
) -> dict[str, int]:
    """Class index ``0..bins-1`` per key, for the ``.q0`` ... ``.q{bins-1}`` fills.

    ``method="quantile"`` (the default) ranks the values: a value's class is
    ``floor(bins * share of values strictly below it)``, so each class holds
    about the same number of provinces, which suits skewed counts (Java has
    far more innovations than Papua). Equal values always share a class, so
    with many ties some classes stay empty. ``method="equal"`` splits the range
    ``min..max`` into ``bins`` intervals of equal width.

    Missing values (``None``, NaN, infinities) are left out of the result:
    render those provinces as "no data", not as class 0. When every value is
    the same, all get class 0. Classes never decrease as values increase.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    clean = {k: float(v) for k, v in values.items() if _is_number(v)}
    if not clean:
        return {}
    low, high = min(clean.values()), max(clean.values())
    if low == high:
        return dict.fromkeys(clean, 0)
    if method == "equal":
        return {k: min(bins - 1, int((v - low) / (high - low) * bins)) for k, v in clean.items()}
    if method != "quantile":
        raise ValueError(f"unknown method {method!r}")
    ordered = sorted(clean.values())
    n = len(ordered)
    below: dict[float, int] = {}
    for i, v in enumerate(ordered):
        below.setdefault(v, i)
    return {k: min(bins - 1, bins * below[v] // n) for k, v in clean.items()}


def class_ranges(values: Mapping[str, float | None], classes: Mapping[str, int]) -> dict[int, tuple[float, float]]:
    """Smallest and largest value in each non-empty class, for the map legend.

    Input: the values and the result of ``choropleth_classes`` on them.
    Output: ``{class: (min, max)}`` for the classes that hold at least one value.
    """
    ranges: dict[int, tuple[float, float]] = {}
    for key, cls in classes.items():
        v = float(values[key])  # type: ignore[arg-type]
        lo, hi = ranges.get(cls, (v, v))
        ranges[cls] = (min(lo, v), max(hi, v))
    return dict(sorted(ranges.items()))


def arc_path(a: Point, b: Point, bend: float = 0.2) -> str:
    """Quadratic Bezier from ``a`` to ``b`` as SVG path data (``M ... Q ...``).

    The control point sits off the midpoint by ``bend`` times the distance
    ``a``-``b``, to the left of the direction of travel (a west-to-east arc
    bows north on screen), so ``a -> b`` and ``b -> a`` do not overlap.
    ``bend=0`` gives a straight line. If ``a == b`` the path has zero length.
    """
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    cx = (ax + bx) / 2 + dy * bend
    cy = (ay + by) / 2 - dx * bend
    return f"M{_fmt(ax)} {_fmt(ay)}Q{_fmt(cx)} {_fmt(cy)} {_fmt(bx)} {_fmt(by)}"


# --- helpers -----------------------------------------------------------------


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[Point]]]:
    """A geometry as a list of polygons (each a list of rings of (lon, lat))."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        return []
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in coords]


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _round(v: float) -> float:
    r = round(v, 1)
    return 0.0 if r == 0 else r  # no "-0.0"


def _fmt(v: float) -> str:
    s = f"{_round(v):.1f}"
    return s.removesuffix(".0")


def _rounded(ring: Iterable[Point]) -> Ring:
    return [(_round(x), _round(y)) for x, y in ring]


def _clean_ring(ring: Ring) -> Ring:
    """Round, drop the closing point and repeated points; [] if under 3 points remain."""
    out: Ring = []
    for p in _rounded(ring):
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out if len(set(out)) >= 3 else []


def _simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a closed ring; [] if it collapses below 3 points."""
    pts = list(ring)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if tolerance <= 0 or len(pts) <= 3:
        return _clean_ring(pts)
    # A closed ring has no natural endpoints: split it at the first point and
    # the point farthest from it, and simplify the two open halves.
    far = max(range(len(pts)), key=lambda i: _dist2(pts[0], pts[i]))
    first = _douglas_peucker(pts[: far + 1], tolerance)
    second = _douglas_peucker([*pts[far:], pts[0]], tolerance)
    return _clean_ring(first[:-1] + second[:-1])


def _douglas_peucker(points: Ring, tolerance: float) -> Ring:
    """Iterative Douglas-Peucker on an open polyline; keeps both endpoints."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    tol2 = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        start, end = stack.pop()
        best, best_i = -1.0, -1
        for i in range(start + 1, end):
            d = _seg_dist2(points[i], points[start], points[end])
            if d > best:
                best, best_i = d, i
        if best_i != -1 and best > tol2:
            keep[best_i] = True
            stack.append((start, best_i))
            stack.append((best_i, end))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _dist2(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _seg_dist2(p: Point, a: Point, b: Point) -> float:
    """Squared distance from p to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return _dist2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return _dist2(p, (a[0] + t * dx, a[1] + t * dy))


def _ring_to_path(ring: Ring) -> str:
    head, *rest = ring
    line = "L" + " ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in rest) if rest else ""
    return f"M{_fmt(head[0])} {_fmt(head[1])}{line}Z"


def _signed_area(ring: Ring) -> float:
    n = len(ring)
    return sum(ring[i][0] * ring[(i + 1) % n][1] - ring[(i + 1) % n][0] * ring[i][1] for i in range(n)) / 2


def _label_point(ring: Ring) -> Point:
    """Area centroid of the ring, moved inside it when the shape is concave.

    Sulawesi's provinces are the usual case: their centroid can fall in a bay.
    Then we take the middle of the widest inside stretch of the horizontal line
    through the centroid (or through the ring's middle, if that line misses).
    """
    n = len(ring)
    area = _signed_area(ring)
    if area == 0:
        cx = sum(p[0] for p in ring) / n
        cy = sum(p[1] for p in ring) / n
        return (_round(cx), _round(cy))
    cx = cy = 0.0
    for i in range(n):
        (x0, y0), (x1, y1) = ring[i], ring[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    cx, cy = cx / (6 * area), cy / (6 * area)
    if _inside((cx, cy), ring):
        return (_round(cx), _round(cy))
    ys = [p[1] for p in ring]
    for y in (cy, (min(ys) + max(ys)) / 2):
        xs = sorted(_crossings(ring, y))
        spans = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        if spans:
            lo, hi = max(spans, key=lambda s: s[1] - s[0])
            return (_round((lo + hi) / 2), _round(y))
    return (_round(cx), _round(cy))


def _crossings(ring: Ring, y: float) -> list[float]:
    """x where the ring's edges cross the horizontal line at y (half-open rule)."""
    xs = []
    n = len(ring)
    for i in range(n):
        (x0, y0), (x1, y1) = ring[i], ring[(i + 1) % n]
        if (y0 > y) != (y1 > y):
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return xs


def _inside(p: Point, ring: Ring) -> bool:
    return sum(1 for x in _crossings(ring, p[1]) if x > p[0]) % 2 == 1
