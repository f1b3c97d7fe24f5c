"""Dashboard pages: the national dashboard with its map, a province, an agency, the public portal and the
open-data page. Every figure comes from the summary tables (see `services.refresh`)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.core.exports import export_response
from jipp.dashboards import filters as dashboard_filters
from jipp.dashboards import hubs as hub_data
from jipp.dashboards import phrases, rendered, selectors
from jipp.dashboards.domain import figures as F
from jipp.dashboards.measures import MEASURES, visible_measures
from jipp.dashboards.models import AreaFigures
from jipp.dashboards.presenters import bar_chart, line_chart, province_map
from jipp.regions.models import Agency

S = AreaFigures.Scope
TREND_YEARS = 10


def body_variant(*, full: bool, query: str) -> str:
    """The part of a cached body's key that depends on the request: the audience and the query string."""
    return f"{int(full)}:{hashlib.sha256(query.encode()).hexdigest()[:16]}"


def cached_body(request, kind: str, template: str, build_context) -> str:
    """The page's figures, rendered once per data version, language, audience and query string (see
    `rendered`)."""
    variant = body_variant(full=_full(request), query=request.GET.urlencode())
    return rendered.cached_html(kind, template, build_context, variant=variant)


def _urls() -> dict[str, str]:
    return {
        "catalogue": reverse("registry:catalogue"),
        "network": reverse("replication:network"),
        "worklist": reverse("institutionalisation:worklist"),
        "kipp": reverse("evaluation:public_index"),
        "stories": reverse("replication:stories"),
    }


def _full(request) -> bool:
    return request.user.has_perm("dashboards.view_full")


def _chart_csv(request, charts):
    wanted = request.GET.get("csv")
    if not wanted:
        return None
    for chart in charts:
        if chart.id == wanted:
            return export_response("csv", chart.csv_rows(), chart.columns, f"{chart.id}")
    raise Http404(_("There is no chart called “%(value)s” on this page.") % {"value": wanted[:40]})


# Each funnel step's catalogue filter: a step counts its phase and the later ones (see F.funnel).
FUNNEL_FILTER = {
    "created": "",
    "developed": "phase_min=development",
    "institutionalised": "phase_min=institutionalisation",
}


def with_param(url: str, param: str) -> str:
    """`url` with one more `name=value` (or unchanged for an empty one)."""
    if not param:
        return url
    return url + ("&" if "?" in url else "?") + param


def funnel_chart(row, catalogue_url: str) -> object:
    """The funnel of the three phases; each bar links to the catalogue (`catalogue_url`, with the scope's
    filters) filtered to the innovations it counts."""
    steps = F.funnel(row)
    items = [
        (str(phrases.FUNNEL_STEPS[s.key]), float(s.count), with_param(catalogue_url, FUNNEL_FILTER[s.key]))
        for s in steps
    ]
    return bar_chart("funnel", _("Innovations by policy phase"), _("innovations"), items)


def trend_chart(rows_by_year: dict[int, dict], chart_id: str = "trend") -> object | None:
    years = sorted(rows_by_year)[-TREND_YEARS:]
    if not years:
        return None
    series = [
        (
            "published_in_year",
            _("Innovations started (published)"),
            [rows_by_year[y]["published_in_year"] for y in years],
        ),
        ("proposals", _("KIPP proposals"), [rows_by_year[y]["proposals"] for y in years]),
        ("replications_in", _("Replications requested"), [rows_by_year[y]["replications_in"] for y in years]),
    ]
    return line_chart(chart_id, _("Trends by year"), _("count per year"), years, series)


def kipp_rows(rows_by_year: dict[int, dict]) -> list[dict]:
    out = []
    for year in sorted(rows_by_year, reverse=True):
        row = rows_by_year[year]
        if not (row["proposals"] or row["awards_top99"] or row["awards_top45"] or row["awards_outstanding"]):
            continue
        out.append({"year": year, "row": row, "rate": F.derived(row)["participation_rate"]})
    return out


def continuity_chart(row, url) -> object:
    items = [(str(phrases.CONTINUITY[c]), float(row[f"continuity_{c}"]), url) for c in phrases.CONTINUITY]
    items.append((_("No answer this year"), float(row["continuity_missing"]), url))
    return bar_chart("continuity", _("Do the innovations still run?"), _("published innovations"), items)


def _province_urls(f) -> dict[str, str]:
    query = f.query()
    return {
        p.code: reverse("dashboards:province", args=[p.code]) + (f"?{query}" if query else "")
        for p in selectors.provinces()
    }


