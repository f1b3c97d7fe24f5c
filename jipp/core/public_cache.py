"""What anonymous visitors are shown, kept in the shared cache under the version of the data behind it.

At the KIPP deadline most requests are the public reading the catalogue; each one rendered its
results and facets again (about three quarters of the page's work). An anonymous visitor sees nothing
of their own there, so the rendered part can be shared: it is kept under a key made of the data's
version (a caller-given value that changes with every write the part shows), the active language, the
host and the full address. A write therefore makes the old entries unreachable at once; the expiry
(`PUBLIC_CACHE_SECONDS`, default 60 s, 0 turns the cache off) only bounds how long details that the
version does not cover (an agency renamed, a cover photo) may stay old.

Signed-in users and unsafe methods always get a fresh rendering (`key_for` gives them no key). A
cached part must hold nothing tied to one visitor: callers keep CSRF tokens and messages outside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

PREFIX = "public:"


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 60))


def key_for(request, name: str, version: Callable[[], Any]) -> str:
    """The cache key of `name` for this request, or "" when it must not be shared (signed in, a POST).

    `version` is called only when the request may be served from the cache.
    """
    if seconds() <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return ""
    raw = "\n".join([name, repr(version()), get_language() or "", request.get_host(), request.get_full_path()])
    return PREFIX + name + ":" + hashlib.sha256(raw.encode()).hexdigest()


def get_or_build(key: str, build: Callable[[], Any]) -> Any:
    """The value kept under `key`, or `build()` (kept when `key` is not empty)."""
    if not key:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds())
    return value
