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
def import_innovations_task(token: str, user_id: int, default_unit_id: int | None, language: str) -> dict:
    """Import a stored upload (see importing.ImportJob); the status document shows progress and the report."""
    from jipp.accounts.models import User
    from jipp.regions.models import ServiceUnit
    from jipp.registry.importing import ImportJob

    job = ImportJob.load(token)
    if job is None:
        return {"file_error": "missing job"}
    user = User.objects.get(pk=user_id)
    unit = ServiceUnit.objects.select_related("agency__region__parent").filter(pk=default_unit_id).first()
    return job.run(user=user, default_unit=unit, language=language).as_dict()
