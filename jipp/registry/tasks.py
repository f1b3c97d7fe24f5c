"""Background work of the registry (django-tasks): similar innovations and big imports.

The similarity refreshes run through `jipp.core.taskruns`: one run at a time per scope (an
innovation, or the whole registry), started again cleanly if a worker dies mid-way (they replace
`similar_ids`, so a second run writes the same result).
"""

from django_tasks import task

from jipp.core import taskruns

REFRESH_ONE = "registry.refresh_similar"
REFRESH_ALL = "registry.refresh_all_similar"


@task()
def refresh_similar_task(innovation_id: int, run_id: int | None = None) -> list[int]:
    """Recompute one innovation's similar innovations after it changed."""
    from jipp.registry.similarity import refresh_one

    with taskruns.running(run_id, name=REFRESH_ONE, scope=f"innovation:{innovation_id}") as run:
        if run is None:
            return []
        return refresh_one(innovation_id)


def schedule_similar_refresh(innovation_id: int) -> None:
    """Enqueue `refresh_similar_task` once the current transaction commits (once per burst of edits)."""
    taskruns.enqueue_once(
        refresh_similar_task, name=REFRESH_ONE, scope=f"innovation:{innovation_id}", innovation_id=innovation_id
    )


@task()
def refresh_all_similar_task(run_id: int | None = None) -> int:
    """Recompute the similar innovations of every innovation (what `manage.py refresh_similar` does).

    Returns how many were updated, or -1 when another worker is already running it.
    """
    from jipp.registry.similarity import refresh_all

    with taskruns.running(run_id, name=REFRESH_ALL) as run:
        if run is None:
            return -1
        count = refresh_all(progress=lambda done, total: taskruns.progress(run, done=done, total=total))
        run.result = count
        return count


def schedule_full_similar_refresh() -> None:
    """Enqueue one full refresh (a second request while one is queued or running gives the same run)."""
    taskruns.enqueue_once(refresh_all_similar_task, name=REFRESH_ALL)


taskruns.register(REFRESH_ALL, refresh_all_similar_task)
taskruns.register(
    REFRESH_ONE, refresh_similar_task, lambda scope: {"innovation_id": int(scope.removeprefix("innovation:"))}
)


@task()
def import_batch_task(batch_id: int, step: str) -> dict:
    """Check (step "check", the preview) or import (step "import") a big import batch; progress is on the batch."""
    from jipp.registry.importing import check_batch, import_batch
    from jipp.registry.models import ImportBatch

    batch = ImportBatch.objects.select_related("created_by", "default_unit__agency__region__parent").get(pk=batch_id)
    if step == "check":
        report = check_batch(batch=batch)
    else:
        ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.QUEUED).update(state=ImportBatch.State.CHECKED)
        batch.refresh_from_db()
        report = import_batch(user=batch.created_by, batch=batch)
    return {"rows": report.rows, "errors": report.error_count, "created": report.created}
