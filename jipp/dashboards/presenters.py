"""Turn summary figures into what a page draws: the province map and the charts (each with its title,
unit, table rows and CSV). Views, the portal and the PDF report all use these, so they show the same."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from jipp.core.domain.geo_svg import arc_path, choropleth_classes, class_ranges
from jipp.core.maps import province_shapes
from jipp.dashboards.domain import charts as C
from jipp.dashboards.domain import figures as F
from jipp.dashboards.measures import Measure
from jipp.dashboards.templatetags.dashboards import measure_value


@dataclass
class Chart:
    """A chart with everything around it: the SVG geometry, the table view and the CSV."""

    id: str
    title: str
    unit: str
    kind: str  # "bar" or "line"
    geometry: object
    columns: list[str]
    rows: list[dict] = field(default_factory=list)  # {"label", "values": [...], "url"}
    series: list[dict] = field(default_factory=list)  # line charts: {"key", "label", "css"}
    is_rate: bool = False

    def csv_rows(self):
        for row in self.rows:
            yield [row["label"], *[("" if v is None else round(v, 4)) for v in row["values"]]]


def bar_chart(
    chart_id: str, title, unit, items: list[tuple[str, float | None, str]], *, is_rate=False, value_label=None
) -> Chart:
    """Items are (label, value, url). Rates (0..1) are drawn in percent."""
    scale = 100 if is_rate else 1
    geometry = C.bar_chart([(label, None if v is None else v * scale) for label, v, _url in items])
    rows = [{"label": label, "values": [v], "url": url} for label, v, url in items]
    return Chart(
        id=chart_id,
        title=title,
        unit=unit,
        kind="bar",
        geometry=geometry,
        columns=[str(_("Item")), str(value_label or unit)],
        rows=rows,
        is_rate=is_rate,
    )


def line_chart(
    chart_id: str, title, unit, years: list[int], series: list[tuple[str, str, list[float | None]]]
) -> Chart:
    """Series are (key, label, values per year)."""
    geometry = C.line_chart([str(y) for y in years], {key: values for key, _label, values in series})
    rows = [
        {"label": str(y), "values": [values[i] for _k, _l, values in series], "url": ""} for i, y in enumerate(years)
    ]
    return Chart(
        id=chart_id,
        title=title,
        unit=unit,
        kind="line",
        geometry=geometry,
        columns=[str(_("Year")), *[str(label) for _k, label, _v in series]],
        rows=rows,
        series=[{"key": key, "label": label, "css": f"s{i}"} for i, (key, label, _v) in enumerate(series)],
    )


def map_classes(values: dict[str, float | None]) -> dict[str, int]:
    """Zero gets the lightest class of its own; the positive values share the other four by quantile.
    (Most measures are counts where many provinces have none: plain quantiles would lump them with
    the small ones and leave two classes.)"""
    positive = {k: v for k, v in values.items() if v is not None and v > 0}
    classes = {k: c + 1 for k, c in choropleth_classes(positive, bins=4).items()}
    classes.update({k: 0 for k, v in values.items() if v is not None and v <= 0})
    return classes


def province_map(
    values: dict[str, float | None],
    measure: Measure,
    *,
    urls: dict[str, str],
    hubs: set[str] = frozenset(),
    arcs: list[tuple[str, str, int]] | None = None,
) -> dict:
    """The choropleth: one shape per province with its class, value, rank and link; the legend's class
    ranges; hub marks; and, when `arcs` is given, replication arcs between provinces."""
    paths, view_box = province_shapes()
    classes = map_classes(values)
    ranks = F.ranks(values)
    shapes = []
    rank_text = str(_("rank %(rank)s"))
    hub_text = str(_("hub"))
    for p in paths:
        v = values.get(p.code)
        shown = measure_value(v, measure)
        label = f"{p.name}: {shown}"
        if p.code in ranks:
            label += " · " + rank_text % {"rank": ranks[p.code]}
        if p.code in hubs:
            label += " · " + hub_text
        shapes.append(
            {
                "code": p.code,
                "name": p.name,
                "d": p.d,
                "x": p.centroid[0],
                "y": p.centroid[1],
                "cls": f"q{classes[p.code]}" if p.code in classes else "no-data",
                "value": v,
                "shown": shown,
                "label": label,
                "rank": ranks.get(p.code),
                "url": urls.get(p.code, ""),
                "is_hub": p.code in hubs,
            }
        )
    scale = 100 if measure.is_rate else 1
    legend = [
        {"cls": f"q{cls}", "low": low * scale, "high": high * scale}
        for cls, (low, high) in class_ranges(values, classes).items()
    ]
    centroid = {p.code: p.centroid for p in paths}
    arc_items = []
    for source, adopter, n in arcs or []:
        if source in centroid and adopter in centroid:
            arc_items.append(
                {
                    "d": arc_path(centroid[source], centroid[adopter], 0.2),
                    "n": n,
                    "source": source,
                    "adopter": adopter,
                    "width": min(1 + n / 2, 6),
                }
            )
    names = {p.code: p.name for p in paths}
    for arc in arc_items:
        arc["title"] = f"{names[arc['source']]} → {names[arc['adopter']]}: {arc['n']}"
    return {
        "shapes": shapes,
        "view_box": view_box,
        "legend": legend,
        "measure": measure,
        "arcs": arc_items,
        "has_data": bool(classes),
    }
