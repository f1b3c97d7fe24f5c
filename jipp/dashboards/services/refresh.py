"""Refresh the summary tables from the rows of the lower apps.

`refresh_agencies(agency_ids=...)` recomputes a few agencies (after one write: well under a second)
and then the areas they belong to; `refresh_all()` recomputes everything (nightly, and after a
bulk import). Both compute each agency's figures with a handful of grouped queries, then sum the
agencies' rows per area in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from jipp.competition.models import Proposal
from jipp.dashboards.domain.figures import FIGURES, YEARLY_FIGURES, empty
from jipp.dashboards.hubs import hub_members, members
from jipp.dashboards.models import AgencyFigures, AreaFigures, ProvinceArc, Refresh
from jipp.institutionalisation.models import ProtectionStatus
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.registry.models import Award, ContinuityUpdate, Innovation
from jipp.replication.models import Replication

NATIONAL_KEY = "ID"
PUBLISHED = Q(status=Innovation.Status.PUBLISHED)
LIVE_REPLICATION = ~Q(status__in=[Replication.Status.DECLINED, Replication.Status.WITHDRAWN])
CONTINUITY = ("continuing", "growing", "stopped", "dormant")
AWARD_FIGURE = {"top99": "awards_top99", "top45": "awards_top45", "outstanding": "awards_outstanding"}


BY_AGENCY = "agency"
BY_UNIT = "unit"  # a K/L hub's unit or field office spokes
# Per grouping, the column each source is grouped on: the innovation's own key, through an innovation,
# the protection row's, a replication's adopter (into) and source (out of), and the rows always present.
KEYS = {
    BY_AGENCY: {"own": "agency_id", "innovation": "innovation__agency_id", "protection": "agency_id",
                "in": "adopter_agency_id", "out": "source_agency_id", "model": Agency},
    BY_UNIT: {"own": "unit_id", "innovation": "innovation__unit_id", "protection": "innovation__unit_id",
              "in": "adopter_unit_id", "out": "primary_source__unit_id", "model": ServiceUnit},
}  # fmt: skip


def _limit(qs, field: str, ids: set[int] | None):
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def agency_rows(*, agency_ids: set[int] | None, today: dt.date) -> dict[tuple[int, int], dict[str, int]]:
    """Every figure of the given agencies (all when None), keyed by (agency id, year): see `figure_rows`."""
    return figure_rows(by=BY_AGENCY, ids=agency_ids, today=today)


def figure_rows(*, by: str, ids: set[int] | None, today: dt.date) -> dict[tuple[int, int], dict[str, int]]:
    """Every figure of the given agencies (`by="agency"`) or service units (`by="unit"`: a K/L hub's unit
    spokes), all when None, keyed by (id, year); year 0 always present. One grouped query per source,
    whatever the number of ids.

    Invariants: a year row's yearly figure counts only that year; the year-0 row holds the state now
    and the all-time totals of the yearly figures (except continuity, which is the current status, and
    `participated`, which is 1 if the agency ever forwarded a proposal)."""
    keys = KEYS[by]
    own, through, protection = keys["own"], keys["innovation"], keys["protection"]
    rows: dict[tuple[int, int], dict[str, int]] = defaultdict(empty)
    for pk in _limit(keys["model"].objects.all(), "pk", ids).values_list("pk", flat=True):
        rows[(pk, 0)]["agencies"] = 1

    # The state of every innovation, in one scan. The conditions sit in the counts, not in WHERE, so the
    # scan follows the index on the grouping key (SQLite would otherwise take the status index for units).
    published = PUBLISHED
    answered = ContinuityUpdate.objects.filter(innovation=OuterRef("pk"), year=today.year)
    state = {
        "innovations_created": Count("pk"),
        "innovations_published": Count("pk", filter=published),
        "replicated": Count("pk", filter=published & Q(replication_count__gt=0)),
        "with_legal_basis": Count("pk", filter=published & Q(has_legal_basis=True)),
        **{f"phase_{p}": Count("pk", filter=published & Q(phase=p)) for p in Innovation.Phase.values},
        **{f"stage_{s}": Count("pk", filter=published & Q(stage=s)) for s in Innovation.Stage.values},
        **{f"continuity_{c}": Count("pk", filter=published & Q(continuity=c)) for c in CONTINUITY},
        "continuity_missing": Count("pk", filter=published & ~Exists(answered)),
    }
    innovations = _limit(Innovation.objects.exclude(status=Innovation.Status.WITHDRAWN), own, ids).order_by()
    for r in innovations.values(own).annotate(**state):
        rows[(r.pop(own), 0)].update(r)

    for r in innovations.values(own, "year_started").annotate(n=Count("pk", filter=published)):
        if r["year_started"] is not None and r["n"]:
            rows[(r[own], r["year_started"])]["published_in_year"] = r["n"]

    qs = _limit(ProtectionStatus.objects.filter(is_public=True), protection, ids)
    for r in (
        qs.order_by()
        .values(protection)
        .annotate(
            proven=Count("pk", filter=Q(is_proven=True)),
            proven_with_legal_basis=Count("pk", filter=Q(is_proven=True, strength__gt=0)),
            unprotected=Count("pk", filter=Q(is_unprotected=True)),
        )
    ):
        rows[(r.pop(protection), 0)].update(r)

    qs = _limit(Proposal.objects.filter(forwarded_at__isnull=False), own, ids)
    for r in qs.order_by().values(own, "edition__year").annotate(n=Count("pk")):
        row = rows[(r[own], r["edition__year"])]
        row["proposals"] = r["n"]
        row["participated"] = 1

    qs = _limit(Award.objects.filter(tier__in=AWARD_FIGURE), through, ids)
    for r in qs.order_by().values(through, "year", "tier").annotate(n=Count("pk")):
        rows[(r[through], r["year"])][AWARD_FIGURE[r["tier"]]] += r["n"]

    live = Replication.objects.filter(LIVE_REPLICATION).annotate(y=ExtractYear("created_at")).order_by()
    side_in, side_out = keys["in"], keys["out"]
    for r in (
        _limit(live, side_in, ids)
        .values(side_in, "y")
        .annotate(
            n=Count("pk"),
            finished=Count("pk", filter=~Q(outcome="")),
            succeeded=Count("pk", filter=Q(is_successful=True)),
        )
    ):
        if r[side_in] is None:  # a replication into an agency without a named unit
            continue
        row = rows[(r[side_in], r["y"])]
        row["replications_in"] = r["n"]
        row["replications_finished_in"] = r["finished"]
        row["replications_succeeded_in"] = r["succeeded"]
    for r in _limit(live, side_out, ids).values(side_out, "y").annotate(n=Count("pk")):
        rows[(r[side_out], r["y"])]["replications_out"] = r["n"]

    qs = _limit(ContinuityUpdate.objects.all(), through, ids)
    for r in qs.order_by().values(through, "year", "status").annotate(n=Count("pk")):
        if r["status"] in CONTINUITY:
            rows[(r[through], r["year"])][f"continuity_{r['status']}"] = r["n"]

    # Year-0 totals of the yearly figures, and `agencies` = 1 on every row of an agency.
    yearly = [f for f in YEARLY_FIGURES if not f.startswith("continuity_")]
    by_key: dict[int, list[dict[str, int]]] = defaultdict(list)
    for (key, year), row in rows.items():
        row["agencies"] = 1
        if year:
            by_key[key].append(row)
    for key, year_rows in by_key.items():
        total = rows[(key, 0)]
        for name in yearly:
            total[name] = sum(r[name] for r in year_rows)
        total["participated"] = int(total["proposals"] > 0)
    return dict(rows)


def _placement(agency_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """(kind, province code, regency/city code or '') of each agency."""
    out = {}
    qs = Agency.objects.filter(pk__in=list(agency_ids)).select_related("region__parent")
    for a in qs.only("pk", "type", "region__code", "region__level", "region__parent__code"):
        region = a.region
        if region is None:
            out[a.pk] = (a.type, "", "")
        elif region.level == Region.Level.PROVINCE:
            out[a.pk] = (a.type, region.code, "")
        else:
            out[a.pk] = (a.type, region.parent.code if region.parent_id else "", region.code)
    return out


def _write_agencies(rows: dict[tuple[int, int], dict[str, int]], agency_ids: set[int] | None) -> None:
    place = _placement({a for a, _ in rows})
    objs = []
    for (agency_id, year), figures in rows.items():
        kind, province, region = place.get(agency_id, ("", "", ""))
        objs.append(
            AgencyFigures(
                agency_id=agency_id, year=year, kind=kind, province_code=province, region_code=region, **figures
            )
        )
    stale = (
        AgencyFigures.objects.all() if agency_ids is None else AgencyFigures.objects.filter(agency_id__in=agency_ids)
    )
    stale.delete()
    AgencyFigures.objects.bulk_create(objs, batch_size=1000)


def _sum_areas(scope: str, field: str | None, keys: set[str] | None, members: dict[str, set[int]] | None = None):
    """AreaFigures objects for one scope, summed in SQL from the agencies' rows."""
    sums = {f: Sum(f) for f in FIGURES if f != "agencies"}
    if members is not None:
        out = []
        for key, ids in members.items():
            if keys is not None and key not in keys:
                continue
            qs = AgencyFigures.objects.filter(agency_id__in=ids).order_by().values("year").annotate(**sums)
            out.extend(_area_objs(scope, [(key, r) for r in qs], {key: len(ids)}))
        return out
    base = AgencyFigures.objects.all()
    if field and keys is not None:
        base = base.filter(**{f"{field}__in": keys})
    if field:
        base = base.exclude(**{field: ""})
        group = [field, "year"]
    else:
        group = ["year"]
    if field:
        counts = {r[field]: r["n"] for r in base.filter(year=0).order_by().values(field).annotate(n=Count("pk"))}
    else:
        counts = {NATIONAL_KEY: base.filter(year=0).count()}
    qs = base.order_by().values(*group).annotate(**sums)
    return _area_objs(scope, [((r.pop(field) if field else NATIONAL_KEY), r) for r in qs], counts)


