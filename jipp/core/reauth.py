"""Re-authentication for sensitive actions: the password typed again within the last few minutes.

Sensitive actions (creating accounts, publishing or revising results, creating an API token) need a
password check no older than `REAUTH_MAX_AGE` seconds (settings; 10 minutes by default). Logging in
counts as one. When it is older:

- a page (HTML) sends the person to the re-authentication page; the form they posted is kept in their
  session (not uploaded files), and after the password the action runs with exactly what they posted;
- an API call on a session answers 403 with `{"code": "reauth_required"}`. A call with an API token
  passes: making the token itself needed a recent password.

Use `@recent_password_required()` on a view (optionally `when=` a predicate on the request, e.g. only
some `action`s of a page), and `RecentPassword` among a DRF view's permission classes.
"""

from __future__ import annotations

import secrets
import time
from functools import wraps

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission

SESSION_KEY = "_reauth_at"
KEPT_KEY = "_reauth_kept"
DEFAULT_MAX_AGE = 10 * 60
MESSAGE = _("For this action, type your password again (the last check was more than %(minutes)d minutes ago).")


def max_age() -> int:
    return int(getattr(settings, "REAUTH_MAX_AGE", DEFAULT_MAX_AGE))


def mark(request) -> None:
    """The password was just checked (login, or the re-authentication page)."""
    request.session[SESSION_KEY] = int(time.time())


def is_recent(request) -> bool:
    at = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return at is not None and time.time() - int(at) <= max_age()


def stamp_at_login(sender, request, user, **kwargs):
    """At login the password was just typed: that counts as a recent check."""
    if request is not None and hasattr(request, "session"):
        mark(request)


def keep_post(request) -> str:
    """Keep the posted form (without files and the CSRF token) in the session; returns its key."""
    key = secrets.token_urlsafe(12)
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    kept = request.session.get(KEPT_KEY, {})
    kept = dict(list(kept.items())[-4:])  # a few at most: abandoned ones do not pile up
    kept[key] = {"path": request.path, "data": data}
    request.session[KEPT_KEY] = kept
    return key


def take_post(request, key: str) -> QueryDict | None:
    """The form kept under `key` for this path, removed from the session (used once)."""
    kept = request.session.get(KEPT_KEY, {})
    entry = kept.pop(key, None)
    request.session[KEPT_KEY] = kept
    if not entry or entry.get("path") != request.path:
        return None
    query = QueryDict(mutable=True)
    for name, values in entry["data"].items():
        query.setlist(name, values)
    query._mutable = False
    return query


def recent_password_required(when=None):
    """Decorator: the view (or, with `when(request)`, those requests of it) needs a recent password."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            resume = request.GET.get("resume")
            if resume and request.method == "GET" and is_recent(request):
                replay = take_post(request, resume)
                if replay is not None:  # the action the person posted before typing the password again
                    request.method = "POST"
                    request.POST = replay
                    return view(request, *args, **kwargs)
            needed = request.method == "POST" and (when is None or when(request))
            if needed and request.user.is_authenticated and not is_recent(request):
                key = keep_post(request)
                return redirect(f"{reverse('core:reauth')}?{urlencode({'next': request.path, 'kept': key})}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def safe_next(request, raw: str | None) -> str:
    if raw and url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()}, require_https=False):
        return raw
    return reverse("core:my_home")


class ReauthRequired(ApiPermissionDenied):
    default_code = "reauth_required"


class RecentPassword(BasePermission):
    """Writes need a recent password on a session; token-authenticated calls pass (see the module)."""

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS") or not request.user.is_authenticated:
            return True
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True  # an API token (or a test's forced login), not a browser session
        if is_recent(request):
            return True
        raise ReauthRequired({"detail": str(MESSAGE % {"minutes": max_age() // 60}), "code": "reauth_required"})
