"""Reads for the hubs app (and for the apps above it: dashboards)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jipp.accounts.models import Role
from jipp.hubs.domain.maturity import Flag, HubFacts, TrendPoint, trend
from jipp.hubs.domain.maturity import flags as maturity_flags
from jipp.hubs.domain.progress import Gap, SpokeFacts, Suggestion, gaps, next_steps
from jipp.hubs.domain.selection import CriterionSpec, RankedCandidate, ScoreRow, rank
from jipp.hubs.figures import BY_AGENCY, BY_PROVINCE, BY_UNIT, Figures, plan_actuals, platform_figures
from jipp.hubs.models import (
    Activity,
    Candidate,
    Criterion,
    Hub,
    HubKind,
    MaturityAspect,
    MaturityAssessment,
    Measure,
    Score,
    SelectionRound,
    Spoke,
    WorkPlan,
    WorkPlanTarget,
)
from jipp.institutionalisation.models import ProtectionStatus
from jipp.regions.models import Agency, ServiceUnit
from jipp.registry.models import Innovation


def spoke_agency_ids(hub: Hub) -> set[int]:
    """Ids of the agencies that are active spokes of `hub` today (for a unit spoke: the unit's agency)."""
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


def default_spoke_units(hub: Hub) -> QuerySet[ServiceUnit]:
    """The units a K/L hub carries by default: its agency's own service units and field offices (not the
    placeholder "unit not specified"); none for a province hub."""
    if hub.kind != Hub.Kind.KL:
        return ServiceUnit.objects.none()
    return ServiceUnit.objects.filter(agency_id=hub.agency_id, is_unspecified=False).order_by("name")


def default_spoke_agencies(hub: Hub) -> QuerySet[Agency]:
    """The agencies a hub carries by default: a province's regency and city governments; none for a K/L
    (a K/L hub carries its units: `default_spoke_units`)."""
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
    figures_as_of: datetime | None = None


# The figures beside a round's candidates scan the whole registry (100,000 innovations, KIPP proposals,
# continuity answers) grouped by province or agency: one grouped query per source, about 0.3 s at
# national scale. They are context for the scorers, not a deciding number, so they are kept for a
# quarter of an hour and the page says as of when.
FIGURES_SECONDS = 15 * 60


def round_figures(*, round_: SelectionRound, candidates: dict[int, Candidate]) -> tuple[dict[int, Figures], datetime]:
    """The platform's figures per candidate of `round_` (one pass over each source for all candidates,
    never a query per candidate), cached FIGURES_SECONDS; returns (figures by candidate id, computed at)."""
    by_province = round_.kind == HubKind.PROVINCE
    keys = sorted({(c.region_id if by_province else c.agency_id) for c in candidates.values()} - {None})
    digest = hashlib.sha1(",".join(map(str, keys)).encode(), usedforsecurity=False).hexdigest()[:16]
    stamp = round_.created_at.timestamp() if round_.created_at else 0
    cache_key = f"hubs:round-figures:{round_.pk}:{stamp}:{round_.kind}:{round_.year}:{digest}"
    cached = cache.get(cache_key)
    if cached is None:
        by_key = platform_figures(
            by=BY_PROVINCE if by_province else BY_AGENCY, ids=keys, continuity_year=round_.year - 1
        )
        cached = (by_key, timezone.now())
        cache.set(cache_key, cached, FIGURES_SECONDS)
    by_key, as_of = cached
    figures = {pk: by_key.get(c.region_id if by_province else c.agency_id, Figures()) for pk, c in candidates.items()}
    return figures, as_of


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
    as_of = None
    if with_figures:
        figures, as_of = round_figures(round_=round_, candidates=candidates)
    effective = {c.pk: c.weight for c in criteria} | dict(weights or {})
    return RoundRanking(criteria, effective, rows, candidates, figures, what_if=bool(weights), figures_as_of=as_of)


def rounds_for_user(user) -> QuerySet[SelectionRound]:
    """The Ministry sees every round; a scoring member the rounds they are on."""
    if user is None or not user.is_authenticated:
        return SelectionRound.objects.none()
    if user.is_ministry:
        return SelectionRound.objects.all()
    return SelectionRound.objects.filter(members=user)


# Hub pages -------------------------------------------------------------------------------------


def public_hubs() -> QuerySet[Hub]:
    """Every hub, for the public list and the API (agency, province, cohort loaded)."""
    return Hub.objects.select_related("agency", "region", "cohort").annotate(
        active_spokes=Count("spokes", filter=Q(spokes__left_on__isnull=True))
    )


@dataclass
class SpokeRow:
    spoke: Spoke
    figures: Figures
    actuals: dict[str, int]
    targets: dict[str, int]
    gaps: list[Gap]

    @property
    def cells(self) -> list[tuple[int, int | None]]:
        """(actual, target or None) per measure, in the plan's measure order."""
        return [(self.actuals[m], self.targets.get(m)) for m in Measure.values]


@dataclass
class HubWork:
    hub: Hub
    year: int
    plan: WorkPlan | None
    rows: list[SpokeRow]
    total_targets: dict[str, int]
    total_actuals: dict[str, int]
    total_gaps: list[Gap]
    figures_as_of: datetime | None = None


def _spoke_key(spoke: Spoke) -> tuple[str, int]:
    """How a spoke's figures are grouped: by its unit (a K/L hub's unit spoke) or by its agency."""
    return (BY_UNIT, spoke.unit_id) if spoke.unit_id else (BY_AGENCY, spoke.agency_id)


def _figures_and_actuals(spokes: list[Spoke], *, year: int, continuity_year: int | None = None):
    """Figures and the year's plan actuals keyed by `_spoke_key`, one grouped query per source and kind of
    spoke (agencies, units) whatever the number of spokes."""
    figures: dict[tuple[str, int], Figures] = {}
    actuals: dict[tuple[str, int], dict[str, int]] = {}
    for by in (BY_AGENCY, BY_UNIT):
        ids = [key for kind, key in map(_spoke_key, spokes) if kind == by]
        if not ids:
            continue
        found = platform_figures(by=by, ids=ids, continuity_year=continuity_year)
        counted = plan_actuals(agency_ids=ids, year=year, by=by)
        for key in ids:
            figures[(by, key)] = found[key]
            actuals[(by, key)] = counted[key]
    return figures, actuals


def hub_work(*, hub: Hub, year: int) -> HubWork:
    """The hub's spokes with their figures, the year's actuals and the plan's targets, in constant queries.

    The figures and actuals (grouped over the registry, KIPP, replication, legal bases, continuity) are
    kept FIGURES_SECONDS per hub, year and set of spokes; `figures_as_of` says when they were computed."""
    spokes = list(Spoke.objects.filter(hub=hub, left_on__isnull=True).select_related("agency", "unit"))
    keys = ",".join(f"{by}{key}" for by, key in sorted(map(_spoke_key, spokes)))
    digest = hashlib.sha1(keys.encode(), usedforsecurity=False).hexdigest()[:16]
    stamp = hub.created_at.timestamp() if hub.created_at else 0
    cache_key = f"hubs:work-figures:{hub.pk}:{stamp}:{year}:{digest}"
    cached = cache.get(cache_key)
    if cached is None:
        cached = (*_figures_and_actuals(spokes, year=year), timezone.now())
        cache.set(cache_key, cached, FIGURES_SECONDS)
    figures, actuals, as_of = cached
    plan = WorkPlan.objects.filter(hub=hub, year=year).first()
    targets: dict[int | None, dict[str, int]] = {}
    if plan is not None:
        for t in plan.targets.all():
            targets.setdefault(t.spoke_id, {})[t.measure] = t.target
    order = list(Measure.values)
    rows = []
    for s in spokes:
        key = _spoke_key(s)
        rows.append(
            SpokeRow(
                s, figures[key], actuals[key], targets.get(s.pk, {}), gaps(targets.get(s.pk, {}), actuals[key], order)
            )
        )
    total_actuals = {m: sum(a[m] for a in actuals.values()) for m in order}
    total_targets = targets.get(None, {})
    return HubWork(
        hub, year, plan, rows, total_targets, total_actuals, gaps(total_targets, total_actuals, order), as_of
    )


@dataclass
class SpokeProgress:
    spoke: Spoke
    year: int
    figures: Figures
    targets: dict[str, int]
    actuals: dict[str, int]
    gaps: list[Gap]
    steps: list[Suggestion]
    activities: list[Activity]
    innovations: list[Innovation]
    unprotected: list[ProtectionStatus]


def spoke_progress(*, spoke: Spoke, year: int) -> SpokeProgress:
    """A spoke's innovations through the three phases, gaps against the plan and the next steps; for a
    unit spoke (a K/L hub's unit or field office) the unit's own innovations."""
    by, key = _spoke_key(spoke)
    own = {"unit_id": key} if by == BY_UNIT else {"agency_id": key}
    figures = platform_figures(by=by, ids=[key], continuity_year=year - 1)[key]
    actuals = plan_actuals(agency_ids=[key], year=year, by=by)[key]
    targets = {
        t.measure: t.target
        for t in WorkPlanTarget.objects.filter(plan__hub_id=spoke.hub_id, plan__year=year, spoke=spoke)
    }
    facts = SpokeFacts(
        innovations=figures.innovations,
        in_creation=figures.by_phase.get(Innovation.Phase.CREATION, 0),
        trials=figures.by_stage.get(Innovation.Stage.TRIAL, 0),
        proven_without_legal_basis=figures.unprotected_legal,
        kipp_proposals_this_year=actuals[Measure.KIPP_PROPOSALS],
        continuity_missing=max(
            0,
            Innovation.objects.filter(status=Innovation.Status.PUBLISHED, year_started__lt=year, **own).count()
            - figures.continuity_answers,
        ),
        replications_in=figures.replications_in,
    )
    activities = list(
        Activity.objects.filter(spokes=spoke).prefetch_related("mentors").order_by("-starts_on", "-pk")[:10]
    )
    innovations = list(
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED, **own)
        .only("pk", "title", "phase", "stage", "has_legal_basis", "unit_id")
        .order_by("-pk")[:10]
    )
    protection = {"innovation__unit_id": key} if by == BY_UNIT else {"agency_id": key}
    unprotected = list(
        ProtectionStatus.objects.filter(is_unprotected=True, is_public=True, strength=0, **protection)
        .select_related("innovation")
        .order_by("innovation_id")[:10]
    )
    return SpokeProgress(
        spoke,
        year,
        figures,
        targets,
        actuals,
        gaps(targets, actuals, list(Measure.values)),
        next_steps(facts),
        activities,
        innovations,
        unprotected,
    )


