"""What the platform already knows about a set of provinces or agencies, in a constant number of queries.

`platform_figures(by=..., ids=...)` answers for many provinces (or agencies) at once with one grouped
query per source (registry, KIPP, awards, replication in and out, protection, continuity), never a
query per candidate: the selection ranking of 38 provinces and a hub's page of 38 spokes both use it.
`plan_actuals` counts, per spoke agency and year, what a work plan's targets measure.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from jipp.competition.models import Proposal
from jipp.hubs.models import Measure
from jipp.institutionalisation.models import LegalBasis, ProtectionStatus
from jipp.registry.models import Award, ContinuityUpdate, Innovation
from jipp.replication.models import Replication

BY_PROVINCE = "province"
BY_AGENCY = "agency"
BY_UNIT = "unit"  # a K/L hub's unit or field office spoke

# Per grouping, the column each source is grouped on (replications: into, out of).
_COLUMNS = {
    BY_PROVINCE: {"own": "province_id", "innovation": "innovation__province_id", "protection": "province_id",
                  "in": "adopter_province_id", "out": "source_province_id"},
    BY_AGENCY: {"own": "agency_id", "innovation": "innovation__agency_id", "protection": "agency_id",
                "in": "adopter_agency_id", "out": "source_agency_id"},
    BY_UNIT: {"own": "unit_id", "innovation": "innovation__unit_id", "protection": "innovation__unit_id",
              "in": "adopter_unit_id", "out": "primary_source__unit_id"},
}  # fmt: skip
STOPPED = (Innovation.Continuity.STOPPED, Innovation.Continuity.DORMANT)


@dataclass
class Figures:
    innovations: int = 0
    by_phase: dict[str, int] = field(default_factory=dict)
    by_stage: dict[str, int] = field(default_factory=dict)
    kipp_by_year: dict[int, int] = field(default_factory=dict)
    tiers_by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    replications_in: int = 0
    replications_in_successful: int = 0
    replications_out: int = 0
    replications_out_successful: int = 0
    proven: int = 0
    protected: int = 0
    continuity_year: int | None = None
    continuity_answers: int = 0
    continuity_stopped: int = 0

    @property
    def unprotected_legal(self) -> int:
        """Proven innovations without any legal basis."""
        return self.proven - self.protected

    @property
    def legal_coverage(self) -> float | None:
        """Share of proven innovations with a legal basis (None when none is proven)."""
        return self.protected / self.proven if self.proven else None

    @property
    def kipp_total(self) -> int:
        return sum(self.kipp_by_year.values())


def platform_figures(*, by: str, ids: list[int], continuity_year: int | None = None) -> dict[int, Figures]:
    """Figures per province id (`by="province"`), agency id (`by="agency"`) or service unit id
    (`by="unit"`, a K/L hub's unit spokes), seven queries in all."""
    ids = list(ids)
    out: dict[int, Figures] = {i: Figures() for i in ids}
    if not ids:
        return out
    columns = _COLUMNS[by]
    own = columns["own"]
    innovation_own = columns["innovation"]

    published = Innovation.objects.filter(status=Innovation.Status.PUBLISHED, **{f"{own}__in": ids})
    for row in published.values(own, "phase", "stage").annotate(n=Count("pk")).order_by():
        f = out[row[own]]
        f.innovations += row["n"]
        f.by_phase[row["phase"]] = f.by_phase.get(row["phase"], 0) + row["n"]
        f.by_stage[row["stage"]] = f.by_stage.get(row["stage"], 0) + row["n"]

    proposals = Proposal.objects.filter(
        status__in=Proposal.SUBMITTED, edition__organiser__isnull=True, **{f"{own}__in": ids}
    )
    for row in proposals.values(own, "edition__year").annotate(n=Count("pk")).order_by():
        out[row[own]].kipp_by_year[row["edition__year"]] = row["n"]

    awards = Award.objects.filter(**{f"{innovation_own}__in": ids}).exclude(tier="")
    for row in awards.values(innovation_own, "year", "tier").annotate(n=Count("pk")).order_by():
        out[row[innovation_own]].tiers_by_year.setdefault(row["year"], {})[row["tier"]] = row["n"]

    side_in, side_out = columns["in"], columns["out"]
    live = Replication.objects.exclude(status__in=[Replication.Status.DECLINED, Replication.Status.WITHDRAWN])
    for row in (
        live.filter(**{f"{side_in}__in": ids})
        .values(side_in)
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(is_successful=True)))
        .order_by()
    ):
        out[row[side_in]].replications_in = row["n"]
        out[row[side_in]].replications_in_successful = row["ok"]
    for row in (
        live.filter(**{f"{side_out}__in": ids})
        .values(side_out)
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(is_successful=True)))
        .order_by()
    ):
        out[row[side_out]].replications_out = row["n"]
        out[row[side_out]].replications_out_successful = row["ok"]

    protection = columns["protection"]
    for row in (
        ProtectionStatus.objects.filter(is_public=True, is_proven=True, **{f"{protection}__in": ids})
        .values(protection)
        .annotate(n=Count("pk"), protected=Count("pk", filter=Q(strength__gt=0)))
        .order_by()
    ):
        out[row[protection]].proven = row["n"]
        out[row[protection]].protected = row["protected"]

    if continuity_year is not None:
        for row in (
            ContinuityUpdate.objects.filter(year=continuity_year, **{f"{innovation_own}__in": ids})
            .values(innovation_own)
            .annotate(
                n=Count("pk"),
                stopped=Count(
                    "pk", filter=Q(status__in=[Innovation.Continuity.STOPPED, Innovation.Continuity.DORMANT])
                ),
            )
            .order_by()
        ):
            f = out[row[innovation_own]]
            f.continuity_answers = row["n"]
            f.continuity_stopped = row["stopped"]
        for f in out.values():
            f.continuity_year = continuity_year
    return out


