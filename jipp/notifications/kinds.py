"""The kinds of notification the installed apps send, collected from their AppConfigs.

An app declares `notification_kinds = {"replication.requested": _("…%(title)s…")}`; the part of
the kind before the dot names the area (replication, kipp, registry, …).
"""

import datetime as dt

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from jipp.core.formatting import format_day, format_moment

AREAS = {
    "registry": _("Registry"),
    "kipp": _("KIPP"),
    "replication": _("Replication"),
    "institutionalisation": _("Institutionalisation"),
    "continuity": _("Continuity"),
    "hubs": _("Hubs"),
    "generic": _("Notice"),
}


class _Params(dict):
    """Missing parameters show as an ellipsis instead of failing the whole page."""

    def __missing__(self, key):
        return "…"


def all_kinds() -> dict[str, object]:
    found: dict[str, object] = {}
    for config in apps.get_app_configs():
        found.update(getattr(config, "notification_kinds", {}) or {})
    return found


def stored(value):
    """A parameter as it is kept: text, or a marker the reader's language resolves at reading time.

    A lazily translated string (gettext_lazy, pgettext_lazy, a TextChoices label) is kept as its msgid
    ({"_t": msgid, "_c": context}); a date as {"_d": iso} and a moment as {"_m": iso}, formatted in the
    reader's language and zone. Anything else is kept as text (at most 500 characters).
    """
    if isinstance(value, Promise):
        func, args = value.__reduce__()[1][:2]
        if func is gettext and len(args) == 1:
            return {"_t": str(args[0])}
        if func is pgettext and len(args) == 2:
            return {"_t": str(args[1]), "_c": str(args[0])}
        return str(value)[:500]
    if isinstance(value, dt.datetime):
        return {"_m": value.isoformat()}
    if isinstance(value, dt.date):
        return {"_d": value.isoformat()}
    return ("" if value is None else str(value))[:500]


def _resolve(value) -> str:
    if not isinstance(value, dict):
        return str(value)
    try:
        if "_t" in value:
            return pgettext(value["_c"], value["_t"]) if value.get("_c") else gettext(value["_t"])
        if "_d" in value:
            return format_day(dt.date.fromisoformat(value["_d"]))
        if "_m" in value:
            return format_moment(dt.datetime.fromisoformat(value["_m"]))
    except (TypeError, ValueError):
        pass
    return "…"


def _fill(template: str, params: dict) -> str:
    try:
        return template % _Params(params)
    except (TypeError, ValueError, KeyError):
        return template


def render(kind: str, params: dict) -> str:
    """The notification's sentence in the active language (the reader's, at reading or mailing time).

    Parameters stored as markers (see `stored`) are translated or formatted now; a translated
    parameter that is itself a sentence with placeholders (KIPP's messages) is filled from the others.
    """
    words = {key: _resolve(value) for key, value in (params or {}).items()}
    sentences = {key for key, value in (params or {}).items() if isinstance(value, dict) and "%(" in words[key]}
    plain = {key: value for key, value in words.items() if key not in sentences}
    resolved = {**plain, **{key: _fill(words[key], plain) for key in sentences}}
    template = all_kinds().get(kind)
    if template is None:
        return str(resolved.get("message") or kind)
    return _fill(str(template), resolved)


def area_of(kind: str) -> str:
    return kind.split(".", 1)[0]


def area_label(kind: str) -> str:
    return str(AREAS.get(area_of(kind), AREAS["generic"]))
