"""The province map's shapes, read once per process from the project's GeoJSON (CC BY 4.0, see
`jipp/regions/data/SOURCES.md`). Shared by every app that draws the map."""

import functools
import json
from pathlib import Path

from django.conf import settings

from jipp.core.domain.geo_svg import province_paths

GEOJSON = Path(settings.BASE_DIR) / "jipp" / "regions" / "data" / "indonesia-provinces.geojson"


@functools.lru_cache(maxsize=1)
def province_shapes() -> tuple:
    """(paths, view_box): one `ProvincePath` per province, projected to a 1000-wide SVG."""
    with GEOJSON.open(encoding="utf-8") as handle:
        paths, view_box = province_paths(json.load(handle), width=1000)
    return tuple(paths), view_box
