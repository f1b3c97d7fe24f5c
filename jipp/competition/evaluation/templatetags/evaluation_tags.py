from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ row.scores|get:method }}`: a dict value by a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def shown(value):
    """A stored number as people read it, rounded once as `domain.numbers` declares (never floatformat,
    whose rounding differs): `{{ row.deciding|shown }}`."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    from jipp.competition.domain.numbers import shown as round_shown

    if value in (None, ""):
        return "–"
    try:
        return number_format(round_shown(Decimal(str(value))), 2)
    except (InvalidOperation, ValueError):
        return value
