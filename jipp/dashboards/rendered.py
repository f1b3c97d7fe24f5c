"""Rendered dashboard HTML kept in the shared cache (settings.CACHES), once per data version.

The figures change only when the summaries are refreshed (after a write, and nightly), so the key
holds the data version (the latest Refresh): a refresh shows at once, and nothing is invalidated by
time (the timeout only lets old versions' entries go). After each refresh the background task
renders the public portal and the national dashboard (public and Ministry) ahead (`warm.warm`), so the first visitor
after a change does not pay for the rendering. Only anonymous-safe HTML goes here (no CSRF token,
no user), and nothing that depends on the clock (the portal's KIPP timeline is rendered per request).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from jipp.dashboards import selectors

# Not an expiry of the figures (the version in the key does that): old versions' entries go after a week.
KEEP_SECONDS = 7 * 24 * 3600


def data_version(refresh=None) -> str:
    """The version of the summaries: the latest refresh, or the one given ("0" before the first)."""
    refresh = refresh or selectors.last_refresh()
    return f"{refresh.pk}.{int(refresh.finished_at.timestamp() * 1000)}" if refresh else "0"


def cache_key(kind: str, *, version: str, language: str, variant: str = "") -> str:
    return f"dashboards:{kind}:{version}:{language}:{variant}"


def cached_html(
    kind: str, template: str, build_context: Callable[[], dict], *, variant: str = "", version: str | None = None
) -> SafeString:
    """The template rendered with `build_context()`, from the cache when this data version, language and
    variant were rendered before."""
    key = cache_key(kind, version=version or data_version(), language=translation.get_language(), variant=variant)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, build_context())
        cache.set(key, html, KEEP_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)  # nosec B308, B703 # escaped by the engine
