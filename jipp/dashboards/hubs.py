"""What the dashboards show about hubs: the hub marks on the map, hub provinces against the others,
each hub before and after it became one, a hub's own dashboard, its report and its API figures."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.dashboards import selectors
from jipp.dashboards.domain import figures as F
from jipp.dashboards.models import AgencyFigures, AreaFigures
from jipp.hubs.figures import BY_UNIT, plan_actuals
from jipp.hubs.models import Activity, Hub, MaturityAspect, Spoke, WorkPlan, WorkPlanTarget
from jipp.hubs.selectors import hubs_for_user

S = AreaFigures.Scope
COMPARED = (
    ("innovations_published", False),
    ("replicated_share", True),
    ("phase_institutionalisation", False),
    ("participation_rate", True),
    ("replications_in", False),
    ("success_rate", True),
)
BEFORE_AFTER = ("published_in_year", "proposals", "replications_in")
WINDOW = 3  # years before and after the designation


def active_hubs():
    return Hub.objects.filter(status=Hub.Status.ACTIVE)


def hub_province_codes() -> set[str]:
    """Codes of the provinces whose government is an active hub."""
    return set(active_hubs().filter(kind=Hub.Kind.PROVINCE).exclude(region=None).values_list("region__code", flat=True))


def members(hub_ids=None) -> dict[str, set[int]]:
    """{hub id: the hub's own agency and its active spokes}."""
    hubs = Hub.objects.all() if hub_ids is None else Hub.objects.filter(pk__in=hub_ids)
    out: dict[str, set[int]] = {str(pk): {agency_id} for pk, agency_id in hubs.values_list("pk", "agency_id")}
    spokes = Spoke.objects.filter(left_on__isnull=True, hub__in=hubs).values_list("hub_id", "agency_id")
    for hub_id, agency_id in spokes:
        out[str(hub_id)].add(agency_id)
    return out


def hub_members(agency_ids: set[int] | None) -> dict[str, set[int]]:
    """For the summary refresh: every hub (None), or the hubs that hold one of `agency_ids`."""
    if agency_ids is None:
        return members()
    hub_ids = set(Hub.objects.filter(agency_id__in=agency_ids).values_list("pk", flat=True))
    hub_ids |= set(
        Spoke.objects.filter(agency_id__in=agency_ids, left_on__isnull=True).values_list("hub_id", flat=True)
    )
    return members(hub_ids) if hub_ids else {}


def can_view_hub(user, key) -> bool:
    """Hub admins and mentors of this hub, and the Ministry."""
    try:
        pk = int(key)
    except (TypeError, ValueError):
        return False
    return hubs_for_user(user).filter(pk=pk).exists()


def _median_row(rows: list[dict]) -> dict[str, float | None]:
    return {key: F.median([F.value(r, key) for r in rows]) for key, _rate in COMPARED}


def hub_comparison(year: int) -> dict | None:
    """Hub provinces against the other provinces (medians per province), and each province hub's yearly
    figures before and after its designation (averages over up to three years each side)."""
    codes = hub_province_codes()
    if not codes:
        return None
    rows = selectors.combined_areas(S.PROVINCE, year)
    hub_rows = [r for k, r in rows.items() if k in codes]
    other_rows = [r for k, r in rows.items() if k not in codes]
    hub_median, other_median = _median_row(hub_rows), _median_row(other_rows)
    from jipp.dashboards.measures import MEASURES

    labels = {
        "replicated_share": _("Share of innovations replicated"),
    }
    compared = [
        {
            "label": labels.get(key) or MEASURES[key].label,
            "is_rate": is_rate,
            "hubs": hub_median[key],
            "others": other_median[key],
        }
        for key, is_rate in COMPARED
    ]
    by_year = defaultdict(dict)
    for row in AreaFigures.objects.filter(scope=S.PROVINCE, key__in=codes, year__gt=0):
        by_year[row.key][row.year] = row.as_dict()
    before_after = []
    hubs = active_hubs().filter(kind=Hub.Kind.PROVINCE).select_related("region", "cohort").order_by("cohort__year")
    for hub in hubs:
        start = hub.designated_on.year if hub.designated_on else hub.cohort.year
        years = by_year.get(hub.region.code, {})
        before = [years.get(y, F.empty()) for y in range(start - WINDOW, start)]
        after = [years.get(y, F.empty()) for y in range(start, start + WINDOW)]
        before_after.append(
            {
                "name": hub.region.name,
                "code": hub.region.code,
                "since": start,
                "figures": [
                    {
                        "key": key,
                        "before": sum(r[key] for r in before) / WINDOW,
                        "after": sum(r[key] for r in after) / WINDOW,
                    }
                    for key in BEFORE_AFTER
                ],
            }
        )
    return {
        "compared": compared,
        "hub_count": len(hub_rows),
        "other_count": len(other_rows),
        "before_after": before_after,
    }


def portal_hubs() -> list[dict]:
    """Active hubs for the portal: name, cohort and spokes; province hubs link to their province."""
    hubs = (
        active_hubs()
        .select_related("agency", "region", "cohort")
        .annotate(spoke_count=Count("spokes", filter=Q(spokes__left_on__isnull=True)))
        .order_by("cohort__year", "agency__name")
    )
    return [
        {
            "name": h.region.name if h.region_id else h.agency.name,
            "detail": _("hub since %(year)s · %(n)s spokes") % {"year": h.cohort.year, "n": h.spoke_count},
            "url": reverse("dashboards:province", args=[h.region.code]) if h.region_id else "",
        }
        for h in hubs
    ]


def hub_area(hub: Hub, year: int = 0) -> dict[str, int]:
    return selectors.combined(S.HUB, str(hub.pk), year)


def short_name(agency) -> str:
    """ "Kabupaten Sidoarjo" for "Pemerintah Kabupaten Sidoarjo": what fits a chart's label."""
    for prefix in ("Pemerintah ", "Government of "):
        if agency.name.startswith(prefix):
            return agency.name[len(prefix) :]
    return agency.short_name or agency.name


def _with_year(now: dict[str, int], then: dict[str, int] | None, year: int) -> dict[str, int]:
    """The state now with the yearly figures of `year` (all-time totals when 0)."""
    figures = dict(now)
    if year:
        yearly = then or F.empty()
        for name in F.YEARLY_FIGURES:
            figures[name] = yearly[name]
    return figures


def spoke_rows(hub: Hub, year: int) -> list[dict]:
    """The hub's agency and its active spokes side by side (state now, yearly figures of `year`): a province
    hub's regency and city agencies (from the summary per agency), a K/L hub's units and field offices
    (computed for its units, one grouped query per source). Each row: `name`, `short`, `is_hub`, `row`,
    `rates`, `agency` (the agency row's, else None), `spoke` (a unit spoke, else None), `url` (what the
    name links to: the catalogue of the agency, or the unit spoke's progress page)."""
    ids = members([hub.pk]).get(str(hub.pk), set())
    now = {
        r.agency_id: r for r in AgencyFigures.objects.filter(agency_id__in=ids, year=0).select_related("agency__region")
    }
    then = {r.agency_id: r for r in AgencyFigures.objects.filter(agency_id__in=ids, year=year)} if year else {}
    catalogue = reverse("registry:catalogue")
    out = []
    for agency_id, row in now.items():
        figures = _with_year(row.as_dict(), then[agency_id].as_dict() if agency_id in then else None, year)
        out.append(
            {
                "agency": row.agency,
                "spoke": None,
                "name": row.agency.name,
                "short": short_name(row.agency),
                "url": f"{catalogue}?agency={row.agency.slug}",
                "is_hub": agency_id == hub.agency_id,
                "row": figures,
                "rates": F.derived(figures),
            }
        )
    out += unit_rows(hub, year)
    out.sort(key=lambda r: (not r["is_hub"], -r["row"]["innovations_published"], r["name"]))
    return out


def unit_rows(hub: Hub, year: int) -> list[dict]:
    """A K/L hub's active unit spokes, each with the figures of its own unit (as `spoke_rows`)."""
    spokes = list(
        Spoke.objects.filter(hub=hub, left_on__isnull=True, unit__isnull=False)
        .select_related("unit", "agency")
        .order_by()
    )
    if not spokes:
        return []
    from jipp.dashboards.services.refresh import BY_UNIT, figure_rows

    rows = figure_rows(by=BY_UNIT, ids={s.unit_id for s in spokes}, today=timezone.localdate())
    out = []
    for spoke in spokes:
        figures = _with_year(rows.get((spoke.unit_id, 0), F.empty()), rows.get((spoke.unit_id, year)), year)
        name = spoke.unit.display_name
        out.append(
            {
                "agency": None,
                "spoke": spoke,
                "name": name,
                "short": name,
                "url": reverse("hubs:spoke", args=[hub.pk, spoke.pk]),
                "is_hub": False,
                "row": figures,
                "rates": F.derived(figures),
            }
        )
    return out


# The spokes table's download and API: the figures of each row, by their names (see `domain.figures`).
SPOKE_FIGURES = (
    "innovations_created",
    "innovations_published",
    "phase_creation",
    "phase_development",
    "phase_institutionalisation",
    "replicated",
    "proposals",
    "awards_top99",
    "awards_top45",
    "awards_outstanding",
    "replications_in",
    "replications_succeeded_in",
    "replications_out",
    "proven",
    "proven_with_legal_basis",
    "unprotected",
    "continuity_missing",
    "continuity_continuing",
    "continuity_growing",
    "continuity_stopped",
    "continuity_dormant",
)
SPOKE_HEADERS = ["kind", "name", "agency", "unit", "is_hub", *SPOKE_FIGURES, "legal_coverage"]


def spoke_identity(s: dict) -> dict:
    """What a spokes-table row is: an agency (its slug) or a unit spoke (its agency's slug and unit id)."""
    agency = s["agency"] or s["spoke"].agency
    return {
        "kind": "unit" if s["spoke"] else "agency",
        "name": s["name"],
        "agency": agency.slug,
        "unit": s["spoke"].unit_id if s["spoke"] else None,
        "is_hub": s["is_hub"],
    }


def spoke_export_rows(spokes: list[dict]):
    """The rows of the spokes table's CSV/XLSX download, under `SPOKE_HEADERS`."""
    for s in spokes:
        who = spoke_identity(s)
        coverage = s["rates"]["legal_coverage"]
        yield [
            who["kind"],
            who["name"],
            who["agency"],
            who["unit"] or "",
            int(who["is_hub"]),
            *(s["row"][name] for name in SPOKE_FIGURES),
            "" if coverage is None else round(coverage, 4),
        ]


def plan_progress(hub: Hub, year: int) -> tuple[WorkPlan | None, list[dict]]:
    """The hub's work plan for `year` with each target's actual figure and progress."""
    plan = WorkPlan.objects.filter(hub=hub, year=year).first()
    if plan is None:
        return None, []
    ids = sorted(members([hub.pk]).get(str(hub.pk), set()))
    actuals = plan_actuals(agency_ids=ids, year=year)
    targets = list(WorkPlanTarget.objects.filter(plan=plan).select_related("spoke__agency", "spoke__unit"))
    # A K/L hub's spokes are its units or field offices: their targets count the unit's own work.
    unit_ids = sorted({t.spoke.unit_id for t in targets if t.spoke_id and t.spoke.unit_id})
    unit_actuals = plan_actuals(agency_ids=unit_ids, year=year, by=BY_UNIT) if unit_ids else {}
    rows = []
    for target in targets:
        if target.spoke_id and target.spoke.unit_id:
            actual = unit_actuals.get(target.spoke.unit_id, {}).get(target.measure, 0)
        elif target.spoke_id:
            actual = actuals.get(target.spoke.agency_id, {}).get(target.measure, 0)
        else:
            actual = sum(a.get(target.measure, 0) for a in actuals.values())
        share = F.share(actual, target.target)
        rows.append(
            {
                "who": target.spoke.name if target.spoke_id else _("Whole hub"),
                "measure": target.get_measure_display(),
                "target": target.target,
                "actual": actual,
                "share": share,
                "bar": min(100, round(100 * share)) if share is not None else 0,
            }
        )
    return plan, rows


def activities_by_year(hub: Hub) -> dict[int, dict]:
    rows = (
        Activity.objects.filter(hub=hub)
        .annotate(y=ExtractYear("starts_on"))
        .order_by()
        .values("y")
        .annotate(n=Count("pk"), attendance=Coalesce(Sum("attendance"), 0))
    )
    return {r["y"]: {"activities": r["n"], "attendance": r["attendance"]} for r in sorted(rows, key=lambda r: r["y"])}


def maturity_by_year(hub: Hub) -> dict[int, dict[str, float]]:
    """Average level per aspect and year (the verified level where the Ministry set one)."""
    rows = (
        MaturityAspect.objects.filter(assessment__hub=hub)
        .exclude(assessment__status="draft")
        .values("assessment__year", "aspect")
        .annotate(level=Avg(Coalesce("verified_level", "declared_level")))
        .order_by("assessment__year")
    )
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for r in rows:
        out[r["assessment__year"]][r["aspect"]] = float(r["level"])
    return dict(out)


def hub_medians(year: int) -> dict[str, float | None]:
    """Median over all hubs of each compared measure."""
    rows = list(selectors.combined_areas(S.HUB, year).values())
    return _median_row(rows)


def api_figures(user, key, year: int = 0) -> dict | None:
    """The hub's figures and its spokes side by side (a K/L hub: its units and field offices)."""
    hub = Hub.objects.filter(pk=key).first()
    if hub is None or not can_view_hub(user, hub.pk):
        return None

    def figures(row: dict) -> dict:
        rates = F.derived(row)
        return {**row, **rates, "awards": int(rates["awards"])}

    spokes = [{**spoke_identity(s), **figures(s["row"])} for s in spoke_rows(hub, year)]
    return {**figures(hub_area(hub, year)), "year": year, "spokes": spokes}


def report_data(*, key: str, year: int) -> dict:
    from jipp.dashboards.report_data import collect_hub

    return collect_hub(hub=Hub.objects.select_related("agency", "region", "cohort").get(pk=key), year=year)
