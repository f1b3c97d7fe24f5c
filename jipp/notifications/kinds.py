"""The kinds of notification the installed apps send, collected from their AppConfigs.

An app declares `notification_kinds = {"replication.requested": _("…%(title)s…")}`; the part of
the kind before the dot names the area (replication, kipp, registry, …).
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

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


def render(kind: str, params: dict) -> str:
    """The notification's sentence in the active language."""
    template = all_kinds().get(kind)
    if template is None:
        return str(params.get("message") or kind)
    try:
        return str(template) % _Params(params or {})
    except (TypeError, ValueError):
        return str(template)


def area_of(kind: str) -> str:
    return kind.split(".", 1)[0]


def area_label(kind: str) -> str:
    return str(AREAS.get(area_of(kind), AREAS["generic"]))
