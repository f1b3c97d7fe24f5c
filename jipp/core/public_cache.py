"""What anonymous visitors are shown, kept in the shared cache under the version of the data behind it.

At the KIPP deadline most requests are the public reading the catalogue and innovations' pages; each
one rendered its results, facets and panels again. An anonymous visitor sees nothing of their own
there, so the rendered part can be shared: it is kept under its address, language and host, stamped
with the version of the data behind it, and used only while that stamp is still current. The expiry
(`PUBLIC_CACHE_SECONDS`, default 60 s, 0 turns the cache off) only bounds how long an entry is kept.

The version is a generation number kept in the shared cache and changed after every committed write to
a table of an app that declares `public_data = True` on its AppConfig (registry, regions, replication,
institutionalisation). Writes are seen in the SQL (a database execute wrapper reading the INSERT,
UPDATE or DELETE's table), so `QuerySet.update()`, `bulk_create()` and raw SQL count as much as
`save()`, through any app server. Inside a transaction the generation changes when it commits; until
then the writing connection's own reads get a stamp of their own (a pending write is nobody else's);
a rollback changes nothing. A caller adds what the generation cannot see (a read replica's progress).

Signed-in users and unsafe methods always get a fresh rendering (`entry_for` gives them None). A
cached part must hold nothing tied to one visitor: callers keep CSRF tokens and messages outside it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

PREFIX = "public:"
GENERATION_KEY = "public-generation"  # not under PREFIX: it is no rendered part
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 60))


@dataclass(frozen=True)
class Entry:
    """Where a public part is kept for this request, and what else its version depends on."""

    key: str
    version: Callable[[], Any] | None = None


def entry_for(request, name: str, version: Callable[[], Any] | None = None) -> Entry | None:
    """Where `name` is kept for this request, or None when it must not be shared (signed in, a POST).

    The key is the address, language and host; what is kept is stamped with `data_version()` and the
    caller's own `version` (what the generation cannot see, such as a read replica's progress), both
    read only when the part is asked for.
    """
    if seconds() <= 0 or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    raw = "\n".join([name, get_language() or "", request.get_host(), request.get_full_path()])
    return Entry(PREFIX + name + ":" + hashlib.sha256(raw.encode()).hexdigest(), version)


def get_or_build(entry: Entry | None, build: Callable[[], Any]) -> Any:
    """The value kept for `entry` if its stamp is still the data's version, else `build()` (then kept).

    One cache read brings both the generation and the entry. The stamp is read before `build()` reads
    the data, so a write committed meanwhile can only make the kept value look older, never newer.
    """
    if entry is None:
        return build()
    flush()
    found = cache.get_many([GENERATION_KEY, entry.key])
    stamp = (*data_version(found.get(GENERATION_KEY)), entry.version() if entry.version else None)
    kept = found.get(entry.key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = build()
    cache.set(entry.key, (stamp, value), seconds())
    return value


def generation(known: str | None = None) -> str:
    """The shared generation number (or `known`, just read with it): it changes after every committed
    write to the public data."""
    if known is not None:
        return known
    value = cache.get(GENERATION_KEY)
    if value is None:  # never set, expired or culled: a new value, never one seen before
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY) or ""
    return value


def bump() -> None:
    """A new generation. It runs after a write has committed, so it never fails that write: the database
    cache's table may not be made yet (migrate runs first; then nothing is kept either), and a cache
    that cannot be written to cannot be read from for a page either."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except DatabaseError:
        pass
    except Exception:
        logger.warning("public cache: the generation could not be changed", exc_info=True)


def data_version(known_generation: str | None = None) -> tuple:
    """The version of every app's public data, as this request's connections see it."""
    pending = tuple(
        (connection.alias, connection.public_token, connection.public_writes)
        for connection in connections.all(initialized_only=True)
        if getattr(connection, "public_writes", 0)
        and (getattr(connection, "public_unflushed", False) or _pending(connection))
    )
    return (generation(known_generation), pending)


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
    """Database execute wrapper: a write to a public table changes the generation once it is committed.

    Never from inside the wrapper: the statement's rows may not be read yet (SQLite's INSERT ...
    RETURNING is still running until then), so the cache's own write on the same connection would
    interleave with it. A transaction's writes change it when it commits (`on_commit`); a write in
    autocommit mode once the response is made (FlushMiddleware) or the task ends, at the latest when
    the process exits, and before this thread next reads a kept part (`flush`). Until then this
    connection's own reads get a stamp of their own.
    """
    result = execute(sql, params, many, context)
    if sql.lstrip()[:1] in "IUDiud" and (match := _WRITE.match(sql)) and match.group(1) in public_tables():
        connection = context["connection"]
        if not getattr(connection, "public_token", ""):
            connection.public_token = uuid.uuid4().hex
        connection.public_writes = getattr(connection, "public_writes", 0) + 1
        if not connection.in_atomic_block:
            connection.public_unflushed = True
        elif not _pending(connection):
            transaction.on_commit(bump, using=connection.alias)
    return result


def flush(**_kwargs) -> None:
    """Change the generation for the committed autocommit writes not yet counted (outside transactions)."""
    unflushed = [
        connection
        for connection in connections.all(initialized_only=True)
        if getattr(connection, "public_unflushed", False) and not connection.in_atomic_block
    ]
    for connection in unflushed:
        connection.public_unflushed = False
    if unflushed:
        bump()


class FlushMiddleware:
    """`flush` once the response is made, before it is sent (request_finished comes after the client
    has it, and may ask another app server at once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        flush()
        return response


def install(connection, **_kwargs) -> None:
    """`connection_created` receiver: watch the new connection's writes (once per connection object)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)
