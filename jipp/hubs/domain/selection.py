"""Hub selection: weighted ranking of candidates from the scoring team's levels (pure Python, Decimal).

Each criterion has a weight in percent (the weights sum to 100) and a guide of allowed levels. A
candidate's points on a criterion are ``weight × mean level / top level`` (so a candidate scored at
the top level on every criterion gets 100.00). The total is the sum of the criterion points. Means,
points and totals are rounded half-up to two decimals, here and nowhere else.

Ties on the rounded total are broken by the points on the heaviest criterion, then the next heaviest
(criteria of equal weight in their listed order); candidates still equal share a rank and are listed
by name. Every break is recorded in `RankedCandidate.tie` for the page to explain.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class SelectionError(ValueError):
    """Bad input to the ranking: the message is meant for the user."""


class WeightsError(SelectionError):
    def __init__(self, total: Decimal):
        self.total = total
        super().__init__(f"The weights sum to {total}%, not 100%.")


class LevelError(SelectionError):
    def __init__(self, level: int, allowed: Sequence[int]):
        self.level = level
        self.allowed = tuple(allowed)
        super().__init__(f"Level {level} is not in the guide ({', '.join(str(a) for a in self.allowed)}).")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    name: str
    weight: Decimal
    levels: tuple[int, ...]
    position: int = 0

    @property
    def top(self) -> int:
        return max(self.levels)


@dataclass(frozen=True)
class ScoreRow:
    member: int
    candidate: int
    criterion: int
    level: int


@dataclass(frozen=True)
class Contribution:
    criterion: int
    mean_level: Decimal | None
    spread: int | None  # highest minus lowest level given by the scorers
    points: Decimal
    scorers: int


@dataclass(frozen=True)
class Tie:
    """Equal total with the candidate ranked just above: either shared rank or the criterion that decided."""

    other: int
    other_name: str
    shared: bool
    criterion: int | None = None
    criterion_name: str = ""
    own_points: Decimal | None = None
    other_points: Decimal | None = None


@dataclass
class RankedCandidate:
    candidate: int
    name: str
    total: Decimal
    rank: int = 0
    contributions: dict[int, Contribution] = field(default_factory=dict)
    member_totals: dict[int, Decimal] = field(default_factory=dict)
    complete: bool = True
    tie: "Tie | None" = None

    @property
    def spread(self) -> Decimal:
        """Highest minus lowest total among the scorers who scored every criterion."""
        if len(self.member_totals) < 2:
            return Decimal("0.00")
        return _q(max(self.member_totals.values()) - min(self.member_totals.values()))


def check_weights(weights: Iterable[Decimal]) -> Decimal:
    """The sum of `weights`; raises WeightsError unless it is exactly 100."""
    total = sum((Decimal(w) for w in weights), Decimal("0"))
    if total != HUNDRED:
        raise WeightsError(total)
    return total


def check_level(level: int, allowed: Sequence[int]) -> int:
    """`level` if the guide allows it; raises LevelError otherwise."""
    if level not in allowed:
        raise LevelError(level, sorted(allowed))
    return level


def _order_criteria(criteria: Sequence[CriterionSpec], weights: Mapping[int, Decimal]) -> list[CriterionSpec]:
    return sorted(criteria, key=lambda c: (-weights[c.id], c.position, c.id))


def rank(
    *,
    criteria: Sequence[CriterionSpec],
    candidates: Mapping[int, str],
    scores: Iterable[ScoreRow],
    weights: Mapping[int, Decimal] | None = None,
) -> list[RankedCandidate]:
    """Rank `candidates` ({id: name}) on `scores`, with the criteria's weights or the what-if `weights`.

    Returns one RankedCandidate per candidate, best first, with its contributions per criterion,
    each scorer's own total (for the spread) and the tie explanation. Raises WeightsError if the
    weights do not sum to 100 and LevelError for a level outside a criterion's guide.
    """
    weights = {c.id: Decimal(c.weight) for c in criteria} | {k: Decimal(v) for k, v in (weights or {}).items()}
    check_weights(weights[c.id] for c in criteria)
    by_id = {c.id: c for c in criteria}
    levels: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for row in scores:
        criterion = by_id.get(row.criterion)
        if criterion is None or row.candidate not in candidates:
            continue
        check_level(row.level, criterion.levels)
        levels[(row.candidate, row.criterion)][row.member] = row.level

    results: list[RankedCandidate] = []
    for candidate_id, name in candidates.items():
        result = RankedCandidate(candidate=candidate_id, name=name, total=Decimal("0.00"))
        members: set[int] = set()
        for criterion in criteria:
            given = levels.get((candidate_id, criterion.id), {})
            members.update(given)
            if not given:
                result.complete = False
                result.contributions[criterion.id] = Contribution(criterion.id, None, None, Decimal("0.00"), 0)
                continue
            mean = Decimal(sum(given.values())) / Decimal(len(given))
            points = _q(weights[criterion.id] * mean / Decimal(criterion.top))
            result.contributions[criterion.id] = Contribution(
                criterion.id, _q(mean), max(given.values()) - min(given.values()), points, len(given)
            )
        result.total = _q(sum((c.points for c in result.contributions.values()), Decimal("0")))
        for member in sorted(members):
            mine = [levels[(candidate_id, c.id)].get(member) for c in criteria]
            if None in mine:
                continue
            result.member_totals[member] = _q(
                sum(
                    (weights[c.id] * Decimal(level) / Decimal(c.top) for c, level in zip(criteria, mine, strict=True)),
                    Decimal("0"),
                )
            )
        results.append(result)

    order = _order_criteria(criteria, weights)

    def key(r: RankedCandidate):
        return (-r.total, *(-r.contributions[c.id].points for c in order), r.name, r.candidate)

    results.sort(key=key)
    _assign_ranks(results, order, by_id)
    return results


def _assign_ranks(results: list[RankedCandidate], order: list[CriterionSpec], by_id) -> None:
    """Ranks 1..n; a candidate equal on the total to the one above gets a Tie saying what separated them."""
    previous: RankedCandidate | None = None
    for position, result in enumerate(results, start=1):
        result.rank = position
        if previous is not None and previous.total == result.total:
            decider = next(
                (c for c in order if previous.contributions[c.id].points != result.contributions[c.id].points), None
            )
            if decider is None:
                result.rank = previous.rank
                result.tie = Tie(other=previous.candidate, other_name=previous.name, shared=True)
            else:
                result.tie = Tie(
                    other=previous.candidate,
                    other_name=previous.name,
                    shared=False,
                    criterion=decider.id,
                    criterion_name=decider.name,
                    own_points=result.contributions[decider.id].points,
                    other_points=previous.contributions[decider.id].points,
                )
        previous = result