def national_context(request, f, *, full: bool) -> dict:
    nat = selectors.combined(S.NATIONAL, selectors.NATIONAL_KEY, f.year)
    rates = F.derived(nat)
    provinces = selectors.provinces()
    prov_rows = selectors.combined_areas(S.PROVINCE, f.year)
    values = {p.code: (F.value(prov_rows[p.code], f.measure.key) if p.code in prov_rows else None) for p in provinces}
    hubs = hub_data.hub_province_codes()
    arcs = selectors.province_arcs() if f.arcs else None
    urls = _province_urls(f)
    the_map = province_map(values, f.measure, urls=urls, hubs=hubs, arcs=arcs)
    ranks = F.ranks(values)
    table = sorted(
        (
            {
                "province": p,
                "row": prov_rows.get(p.code, F.empty()),
                "rates": F.derived(prov_rows.get(p.code, F.empty())),
                "value": values[p.code],
                "rank": ranks.get(p.code),
                "url": urls[p.code],
                "is_hub": p.code in hubs,
            }
            for p in provinces
        ),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, r["province"].name),
    )
    kinds = selectors.combined_areas(S.KIND, f.year)
    kind_funnels = [
        {"kind": k, "label": label, "steps": F.funnel(kinds[k]), "row": kinds[k]}
        for k, label in Agency.Type.choices
        if k in kinds
    ]
    kind_items = [
        (str(label), float(kinds[k]["innovations_published"]), reverse("registry:catalogue") + f"?agency_type={k}")
        for k, label in Agency.Type.choices
        if k in kinds
    ]
    catalogue = reverse("registry:catalogue")
    charts = [
        funnel_chart(nat, catalogue),
        bar_chart("kinds", _("Published innovations by kind of agency"), _("innovations"), kind_items),
    ]
    by_year = selectors.by_year(S.NATIONAL, selectors.NATIONAL_KEY)
    trend = trend_chart(by_year)
    if trend:
        charts.append(trend)
    kipp = kipp_rows(by_year)
    if kipp:
        charts.append(
            bar_chart(
                "kipp",
                _("KIPP participation by year"),
                _("per cent of agencies with a proposal"),
                [(str(k["year"]), k["rate"], reverse("evaluation:public_index")) for k in reversed(kipp)],
                is_rate=True,
            )
        )
    if full:
        charts.append(continuity_chart(nat, reverse("institutionalisation:continuity_missing")))
    return {
        "f": f,
        "full": full,
        "nat": nat,
        "rates": rates,
        "map": the_map,
        "measures": visible_measures(full),
        "table": table,
        "charts": charts,
        "kipp": kipp,
        "kind_funnels": kind_funnels,
        "refresh": selectors.last_refresh(),
        "hub_rows": hub_data.hub_comparison(f.year) if full else None,
        "urls": _urls(),
    }


def national(request):
    """The national dashboard: the public subset for everyone, all figures for the Ministry."""
    full = _full(request)
    f = dashboard_filters.parse(request.GET, full=full)
    if request.GET.get("csv") or request.GET.get("format") in ("csv", "xlsx"):
        return _national_download(request, national_context(request, f, full=full))
    user = request.user
    return render(
        request,
        "dashboards/national.html",
        {
            "f": f,
            "full": full,
            "show_my_agency": user.is_authenticated and bool(user.agency_id) and user.role in ("admin_lokal", "upp"),
            "show_hubs": user.is_authenticated and (user.role in ("hub_admin", "mentor") or full),
            "body": cached_body(
                request, "national", "dashboards/_national_body.html", lambda: national_context(request, f, full=full)
            ),
        },
    )


def _national_download(request, context):
    f = context["f"]
    csv = _chart_csv(request, context["charts"])
    if csv:
        return csv
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            request.GET["format"],
            (
                [r["province"].code, r["province"].name, r["value"] if r["value"] is not None else "", r["rank"] or ""]
                for r in context["table"]
            ),
            ["code", "province", f.measure.key, "rank"],
            f"provinces-{f.measure.key}",
        )
    raise Http404


