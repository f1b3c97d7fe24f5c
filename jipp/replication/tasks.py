"""Background work of replication (django-tasks): the matcher index; who hears of a replication."""

import time

from django.db.models import Q
from django_tasks import task

from jipp.core import taskruns

REBUILD = "replication.rebuild_matcher_index"


@task()
def rebuild_matcher_index(requested_at: float | None = None, run_id: int | None = None) -> int:
    """Rebuild and store the candidate-ranking index (see jipp.replication.index); returns its size.

    `requested_at` (a Unix time) lets a burst of requests collapse: a request older than the stored
    index is already answered by it and is skipped (returns -1). One rebuild at a time across all
    workers (jipp.core.taskruns); another request meanwhile returns -1 or queues one more run.
    """
    from jipp.replication.index import build_and_store, index_path

    with taskruns.running(run_id, name=REBUILD) as run:
        if run is None:
            return -1
        path = index_path()
        if requested_at is not None and path.exists() and path.stat().st_mtime >= requested_at:
            return -1
        bundle = build_and_store()
        return len(bundle.agency_of)


def schedule_rebuild() -> None:
    """Enqueue a rebuild once the current transaction commits (one at a time, see jipp.core.taskruns)."""
    taskruns.enqueue_once(rebuild_matcher_index, name=REBUILD, requested_at=time.time())


taskruns.register(REBUILD, rebuild_matcher_index)


def recipient_users(replication):
    """The people on both sides of a replication (active accounts), as a queryset."""
    from jipp.accounts.models import Role, User

    source_units = list(replication.source_links.values_list("innovation__unit_id", flat=True))
    adopter = Q(agency_id=replication.adopter_agency_id, role=Role.ADMIN_LOKAL)
    if replication.adopter_unit_id:
        adopter |= Q(unit_id=replication.adopter_unit_id, role=Role.UPP)
    source = Q(agency_id=replication.source_agency_id, role=Role.ADMIN_LOKAL) | Q(
        unit_id__in=source_units, role=Role.UPP
    )
    return User.objects.filter(adopter | source, is_active=True)
