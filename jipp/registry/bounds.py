"""The declared bounds of years and dates in the registry: one place for the form, the API and the import.

An innovation's years (start, roll-out, award) lie between EARLIEST_YEAR and next year; the
catalogue's year filters accept the same range. Change the bounds here only.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 1990  # the oldest public-service innovations in JIPPNas and the Home Affairs index start here


def latest_year() -> int:
    """Next calendar year (a plan may name it; nothing later)."""
    return timezone.localdate().year + 1


def year_bounds() -> tuple[int, int]:
    return EARLIEST_YEAR, latest_year()


def bounds_message() -> str:
    low, high = year_bounds()
    return _("Give a year from %(low)d to %(high)d.") % {"low": low, "high": high}


def validate_year(value: int) -> None:
    low, high = year_bounds()
    if value is not None and not low <= value <= high:
        raise ValidationError(bounds_message(), code="year_bounds")


def validate_date(value: dt.date) -> None:
    low, high = year_bounds()
    if value is not None and not low <= value.year <= high:
        raise ValidationError(
            _("Give a date from %(low)d to %(high)d.") % {"low": low, "high": high}, code="date_bounds"
        )
