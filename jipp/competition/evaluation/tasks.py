"""Background work of the evaluation (django-tasks): the automatic assignment."""

import logging

from django.utils import timezone
from django_tasks import task

from jipp.competition.evaluation.models import AssignmentRun

logger = logging.getLogger(__name__)


@task()
def assign_task(*, run_id: int) -> int:
    """Run the optimal assignment for the run's edition; the result (or the reasons it failed) stays on the run."""
    from jipp.competition.domain.assignment import AssignmentInfeasibleError
    from jipp.competition.evaluation.services import run_assignment

    run = AssignmentRun.objects.select_related("edition").get(pk=run_id)
    try:
        run_assignment(edition=run.edition, run=run)
    except AssignmentInfeasibleError as exc:
        AssignmentRun.objects.filter(pk=run_id).update(
            status=AssignmentRun.Status.FAILED, error=str(exc)[:4000], finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("Assignment run %s failed", run_id)
        AssignmentRun.objects.filter(pk=run_id).update(
            status=AssignmentRun.Status.FAILED, error=str(exc)[:4000], finished_at=timezone.now()
        )
        raise
    return run_id
