"""Narrowing national lists to what a user works on, without lower apps importing upper ones.

Any AppConfig may offer `agency_scope(user) -> set[int] | None`: a set of agency ids the user's view
is limited to, or None when that app does not narrow it. `agency_scope(user)` intersects the sets
given; None means "no narrowing" (e.g. the Ministry's national view). The hubs app fills it so a hub
admin's "proven but unprotected" work list shows the hub's spokes only.
"""

from django.apps import apps


def agency_scope(user) -> set[int] | None:
    scope: set[int] | None = None
    for config in apps.get_app_configs():
        provider = getattr(config, "agency_scope", None)
        if provider is None:
            continue
        found = provider(user)
        if found is None:
            continue
        scope = set(found) if scope is None else scope & set(found)
    return scope
