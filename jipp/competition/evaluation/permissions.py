"""Permissions declared once: a view (and the API) names the rule of `rules.py` it needs, and this
decorator checks it, so no view hand-writes `if not user.has_perm(...)`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from jipp.competition.evaluation.places import place_for


def requires(perm: str, *, on: str | Callable | None = "edition"):
    """Decorate a view: sign-in required, then the rule `perm` checked on an object.

    `on="edition"` loads the edition from the view's `year` argument (404 when unknown), or takes the one
    the mounting app resolved (`places.place_for`), and keeps it on `request.edition`; `on=None` checks
    the rule without an object; a callable `on(request, **kwargs)` returns the object (kept on
    `request.permission_object`)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if on == "edition":
                obj = request.edition = place_for(request, kwargs.get("year")).edition
            elif callable(on):
                obj = request.permission_object = on(request, **kwargs)
            else:
                obj = None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_required = perm
        return wrapped

    return decorator