def province(request, code: str):
    """One province: its figures, its regencies and cities ranked on the chosen measure (no boundaries
    for those: a ranked list), and links to the catalogue with the province's filter."""
    region = selectors.province(code)
    if region is None:
        raise Http404(_("There is no province with the code “%(code)s”.") % {"code": code[:10]})
    full = _full(request)
    f = dashboard_filters.parse(request.GET, full=full)
    row = selectors.combined(S.PROVINCE, code, f.year)
    nat = selectors.combined(S.NATIONAL, selectors.NATIONAL_KEY, f.year)
    children = selectors.regions_of(code)
    child_rows = selectors.combined_areas(S.REGION, f.year, prefix=f"{code}.")
    values = {r.code: (F.value(child_rows[r.code], f.measure.key) if r.code in child_rows else None) for r in children}
    ranks = F.ranks(values)
    ranked = sorted(
        (
            {
                "region": r,
                "value": values[r.code],
                "rank": ranks.get(r.code),
                "url": f.measure.url(region=r.code, year=f.year),
                "catalogue": reverse("registry:catalogue") + f"?regency={r.code}",
            }
            for r in children
        ),
        key=lambda x: (x["rank"] is None, x["rank"] or 0, x["region"].name),
    )
    top = max((v for v in values.values() if v), default=0)
    for item in ranked:
        item["bar"] = round(100 * (item["value"] or 0) / top, 1) if top else 0
    catalogue = reverse("registry:catalogue") + f"?province={code}"
    charts = [funnel_chart(row, catalogue)]
    trend = trend_chart(selectors.by_year(S.PROVINCE, code))
    if trend:
        charts.append(trend)
    if full:
        charts.append(continuity_chart(row, reverse("institutionalisation:continuity_missing") + f"?province={code}"))
    csv = _chart_csv(request, charts)
    if csv:
        return csv
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            request.GET["format"],
            (
                [i["region"].code, i["region"].name, i["value"] if i["value"] is not None else "", i["rank"] or ""]
                for i in ranked
            ),
            ["code", "regency_city", f.measure.key, "rank"],
            f"province-{code}-{f.measure.key}",
        )
    return render(
        request,
        "dashboards/province.html",
        {
            "region": region,
            "f": f,
            "full": full,
            "row": row,
            "rates": F.derived(row),
            "nat_rates": F.derived(nat),
            "ranked": ranked,
            "measures": visible_measures(full),
            "charts": charts,
            "catalogue": catalogue,
            "measure_url": f.measure.url(province=code, year=f.year),
            "refresh": selectors.last_refresh(),
            "is_hub": code in hub_data.hub_province_codes(),
        },
    )


@login_required
def my_agency(request):
    if not request.user.agency_id:
        raise PermissionDenied
    return agency_dashboard(request, request.user.agency)


@login_required
def agency(request, slug: str):
    return agency_dashboard(request, get_object_or_404(Agency, slug=slug))


def agency_dashboard(request, agency: Agency):
    """One agency: innovations by phase and stage, KIPP history, replications in and out, legal-basis
    gaps, continuity answers due, and what to do next."""
    if not request.user.has_perm("dashboards.view_agency", agency):
        raise PermissionDenied
    row = selectors.agency_figures(agency)
    by_year = selectors.agency_by_year(agency)
    this_year = timezone.localdate().year
    catalogue = reverse("registry:catalogue") + f"?agency={agency.slug}"
    charts = [funnel_chart(row, catalogue)]
    stage_items = [
        (str(label), float(row[f"stage_{key}"]), catalogue + f"&stage={key}")
        for key, label in (
            ("initiative", _("Initiative")),
            ("trial", _("Trial")),
            ("in_operation", _("In operation")),
        )
    ]
    charts.append(bar_chart("stages", _("Innovations by stage"), _("innovations"), stage_items))
    trend = trend_chart(by_year)
    if trend:
        charts.append(trend)
    csv = _chart_csv(request, charts)
    if csv:
        return csv
    unanswered = selectors.unanswered_innovations(agency, this_year)
    unprotected = selectors.unprotected_of(agency)
    todo = []
    if row["continuity_missing"]:
        todo.append(
            {
                "text": _("%(n)s innovations have no continuity answer for %(year)s yet.")
                % {"n": row["continuity_missing"], "year": this_year},
                "url": reverse("institutionalisation:continuity_missing") + f"?agency={agency.slug}",
            }
        )
    if row["unprotected"]:
        todo.append(
            {
                "text": _("%(n)s proven innovations have no legal basis or no budget line.")
                % {"n": row["unprotected"]},
                "url": reverse("institutionalisation:worklist") + f"?agency={agency.slug}",
            }
        )
    if row["innovations_created"] > row["innovations_published"]:
        todo.append(
            {
                "text": _("%(n)s innovations are still drafts.")
                % {"n": row["innovations_created"] - row["innovations_published"]},
                "url": reverse("registry:manage_list"),
            }
        )
    edition, stages = selectors.current_edition()
    if edition and not by_year.get(edition.year, {}).get("proposals"):
        todo.append(
            {
                "text": _("Your agency has not sent a proposal to KIPP %(year)s.") % {"year": edition.year},
                "url": reverse("competition:proposal_list"),
            }
        )
    return render(
        request,
        "dashboards/agency.html",
        {
            "agency": agency,
            "row": row,
            "rates": F.derived(row),
            "charts": charts,
            "kipp": kipp_rows(by_year),
            "replications": selectors.agency_replications(agency),
            "unanswered": unanswered,
            "unprotected": unprotected,
            "todo": todo,
            "this_year": this_year,
            "catalogue": catalogue,
            "refresh": selectors.last_refresh(),
        },
    )


