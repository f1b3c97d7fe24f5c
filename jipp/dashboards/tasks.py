"""Background work of the dashboards (django-tasks): the summary refresh and the reports."""

from django_tasks import task


@task()
def refresh_after_change(agency_ids: list[int], innovation_ids: list[int]) -> int:
    """Refresh the summaries of these agencies and of the agencies owning these innovations."""
    from jipp.dashboards.services.refresh import refresh_agencies
    from jipp.registry.models import Innovation

    ids = set(agency_ids) | set(Innovation.objects.filter(pk__in=innovation_ids).values_list("agency_id", flat=True))
    refresh_agencies(agency_ids=ids)
    return len(ids)


@task()
def refresh_everything() -> int:
    """Refresh every summary (the nightly run)."""
    from jipp.dashboards.services.refresh import refresh_all

    return refresh_all().agencies


@task()
def make_report(report_id: int) -> None:
    """Build a report's PDF and XLSX (progress is saved on the Report as it goes)."""
    from jipp.dashboards.services.reports import build_report

    build_report(report_id=report_id)
