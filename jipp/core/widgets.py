"""Form widgets that help: server-side type-ahead for long lists, and date pickers in the person's zone.

Type-ahead (`TypeaheadSelect`, `TypeaheadSelectMultiple`): the widget renders an ordinary
<select> (so the form works without JavaScript, and the server validates against the field's
queryset as always) marked with `data-typeahead` and the address of a search endpoint.
`static/js/combobox.js` then replaces it on screen with an ARIA 1.2 combobox (an editable input
with a listbox popup: arrow keys, Enter, Escape, a polite live region for the count), asking the
endpoint as the user types and keeping the hidden <select> in step, so the posted value is the same.

Each app exposes its own endpoint (regions: agencies, units, regions; registry: innovations;
accounts: people) built with `typeahead_response`, answering
`{"results": [{"value": "12", "label": "...", "detail": "..."}]}` for `?q=` (at least
MIN_QUERY characters) and at most MAX_RESULTS rows.

Dates (`DatePickerInput`, `DateTimePickerInput`): HTML5 `type=date` / `type=datetime-local`
with ISO values, so every browser shows its own picker. A datetime is shown and read in the
person's zone: Django converts aware values to the current zone for display and reads naive
input in it, and `jipp.core.middleware.UserTimezoneMiddleware` activates the person's zone; the
widget names that zone (WIB/WITA/WIT) beside the field.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.core.timezones import abbreviation

MIN_QUERY = 2
MAX_RESULTS = 20


class TypeaheadMixin:
    """Adds the data attributes combobox.js reads. `url` may be lazy (reverse_lazy) or a plain path."""

    def __init__(self, *args, url, min_chars: int = MIN_QUERY, params: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.min_chars = min_chars
        self.params = dict(params or {})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        extra = {
            "data-typeahead": "multiple" if self.allow_multiple_selected else "single",
            "data-typeahead-url": self.search_url(),
            "data-typeahead-min": str(self.min_chars),
            # The script's words, in the page's language ("%s" is replaced by the script).
            "data-typeahead-placeholder": _("Type to search…"),
            "data-typeahead-empty": _("No match"),
            "data-typeahead-count": _("%s suggestions; use the arrow keys to choose"),
            "data-typeahead-hint": _("Type at least %s characters"),
            "data-typeahead-chose": _("%s chosen"),
            "data-typeahead-removed": _("%s removed"),
            "data-typeahead-remove": _("Remove %s"),
            "data-typeahead-chosen": _("Chosen"),
        }
        context["widget"]["attrs"].update(extra)
        return context

    def search_url(self) -> str:
        from urllib.parse import urlencode

        url = str(self.url)
        params = {k: v for k, v in self.params.items() if v not in (None, "")}
        return f"{url}?{urlencode(params)}" if params else url


class TypeaheadSelect(TypeaheadMixin, forms.Select):
    """A single choice searched on the server; a plain <select> without JavaScript."""


class TypeaheadSelectMultiple(TypeaheadMixin, forms.SelectMultiple):
    """Several choices searched on the server, shown as removable chips; a multiple <select> without JavaScript."""


def typeahead_response(request, rows, *, label, detail=None, value=None) -> JsonResponse:
    """The JSON answer of a type-ahead endpoint for `rows` (an iterable of objects, already filtered
    and limited by the caller). `label`, `detail` and `value` are callables of one row."""
    results = [
        {
            "value": str(value(row) if value else row.pk),
            "label": str(label(row)),
            "detail": str(detail(row) or "") if detail else "",
        }
        for row in rows
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=60"
    return response


def search_text(request) -> str:
    """The query of a type-ahead request, stripped and bounded; "" when too short to search."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    return text if len(text) >= MIN_QUERY or text.isdigit() else ""


class DatePickerInput(forms.DateInput):
    """A date with the browser's own picker (ISO value). `min`/`max` may be dates."""

    input_type = "date"

    def __init__(self, attrs=None, *, min_date: dt.date | None = None, max_date: dt.date | None = None):
        attrs = dict(attrs or {})
        if min_date:
            attrs["min"] = min_date.isoformat()
        if max_date:
            attrs["max"] = max_date.isoformat()
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimePickerInput(forms.DateTimeInput):
    """A date and time with the browser's picker, in the person's zone (named beside the field)."""

    input_type = "datetime-local"
    template_name = "core/widgets/datetime_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["zone"] = abbreviation(timezone.get_current_timezone_name())
        return context


class LocalDateTimeField(forms.DateTimeField):
    """A datetime typed in the person's zone (datetime-local sends "2026-03-15T23:59")."""

    widget = DateTimePickerInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
