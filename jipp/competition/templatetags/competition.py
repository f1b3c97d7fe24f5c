"""Template helpers: times in a given zone with its abbreviation (WIB/WITA/WIT)."""

import zoneinfo

from django import template
from django.utils import formats

from jipp.core.timezones import abbreviation

register = template.Library()


@register.filter
def in_zone(moment, zone_name):
    """Format an aware datetime in `zone_name` (IANA), followed by WIB/WITA/WIT."""
    if not moment or not zone_name:
        return ""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{formats.date_format(local, 'j M Y H:i')} {abbreviation(zone_name)}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