def portal(request):
    """The network's front door: live national figures, the map, this year's KIPP timeline, the latest
    winners, replication stories, the hubs and a search box. Everything but the timeline (which moves
    with the clock) is rendered once per data version (and ahead, after each refresh: `warm`)."""
    refresh = selectors.last_refresh()
    version = rendered.data_version(refresh)
    context = {
        kind: rendered.cached_html(kind, template, build, version=version) for kind, template, build in PORTAL_BLOCKS
    }
    edition, stages = selectors.current_edition()
    context.update(edition=edition, stages=stages, now=timezone.now(), refresh=refresh)
    return render(request, "dashboards/portal.html", context)


def portal_figures_context() -> dict:
    """The portal's live figures and map (all from the summaries)."""
    f = dashboard_filters.parse({}, full=False)
    nat = selectors.area(S.NATIONAL, selectors.NATIONAL_KEY, 0)
    prov_rows = selectors.areas(S.PROVINCE, 0)
    measure = MEASURES["innovations_published"]
    values = {
        p.code: (float(prov_rows[p.code][measure.key]) if p.code in prov_rows else None) for p in selectors.provinces()
    }
    return {
        "nat": nat,
        "rates": F.derived(nat),
        "map": province_map(values, measure, urls=_province_urls(f), hubs=hub_data.hub_province_codes()),
    }


def portal_lists_context() -> dict:
    """The portal's short lists: latest winners, replication stories and the hubs."""
    return {
        "winners": selectors.latest_winners(),
        "stories": selectors.success_stories(),
        "hubs": hub_data.portal_hubs(),
    }


# (cache kind, template, context builder): the portal's blocks that follow the data version only.
PORTAL_BLOCKS = (
    ("portal_figures", "dashboards/_portal_figures.html", portal_figures_context),
    ("portal_lists", "dashboards/_portal_lists.html", portal_lists_context),
)


def national_body_context(*, full: bool) -> dict:
    """The national dashboard without parameters, public or full (what the warm-up renders ahead)."""
    return national_context(None, dashboard_filters.parse({}, full=full), full=full)


def open_data(request):
    """Every public dataset and API endpoint, with its licence and a download."""
    return render(request, "dashboards/open_data.html", {"datasets": _datasets()})


def _datasets() -> list[dict]:
    api = "/api/v1/"
    return [
        {
            "title": _("Published innovations (the national catalogue)"),
            "description": _("Every published innovation with its agency, region, phase, stage and awards."),
            "downloads": [
                ("CSV", reverse("registry:catalogue") + "?format=csv"),
                ("API", api + "innovations/"),
            ],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("National dashboard figures"),
            "description": _("National totals and the figures of every province, from the summary tables."),
            "downloads": [
                ("CSV", reverse("dashboards:national") + "?format=csv"),
                ("API", api + "dashboards/national/"),
                ("API", api + "dashboards/provinces/"),
                ("API", api + "dashboards/years/"),
                ("API", api + "dashboards/kinds/"),
            ],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("Replication network between provinces"),
            "description": _("Who replicated from whom, counted between provinces."),
            "downloads": [("CSV", reverse("replication:network") + "?format=csv")],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("Replication success stories"),
            "description": _("Finished replications that succeeded, with the source and the adopter."),
            "downloads": [("CSV", reverse("replication:stories") + "?format=csv")],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("KIPP results"),
            "description": _("Finalists and winners of every published edition."),
            "downloads": [("HTML", reverse("evaluation:public_index"))],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("Regions and agencies"),
            "description": _("The 38 provinces, 514 regencies and cities (Kemendagri codes) and the agencies."),
            "downloads": [("API", api + "regions/"), ("API", api + "agencies/")],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("Province boundaries"),
            "description": _("The GeoJSON the map is drawn from; see the data sources page."),
            "downloads": [("HTML", reverse("core:about_data"))],
            "licence": "CC BY 4.0",
        },
        {
            "title": _("API schema (OpenAPI)"),
            "description": _("The machine-readable description of every endpoint."),
            "downloads": [("OpenAPI", "/api/schema/"), ("HTML", "/api/docs/")],
            "licence": "CC BY 4.0",
        },
    ]
