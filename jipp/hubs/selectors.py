"""Reads for the hubs app (and for the apps above it: dashboards)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from jipp.accounts.models import Role
from jipp.hubs.domain.selection import CriterionSpec, RankedCandidate, ScoreRow, rank
from jipp.hubs.figures import BY_AGENCY, BY_PROVINCE, Figures, platform_figures
from jipp.hubs.models import Candidate, Criterion, Hub, HubKind, Score, SelectionRound, Spoke
from jipp.regions.models import Agency


def spoke_agency_ids(hub: Hub) -> set[int]:
    """Ids of the agencies that are active spokes of `hub` today."""
    return set(Spoke.objects.filter(hub=hub, left_on__isnull=True).values_list("agency_id", flat=True))


def hubs_for_user(user) -> QuerySet[Hub]:
    """The hubs a user may work on: all for the Ministry, their own for hub admins and mentors, none otherwise."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Hub.objects.none()
    if user.is_ministry:
        return Hub.objects.all()
    if user.role == Role.HUB_ADMIN:
        condition = Q(admins=user)
        if user.agency_id:
            condition |= Q(agency_id=user.agency_id)
        return Hub.objects.filter(condition).distinct()
    if user.role == Role.MENTOR:
        return Hub.objects.filter(mentors=user).distinct()
    return Hub.objects.none()


def default_spoke_agencies(hub: Hub) -> QuerySet[Agency]:
    """The agencies a hub carries by default: a province's regency and city governments; none for a K/L.

    A K/L hub's units or field offices are added by hand (they are not agencies in the reference data).
    """
    if hub.kind != Hub.Kind.PROVINCE or hub.region_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(
        type__in=(Agency.Type.REGENCY, Agency.Type.CITY), region__parent_id=hub.region_id
    ).order_by("name")


# Selection -------------------------------------------------------------------------------------


@dataclass
class RoundRanking:
    criteria: list[Criterion]
    weights: dict[int, Decimal]
    rows: list[RankedCandidate]
    candidates: dict[int, Candidate]
    figures: dict[int, Figures]
    what_if: bool


def criterion_specs(criteria: list[Criterion]) -> list[CriterionSpec]:
    return [CriterionSpec(c.pk, c.name, c.weight, tuple(c.levels), c.position) for c in criteria]


def round_ranking(
    *, round_: SelectionRound, weights: dict[int, Decimal] | None = None, with_figures: bool = True
) -> RoundRanking:
    """The round's ranking (domain.selection.rank) with the what-if `weights` if given, and the platform's
    figures beside each candidate: about ten queries whatever the number of candidates."""
    criteria = list(round_.criteria.all())
    candidates = {c.pk: c for c in round_.candidates.select_related("agency", "region")}
    scores = [
        ScoreRow(member, candidate, criterion, level)
        for member, candidate, criterion, level in Score.objects.filter(round=round_).values_list(
            "member_id", "candidate_id", "criterion_id", "level"
        )
    ]
    rows = rank(
        criteria=criterion_specs(criteria),
        candidates={pk: str(c.agency) for pk, c in candidates.items()},
        scores=scores,
        weights=weights,
    )
    figures: dict[int, Figures] = {}
    if with_figures:
        if round_.kind == HubKind.PROVINCE:
            by_key = platform_figures(
                by=BY_PROVINCE,
                ids=[c.region_id for c in candidates.values() if c.region_id],
                continuity_year=round_.year - 1,
            )
            figures = {pk: by_key.get(c.region_id, Figures()) for pk, c in candidates.items()}
        else:
            by_key = platform_figures(
                by=BY_AGENCY, ids=[c.agency_id for c in candidates.values()], continuity_year=round_.year - 1
            )
            figures = {pk: by_key[c.agency_id] for pk, c in candidates.items()}
    effective = {c.pk: c.weight for c in criteria} | dict(weights or {})
    return RoundRanking(criteria, effective, rows, candidates, figures, what_if=bool(weights))


def rounds_for_user(user) -> QuerySet[SelectionRound]:
    """The Ministry sees every round; a scoring member the rounds they are on."""
    if user is None or not user.is_authenticated:
        return SelectionRound.objects.none()
    if user.is_ministry:
        return SelectionRound.objects.all()
    return SelectionRound.objects.filter(members=user)
