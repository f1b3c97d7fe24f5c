"""Reads of the dashboards: summary rows (never the raw tables, except for small lists such as the
latest winners), assembled into plain dicts for views, the API and the reports."""

from __future__ import annotations

from django.db.models import Q

from jipp.dashboards.domain import figures as F
from jipp.dashboards.models import AgencyFigures, AreaFigures, ProvinceArc, Refresh
from jipp.regions.models import Agency, Region

S = AreaFigures.Scope
NATIONAL_KEY = "ID"


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-pk").first()


def area(scope: str, key: str, year: int = 0) -> dict[str, int]:
    row = AreaFigures.objects.filter(scope=scope, key=key, year=year).first()
    return row.as_dict() if row else F.empty()


def areas(scope: str, year: int = 0, *, prefix: str = "") -> dict[str, dict[str, int]]:
    """{key: figures} of every area of one scope for one year (keys starting with `prefix`)."""
    qs = AreaFigures.objects.filter(scope=scope, year=year)
    if prefix:
        qs = qs.filter(key__startswith=prefix)
    return {row.key: row.as_dict() for row in qs}


def by_year(scope: str, key: str) -> dict[int, dict[str, int]]:
    """{year: figures} of one area, for every year with data (year 0 left out)."""
    return {r.year: r.as_dict() for r in AreaFigures.objects.filter(scope=scope, key=key, year__gt=0).order_by("year")}


def data_years() -> list[int]:
    """Years with any yearly figure nationally, ascending."""
    return sorted(AreaFigures.objects.filter(scope=S.NATIONAL, year__gt=0).values_list("year", flat=True))


def combined(scope: str, key: str, year: int) -> dict[str, int]:
    """State figures from year 0 with the yearly figures of `year` (or their all-time total when 0)."""
    now = area(scope, key, 0)
    if not year:
        return now
    row = area(scope, key, year)
    merged = dict(now)
    for name in F.YEARLY_FIGURES:
        merged[name] = row[name]
    merged["agencies"] = now["agencies"]
    return merged


def combined_areas(scope: str, year: int, *, prefix: str = "") -> dict[str, dict[str, int]]:
    now = areas(scope, 0, prefix=prefix)
    if not year:
        return now
    then = areas(scope, year, prefix=prefix)
    out = {}
    for key, row in now.items():
        merged = dict(row)
        other = then.get(key)
        for name in F.YEARLY_FIGURES:
            merged[name] = other[name] if other else 0
        out[key] = merged
    return out


def provinces() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))


def province(code: str) -> Region | None:
    return Region.objects.filter(level=Region.Level.PROVINCE, code=code).first()


def regions_of(province_code: str) -> list[Region]:
    return list(Region.objects.filter(parent__code=province_code).order_by("name"))


def agency_figures(agency: Agency, year: int = 0) -> dict[str, int]:
    row = AgencyFigures.objects.filter(agency=agency, year=year).first()
    return row.as_dict() if row else F.empty()


def agency_by_year(agency: Agency) -> dict[int, dict[str, int]]:
    return {r.year: r.as_dict() for r in AgencyFigures.objects.filter(agency=agency, year__gt=0).order_by("year")}


def province_arcs(*, successful_only: bool = True) -> list[tuple[str, str, int]]:
    """(source province code, adopting province code, replications) between different provinces, from
    the summary (`services.refresh.arc_rows`): the successful replications, or all live ones."""
    field = "successful" if successful_only else "replications"
    rows = ProvinceArc.objects.filter(**{f"{field}__gt": 0}).order_by("source_code", "adopter_code")
    return list(rows.values_list("source_code", "adopter_code", field))


def latest_winners(limit: int = 6):
    """The most recent KIPP awards (Top 45 and Outstanding first) of published innovations, for the portal.

    Walks the awards newest first in small batches and keeps those of published innovations: filtering
    on the innovation in SQL made the database scan every published innovation before sorting."""
    from jipp.registry.models import Award

    awards = Award.objects.exclude(tier="").select_related("innovation__agency").order_by("-year", "tier", "pk")
    batch = limit * 4
    out, start = [], 0
    while len(out) < limit:
        rows = list(awards[start : start + batch])
        out += [a for a in rows if a.innovation.status == "published"]
        if len(rows) < batch:
            break
        start += batch
    return out[:limit]


def success_stories(limit: int = 3):
    from jipp.replication.models import Replication

    return list(
        Replication.objects.filter(is_successful=True)
        .select_related("primary_source", "adopter_agency", "source_agency")
        .order_by("-completed_on", "-pk")[:limit]
    )


def current_edition():
    """This year's KIPP edition (or the latest published one), with its stages in order."""
    from jipp.competition.models import Edition

    edition = Edition.objects.filter(is_published=True).order_by("-year").first()
    if edition is None:
        return None, []
    return edition, list(edition.stages.order_by("starts_at"))


def unanswered_innovations(agency: Agency, year: int, limit: int = 5):
    """Published innovations of the agency without a continuity answer for `year`."""
    from jipp.registry.models import ContinuityUpdate, Innovation

    answered = ContinuityUpdate.objects.filter(year=year).values("innovation_id")
    qs = Innovation.objects.filter(agency=agency, status="published").exclude(pk__in=answered)
    return list(qs.order_by("title")[:limit])


def unprotected_of(agency: Agency, limit: int = 5):
    from jipp.institutionalisation.models import ProtectionStatus

    return list(
        ProtectionStatus.objects.filter(agency=agency, is_unprotected=True)
        .select_related("innovation")
        .order_by("innovation__title")[:limit]
    )


def agency_replications(agency: Agency, limit: int = 5):
    from jipp.replication.models import Replication

    return list(
        Replication.objects.filter(Q(source_agency=agency) | Q(adopter_agency=agency))
        .select_related("primary_source", "source_agency", "adopter_agency")
        .order_by("-created_at")[:limit]
    )


def agency_proposals(agency: Agency, limit: int = 10):
    from jipp.competition.models import Proposal

    return list(
        Proposal.objects.filter(agency=agency)
        .exclude(forwarded_at=None)
        .select_related("edition")
        .order_by("-edition__year", "title")[:limit]
    )
