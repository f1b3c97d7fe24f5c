"""Render ahead, after each refresh, what the first anonymous visitor would otherwise render: the public
portal's blocks and the national dashboard without parameters, in every language (see `rendered`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from jipp.dashboards import rendered, views


def warm() -> list[str]:
    """Write the current data version's portal blocks and public national dashboard to the shared cache
    (overwriting); returns the keys written. Called by the refresh tasks once the refresh committed."""
    version = rendered.data_version()
    pages = [(kind, template, build, "") for kind, template, build in views.PORTAL_BLOCKS]
    pages.append(
        (
            "national",
            "dashboards/_national_body.html",
            views.national_public_body_context,
            views.body_variant(full=False, query=""),
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
