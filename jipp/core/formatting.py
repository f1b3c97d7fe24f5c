"""The one formatter for moments, days and numbers shown to people.

"1 Des 2026, 01.36 WIB" in Indonesian and "1 Dec 2026, 01:36 WIB" in English: the moment in the
reader's zone (activated per request by UserTimezoneMiddleware) with the zone's abbreviation.
Numbers: 1.234,56 / 1,234.56, rounded once, here.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone

from jipp.core.timezones import abbreviation


def format_moment(value, *, zone=None) -> str:
    """An aware datetime as "1 Des 2026, 01.36 WIB" in the active language and zone ("" for None)."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zone)
        name = getattr(value.tzinfo, "key", None) or timezone.get_current_timezone_name()
        return f"{formats.date_format(value, 'DATETIME_FORMAT')} {abbreviation(name)}"
    if isinstance(value, dt.date):
        return format_day(value)
    return str(value)


def format_day(value) -> str:
    """A date (or the date of a moment, in the reader's zone) as "1 Des 2026"."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def format_number(value, places: int = 0) -> str:
    """A number with the language's separators and `places` decimals: 1.234,56 / 1,234.56."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum)
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)
