"""Background work of the competition (django-tasks): screening a whole edition.

The screening runs through `jipp.core.taskruns`: one run at a time per edition (a second request joins
the running one), its progress on the edition's `ScreeningRun` (shown on the screening page) and on its
`TaskRun` (the heartbeat), and a run whose worker died is started again from the beginning by
`manage.py resume_task_runs`: the screening replaces the edition's flags in one transaction at its end,
so a restart leaves nothing half done and the run finishes once.
"""

import logging

from django.utils import timezone
from django_tasks import task

from jipp.competition.models import Edition, ScreeningRun
from jipp.core import taskruns

logger = logging.getLogger(__name__)

SCREEN = "competition.screen"
ACTIVE = (ScreeningRun.Status.QUEUED, ScreeningRun.Status.RUNNING)


def scope_of(edition_id: int) -> str:
    return f"edition:{edition_id}"


def active_screening(edition: Edition) -> ScreeningRun | None:
    """The edition's screening record still queued or running (the one a running task works on)."""
    return edition.screening_runs.filter(status__in=ACTIVE).order_by("-created_at", "-pk").first()


@task()
def screen_edition_task(*, edition_id: int, run_id: int | None = None) -> int:
    """Run the automatic checks of the edition; progress and result are kept on its ScreeningRun.

    Returns the ScreeningRun's id, or -1 when another worker already screens this edition."""
    from jipp.competition.services import screen_edition

    with taskruns.running(run_id, name=SCREEN, scope=scope_of(edition_id)) as task_run:
        if task_run is None:
            return -1
        edition = Edition.all_editions.get(pk=edition_id)  # national or provincial
        # A restarted run (its worker died) takes over the record the dead one left running.
        record = active_screening(edition) or ScreeningRun.objects.create(edition=edition)

        def beat(percent: int, phase: str) -> None:
            taskruns.progress(task_run, done=percent, total=100, message=phase)

        try:
            screen_edition(edition=edition, run=record, progress=beat)
        except Exception as exc:
            logger.exception("Screening of edition %s failed", edition_id)
            ScreeningRun.objects.filter(pk=record.pk).update(
                status=ScreeningRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
            raise
        return record.pk


taskruns.register(SCREEN, screen_edition_task, lambda scope: {"edition_id": int(scope.split(":", 1)[1])})
