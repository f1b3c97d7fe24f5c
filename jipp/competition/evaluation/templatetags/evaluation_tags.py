from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ row.scores|get:method }}`: a dict value by a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""
