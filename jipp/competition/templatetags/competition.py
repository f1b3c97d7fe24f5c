"""Template helpers: times in a given zone with its abbreviation (WIB/WITA/WIT)."""

import zoneinfo

from django import template

from jipp.core.formatting import format_moment

register = template.Library()


@register.filter
def in_zone(moment, zone_name):
    """Format an aware datetime in `zone_name` (IANA), followed by WIB/WITA/WIT."""
    if not moment or not zone_name:
        return ""
    return format_moment(moment, zone=zoneinfo.ZoneInfo(zone_name))  # the platform's one format


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
