"""Hub dashboards: a hub's spokes side by side, its work plan's progress, activities and maturity over
time, and the hub against the median hub. For the hub's admins and mentors and the Ministry only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.core.exports import export_response
from jipp.dashboards import hubs as hub_data
from jipp.dashboards import selectors
from jipp.dashboards.domain import figures as F
from jipp.dashboards.measures import MEASURES
from jipp.dashboards.models import AreaFigures, Report
from jipp.dashboards.presenters import bar_chart, line_chart
from jipp.dashboards.views import _chart_csv, funnel_chart
from jipp.hubs.models import Aspect, Hub
from jipp.hubs.selectors import hubs_for_user
from jipp.registry.bounds import parse_year

S = AreaFigures.Scope
TOP_SPOKES = 15


@login_required
def hub_list(request):
    hubs = list(
        hubs_for_user(request.user)
        .select_related("agency", "region", "cohort")
        .annotate(spoke_count=Count("spokes", filter=Q(spokes__left_on__isnull=True)))
        .order_by("cohort__year")
    )
    if not hubs and not request.user.is_ministry:
        raise PermissionDenied
    figures = selectors.areas(S.HUB, 0)
    rows = [{"hub": h, "row": figures.get(str(h.pk), F.empty())} for h in hubs]
    return render(request, "dashboards/hub_list.html", {"rows": rows})


def _year(request) -> int:
    this_year = timezone.localdate().year
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return this_year
    try:
        year = int(raw)
    except ValueError:
        messages.warning(
            request, _("“%(value)s” is not a year; showing %(year)s.") % {"value": raw[:20], "year": this_year}
        )
        return this_year
    if parse_year(raw) is None:
        messages.warning(
            request, _("There are no figures for %(value)s; showing %(year)s.") % {"value": year, "year": this_year}
        )
        return this_year
    return year


@login_required
def hub_dashboard(request, pk: int):
    hub = get_object_or_404(Hub.objects.select_related("agency", "region", "cohort"), pk=pk)
    if not hub_data.can_view_hub(request.user, hub.pk):
        raise PermissionDenied
    year = _year(request)
    row = hub_data.hub_area(hub, year)
    rates = F.derived(row)
    medians = hub_data.hub_medians(year)
    compared = [
        {
            "label": MEASURES[key].label if key in MEASURES else _("Share of innovations replicated"),
            "is_rate": is_rate,
            "hub": F.value(row, key),
            "median": medians[key],
        }
        for key, is_rate in hub_data.COMPARED
    ]
    spokes = hub_data.spoke_rows(hub, year)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            request.GET["format"], hub_data.spoke_export_rows(spokes), hub_data.SPOKE_HEADERS, f"hub-{hub.pk}-{year}"
        )
    plan, progress = hub_data.plan_progress(hub, year)
    activities = hub_data.activities_by_year(hub)
    maturity = hub_data.maturity_by_year(hub)
    catalogue = reverse("registry:catalogue")
    charts = [
        funnel_chart(row, catalogue),
        bar_chart(
            "spokes",
            _("Published innovations: the 15 largest"),
            _("innovations"),
            [
                (s["short"], float(s["row"]["innovations_published"]), s["url"])
                for s in sorted(spokes, key=lambda s: -s["row"]["innovations_published"])[:TOP_SPOKES]
            ],
        ),
    ]
    if activities:
        years = sorted(activities)
        charts.append(
            line_chart(
                "activities",
                _("Activities over time"),
                _("per year"),
                years,
                [
                    ("activities", _("Activities"), [activities[y]["activities"] for y in years]),
                ],
            )
        )
    if maturity:
        years = sorted(maturity)
        charts.append(
            line_chart(
                "maturity",
                _("Maturity trend"),
                _("average level 1–5"),
                years,
                [(a, str(label), [maturity[y].get(a) for y in years]) for a, label in Aspect.choices[:3]],
            )
        )
    csv = _chart_csv(request, charts)
    if csv:
        return csv
    return render(
        request,
        "dashboards/hub.html",
        {
            "hub": hub,
            "name": hub.region.name if hub.region_id else hub.agency.name,
            "year": year,
            "row": row,
            "rates": rates,
            "compared": compared,
            "spokes": spokes,
            "units": any(s["spoke"] for s in spokes),
            "plan": plan,
            "progress": progress,
            "activities": activities,
            "maturity": maturity,
            "aspects": Aspect.choices,
            "charts": charts,
            "query": f"year={year}",
            "urls": {"catalogue": catalogue, "continuity": reverse("institutionalisation:continuity_missing")},
            "refresh": selectors.last_refresh(),
            "reports": Report.objects.filter(scope=Report.Scope.HUB, key=str(hub.pk))[:5],
            "report_years": sorted({year, timezone.localdate().year}, reverse=True),
        },
    )
