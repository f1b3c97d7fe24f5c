import csv
import json
import math
import re
from functools import cache
from pathlib import Path

import pytest

from jipp.core.domain.geo_svg import ProvincePath, arc_path, choropleth_classes, class_ranges, province_paths

DATA_DIR = Path(__file__).resolve().parents[3] / "jipp" / "regions" / "data"

NUMBER = r"-?\d+(?:\.\d)?"
PAIR = rf"{NUMBER} {NUMBER}"
SUBPATH = rf"M{PAIR}(?:L{PAIR}(?: {PAIR})*)?Z"
PATH_RE = re.compile(rf"(?:{SUBPATH})+")


@cache
def _geojson() -> dict:
    return json.loads((DATA_DIR / "indonesia-provinces.geojson").read_text(encoding="utf-8"))


@cache
def _paths(width: int = 1000) -> tuple[list[ProvincePath], tuple[float, float]]:
    return province_paths(_geojson(), width=width)


def _by_code() -> dict[str, ProvincePath]:
    return {p.code: p for p in _paths()[0]}


def _points(d: str) -> list[tuple[float, float]]:
    nums = [float(n) for n in re.findall(NUMBER, d)]
    return list(zip(nums[::2], nums[1::2], strict=True))


def _square(x: float, y: float, size: float) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _feature(code: str, *polygons: list[list[list[float]]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"KODE_PROV": code, "PROVINSI": f"P{code}"},
        "geometry": {"type": "MultiPolygon", "coordinates": list(polygons)},
    }


def test_province_paths_gives_all_38_provinces():
    paths, _ = _paths()
    assert len(paths) == 38
    assert len({p.code for p in paths}) == 38


def test_province_paths_codes_match_geojson_and_regions_csv():
    paths, _ = _paths()
    geo_codes = {f["properties"]["KODE_PROV"] for f in _geojson()["features"]}
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as fh:
        csv_codes = {row["code"] for row in csv.DictReader(fh) if row["level"] == "province"}
    assert {p.code for p in paths} == geo_codes == csv_codes
    assert _by_code()["35"].name == "Jawa Timur"
    assert [p.code for p in paths] == sorted(p.code for p in paths)


def test_province_paths_gives_well_formed_path_data():
    for p in _paths()[0]:
        assert PATH_RE.fullmatch(p.d), p.code


def test_province_paths_keeps_at_least_one_ring_per_province_even_when_coarse():
    for tolerance in (0.5, 5, 50):
        paths, _ = province_paths(_geojson(), tolerance=tolerance)
        assert len(paths) == 38
        for p in paths:
            assert p.d.count("M") >= 1, (tolerance, p.code)
            assert PATH_RE.fullmatch(p.d), (tolerance, p.code)


def test_province_paths_simplifies_more_with_a_larger_tolerance():
    fine = sum(len(p.d) for p in province_paths(_geojson(), tolerance=0)[0])
    default = sum(len(p.d) for p in _paths()[0])
    coarse = sum(len(p.d) for p in province_paths(_geojson(), tolerance=3)[0])
    assert coarse < default <= fine


def test_province_paths_stays_under_150_kb():
    for width in (1000, 2000):
        paths, _ = _paths(width)
        assert sum(len(p.d.encode()) for p in paths) < 150_000


def test_province_paths_projects_west_to_east_and_north_to_south():
    by_code = _by_code()
    aceh, papua = by_code["11"].centroid, by_code["91"].centroid
    assert aceh[0] < papua[0]
    # Kalimantan Utara lies north of Nusa Tenggara Timur: smaller y on screen.
    assert by_code["65"].centroid[1] < by_code["53"].centroid[1]
    # Sumatera Utara (north) above Lampung (south).
    assert by_code["12"].centroid[1] < by_code["18"].centroid[1]


def test_province_paths_fits_the_viewbox_and_keeps_the_aspect_ratio():
    paths, (width, height) = _paths()
    assert width == 1000
    # Indonesia spans ~46 deg of longitude and ~17 deg of latitude.
    assert 0.3 < height / width < 0.45
    for p in paths:
        for x, y in [*_points(p.d), p.centroid]:
            assert 0 <= x <= width and 0 <= y <= height, p.code


def test_province_paths_scales_with_width():
    _, (w1, h1) = province_paths(_geojson(), width=500)
    assert w1 == 500
    assert h1 == pytest.approx(_paths()[1][1] / 2, abs=0.2)


def test_province_paths_puts_the_label_point_inside_the_province():
    paths, _ = province_paths(_geojson(), tolerance=0)
    for p in paths:
        rings = [_points(sub) for sub in re.findall(SUBPATH, p.d)]
        crossings = 0
        for ring in rings:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                px, py = p.centroid
                if (y0 > py) != (y1 > py) and x0 + (py - y0) * (x1 - x0) / (y1 - y0) > px:
                    crossings += 1
        assert crossings % 2 == 1, p.code


def test_province_paths_rounds_to_one_decimal():
    for p in _paths()[0]:
        assert not re.search(r"\d\.\d\d", p.d)
        assert "-0 " not in p.d
        assert all(round(c, 1) == c for c in p.centroid)