def plan_actuals(*, agency_ids: list[int], year: int, by: str = BY_AGENCY) -> dict[int, dict[str, int]]:
    """Per agency (or per unit with `by="unit"`, ids then unit ids): what each plan measure counted in
    `year` (five grouped queries).

    innovations_created: published innovations started in the year; kipp_proposals: proposals submitted
    to the year's edition; replications_in: replications into the agency requested in the year and not
    declined or withdrawn; legal_bases: legal bases issued in the year; continuity_answers: the year's
    continuity updates.
    """
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Measure.values, 0))
    if not agency_ids:
        return out
    columns = _COLUMNS[by]
    own, innovation_own, side_in = columns["own"], columns["innovation"], columns["in"]
    queries = (
        (
            Measure.INNOVATIONS_CREATED,
            Innovation.objects.filter(
                status=Innovation.Status.PUBLISHED, year_started=year, **{f"{own}__in": agency_ids}
            ),
            own,
        ),
        (
            Measure.KIPP_PROPOSALS,
            Proposal.objects.filter(
                status__in=Proposal.SUBMITTED,
                edition__year=year,
                edition__organiser__isnull=True,
                **{f"{own}__in": agency_ids},
            ),
            own,
        ),
        (
            Measure.REPLICATIONS_IN,
            Replication.objects.filter(created_at__year=year, **{f"{side_in}__in": agency_ids}).exclude(
                status__in=[Replication.Status.DECLINED, Replication.Status.WITHDRAWN]
            ),
            side_in,
        ),
        (
            Measure.LEGAL_BASES,
            LegalBasis.objects.filter(issued_on__year=year, **{f"{innovation_own}__in": agency_ids}),
            innovation_own,
        ),
        (
            Measure.CONTINUITY_ANSWERS,
            ContinuityUpdate.objects.filter(year=year, **{f"{innovation_own}__in": agency_ids}),
            innovation_own,
        ),
    )
    for measure, qs, key in queries:
        for row in qs.values(key).annotate(n=Count("pk")).order_by():
            out[row[key]][measure] = row["n"]
    return out
