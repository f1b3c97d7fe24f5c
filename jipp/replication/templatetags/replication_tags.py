"""Template helpers for replication panels and score explanations."""

from django import template
from django.utils.translation import gettext_lazy as _

from jipp.replication import selectors

register = template.Library()

SIGNALS = {
    "text_similarity": _("similarity of the texts"),
    "matched_term": _("matched word"),
    "kipp_tier": _("KIPP award"),
    "continuity": _("continuity"),
    "legal_basis_strength": _("legal basis strength (0-5)"),
    "successful_replications": _("agencies that already replicated it"),
    "same_level": _("same kind of region"),
    "same_province": _("same province"),
    "population_ratio": _("population ratio"),
    "area_ratio": _("area ratio"),
    "no_owner_region": _("central agency (no region)"),
    "same_sector": _("same sector"),
}
COMPONENTS = {
    "text": _("Text"),
    "kipp_tier": _("KIPP award"),
    "continuity": _("Continuity"),
    "legal_basis": _("Legal basis"),
    "replications": _("Earlier replications"),
    "region": _("Similar region"),
    "sector": _("Sector"),
}
VALUES = {
    "top45": _("Top 45"),
    "top99": _("Top 99"),
    "outstanding": _("Outstanding Achievement"),
    "none": _("none"),
    "growing": _("Growing"),
    "continuing": _("Continuing"),
    "dormant": _("Dormant"),
    "stopped": _("Stopped"),
    "unknown": _("not reported"),
    "regency": _("Regency"),
    "city": _("City"),
    "province": _("Province"),
    "central_agency": _("central agency"),
}


@register.filter
def signal_label(name):
    return SIGNALS.get(name, name)


@register.filter
def component_label(name):
    return COMPONENTS.get(name, name)


@register.filter
def value_label(value):
    return VALUES.get(value, value) if isinstance(value, str) else value


@register.filter
def percent(value):
    try:
        return f"{float(value) * 100:.0f}"
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def replication_for(innovation):
    """Adopters, band and stories for an innovation page (see selectors.for_innovation)."""
    return selectors.for_innovation(innovation)


@register.simple_tag
def regions_like(innovation, limit=5):
    return selectors.regions_like(innovation, limit=limit)
