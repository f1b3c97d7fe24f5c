"""Background work of the dashboards (django-tasks): the summary refresh and the reports."""

from django_tasks import task

from jipp.dashboards.warm import warm


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
def refresh_everything() -> int:
    """Refresh every summary (the nightly run)."""
    from jipp.dashboards.services.refresh import refresh_all

    agencies = refresh_all().agencies
    warm()
    return agencies


@task()
def make_report(report_id: int) -> None:
    """Build a report's PDF and XLSX (progress is saved on the Report as it goes)."""
    from jipp.dashboards.services.reports import build_report

    build_report(report_id=report_id)
