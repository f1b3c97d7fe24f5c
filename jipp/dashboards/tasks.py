"""Background work of the dashboards (django-tasks): the summary refresh and the reports.

The full refresh and each report run under `jipp.core.taskruns`: one queued-or-running run per job and
scope (the full refresh: "all"; a report: its id), claimed once however often the task is delivered,
and started again from the beginning when its worker died (`manage.py resume_task_runs`). Both write
their result by replacing it, so a restart is clean. The refresh after one write stays a plain task:
it is short, idempotent and its scope (the agencies it names) is its own.
"""

from django_tasks import task

from jipp.core import taskruns
from jipp.dashboards.warm import warm

REFRESH_ALL = "dashboards.refresh_all"
REPORT = "dashboards.report"


@task()
def refresh_after_change(agency_ids: list[int], innovation_ids: list[int], hub_ids: list[int] | None = None) -> int:
    """Refresh the summaries of these agencies, of the agencies owning these innovations and of these hubs
    (through the hub's own agency, so a hub whose spoke left is recomputed too)."""
    from jipp.dashboards.services.refresh import refresh_agencies
    from jipp.hubs.models import Hub
    from jipp.registry.models import Innovation

    ids = set(agency_ids) | set(Innovation.objects.filter(pk__in=innovation_ids).values_list("agency_id", flat=True))
    ids |= set(Hub.objects.filter(pk__in=hub_ids or []).values_list("agency_id", flat=True))
    refresh_agencies(agency_ids=ids, hub_ids=hub_ids or [])
    warm()
    return len(ids)


@task()
def refresh_everything(run_id: int | None = None) -> int:
    """Refresh every summary (the nightly run) and render the pages ahead; -1 when another run of it is
    queued or running already."""
    from jipp.dashboards.services.refresh import refresh_all

    with taskruns.running(run_id, name=REFRESH_ALL) as run:
        if run is None:
            return -1
        agencies = refresh_all().agencies
        warm()
        run.result = {"agencies": agencies}
        return agencies


def schedule_full_refresh():
    """Queue the full refresh after the current transaction commits (joins one queued or running)."""
    return taskruns.enqueue_once(refresh_everything, name=REFRESH_ALL)


@task()
def make_report(report_id: int, run_id: int | None = None) -> None:
    """Build a report's PDF and XLSX (progress is saved on the Report as it goes)."""
    from jipp.dashboards.models import Report
    from jipp.dashboards.services.reports import build_report

    with taskruns.running(run_id, name=REPORT, scope=str(report_id)) as run:
        if run is None:
            return
        # This run is the only one for the report: one left "running" belongs to a worker that died.
        Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(status=Report.Status.QUEUED)
        report = build_report(report_id=report_id)
        run.result = {"status": report.status}


def schedule_report(report_id: int):
    """Queue the making of one report after the current transaction commits (once per report)."""
    return taskruns.enqueue_once(make_report, name=REPORT, scope=str(report_id), report_id=report_id)


taskruns.register(REFRESH_ALL, refresh_everything)
taskruns.register(REPORT, make_report, lambda scope: {"report_id": int(scope)})
