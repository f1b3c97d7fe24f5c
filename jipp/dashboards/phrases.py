"""Strings used in several places of the dashboards."""

from django.utils.translation import gettext_lazy as _

UNKNOWN_MEASURE = _("There is no measure called “%(value)s”; showing published innovations instead.")
NO_DATA_YEAR = _("There are no figures for %(year)s yet; showing all years.")
BAD_YEAR = _("“%(value)s” is not a year; showing all years.")
ALL_YEARS = _("All years")
FUNNEL_STEPS = {
    "created": _("Created"),
    "developed": _("Developed"),
    "institutionalised": _("Institutionalised"),
}
CONTINUITY = {
    "continuing": _("Continuing"),
    "growing": _("Growing"),
    "stopped": _("Stopped"),
    "dormant": _("Dormant"),
}

# The API refuses instead of falling back.
API_UNKNOWN_MEASURE = _("There is no measure called “%(value)s”. Known measures: %(known)s.")
API_NO_DATA_YEAR = _("There are no figures for %(year)s. Years with figures: %(known)s.")
API_BAD_YEAR = _("“%(value)s” is not a year.")
