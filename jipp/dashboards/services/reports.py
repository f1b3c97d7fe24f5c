"""Yearly reports (national, or one hub's) as PDF (WeasyPrint) and XLSX (openpyxl), in Indonesian or
English, built in the background with progress; each keeps its date and the data version it used.
A request while a report for the same scope, year and language is in the making joins it."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jipp.dashboards import report_data
from jipp.dashboards.models import Report


def request_report(*, scope: str, key: str = "", year: int, language: str, user=None) -> tuple[Report, bool]:
    """The report in the making for this scope, year and language (joined: True), or a new one queued
    (joined: False). The background task starts after the transaction commits."""
    active = Report.objects.filter(
        scope=scope, key=key, year=year, language=language, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).first()
    if active:
        return active, True
    try:
        with transaction.atomic():
            report = Report.objects.create(scope=scope, key=key, year=year, language=language, requested_by=user)
    except IntegrityError:  # another request created it a moment ago: join that one
        return Report.objects.get(
            scope=scope, key=key, year=year, language=language, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
        ), True
    from jipp.dashboards.tasks import schedule_report

    schedule_report(report.pk)  # after the commit, one run per report (jipp.core.taskruns)
    return report, False


def _progress(report: Report, percent: int, step: str) -> None:
    Report.objects.filter(pk=report.pk).update(progress=percent, step=step[:100])


def build_report(*, report_id: int) -> Report:
    """Build both files of a queued report. Progress and the outcome are saved on the Report."""
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, progress=1
    )
    report = Report.objects.get(pk=report_id)
    if not claimed:
        return report
    try:
        with translation.override(report.language):
            _progress(report, 10, _("Collecting the figures"))
            data = report_data.collect(scope=report.scope, key=report.key, year=report.year)
            _progress(report, 40, _("Writing the PDF"))
            pdf = render_pdf(data)
            _progress(report, 80, _("Writing the spreadsheet"))
            xlsx = render_xlsx(data)
            name = f"{data['slug']}-{report.year}-{report.language}"
            report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            report.data_version = data["refresh"].pk if data["refresh"] else None
            report.data_as_of = data["refresh"].finished_at if data["refresh"] else None
            report.status = Report.Status.DONE
            report.progress = 100
            report.step = ""
            report.finished_at = timezone.now()
            report.save()
    except Exception as exc:  # the page shows the failure; the worker's log has the traceback
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error=str(exc)[:2000])
        raise
    return report


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("dashboards/report_pdf.html", data)
    return HTML(string=html, base_url="/").write_pdf()


def render_xlsx(data: dict) -> bytes:
    """One sheet per table of the report."""
    book = Workbook()
    book.remove(book.active)
    for table in data["tables"]:
        sheet = book.create_sheet(str(table["sheet"])[:31])
        sheet.append([str(h) for h in table["headers"]])
        for row in table["rows"]:
            sheet.append([("" if v is None else v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
