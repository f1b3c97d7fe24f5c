"""Reads for replication: lists by who may see them, the candidate ranking, the registry page's panel,
the public stories, counts per region and the network view's data."""

import functools
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jipp.core.domain.geo_svg import arc_path
from jipp.core.maps import province_shapes
from jipp.institutionalisation.domain.protection import adopter_count_band
from jipp.regions.models import Agency, Region
from jipp.registry.models import Innovation
from jipp.replication import index
from jipp.replication.domain.matching import RankedCandidate, RankedRegion, similar_regions
from jipp.replication.domain.network import Edge, layout
from jipp.replication.models import Replication
from jipp.replication.rules import agency_member

LIST_RELATED = ("primary_source", "source_agency", "adopter_agency", "adopter_unit")


def visible_replications(user) -> QuerySet:
    """The replications `user` may open: all for the Ministry, its own agency's (either side) for
    an agency member, the successful ones for everybody else."""
    qs = Replication.objects.select_related(*LIST_RELATED)
    if user.is_authenticated and user.has_perm("replication.list_all"):
        return qs
    if agency_member(user):
        return qs.filter(Q(adopter_agency_id=user.agency_id) | Q(source_agency_id=user.agency_id))
    return qs.filter(is_successful=True)


def filter_replications(qs: QuerySet, params) -> QuerySet:
    """Apply list filters from a query dict (unknown values are ignored here; the API refuses them)."""
    status = params.get("status")
    if status in Replication.Status.values:
        qs = qs.filter(status=status)
    outcome = params.get("outcome")
    if outcome == "ongoing":
        qs = qs.filter(status=Replication.Status.ACCEPTED, outcome="")
    elif outcome in Replication.Outcome.values:
        qs = qs.filter(outcome=outcome)
    province = params.get("province")
    if province:
        qs = qs.filter(Q(adopter_province__code=province) | Q(source_province__code=province))
    side = params.get("side")
    agency_id = params.get("agency_id", "")
    agency_id = int(agency_id) if str(agency_id).isdigit() else None
    if side == "adopter" and agency_id:
        qs = qs.filter(adopter_agency_id=agency_id)
    elif side == "source" and agency_id:
        qs = qs.filter(source_agency_id=agency_id)
    return qs


def successful_replications_of(innovation: Innovation) -> QuerySet:
    """Successful replications that have `innovation` among their sources (for KIPP Replikasi proposals)."""
    return (
        Replication.objects.filter(is_successful=True, source_links__innovation=innovation)
        .select_related(*LIST_RELATED)
        .order_by("-completed_on", "pk")
        .distinct()
    )


def by_public_id(public_id) -> Replication | None:
    """The replication with this stable public id (what KIPP Replikasi proposals store), or None."""
    return Replication.objects.select_related(*LIST_RELATED).filter(public_id=public_id).first()


def stories() -> QuerySet:
    """The public success stories, newest first."""
    return Replication.objects.filter(is_successful=True).select_related(*LIST_RELATED).order_by("-completed_on", "-pk")


@dataclass(frozen=True)
class InnovationReplication:
    count: int
    band: str
    adopters: list[Replication]
    in_progress: int


def for_innovation(innovation: Innovation) -> InnovationReplication:
    """What the innovation page shows: distinct adopting agencies (and the Home Affairs band), the
    successful replications as stories, and how many are under way."""
    reps = list(
        Replication.objects.filter(source_links__innovation=innovation)
        .select_related("adopter_agency", "adopter_unit")
        .order_by("-completed_on", "-pk")
    )
    successful = [r for r in reps if r.is_successful]
    in_progress = sum(
        1 for r in reps if r.status == Replication.Status.ACCEPTED and not r.outcome and not r.is_successful
    )
    count = innovation.replication_count
    return InnovationReplication(
        count=count, band=adopter_count_band(count), adopters=successful, in_progress=in_progress
    )


@functools.lru_cache(maxsize=1)
def _regions_cache() -> tuple:
    """The reference regions (by code and as the matcher's regions), and the rankings made from them."""
    rows = list(Region.objects.order_by("code"))
    return {r.code: r for r in rows}, tuple(index.to_domain_region(r) for r in rows), {}


def regions_like(innovation: Innovation, *, limit: int = 5) -> list[tuple[Region, RankedRegion]]:
    """Regions like the owner's that could adopt this: the most similar regions (same level, province,
    population, area), without the owner and the regions whose government already adopted it."""
    if innovation.region_id is None:
        return []
    by_code, domain, rankings = _regions_cache()
    own = by_code.get(innovation.region.code)
    if own is None:
        return []
    adopted = frozenset(
        Replication.objects.filter(source_links__innovation=innovation, is_successful=True).values_list(
            "adopter_agency__region__code", flat=True
        )
    )
    # The ranking depends only on the reference regions: kept per owner region and adopters (comparing
    # 513 regions took a fifth of every public innovation page's time).
    key = (own.code, adopted, limit)
    ranked = rankings.get(key)
    if ranked is None:
        if len(rankings) >= 4096:
            rankings.clear()
        pool = [r for r in domain if r.code not in adopted and r.level != "province"]
        if own.level == "province":
            pool = [r for r in domain if r.code not in adopted and r.level == "province"]
        ranked = rankings[key] = similar_regions(index.to_domain_region(own), pool, limit=limit)
    return [(by_code[item.region.code], item) for item in ranked]


