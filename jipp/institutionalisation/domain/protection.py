"""Legal protection of innovations: legal-basis strength, "proven" and "unprotected" rules.

Pure Python: no Django, no clock. Every rule that depends on time takes the date as an argument.

Vocabulary (DOMAIN.md, "Institutionalisation and sustainability" and "Replication"):

* An innovation is **proven** when it has a KIPP tier, or at least one agency other than its
  own has successfully replicated it, or it has been in operation (*penerapan*) for two years
  or more.
* A proven innovation is **unprotected** when it has no legal basis (*payung hukum*) or no
  budget line: it may not survive a change of leader.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class LegalBasisType(StrEnum):
    """Kinds of legal instrument that can back an innovation.

    Regional governments use the first five; ministries and agencies (K/L) use SOP and the
    national instruments. The values are stable identifiers for storage and translation.
    """

    SOP = "sop"
    # Regional track (weakest to strongest).
    SK_KEPALA_PERANGKAT_DAERAH = "sk_kepala_perangkat_daerah"
    SK_KEPALA_DAERAH = "sk_kepala_daerah"
    PERKADA = "perkada"  # Pergub / Perbup / Perwali
    PERDA = "perda"
    # National track for K/L (weakest to strongest).
    SK_PEJABAT = "sk_pejabat"  # decree of an official below the minister / head of agency
    KEPUTUSAN_MENTERI = "keputusan_menteri"  # decree of the minister or head of agency
    PERATURAN_MENTERI = "peraturan_menteri"  # Peraturan Menteri / Peraturan Kepala Lembaga
    PERPRES = "perpres"
    PP = "pp"
    UU = "uu"


# Strength on a shared 1..5 scale: how hard it is for the next leader to drop the innovation.
# Each track is ordered; a national instrument sits at the level of the regional instrument
# issued at the same height of authority (unit head, head of the organisation, its regulation).
# PP, Perpres and UU all rank 5: none of them can be undone by the agency itself.
LEGAL_BASIS_STRENGTH: Mapping[LegalBasisType, int] = {
    LegalBasisType.SOP: 1,
    LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH: 2,
    LegalBasisType.SK_PEJABAT: 2,
    LegalBasisType.SK_KEPALA_DAERAH: 3,
    LegalBasisType.KEPUTUSAN_MENTERI: 3,
    LegalBasisType.PERKADA: 4,
    LegalBasisType.PERATURAN_MENTERI: 4,
    LegalBasisType.PERDA: 5,
    LegalBasisType.PERPRES: 5,
    LegalBasisType.PP: 5,
    LegalBasisType.UU: 5,
}

# Total order, weakest first, consistent with LEGAL_BASIS_STRENGTH. Within strength 5 the
# national order follows UU 12/2011 art. 7 (UU > PP > Perpres); ties between tracks at the
# same strength are broken by this order only so that strongest_basis is deterministic.
LEGAL_BASIS_ORDER: tuple[LegalBasisType, ...] = tuple(LEGAL_BASIS_STRENGTH)
_ORDER_INDEX = {basis: index for index, basis in enumerate(LEGAL_BASIS_ORDER)}


def legal_basis_strength(basis: LegalBasisType | None) -> int:
    """Return the strength of a legal basis on the 0..5 scale.

    Input: a legal-basis type, or None for "no legal basis". Output: 0 for None, else 1..5
    (SOP 1 ... Perda / PP / Perpres / UU 5). Invariant: if ``a`` precedes ``b`` in
    ``LEGAL_BASIS_ORDER`` then ``strength(a) <= strength(b)``.
    """
    return 0 if basis is None else LEGAL_BASIS_STRENGTH[basis]


def strongest_basis(types: Iterable[LegalBasisType]) -> LegalBasisType | None:
    """Return the strongest of the given legal-basis types, or None if there are none.

    Input: any iterable of types (duplicates allowed). Output: the type that comes last in
    ``LEGAL_BASIS_ORDER``; the result never depends on the input's order.
    """
    return max(types, key=_ORDER_INDEX.__getitem__, default=None)


class Stage(StrEnum):
    """Stage of an innovation as in the Home Affairs regional innovation index."""

    INITIATIVE = "initiative"  # inisiatif
    TRIAL = "trial"  # uji coba
    IN_OPERATION = "in_operation"  # penerapan


class ProvenGround(StrEnum):
    """Why an innovation counts as proven."""

    KIPP_TIER = "kipp_tier"
    REPLICATED = "replicated"
    IN_OPERATION_TWO_YEARS = "in_operation_two_years"


class ProtectionGap(StrEnum):
    """What a proven innovation lacks to be protected."""

    NO_LEGAL_BASIS = "no_legal_basis"
    NO_BUDGET_LINE = "no_budget_line"


@dataclass(frozen=True, slots=True)
class ProtectionFacts:
    """What the protection rules need to know about one innovation.

    ``successful_adopters`` is the number of distinct adopting agencies (see
    ``count_adopting_agencies``). ``rollout_date`` is when the innovation went into operation;
    None if unknown or not yet rolled out.
    """

    has_kipp_tier: bool
    successful_adopters: int
    stage: Stage
    rollout_date: date | None
    legal_bases: tuple[LegalBasisType, ...]
    has_budget_line: bool


@dataclass(frozen=True, slots=True)
class ProtectionAssessment:
    """The outcome of the rules for one innovation, with the grounds, so a UI can show why."""

    proven_grounds: tuple[ProvenGround, ...]
    gaps: tuple[ProtectionGap, ...]

    @property
    def is_proven(self) -> bool:
        return bool(self.proven_grounds)

    @property
    def is_unprotected(self) -> bool:
        return self.is_proven and bool(self.gaps)


MIN_YEARS_IN_OPERATION = 2


def anniversary(start: date, years: int) -> date:
    """Return the date ``years`` full years after ``start``.

    A 29 February start has its anniversary on 1 March in common years: on 28 February the
    full number of years has not yet passed. Input years may be any integer; output is a date.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        return date(start.year + years, 3, 1)