def _area_objs(scope: str, keyed_rows, counts: dict[str, int]) -> list[AreaFigures]:
    objs = []
    for key, r in keyed_rows:
        year = r.pop("year")
        figures = {f: int(r.get(f) or 0) for f in FIGURES if f != "agencies"}
        objs.append(AreaFigures(scope=scope, key=key, year=year, agencies=counts.get(key, 0), **figures))
    return objs


def _write_areas(touched: dict[str, set[str]] | None, members: dict[str, set[int]] | None) -> None:
    """Recompute the areas in `touched` ({scope: keys}); all areas when None."""
    S = AreaFigures.Scope
    plan = [(S.NATIONAL, None), (S.PROVINCE, "province_code"), (S.REGION, "region_code"), (S.KIND, "kind")]
    objs: list[AreaFigures] = []
    for scope, field in plan:
        keys = None if touched is None else touched.get(scope, set())
        if keys is not None and not keys:
            continue
        objs.extend(_sum_areas(scope, field, keys))
        stale = AreaFigures.objects.filter(scope=scope)
        if keys is not None:
            stale = stale.filter(key__in=keys)
        stale.delete()
    if members is not None:
        keys = None if touched is None else touched.get(S.HUB, set())
        if keys is None or keys:
            objs.extend(_sum_areas(S.HUB, None, keys, members))
            stale = AreaFigures.objects.filter(scope=S.HUB)
            if keys is not None:
                stale = stale.filter(key__in=keys)
            stale.delete()
    AreaFigures.objects.bulk_create(objs, batch_size=1000)


