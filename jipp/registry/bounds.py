"""The declared bounds of years and dates: one place for every form, API filter, URL and import.

Every year the platform takes (an innovation's start, roll-out and award; a KIPP edition; a hub's
work plan, maturity assessment, round or activity filter; the dashboards' and worklists' year
parameters) lies between EARLIEST_YEAR and next year. The database does not decide: its integer
ranges differ (SQLite stores any 64-bit number in a small-integer column, PostgreSQL refuses past
32767), so a bound left to the column answered differently on the two engines. Change the bounds
here only; `parse_year` reads a year parameter, `YearFilter` is the django-filter field.
"""

import datetime as dt
from decimal import Decimal

import django_filters
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


def in_bounds(year: int) -> bool:
    low, high = year_bounds()
    return low <= year <= high


def parse_year(raw: str | None) -> int | None:
    """A year parameter as typed (`"2024"`, `" 2024 "`): the year if it is a whole number within the bounds,
    else None (the caller falls back to its default and may say so)."""
    raw = (raw or "").strip()
    if not raw.isdigit() or len(raw) > 4:
        return None
    year = int(raw)
    return year if in_bounds(year) else None


def validate_filter_year(value: Decimal | int | None) -> None:
    """A year typed into a filter: a whole number within the bounds."""
    if value is None:
        return
    if value != int(value):
        raise ValidationError(bounds_message(), code="year_bounds")
    validate_year(int(value))


class YearFilter(django_filters.NumberFilter):
    """A year parameter within the declared bounds; out of them, a 400 (API) or form error naming the bounds."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self.extra["validators"] = [validate_filter_year]
        return super().field
