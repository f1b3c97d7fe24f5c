"""Numbers the way the reader's language writes them: 1.234,5 in Indonesian, 1,234.5 in English."""

from django import template
from django.utils import formats

register = template.Library()


def format_number(value, decimals: int = 0) -> str:
    """A number with the active language's separators and grouping; an em dash for no value."""
    if value is None or value == "":
        return "—"
    return formats.number_format(round(float(value), decimals), decimals, use_l10n=True, force_grouping=True)


@register.filter
def num(value, decimals=0):
    """`{{ 1234.5|num:1 }}` -> "1.234,5" (id) or "1,234.5" (en)."""
    return format_number(value, int(decimals))


@register.filter
def pct(value, decimals=1):
    """A share (0..1) as a percentage: `{{ 0.4567|pct }}` -> "45,7 %" (id) or "45.7%" (en)."""
    if value is None:
        return "—"
    from django.utils.translation import get_language

    text = format_number(float(value) * 100, int(decimals))
    return f"{text} %" if (get_language() or "id").startswith("id") else f"{text}%"


@register.filter
def measure_value(value, measure):
    """A measure's value in its own format (a count or a share)."""
    if measure.is_rate:
        return pct(value)
    return num(value)


@register.filter
def cell(value):
    """A report table's cell: whole numbers with grouping, fractions (rates) as percentages, text as is."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return num(value)
    if isinstance(value, float):
        return pct(value)
    return value
