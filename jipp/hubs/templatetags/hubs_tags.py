from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`mapping|get:key` for dicts keyed by ids or codes; None when absent."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(value):
    """0.734 -> 73 (whole percent), None stays None."""
    if value is None:
        return None
    return round(float(value) * 100)
