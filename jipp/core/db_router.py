"""Send the public catalogue, dashboards and open-data API reads to a read replica.

Switched on by DATABASE_REPLICA_URL (config/settings.py adds the `replica` alias, this router and
the middleware). The rules:

- every write goes to the primary (`default`), and so does every read inside a transaction
  (Django routes those through `db_for_write`'s connection anyway when `using` is set);
- a read goes to the replica only while a request marked by `ReplicaMiddleware` is running: a
  GET or HEAD under one of REPLICA_PATH_PREFIXES, from a client that has not written in the last
  REPLICA_PIN_SECONDS (a write sets a short-lived cookie, so the user reads their own writes);
- only public data apps are read from the replica; sessions, accounts, axes, the cache table and
  task queues always use the primary (a login must not depend on replication lag).
"""

import contextvars
import time

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "jipp_primary_until"
# Apps whose data the public pages show; everything else is read from the primary.
REPLICA_APPS = frozenset(
    {"regions", "registry", "competition", "evaluation", "replication", "institutionalisation", "hubs", "dashboards"}
)

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("jipp_use_replica", default=False)


class use_replica:  # noqa: N801 (used like a function: `with use_replica():`)
    """Context manager: reads of public data inside it go to the replica (when one is configured)."""

    def __enter__(self):
        self._token = _use_replica.set(True)
        return self

    def __exit__(self, *exc):
        _use_replica.reset(self._token)
        return False


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and model._meta.app_label in REPLICA_APPS and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica gets its schema by replication


def _pinned(request, now: float) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > now
    except ValueError:
        return False


class ReplicaMiddleware:
    """Marks public read requests for the replica and pins a client to the primary after it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        public_read = request.method in ("GET", "HEAD") and request.path.startswith(
            tuple(settings.REPLICA_PATH_PREFIXES)
        )
        if public_read and not _pinned(request, now):
            with use_replica():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, str(int(now + seconds)), max_age=seconds, httponly=True, samesite="Lax",
                                secure=request.is_secure())  # fmt: skip
        return response
