"""Reads for institutionalisation: an innovation's legal status (for the registry page), the "proven
but unprotected" work list, the share of unprotected innovations per province (for the dashboards),
and the owners who have not answered the yearly continuity question."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jipp.core.scoping import agency_scope
from jipp.institutionalisation.domain.protection import LegalBasisType, strongest_basis
from jipp.institutionalisation.models import LegalBasis, ProtectionStatus, SustainabilityCheck
from jipp.institutionalisation.services import owners_to_ask
from jipp.regions.models import Region
from jipp.registry.models import Innovation


def strongest_basis_for(innovation: Innovation) -> LegalBasis | None:
    """The innovation's strongest legal basis (protection.strongest_basis), or None."""
    bases = list(innovation.legal_bases.all())
    best = strongest_basis(LegalBasisType(b.type) for b in bases)
    if best is None:
        return None
    return max((b for b in bases if b.type == best.value), key=lambda b: (b.issued_on, b.pk))


@dataclass(frozen=True)
class LegalStatus:
    strongest: LegalBasis | None
    bases: list[LegalBasis]
    latest_check: SustainabilityCheck | None
    protection: ProtectionStatus | None


def legal_status_for(innovation: Innovation) -> LegalStatus:
    bases = list(innovation.legal_bases.all())
    best = strongest_basis(LegalBasisType(b.type) for b in bases)
    strongest = max(
        (b for b in bases if best and b.type == best.value), key=lambda b: (b.issued_on, b.pk), default=None
    )
    return LegalStatus(
        strongest=strongest,
        bases=bases,
        latest_check=innovation.sustainability_checks.first(),
        protection=ProtectionStatus.objects.filter(innovation=innovation).first(),
    )


def _scoped(qs: QuerySet, user) -> QuerySet:
    """Agency members see their agency; national viewers see everything, narrowed by core.scoping
    (a hub admin to the hub's spokes); the Ministry keeps the national view."""
    if not user.has_perm("institutionalisation.view_national"):
        return qs.filter(agency_id=user.agency_id or -1)
    scope = agency_scope(user)
    return qs if scope is None else qs.filter(agency_id__in=scope)


def worklist(*, user, params) -> QuerySet:
    """Proven but unprotected published innovations, filtered by province, region, agency, gap and ground.

    Agency members (UPP, Admin Lokal) see only their own agency's; hub admins their hub's spokes (through
    core.scoping); the Ministry sees all.
    """
    qs = ProtectionStatus.objects.filter(is_unprotected=True, is_public=True).select_related(
        "innovation", "agency", "province", "region"
    )
    qs = _scoped(qs, user)
    province = params.get("province")
    if province:
        qs = qs.filter(province__code=province)
    region = params.get("region")
    if region:
        qs = qs.filter(region__code=region)
    agency = params.get("agency")
    if agency and str(agency).isdigit():
        qs = qs.filter(agency_id=int(agency))
    gap = params.get("gap")
    if gap == "no_legal_basis":
        qs = qs.filter(strength=0)
    elif gap == "no_budget_line":
        qs = qs.filter(has_budget_line=False)
    ground = params.get("ground")
    if ground in ("by_kipp_tier", "by_replication", "by_operation"):
        qs = qs.filter(**{ground: True})
    return qs.order_by("province_id", "agency_id", "innovation_id")


def unprotected_share_by_province() -> list[dict]:
    """Per province: proven innovations, unprotected ones and their share (None without proven ones)."""
    counts = {
        row["province"]: row
        for row in ProtectionStatus.objects.filter(is_public=True, is_proven=True)
        .values("province")
        .annotate(proven=Count("pk"), unprotected=Count("pk", filter=Q(is_unprotected=True)))
    }
    rows = []
    for province in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"):
        row = counts.get(province.pk, {"proven": 0, "unprotected": 0})
        share = row["unprotected"] / row["proven"] if row["proven"] else None
        rows.append({"province": province, "proven": row["proven"], "unprotected": row["unprotected"], "share": share})
    return rows


def missing_continuity(*, user, year: int, params) -> QuerySet:
    """Innovations (and so owners: unit and agency) that have not answered the continuity question for `year`."""
    qs = owners_to_ask(year).select_related("unit", "agency", "province")
    qs = _scoped(qs, user)
    province = params.get("province")
    if province:
        qs = qs.filter(province__code=province)
    return qs.order_by("agency__name", "unit__name", "pk")
