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

Pages that gather data from several apps (an innovation's page shows its replications, legal basis,
attachments, awards) use `data_version()`: a generation number kept in the shared cache and changed
after every committed write to a table of an app that declares `public_data = True` on its AppConfig.
Writes are seen at the SQL level (a database execute wrapper reading the INSERT, UPDATE or DELETE's
table), so `QuerySet.update()`, `bulk_create()` and raw SQL count as much as `save()`. Inside a
transaction the new generation is set when it commits; until then the writing connection's own reads
get keys of their own (a pending write is seen by nobody else).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.utils.translation import get_language

PREFIX = "public:"
GENERATION_KEY = "public-generation"  # not under PREFIX: it is no rendered part
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 60))


def key_for(request, name: str, version: Callable[[], Any]) -> str:
    """The cache key of `name` for this request, or "" when it must not be shared (signed in, a POST).

    The key holds `data_version()` and the caller's own `version` (called only when the request may
    be served from the cache), for what the generation cannot see (a read replica's progress).
    """
    if seconds() <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return ""
    raw = "\n".join(
        [name, repr(data_version()), repr(version()), get_language() or "", request.get_host(), request.get_full_path()]
    )
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


def generation() -> str:
    """The shared generation number: it changes after every committed write to the public data."""
    value = cache.get(GENERATION_KEY)
    if value is None:  # never set, expired or culled: a new value, never one seen before
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY) or ""
    return value


def bump() -> None:
    # The database cache's table may not be made yet (migrate runs first): then nothing is kept either.
    with contextlib.suppress(DatabaseError):
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def data_version() -> tuple:
    """The version of every app's public data, as this request's connections see it."""
    pending = tuple(
        (connection.alias, connection.public_token, connection.public_writes)
        for connection in connections.all(initialized_only=True)
        if getattr(connection, "public_writes", 0) and _pending(connection)
    )
    return (generation(), pending)


@functools.cache
def public_tables() -> frozenset[str]:
    """The tables of the apps whose AppConfig says `public_data = True` (their many-to-many tables too)."""
    return frozenset(
        model._meta.db_table
        for config in apps.get_app_configs()
        if getattr(config, "public_data", False)
        for model in config.get_models(include_auto_created=True)
    )


def _pending(connection) -> bool:
    return connection.in_atomic_block and any(func is bump for _sids, func, _robust in connection.run_on_commit)


def watch_writes(execute, sql, params, many, context):
    """Database execute wrapper: a write to a public table changes the generation (at commit)."""
    result = execute(sql, params, many, context)
    if sql.lstrip()[:1] in "IUDiud" and (match := _WRITE.match(sql)) and match.group(1) in public_tables():
        connection = context["connection"]
        if not connection.in_atomic_block:
            bump()
            return result
        if not getattr(connection, "public_token", ""):
            connection.public_token = uuid.uuid4().hex
        connection.public_writes = getattr(connection, "public_writes", 0) + 1
        if not _pending(connection):
            transaction.on_commit(bump, using=connection.alias)
    return result


def install(connection, **_kwargs) -> None:
    """`connection_created` receiver: watch the new connection's writes (once per connection object)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)