def in_operation_since(rollout_date: date | None, as_of: date, years: int = MIN_YEARS_IN_OPERATION) -> bool:
    """Return True if an innovation rolled out on ``rollout_date`` has run ``years`` full years by ``as_of``.

    Boundary: True exactly from the ``years``-th anniversary of the rollout (inclusive),
    see ``anniversary``; so rollout 2022-03-15 is two years old on 2024-03-15, not on 2024-03-14,
    and rollout 2020-02-29 is two years old on 2022-03-01. None (unknown rollout) gives False.
    """
    return rollout_date is not None and anniversary(rollout_date, years) <= as_of


def assess_protection(facts: ProtectionFacts, as_of: date) -> ProtectionAssessment:
    """Apply the proven and unprotected rules to one innovation as of a date.

    Output: the grounds on which it is proven (in ``ProvenGround`` order) and its gaps (in
    ``ProtectionGap`` order). Gaps are reported whether or not it is proven; "unprotected"
    needs both (``ProtectionAssessment.is_unprotected``).
    """
    grounds = []
    if facts.has_kipp_tier:
        grounds.append(ProvenGround.KIPP_TIER)
    if facts.successful_adopters >= 1:
        grounds.append(ProvenGround.REPLICATED)
    if facts.stage == Stage.IN_OPERATION and in_operation_since(facts.rollout_date, as_of):
        grounds.append(ProvenGround.IN_OPERATION_TWO_YEARS)
    gaps = []
    if not facts.legal_bases:
        gaps.append(ProtectionGap.NO_LEGAL_BASIS)
    if not facts.has_budget_line:
        gaps.append(ProtectionGap.NO_BUDGET_LINE)
    return ProtectionAssessment(proven_grounds=tuple(grounds), gaps=tuple(gaps))


def is_proven(facts: ProtectionFacts, as_of: date) -> bool:
    """Return True if the innovation has a KIPP tier, >= 1 successful adopter or two years in operation by ``as_of``.

    See ``assess_protection`` for the grounds.
    """
    return assess_protection(facts, as_of).is_proven


def is_unprotected(facts: ProtectionFacts, as_of: date) -> bool:
    """Return True if the innovation is proven as of ``as_of`` and lacks a legal basis or a budget line."""
    return assess_protection(facts, as_of).is_unprotected


def adopter_count_band(n: int) -> str:
    """Return the Home Affairs index band for ``n`` distinct adopting agencies: "0", "1", "2" or "3+".

    Raises ValueError for a negative count.
    """
    if n < 0:
        raise ValueError(f"adopter count must be >= 0, got {n}")
    return "3+" if n >= 3 else str(n)


class ReplicationStage(StrEnum):
    """Stages of a replication (DOMAIN.md, "Replication")."""

    PREPARATION = "preparation"
    AGREEMENT = "agreement"
    ADAPTATION = "adaptation"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"


@dataclass(frozen=True, slots=True)
class ReplicationRecord:
    """One agency's replication of one innovation.

    ``adopter_agency_id`` is the adopting agency (instansi), not its unit: several units of one
    agency count once. ``has_implementation_statement`` is the adopter's signed statement that
    it implemented the innovation. ``cancelled`` marks a replication abandoned at any stage.
    """

    adopter_agency_id: Hashable
    stage: ReplicationStage
    has_implementation_statement: bool
    cancelled: bool = False


_SUCCESSFUL_STAGES = frozenset({ReplicationStage.IMPLEMENTATION, ReplicationStage.EVALUATION})


def is_successful_replication(record: ReplicationRecord) -> bool:
    """Return True if the replication counts as successful.

    Successful means: not cancelled, reached implementation (or evaluation, which follows it),
    and the adopter's implementation statement is on file, because that statement is the
    evidence the Home Affairs index accepts.
    """
    return not record.cancelled and record.stage in _SUCCESSFUL_STAGES and record.has_implementation_statement


def count_adopting_agencies(records: Iterable[ReplicationRecord], *, source_agency_id: Hashable) -> int:
    """Count the distinct agencies that successfully replicated one innovation.

    Input: the innovation's replication records and the id of the agency that owns it.
    Output: the number of distinct ``adopter_agency_id`` among successful records, excluding the
    source agency (a unit copying its own agency's innovation is not replication). Feed the
    result to ``adopter_count_band`` for the index band.
    """
    return len(
        {
            record.adopter_agency_id
            for record in records
            if is_successful_replication(record) and record.adopter_agency_id != source_agency_id
        }
    )


def owners_without_continuity_update(last_updates: Mapping[Hashable, date | None], year: int) -> list[Hashable]:
    """Return the owners who have not answered the yearly continuity question for ``year``.

    Input: each owner's id mapped to the date of its latest continuity update (None if never).
    An update made in calendar year ``year`` answers that year; a later update also counts,
    because it reports the innovation's current status, which is fresher. Output: the owners
    whose latest update is missing or dated before ``year``, in the mapping's order.
    """
    return [owner for owner, updated in last_updates.items() if updated is None or updated.year < year]
