"""Yearly reports: ask for one (joining one in the making), watch its progress, download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.dashboards import hubs as hub_data
from jipp.dashboards import selectors
from jipp.dashboards.models import Report
from jipp.dashboards.services.reports import request_report


def _can(user, scope: str, key: str) -> bool:
    if scope == Report.Scope.HUB:
        return hub_data.can_view_hub(user, key)
    return user.has_perm("dashboards.make_report")


def _years() -> list[int]:
    years = selectors.data_years()
    this_year = timezone.localdate().year
    return sorted({y for y in years if y <= this_year} | {this_year}, reverse=True)


@login_required
def report_list(request):
    if not request.user.has_perm("dashboards.make_report"):
        raise PermissionDenied
    reports = Report.objects.filter(scope=Report.Scope.NATIONAL)[:20]
    return render(request, "dashboards/reports.html", {"reports": reports, "years": _years()})


@login_required
@require_POST
def report_request(request):
    scope = request.POST.get("scope", Report.Scope.NATIONAL)
    key = request.POST.get("key", "") if scope == Report.Scope.HUB else ""
    if scope not in Report.Scope.values or not _can(request.user, scope, key):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose a year for the report."))
        return redirect(request.POST.get("back") or "dashboards:reports")
    if year not in _years():
        messages.error(request, _("There are no figures for %(year)s; choose another year.") % {"year": year})
        return redirect(request.POST.get("back") or "dashboards:reports")
    language = request.POST.get("language") or (get_language() or "id")[:2]
    if language not in ("id", "en"):
        language = "id"
    report, joined = request_report(scope=scope, key=key, year=year, language=language, user=request.user)
    if joined:
        messages.info(request, _("This report is already being made; you will find it here when it is ready."))
    return redirect("dashboards:report_detail", public_id=report.public_id)


def _report_for(request, public_id) -> Report:
    report = get_object_or_404(Report, public_id=public_id)
    if not _can(request.user, report.scope, report.key):
        raise PermissionDenied
    return report


@login_required
def report_detail(request, public_id):
    report = _report_for(request, public_id)
    template = (
        "dashboards/_report_status.html" if request.headers.get("HX-Request") else "dashboards/report_detail.html"
    )
    return render(request, template, {"report": report})


@login_required
def report_download(request, public_id, fmt: str):
    report = _report_for(request, public_id)
    if fmt not in ("pdf", "xlsx") or report.status != Report.Status.DONE:
        raise Http404
    file = report.pdf if fmt == "pdf" else report.xlsx
    name = f"jipp-{report.scope}{'-' + report.key if report.key else ''}-{report.year}-{report.language}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)
