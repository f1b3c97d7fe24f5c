"""Hub maturity: the four aspects, the levels, the trend, and flags where the platform's own data
disagrees with a self-declared level (pure Python).

Levels run 1 (beginning) to 5 (full). A level counts as "high" from 4. The effective level of an
aspect is the Ministry's verified level when there is one, else the hub's declared level.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ASPECTS = ("planning", "institutionalisation", "dissemination", "evaluation")
LEVELS = (1, 2, 3, 4, 5)
HIGH = 4
# A hub declaring high institutionalisation while this share (or more) of its spokes' proven
# innovations have no legal basis is flagged for the verifier.
UNPROTECTED_SHARE_FLAG = Decimal("0.70")
# Evaluation declared high while fewer than this share of the spokes' innovations answered last year's
# continuity question.
CONTINUITY_SHARE_FLAG = Decimal("0.50")


@dataclass(frozen=True)
class HubFacts:
    proven: int
    proven_without_legal_basis: int
    has_plan: bool
    plan_targets: int
    dissemination_activities: int  # FRIPP, field visits, kaji tiru in the year
    replications_in: int  # into the spokes in the year
    innovations: int
    continuity_answers: int


@dataclass(frozen=True)
class Flag:
    aspect: str
    code: str
    share: Decimal | None = None


def _share(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def flags(declared: Mapping[str, int], facts: HubFacts) -> list[Flag]:
    """Flags beside the self-declared levels, in aspect order. Only high declarations (>= 4) are checked."""
    found: list[Flag] = []
    if declared.get("planning", 0) >= HIGH and (not facts.has_plan or facts.plan_targets == 0):
        found.append(Flag("planning", "no_plan"))
    if declared.get("institutionalisation", 0) >= HIGH:
        share = _share(facts.proven_without_legal_basis, facts.proven)
        if share is not None and share >= UNPROTECTED_SHARE_FLAG:
            found.append(Flag("institutionalisation", "unprotected", share))
    if declared.get("dissemination", 0) >= HIGH and facts.dissemination_activities == 0 and facts.replications_in == 0:
        found.append(Flag("dissemination", "no_dissemination"))
    if declared.get("evaluation", 0) >= HIGH:
        share = _share(facts.continuity_answers, facts.innovations)
        if share is not None and share < CONTINUITY_SHARE_FLAG:
            found.append(Flag("evaluation", "continuity", share))
    return found


def effective_level(declared: int, verified: int | None) -> int:
    return verified if verified is not None else declared


@dataclass(frozen=True)
class TrendPoint:
    year: int
    levels: dict[str, int]
    verified: bool

    @property
    def mean(self) -> Decimal:
        values = [self.levels[a] for a in ASPECTS if a in self.levels]
        if not values:
            return Decimal("0.00")
        return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def trend(assessments: Sequence[tuple[int, Mapping[str, tuple[int, int | None]], bool]]) -> list[TrendPoint]:
    """Per year (oldest first): the effective level of each aspect and their mean.

    Input: (year, {aspect: (declared, verified or None)}, verified?) per assessment.
    """
    points = [
        TrendPoint(year, {a: effective_level(d, v) for a, (d, v) in levels.items()}, verified)
        for year, levels, verified in assessments
    ]
    return sorted(points, key=lambda p: p.year)