def activities_for(*, hub: Hub, public_only: bool) -> QuerySet[Activity]:
    qs = Activity.objects.filter(hub=hub).prefetch_related("spokes__agency", "spokes__unit", "mentors")
    if public_only:
        qs = qs.filter(is_public=True)
    return qs.order_by("-starts_on", "-pk")


# Maturity --------------------------------------------------------------------------------------

DISSEMINATION_KINDS = (Activity.Kind.FRIPP, Activity.Kind.FIELD_VISIT, Activity.Kind.KAJI_TIRU)


def hub_facts(*, hub: Hub, year: int) -> HubFacts:
    """What the platform knows about a hub's year, for the maturity flags (constant queries)."""
    spokes = list(Spoke.objects.filter(hub=hub, left_on__isnull=True).only("pk", "agency_id", "unit_id"))
    by_key, actuals = _figures_and_actuals(spokes, year=year, continuity_year=year - 1)
    figures = list(by_key.values())
    plan = WorkPlan.objects.filter(hub=hub, year=year).annotate(n=Count("targets")).first()
    return HubFacts(
        proven=sum(f.proven for f in figures),
        proven_without_legal_basis=sum(f.unprotected_legal for f in figures),
        has_plan=plan is not None,
        plan_targets=plan.n if plan else 0,
        dissemination_activities=Activity.objects.filter(
            hub=hub, kind__in=DISSEMINATION_KINDS, starts_on__year=year
        ).count(),
        replications_in=sum(a[Measure.REPLICATIONS_IN] for a in actuals.values()),
        innovations=sum(f.innovations for f in figures),
        continuity_answers=sum(f.continuity_answers for f in figures),
    )


