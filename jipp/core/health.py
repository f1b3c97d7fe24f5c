"""`/healthz`: is the service able to work? JSON for monitors and load balancers.

200 when the database answers (with the storage and the task queue reported alongside: a full disk
or a stalled worker shows in the body, "status": "degraded"); 503 when the database does not.
No personal data, no authentication (it says nothing a visitor could use).
"""

from __future__ import annotations

import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# A worker that leaves a ready task waiting longer than this is reported as lagging.
TASK_LAG_WARN_SECONDS = 300


def _database() -> dict:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1), "vendor": connection.vendor}


def _storage() -> dict:
    name = f"healthz/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        default_storage.delete(saved)
    except Exception as exc:  # any storage fault (full disk, read-only, bucket) is reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def _tasks() -> dict:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend: nothing to measure here
        return {"ok": True, "backend": "other"}
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "ok": lag <= TASK_LAG_WARN_SECONDS,
        "ready": ready.count(),
        "running": DBTaskResult.objects.running().count(),
        "lag_seconds": round(lag, 1),
    }


@never_cache
@require_safe
def healthz(request):
    try:
        database = _database()
    except Exception as exc:  # the database down is the one fault this endpoint exists to report
        return JsonResponse({"status": "unavailable", "database": {"ok": False, "error": exc.__class__.__name__}},
                            status=503)  # fmt: skip
    storage = _storage()
    tasks = _tasks()
    ok = storage["ok"] and tasks["ok"]
    return JsonResponse(
        {"status": "ok" if ok else "degraded", "database": database, "storage": storage, "tasks": tasks}
    )
