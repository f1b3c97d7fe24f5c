"""Background work of the competition (django-tasks): screening a whole edition."""

import logging

from django.utils import timezone
from django_tasks import task

from jipp.competition.models import ScreeningRun

logger = logging.getLogger(__name__)


@task()
def screen_edition_task(*, run_id: int) -> int:
    """Run the automatic checks of the run's edition; progress and result are kept on the run."""
    from jipp.competition.services import screen_edition

    run = ScreeningRun.objects.select_related("edition").get(pk=run_id)
    try:
        screen_edition(edition=run.edition, run=run)
    except Exception as exc:
        logger.exception("Screening run %s failed", run_id)
        ScreeningRun.objects.filter(pk=run_id).update(
            status=ScreeningRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    return run_id
