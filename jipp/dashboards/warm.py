"""Render ahead, after each refresh, what the first visitor would otherwise render: the public portal's
blocks and the national dashboard without parameters (public and Ministry), in every language (see
`rendered`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from jipp.dashboards import rendered, views


def warm() -> list[str]:
    """Write the current data version's portal blocks and national dashboard bodies to the shared cache
    (overwriting); returns the keys written. Called by the refresh tasks once the refresh committed."""
    version = rendered.data_version()
    pages = [(kind, template, build, "") for kind, template, build in views.PORTAL_BLOCKS]
    for full in (False, True):  # the public subset, and the Ministry's full dashboard (no user in either)
        pages.append(
            (
                "national",
                "dashboards/_national_body.html",
                lambda full=full: views.national_body_context(full=full),
                views.body_variant(full=full, query=""),
            )
        )
    written = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for kind, template, build, variant in pages:
                key = rendered.cache_key(kind, version=version, language=language, variant=variant)
                cache.set(key, render_to_string(template, build()), rendered.KEEP_SECONDS)
                written.append(key)
    return written
