"""What a yearly report holds: the figures, the map, the charts and the tables (the PDF and the XLSX
are two renderings of the same data)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jipp.dashboards import hubs as hub_data
from jipp.dashboards import selectors
from jipp.dashboards.domain import figures as F
from jipp.dashboards.measures import MEASURES
from jipp.dashboards.models import AreaFigures
from jipp.dashboards.presenters import bar_chart, line_chart, province_map
from jipp.dashboards.templatetags.dashboards import num, pct
from jipp.regions.models import Agency

S = AreaFigures.Scope


def _rate(v):
    return None if v is None else round(v, 4)


def province_table(year: int) -> dict:
    rows = selectors.combined_areas(S.PROVINCE, year)
    out = []
    for p in selectors.provinces():
        r = rows.get(p.code, F.empty())
        d = F.derived(r)
        out.append(
            [
                p.code,
                p.name,
                r["innovations_published"],
                r["replicated"],
                r["phase_institutionalisation"],
                r["proposals"],
                r["participated"],
                r["agencies"],
                _rate(d["participation_rate"]),
                r["replications_in"],
                r["replications_out"],
                _rate(d["success_rate"]),
                r["proven"],
                r["unprotected"],
                _rate(d["unprotected_share"]),
            ]
        )
    headers = [
        _("Code"),
        _("Province"),
        _("Published innovations"),
        _("Replicated"),
        _("Institutionalised"),
        _("KIPP proposals"),
        _("Agencies taking part"),
        _("Agencies"),
        _("Participation rate"),
        _("Replications in"),
        _("Replications out"),
        _("Replication success rate"),
        _("Proven"),
        _("Proven but unprotected"),
        _("Unprotected share"),
    ]
    return {"sheet": _("Provinces"), "title": _("Figures per province"), "headers": headers, "rows": out}


def collect(*, scope: str, key: str, year: int) -> dict:
    if scope == "hub":
        return hub_data.report_data(key=key, year=year)
    nat = selectors.combined(S.NATIONAL, selectors.NATIONAL_KEY, year)
    rates = F.derived(nat)
    prov = selectors.combined_areas(S.PROVINCE, year)
    measure = MEASURES["innovations_published"]
    values = {p.code: float(prov[p.code][measure.key]) if p.code in prov else None for p in selectors.provinces()}
    the_map = province_map(values, measure, urls={}, hubs=hub_data.hub_province_codes())
    by_year = selectors.by_year(S.NATIONAL, selectors.NATIONAL_KEY)
    years = sorted(by_year)[-10:]
    steps = F.funnel(nat)
    from jipp.dashboards.phrases import FUNNEL_STEPS

    charts = [
        bar_chart(
            "funnel",
            _("Innovations by policy phase"),
            _("innovations"),
            [(str(FUNNEL_STEPS[s.key]), float(s.count), "") for s in steps],
        )
    ]
    if years:
        charts.append(
            line_chart(
                "trend",
                _("Trends by year"),
                _("count per year"),
                years,
                [
                    (
                        "published_in_year",
                        _("Innovations started (published)"),
                        [by_year[y]["published_in_year"] for y in years],
                    ),
                    ("proposals", _("KIPP proposals"), [by_year[y]["proposals"] for y in years]),
                    ("replications_in", _("Replications requested"), [by_year[y]["replications_in"] for y in years]),
                ],
            )
        )
    kinds = selectors.combined_areas(S.KIND, year)
    kind_rows = [
        [
            str(label),
            kinds[k]["agencies"],
            kinds[k]["innovations_published"],
            kinds[k]["proposals"],
            kinds[k]["replications_in"],
        ]
        for k, label in Agency.Type.choices
        if k in kinds
    ]
    charts.append(
        bar_chart(
            "kinds",
            _("Published innovations by kind of agency"),
            _("innovations"),
            [(r[0], float(r[2]), "") for r in kind_rows],
        )
    )
    summary = [
        [_("Published innovations"), nat["innovations_published"]],
        [_("Replicated by another agency"), nat["replicated"]],
        [_("Institutionalised"), nat["phase_institutionalisation"]],
        [_("With a legal basis"), nat["with_legal_basis"]],
        [_("KIPP proposals"), nat["proposals"]],
        [_("Agencies taking part in KIPP"), nat["participated"]],
        [_("Agencies"), nat["agencies"]],
        [_("KIPP participation rate"), _rate(rates["participation_rate"])],
        [_("Replications requested"), nat["replications_in"]],
        [_("Replication success rate"), _rate(rates["success_rate"])],
        [_("Proven innovations"), nat["proven"]],
        [_("Proven but unprotected"), nat["unprotected"]],
        [_("Unprotected share"), _rate(rates["unprotected_share"])],
    ]
    tables = [
        {"sheet": _("Summary"), "title": _("Summary"), "headers": [_("Figure"), _("Value")], "rows": summary},
        province_table(year),
        {
            "sheet": _("Kinds of agency"),
            "title": _("Figures per kind of agency"),
            "headers": [
                _("Kind of agency"),
                _("Agencies"),
                _("Published innovations"),
                _("KIPP proposals"),
                _("Replications in"),
            ],
            "rows": kind_rows,
        },
        {
            "sheet": _("Years"),
            "title": _("Figures per year"),
            "headers": [
                _("Year"),
                _("Innovations started (published)"),
                _("KIPP proposals"),
                _("Agencies taking part"),
                _("Top 99"),
                _("Top 45"),
                _("Outstanding"),
                _("Replications requested"),
            ],
            "rows": [
                [
                    y,
                    by_year[y]["published_in_year"],
                    by_year[y]["proposals"],
                    by_year[y]["participated"],
                    by_year[y]["awards_top99"],
                    by_year[y]["awards_top45"],
                    by_year[y]["awards_outstanding"],
                    by_year[y]["replications_in"],
                ]
                for y in years
            ],
        },
    ]
    kpis = [
        (num(nat["innovations_published"]), _("published innovations")),
        (num(nat["replicated"]), _("replicated by another agency")),
        (num(nat["phase_institutionalisation"]), _("institutionalised")),
        (pct(rates["participation_rate"]), _("KIPP participation")),
        (pct(rates["success_rate"]), _("replication success")),
        (pct(rates["unprotected_share"]), _("proven but unprotected")),
    ]
    return {
        "kpis": kpis,
        "map_caption": _("%(measure)s per province; hub provinces are marked.") % {"measure": measure.label},
        "extra_notes": [],
        "title": _("National report on public-service innovation %(year)s") % {"year": year},
        "subtitle": _("Public-service innovation network (JIPP)"),
        "slug": "national",
        "year": year,
        "nat": nat,
        "rates": rates,
        "map": the_map,
        "charts": charts,
        "tables": tables,
        "refresh": selectors.last_refresh(),
    }


def collect_hub(*, hub, year: int) -> dict:
    """A hub's yearly report: the hub against the median hub, its spokes side by side, its work plan's
    progress, its activities and its maturity trend."""
    from jipp.dashboards import hubs as hub_data

    row = hub_data.hub_area(hub, year)
    rates = F.derived(row)
    medians = hub_data.hub_medians(year)
    spokes = hub_data.spoke_rows(hub, year)
    plan, progress = hub_data.plan_progress(hub, year)
    activities = hub_data.activities_by_year(hub)
    maturity = hub_data.maturity_by_year(hub)
    prov = selectors.combined_areas(S.PROVINCE, year)
    measure = MEASURES["innovations_published"]
    values = {p.code: float(prov[p.code][measure.key]) if p.code in prov else None for p in selectors.provinces()}
    own = {hub.region.code} if hub.region_id else set()
    the_map = province_map(values, measure, urls={}, hubs=own)
    name = hub.region.name if hub.region_id else hub.agency.name
    charts = [
        bar_chart(
            "spokes",
            _("Published innovations: the 15 largest"),
            _("innovations"),
            [(s["short"], float(s["row"]["innovations_published"]), "") for s in spokes[:15]],
        )
    ]
    if activities:
        years = sorted(activities)
        charts.append(
            line_chart(
                "activities",
                _("Activities per year"),
                _("activities"),
                years,
                [("activities", _("Activities"), [activities[y]["activities"] for y in years])],
            )
        )
    if maturity:
        from jipp.hubs.models import Aspect

        years = sorted(maturity)
        charts.append(
            line_chart(
                "maturity",
                _("Maturity by aspect"),
                _("level 1-5"),
                years,
                [(a, label, [maturity[y].get(a) for y in years]) for a, label in Aspect.choices][:3],
            )
        )
    kpis = [
        (num(len(spokes) - 1), _("spokes")),
        (num(row["innovations_published"]), _("published innovations")),
        (num(row["replicated"]), _("replicated by another agency")),
        (pct(rates["participation_rate"]), _("KIPP participation")),
        (pct(rates["success_rate"]), _("replication success")),
        (pct(rates["legal_coverage"]), _("proven innovations with a legal basis")),
    ]
    compare = [
        [
            str(MEASURES[k].label) if k in MEASURES else _("Share of innovations replicated"),
            _rate(F.value(row, k)) if rate else F.value(row, k),
            _rate(medians[k]) if rate else medians[k],
        ]
        for k, rate in hub_data.COMPARED
    ]
    tables = [
        {
            "sheet": _("Summary"),
            "title": _("The hub against the median hub"),
            "headers": [_("Figure"), name, _("Median hub")],
            "rows": compare,
        },
        {
            "sheet": _("Spokes"),
            "title": _("Spokes side by side"),
            "headers": [
                _("Agency, unit or field office") if any(s["spoke"] for s in spokes) else _("Agency"),
                _("Published innovations"),
                _("Replicated"),
                _("Institutionalised"),
                _("KIPP proposals"),
                _("Replications in"),
                _("Proven but unprotected"),
            ],
            "rows": [
                [
                    s["name"],
                    s["row"]["innovations_published"],
                    s["row"]["replicated"],
                    s["row"]["phase_institutionalisation"],
                    s["row"]["proposals"],
                    s["row"]["replications_in"],
                    s["row"]["unprotected"],
                ]
                for s in spokes
            ],
        },
        {
            "sheet": _("Work plan"),
            "title": _("Progress against the work plan %(year)s") % {"year": year},
            "headers": [_("Who"), _("Measure"), _("Target"), _("Actual"), _("Progress")],
            "rows": [[p["who"], str(p["measure"]), p["target"], p["actual"], _rate(p["share"])] for p in progress],
        },
        {
            "sheet": _("Activities"),
            "title": _("Activities per year"),
            "headers": [_("Year"), _("Activities"), _("Attendance")],
            "rows": [[y, a["activities"], a["attendance"]] for y, a in sorted(activities.items())],
        },
    ]
    notes = [
        _("A hub's figures are the sums over its own agency and its active spokes."),
        _("Work-plan progress counts, for the plan's year, what each target measures (see the hubs guide)."),
    ]
    if any(s["spoke"] for s in spokes):
        notes.append(
            _(
                "The hub's spokes are its units and field offices: each counts its own innovations; the hub's "
                "row is the whole ministry or agency."
            )
        )
    if plan is None:
        notes.append(_("The hub has no work plan for %(year)s.") % {"year": year})
    return {
        "kpis": kpis,
        "map_caption": _("Published innovations per province; the hub's province is marked."),
        "extra_notes": notes,
        "title": _("Hub report %(name)s %(year)s") % {"name": name, "year": year},
        "subtitle": _("Public-service innovation network (JIPP)"),
        "slug": f"hub-{hub.pk}",
        "year": year,
        "map": the_map,
        "charts": charts,
        "tables": tables,
        "refresh": selectors.last_refresh(),
    }