def arc_rows(*, province_codes: set[str] | None) -> dict[tuple[str, str], dict[str, int]]:
    """{(source province, adopting province): {"replications", "successful"}} between two different
    provinces, for the pairs touching `province_codes` (all when None); pairs without any are left out."""
    qs = Replication.objects.exclude(source_province=None).exclude(adopter_province=None)
    qs = qs.exclude(source_province=F("adopter_province"))
    if province_codes is not None:
        qs = qs.filter(Q(source_province__code__in=province_codes) | Q(adopter_province__code__in=province_codes))
    rows = (
        qs.order_by()
        .values("source_province__code", "adopter_province__code")
        .annotate(
            replications=Count("pk", filter=LIVE_REPLICATION), successful=Count("pk", filter=Q(is_successful=True))
        )
    )
    return {
        (r["source_province__code"], r["adopter_province__code"]): {
            "replications": r["replications"],
            "successful": r["successful"],
        }
        for r in rows
        if r["replications"] or r["successful"]
    }


def _write_arcs(province_codes: set[str] | None) -> None:
    """Replace the arcs touching `province_codes` (all when None)."""
    if province_codes is not None and not province_codes:
        return
    rows = arc_rows(province_codes=province_codes)
    stale = ProvinceArc.objects.all()
    if province_codes is not None:
        stale = stale.filter(Q(source_code__in=province_codes) | Q(adopter_code__in=province_codes))
    stale.delete()
    ProvinceArc.objects.bulk_create(
        [ProvinceArc(source_code=source, adopter_code=adopter, **n) for (source, adopter), n in rows.items()]
    )


