"""What the dashboards know about hubs. Until the hubs app has its models, there are no hubs."""

from __future__ import annotations


def hub_province_codes() -> set[str]:
    """Codes of the provinces whose government is an active hub."""
    return set()


def hub_comparison(year: int) -> dict | None:
    """Hub provinces against the others on the main measures (None without hubs)."""
    return None


def portal_hubs() -> list:
    return []


def can_view_hub(user, key: str) -> bool:
    return False


def report_data(*, key: str, year: int) -> dict:
    raise ValueError("no hubs")


def api_figures(user, key) -> dict | None:
    return None
