"""Chart geometry for server-rendered SVG: horizontal bars and lines over years.

Pure Python. The functions take plain numbers and return coordinates in SVG user units
(y grows downwards); templates draw them and add the title, units, a table view and a CSV.
Scales always start at 0, so a bar's length is proportional to its value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 up to at least ``maximum`` (1, 2, 2.5 or 5 times a power of ten).

    Returns ``count + 1`` ticks or fewer; ``[0, 1]`` when ``maximum`` is 0 or not a number."""
    if not maximum or not math.isfinite(maximum) or maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum * (1 - 1e-12):
        ticks.append(float(f"{len(ticks) * step:.12g}"))
    return ticks


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    y: float
    length: float
    height: float
    x: float = 0.0  # where the bar starts

    @property
    def mid(self) -> float:
        """Where the bar's label and value sit (vertical middle)."""
        return round(self.y + self.height / 2, 1)

    @property
    def end(self) -> float:
        """Where the bar ends (the value is written just after it)."""
        return round(self.x + self.length, 1)


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    plot_x: float  # where bars start (labels sit left of it)
    plot_width: float
    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (value, x)

    @property
    def axis_y(self) -> float:
        return round(self.height - 18, 1)


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    width: float = 500,
    label_width: float = 170,
    bar_height: float = 22,
    gap: float = 8,
    value_room: float = 64,
) -> BarChart:
    """Horizontal bars, one per ``(label, value)`` in the given order. ``None`` draws no bar.

    The plot spans from ``label_width`` to ``width - value_room`` (room for the value at the bar's
    end); the scale runs from 0 to the last of ``nice_ticks`` of the largest value."""
    values = [v for _, v in items if v is not None and math.isfinite(v)]
    ticks = nice_ticks(max(values, default=0))
    top = ticks[-1]
    plot_width = max(width - label_width - value_room, 10)
    bars = []
    y = gap / 2
    for label, v in items:
        length = 0.0 if v is None or not math.isfinite(v) or v <= 0 else plot_width * v / top
        bars.append(Bar(label=label, value=v, y=round(y, 1), length=round(length, 1), height=bar_height, x=label_width))
        y += bar_height + gap
    height = round(y + 18, 1)  # room for the tick labels
    return BarChart(
        width=width,
        height=height,
        plot_x=label_width,
        plot_width=plot_width,
        bars=bars,
        ticks=[(t, round(label_width + plot_width * t / top, 1)) for t in ticks],
    )


@dataclass(frozen=True, slots=True)
class LinePoint:
    x: float
    y: float
    value: float
    category: str


@dataclass(frozen=True, slots=True)
class LineSeries:
    key: str
    d: str
    points: list[LinePoint]


@dataclass(frozen=True, slots=True)
class LineChart:
    width: float
    height: float
    left: float
    bottom: float
    right: float
    series: list[LineSeries]
    x_labels: list[tuple[str, float]]
    y_ticks: list[tuple[float, float]]  # (value, y)


def line_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    width: float = 480,
    height: float = 240,
    left: float = 56,
    right: float = 16,
    top: float = 12,
    bottom: float = 28,
) -> LineChart:
    """One polyline per series over evenly spaced categories (years). A ``None`` breaks the line.

    Each series must have one value per category."""
    for key, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"series {key!r} has {len(values)} values for {len(categories)} categories")
    numbers = [v for values in series.values() for v in values if v is not None and math.isfinite(v)]
    ticks = nice_ticks(max(numbers, default=0))
    y_top = ticks[-1]
    plot_w = width - left - right
    plot_h = height - top - bottom
    n = len(categories)

    def x_at(i: int) -> float:
        return round(left + (plot_w * (i + 0.5) / n if n else 0), 1)

    def y_at(v: float) -> float:
        return round(top + plot_h * (1 - v / y_top), 1)

    out = []
    for key, values in series.items():
        points: list[LinePoint] = []
        d: list[str] = []
        pen_down = False
        for i, v in enumerate(values):
            if v is None or not math.isfinite(v):
                pen_down = False
                continue
            p = LinePoint(x=x_at(i), y=y_at(v), value=v, category=categories[i])
            points.append(p)
            d.append(f"{'L' if pen_down else 'M'}{p.x:g} {p.y:g}")
            pen_down = True
        out.append(LineSeries(key=key, d="".join(d), points=points))
    return LineChart(
        width=width,
        height=height,
        left=left,
        bottom=round(height - bottom, 1),
        right=round(width - right, 1),
        series=out,
        x_labels=[(c, x_at(i)) for i, c in enumerate(categories)],
        y_ticks=[(t, y_at(t)) for t in ticks],
    )