@dataclass(frozen=True)
class CandidateView:
    innovation: Innovation
    ranked: RankedCandidate


class IndexNotReady(Exception):
    """The matcher index has not been built yet (the background task is still running)."""


def rank_candidates(
    *,
    problem: str,
    adopter_agency: Agency | None,
    sector: str | None = None,
    region: Region | None = None,
    limit: int = 10,
) -> list[CandidateView]:
    """Rank published innovations for a problem statement, leaving out the adopter's own agency's.

    `region` defaults to the adopter agency's region. Raises IndexNotReady when the stored index is missing.
    """
    bundle = index.load()
    if bundle is None:
        raise IndexNotReady
    if bundle.matcher is None:
        return []
    region = region or (adopter_agency.region if adopter_agency else None)
    own = bundle.per_agency.get(adopter_agency.pk, 0) if adopter_agency else 0
    ranked = bundle.matcher.rank(problem, index.to_domain_region(region), sector or None, limit=limit + own)
    if adopter_agency is not None:
        ranked = [r for r in ranked if bundle.agency_of.get(r.innovation_id) != adopter_agency.pk]
    ranked = ranked[:limit]
    innovations = Innovation.objects.select_related("agency", "region").in_bulk([r.innovation_id for r in ranked])
    return [CandidateView(innovations[r.innovation_id], r) for r in ranked if r.innovation_id in innovations]


def counts_by_province(*, successful_only: bool = True) -> list[dict]:
    """Per province: replications adopted there and replications whose source is there."""
    qs = Replication.objects.all()
    if successful_only:
        qs = qs.filter(is_successful=True)
    adopted = dict(qs.values_list("adopter_province").annotate(n=Count("pk")).values_list("adopter_province", "n"))
    given = dict(qs.values_list("source_province").annotate(n=Count("pk")).values_list("source_province", "n"))
    agencies = dict(
        qs.values_list("adopter_province")
        .annotate(n=Count("adopter_agency", distinct=True))
        .values_list("adopter_province", "n")
    )
    rows = []
    for province in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"):
        rows.append(
            {
                "province": province,
                "adopted": adopted.get(province.pk, 0),
                "adopting_agencies": agencies.get(province.pk, 0),
                "given": given.get(province.pk, 0),
            }
        )
    return rows


def network_data(*, province: Region | None = None, successful_only: bool = True, max_nodes: int = 60) -> dict:
    """Who replicated from whom: agency edges (weighted), the graph layout of the busiest agencies, and
    arcs between provinces for the map. Aggregated in the database: cost grows with agencies, not records."""
    qs = Replication.objects.filter(status=Replication.Status.ACCEPTED)
    if successful_only:
        qs = qs.filter(is_successful=True)
    if province is not None:
        qs = qs.filter(Q(source_province=province) | Q(adopter_province=province))
    pairs = list(qs.values_list("source_agency_id", "adopter_agency_id").annotate(n=Count("pk")).order_by("-n"))
    arcs_raw = list(
        qs.exclude(source_province=None)
        .exclude(adopter_province=None)
        .values_list("source_province_id", "adopter_province_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    degree: dict[int, int] = {}
    for source, adopter, n in pairs:
        degree[source] = degree.get(source, 0) + n
        degree[adopter] = degree.get(adopter, 0) + n
    top = sorted(degree, key=lambda a: (-degree[a], a))[:max_nodes]
    keep = set(top)
    agencies = Agency.objects.in_bulk(top)
    edges = [Edge(s, a, n) for s, a, n in pairs if s in keep and a in keep]
    placed = layout(sorted(top), edges, 800, 600)
    positions = {p.id: p for p in placed}
    nodes = [
        {"agency": agencies[p.id], "x": p.x, "y": p.y, "r": min(6 + degree[p.id], 18), "weight": degree[p.id]}
        for p in placed
    ]
    graph_edges = [
        {
            "source": agencies[e.source],
            "target": agencies[e.target],
            "weight": e.weight,
            "x1": positions[e.source].x,
            "y1": positions[e.source].y,
            "x2": positions[e.target].x,
            "y2": positions[e.target].y,
        }
        for e in edges
    ]
    paths, view_box = province_shapes()
    centroid = {p.code: p.centroid for p in paths}
    provinces = Region.objects.in_bulk({p for pair in arcs_raw for p in pair[:2]})

    arcs = []
    for source_id, adopter_id, n in arcs_raw:
        source, adopter = provinces[source_id], provinces[adopter_id]
        if source_id == adopter_id or source.code not in centroid or adopter.code not in centroid:
            continue
        arcs.append(
            {
                "source": source,
                "adopter": adopter,
                "count": n,
                "d": arc_path(centroid[source.code], centroid[adopter.code], 0.2),
            }
        )
    within = [{"province": provinces[s], "count": n} for s, a, n in arcs_raw if s == a]
    return {
        "nodes": nodes,
        "edges": graph_edges,
        "pairs_total": len(pairs),
        "agencies_total": len(degree),
        "arcs": arcs,
        "within": within,
        "paths": paths,
        "view_box": view_box,
    }