@dataclass
class MaturityView:
    assessment: MaturityAssessment
    aspects: list[MaturityAspect]
    flags: dict[str, Flag]
    facts: HubFacts


def maturity_view(*, assessment: MaturityAssessment) -> MaturityView:
    aspects = list(assessment.aspects.all())
    facts = hub_facts(hub=assessment.hub, year=assessment.year)
    found = maturity_flags({a.aspect: a.declared_level for a in aspects}, facts)
    return MaturityView(assessment, aspects, {f.aspect: f for f in found}, facts)


def maturity_trend(*, hub: Hub) -> list[TrendPoint]:
    data = []
    for a in MaturityAssessment.objects.filter(hub=hub).prefetch_related("aspects").order_by("year"):
        levels = {row.aspect: (row.declared_level, row.verified_level) for row in a.aspects.all()}
        data.append((a.year, levels, a.status == MaturityAssessment.Status.VERIFIED))
    return trend(data)


def scope_agency_ids(user) -> set[int] | None:
    """For core.scoping: a hub admin's or mentor's agencies (their hubs' active spokes and the hubs'
    agencies); None for anyone else, whose view this app does not narrow."""
    if user is None or not user.is_authenticated or user.is_ministry:
        return None
    if user.role not in (Role.HUB_ADMIN, Role.MENTOR):
        return None
    hubs = hubs_for_user(user)
    ids = set(Spoke.objects.filter(hub__in=hubs, left_on__isnull=True).values_list("agency_id", flat=True))
    ids.update(hubs.values_list("agency_id", flat=True))
    return ids
