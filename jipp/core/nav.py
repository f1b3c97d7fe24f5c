"""Navigation per role: every app's AppConfig may offer `nav_items(user)`.

Core collects them without importing later apps, so the dependency arrows stay one-way.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def nav_for(user) -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_items", None)
        if provider:
            items.extend(provider(user))
    return sorted(items, key=lambda item: item.order)


def guides() -> list[tuple[str, str]]:
    """(slug, title) of every user guide page the installed apps ship."""
    found: list[tuple[str, str]] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "guides", []))
    return found
