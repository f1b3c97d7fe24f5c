import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipp.dashboards.domain.charts import bar_chart, line_chart, nice_ticks


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0.0, 1.0]),
        (7, [0.0, 2.0, 4.0, 6.0, 8.0]),
        (100, [0.0, 25.0, 50.0, 75.0, 100.0]),
        (1234, [0.0, 500.0, 1000.0, 1500.0]),
    ],
)
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == ticks


@given(st.floats(min_value=0.001, max_value=1e7))
def test_ticks_cover_the_maximum(maximum):
    ticks = nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum * (1 - 1e-9)
    assert len(ticks) <= 6


def test_bar_lengths_are_proportional_to_values():
    chart = bar_chart([("a", 50), ("b", 100), ("c", None)], width=600, label_width=100, value_room=100)
    a, b, c = chart.bars
    assert chart.plot_width == 400
    assert b.length == 400  # 100 is the top tick
    assert a.length == 200
    assert c.length == 0 and c.value is None
    assert a.y < b.y < c.y


def test_line_chart_breaks_at_missing_values():
    chart = line_chart(["2024", "2025", "2026"], {"x": [1, None, 3]}, width=300, height=100, left=0, right=0)
    series = chart.series[0]
    assert [p.category for p in series.points] == ["2024", "2026"]
    assert series.d.count("M") == 2
    assert [label for label, _x in chart.x_labels] == ["2024", "2025", "2026"]


def test_line_chart_refuses_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        line_chart(["a", "b", "c"], {"x": [1, 2]})
