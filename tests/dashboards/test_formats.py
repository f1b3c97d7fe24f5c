from django.template import Context, Template
from django.utils import translation

from jipp.core.domain.geo_svg import choropleth_classes, class_ranges


def render(text: str, **context) -> str:
    return Template("{% load dashboards %}" + text).render(Context(context))


def test_numbers_in_indonesian_and_english():
    with translation.override("id"):
        assert render("{{ v|num:1 }}", v=1234.5) == "1.234,5"
        assert render("{{ v|num }}", v=1234567) == "1.234.567"
        assert render("{{ v|pct }}", v=0.4567) == "45,7 %"
    with translation.override("en"):
        assert render("{{ v|num:1 }}", v=1234.5) == "1,234.5"
        assert render("{{ v|num }}", v=1234567) == "1,234,567"
        assert render("{{ v|pct }}", v=0.4567) == "45.7%"


def test_missing_numbers_show_a_dash():
    assert render("{{ v|num }}|{{ v|pct }}", v=None) == "—|—"


def test_map_class_ranges_for_the_legend():
    values = {"11": 1.0, "12": 2.0, "13": 3.0, "14": 4.0, "15": 10.0, "16": None}
    classes = choropleth_classes(values, bins=5)
    assert classes == {"11": 0, "12": 1, "13": 2, "14": 3, "15": 4}
    ranges = class_ranges(values, classes)
    assert ranges == {0: (1.0, 1.0), 1: (2.0, 2.0), 2: (3.0, 3.0), 3: (4.0, 4.0), 4: (10.0, 10.0)}
    ties = {"a": 5.0, "b": 5.0, "c": 9.0}
    assert class_ranges(ties, choropleth_classes(ties, bins=2)) == {0: (5.0, 5.0), 1: (9.0, 9.0)}


def test_zero_has_its_own_map_class_and_positives_share_the_rest():
    from jipp.dashboards.presenters import map_classes

    values = {"a": 0.0, "b": 0.0, "c": 1.0, "d": 2.0, "e": 3.0, "f": 50.0, "g": None}
    assert map_classes(values) == {"a": 0, "b": 0, "c": 1, "d": 2, "e": 3, "f": 4}
