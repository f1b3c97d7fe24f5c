from django import template

from jipp.institutionalisation import selectors

register = template.Library()


@register.simple_tag
def legal_status_for(innovation):
    """Strongest basis, bases, latest checklist and protection status (see selectors.legal_status_for)."""
    return selectors.legal_status_for(innovation)