def test_province_paths_drops_collapsed_islands_but_keeps_the_largest_ring():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            _feature("01", [_square(100, 0, 5)], [_square(120, 0, 0.001)]),
            _feature("02", [_square(100, -5, 0.0001)]),
        ],
    }
    paths, _ = province_paths(geojson, width=100, tolerance=1)
    by_code = {p.code: p for p in paths}
    assert by_code["01"].d.count("M") == 1
    assert by_code["02"].d.startswith("M") and by_code["02"].d.endswith("Z")


def test_province_paths_accepts_polygon_geometries_and_skips_empty_ones():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "properties": {"KODE_PROV": "1", "PROVINSI": "A"},
                "geometry": {"type": "Polygon", "coordinates": [_square(0, 0, 1)]},
            },
            {"properties": {"KODE_PROV": "2", "PROVINSI": "B"}, "geometry": None},
        ],
    }
    paths, (width, height) = province_paths(geojson, width=100)
    assert [p.code for p in paths] == ["1"]
    assert PATH_RE.fullmatch(paths[0].d)
    assert width == 100 and height == pytest.approx(100, abs=1)


def test_province_paths_of_an_empty_collection_is_empty():
    assert province_paths({"type": "FeatureCollection", "features": []}) == ([], (1000.0, 0.0))


@pytest.mark.parametrize("kwargs", [{"width": 0}, {"tolerance": -1}])
def test_province_paths_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        province_paths(_geojson(), **kwargs)


def test_choropleth_classes_quantile_spreads_values_evenly():
    values = {str(i): float(i) for i in range(10)}
    classes = choropleth_classes(values, bins=5)
    assert [classes[str(i)] for i in range(10)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_choropleth_classes_quantile_handles_skew_and_ties():
    values = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 1, "f": 2, "g": 50, "h": 400}
    classes = choropleth_classes(values, bins=4)
    assert {k: classes[k] for k in "abcd"} == dict.fromkeys("abcd", 0)
    ordered = [classes[k] for k in sorted(values, key=values.get)]
    assert ordered == sorted(ordered)
    assert classes["h"] == 3


def test_choropleth_classes_equal_interval():
    values = {"a": 0, "b": 10, "c": 49, "d": 50, "e": 100}
    assert choropleth_classes(values, bins=2, method="equal") == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}
    skewed = choropleth_classes({"a": 0, "b": 1, "c": 2, "d": 400}, bins=5, method="equal")
    assert skewed == {"a": 0, "b": 0, "c": 0, "d": 4}


@pytest.mark.parametrize("method", ["quantile", "equal"])
def test_choropleth_classes_all_equal_values_are_class_zero(method):
    assert choropleth_classes({"a": 7, "b": 7, "c": 7}, method=method) == {"a": 0, "b": 0, "c": 0}


def test_choropleth_classes_leaves_out_missing_values():
    classes = choropleth_classes({"a": 1, "b": None, "c": math.nan, "d": 3, "e": math.inf})
    assert set(classes) == {"a", "d"}
    assert choropleth_classes({}) == {}
    assert choropleth_classes({"a": None}) == {}


def test_choropleth_classes_stays_within_bins():
    values = {str(i): i * i for i in range(38)}
    for bins in (1, 3, 5, 7):
        classes = choropleth_classes(values, bins=bins)
        assert set(classes.values()) <= set(range(bins))
        assert max(classes.values()) == bins - 1


def test_choropleth_classes_rejects_bad_arguments():
    with pytest.raises(ValueError):
        choropleth_classes({"a": 1}, bins=0)
    with pytest.raises(ValueError):
        choropleth_classes({"a": 1, "b": 2}, method="jenks")  # type: ignore[arg-type]


def test_class_ranges_gives_min_and_max_per_class():
    values = {"a": 1, "b": 2, "c": 3, "d": 10, "e": None}
    classes = choropleth_classes(values, bins=2)
    assert class_ranges(values, classes) == {0: (1.0, 2.0), 1: (3.0, 10.0)}


def test_arc_path_is_a_quadratic_curve_between_the_points():
    assert arc_path((0, 0), (100, 0)) == "M0 0Q50 -20 100 0"
    assert arc_path((0, 0), (100, 0), bend=0) == "M0 0Q50 0 100 0"


def test_arc_path_bends_the_other_way_when_reversed():
    there = arc_path((10, 10), (90, 50))
    back = arc_path((90, 50), (10, 10))
    assert there != back
    assert re.fullmatch(rf"M{PAIR}Q{PAIR} {PAIR}", there)


def test_arc_path_between_province_centroids():
    by_code = _by_code()
    d = arc_path(by_code["35"].centroid, by_code["91"].centroid)
    x, y = by_code["35"].centroid
    assert d.startswith(f"M{x:g} {y:g}Q")


def test_arc_path_of_a_single_point_has_zero_length():
    assert arc_path((5, 5), (5, 5)) == "M5 5Q5 5 5 5"