def _lock() -> None:
    """Serialise refreshes (PostgreSQL): every refresh rewrites the national rows."""
    list(AreaFigures.objects.select_for_update().filter(scope=AreaFigures.Scope.NATIONAL, key=NATIONAL_KEY, year=0))


def refresh_agencies(
    *, agency_ids: Iterable[int], hub_ids: Iterable[int] = (), today: dt.date | None = None
) -> Refresh | None:
    """Recompute the given agencies and every area that holds one of them (their province, regency or
    city, kind, hubs and the nation), and the given hubs whatever their members now (a hub deleted, or
    whose spoke left or moved, between nightly runs: its rows are replaced or removed). Returns the
    Refresh record, or None when there is nothing to refresh."""
    ids = {int(a) for a in agency_ids if a}
    hubs = {int(h) for h in hub_ids if h}
    if not ids and not hubs:
        return None
    started = timezone.now()
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock()
        rows = agency_rows(agency_ids=ids, today=today)
        old = set(
            AgencyFigures.objects.filter(agency_id__in=ids, year=0).values_list("kind", "province_code", "region_code")
        )
        _write_agencies(rows, ids)
        new = set(
            AgencyFigures.objects.filter(agency_id__in=ids, year=0).values_list("kind", "province_code", "region_code")
        )
        S = AreaFigures.Scope
        places = old | new
        touched = {
            S.NATIONAL: {NATIONAL_KEY},
            S.KIND: {k for k, _, _ in places if k},
            S.PROVINCE: {p for _, p, _ in places if p},
            S.REGION: {r for _, _, r in places if r},
        }
        hub_rows = hub_members(ids)
        hub_rows.update(members(hubs) if hubs else {})
        # A hub that no longer exists has no members: its rows are removed, none written.
        touched[S.HUB] = set(hub_rows) | {str(h) for h in hubs}
        _write_areas(touched, hub_rows)
        # A replication's arcs run between its two agencies' provinces (both refreshed after its write).
        _write_arcs(touched[S.PROVINCE])
        return Refresh.objects.create(
            kind=Refresh.Kind.INCREMENTAL, agencies=len(ids), started_at=started, finished_at=timezone.now()
        )


def refresh_all(*, today: dt.date | None = None) -> Refresh:
    """Recompute every agency and every area (nightly, and after bulk changes)."""
    started = timezone.now()
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock()
        rows = agency_rows(agency_ids=None, today=today)
        _write_agencies(rows, None)
        _write_areas(None, hub_members(None))
        _write_arcs(None)
        return Refresh.objects.create(
            kind=Refresh.Kind.FULL,
            agencies=len({a for a, _ in rows}),
            started_at=started,
            finished_at=timezone.now(),
        )
