"""Navigation and homes per role: every app's AppConfig may offer `nav_items(user)` and `home_items(user)`.

Core collects them without importing later apps, so the dependency arrows stay one-way.
Navigation items name the area (group) they belong to; the header shows one dropdown per area,
so the bar keeps its width whatever a role may open.
"""

import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# The areas of the header, in order: (key, label). Items without a known group go to "more".
GROUPS = [
    ("registry", _("Registry")),
    ("kipp", _("KIPP")),
    ("replication", _("Replication")),
    ("institutionalisation", _("Institutionalisation")),
    ("hubs", _("Hubs")),
    ("dashboards", _("Dashboards")),
    ("admin", _("Administration")),
]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    order: int = 50
    group: str = ""

    @property
    def url(self) -> str:
        return _reverse(self.url_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=512)
def _reverse(url_name: str, _prefix: str, _urlconf) -> str:
    """A navigation item's address: the header reverses about fifty of them on every page."""
    return reverse(url_name)


@dataclass
class NavGroup:
    key: str
    label: str
    items: list[NavItem] = field(default_factory=list)
    active: bool = False

    def is_active(self, path: str) -> bool:
        return any(path.startswith(item.url) and item.url != "/" for item in self.items)


def nav_for(user) -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_items", None)
        if provider:
            items.extend(provider(user))
    return sorted(items, key=lambda item: item.order)


def nav_groups(user) -> list[NavGroup]:
    """The user's navigation items grouped by area, in the order of GROUPS; empty areas dropped."""
    groups = {key: NavGroup(key, label) for key, label in GROUPS}
    more = NavGroup("more", _("More"))
    for item in nav_for(user):
        groups.get(item.group, more).items.append(item)
    ordered = [group for group in groups.values() if group.items]
    if more.items:
        ordered.append(more)
    return ordered


@dataclass(frozen=True)
class HomeItem:
    """One line on a person's home page: what to do, how many, by when, and where to do it.

    `count` None means a plain link (no figure); `deadline` is an aware datetime shown in the
    reader's zone; `tone` is "urgent" (overdue or due within days), "todo" or "info".
    """

    label: str
    url: str
    count: int | None = None
    deadline: object = None
    hint: str = ""
    tone: str = "todo"
    order: int = 50
    section: str = ""

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.deadline is not None and self.deadline < timezone.now()


def home_items_for(user) -> list[HomeItem]:
    items: list[HomeItem] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "home_items", None)
        if provider:
            items.extend(provider(user))
    return sorted(items, key=lambda item: item.order)


def guides() -> list[tuple[str, str]]:
    """(slug, title) of every user guide page the installed apps ship."""
    found: list[tuple[str, str]] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "guides", []))
    return found
