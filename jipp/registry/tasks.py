"""Background work of the registry (django-tasks): similar innovations and big imports."""

from django.db import transaction
from django_tasks import task


@task()
def refresh_similar_task(innovation_id: int) -> list[int]:
    """Recompute one innovation's similar innovations after it changed."""
    from jipp.registry.similarity import refresh_one

    return refresh_one(innovation_id)


def schedule_similar_refresh(innovation_id: int) -> None:
    """Enqueue `refresh_similar_task` once the current transaction commits."""
    transaction.on_commit(lambda: refresh_similar_task.enqueue(innovation_id))


@task()
def refresh_all_similar_task() -> int:
    """Recompute the similar innovations of every innovation (what `manage.py refresh_similar` does)."""
    from jipp.registry.similarity import refresh_all

    return refresh_all()


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
