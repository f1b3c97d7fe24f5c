"""Choose the finalists: the highest-scoring set that keeps the required mix, as an exact MILP.

Pure domain code: no Django, no clock.

The panel wants the best proposals (e.g. Top 99 + 15 *Khusus*) but also a proportional mix by
category, group, kind of agency and region, with a minimum from the *3T* regions. Given a
score per candidate (usually an aggregate from ``normalisation``), ``nominate`` maximises the
summed score of the chosen set subject to

- exactly ``size`` finalists, or exactly ``group_targets[g]`` from each group g;
- for each ``Quota``: min <= (chosen with attribute == value [within the quota's group]) <= max,
  where shares become counts of the set size (or of the group's target): a minimum share
  rounds up, a maximum share rounds down;
- the passing grade as a floor: a candidate scoring below it is never chosen.

It is solved with ``scipy.optimize.milp`` (HiGHS, zero gap) in two stages: first the best
total score, then, among sets with exactly that total, the one that keeps the most proposals
of the plain ranking, so ties in score never cause a gratuitous swap. Scores are read as
``Decimal`` and scaled to integers (by the power of ten of their most precise score), so the
objective is integral and any difference in totals, however small, is seen: there is no
tolerance on totals. A candidate may carry a ``grade_score`` (e.g. its raw mean in points):
the passing grade is then compared with it rather than with ``score``.

When the targets and quotas cannot be met together, a minimal set of quotas that is already
infeasible with the targets (found by deleting quotas one at a time and re-solving) is named.

The plain ranking is the top ``size`` (or top target per group) of the passing candidates by
score; equal scores keep the input order, so pass candidates in ranking order (e.g. from
``normalisation.aggregate``). The result explains each difference from it: which proposals
were swapped in or out and which quota caused each swap.

Messages are English text for the admin UI and logs; ``reasons`` of an infeasibility also
come with the offending ``Quota`` objects so a caller can build its own (translated) text.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

# Integer objectives stay exact in binary floating point below this (2**53).
EXACT_LIMIT = 2**53
UNBOUNDED = math.inf


@dataclass(frozen=True)
class Candidate:
    """A proposal that may be nominated; ``attributes`` e.g. {"group": "Umum", "region": "Papua", "3t": True}."""

    id: Hashable
    score: Decimal | float
    attributes: Mapping[str, Hashable]
    grade_score: Decimal | float | None = None


@dataclass(frozen=True)
class Quota:
    """Bounds on how many finalists have ``attributes[attribute] == value``.

    Counts and shares may be combined (the tighter bound wins). With ``group`` set, only
    finalists of that group count and shares are of that group's target. ``label`` names the
    set in messages, e.g. "3T regions".
    """

    attribute: str
    value: Hashable
    min_count: int | None = None
    max_count: int | None = None
    min_share: float | None = None
    max_share: float | None = None
    group: Hashable | None = None
    label: str | None = None

    def describe(self) -> str:
        name = self.label or f"{self.attribute} = {self.value}"
        return name if self.group is None else f"{name} (group {self.group})"


@dataclass(frozen=True)
class QuotaCheck:
    """A quota as counts, and how the plain ranking and the chosen set meet it."""

    quota: Quota
    min_count: int
    max_count: float  # math.inf when unbounded
    eligible: int
    plain: int
    chosen: int


@dataclass(frozen=True)
class Swap:
    """A difference from the plain ranking; ``plain_position`` is 1-based among eligible candidates."""

    candidate: Hashable
    score: float
    plain_position: int
    quotas: tuple[Quota, ...]
    reason: str


@dataclass(frozen=True)
class NominationResult:
    """``chosen`` and ``plain`` are ordered by score (ties in input order)."""

    chosen: tuple[Hashable, ...]
    plain: tuple[Hashable, ...]
    total_score: float
    plain_total_score: float
    swapped_in: tuple[Swap, ...]
    swapped_out: tuple[Swap, ...]
    quotas: tuple[QuotaCheck, ...]


class NominationInfeasibleError(ValueError):
    """The targets and quotas cannot all be met; ``reasons`` says why, ``quotas`` which ones."""

    def __init__(self, reasons: Sequence[str], quotas: Sequence[Quota] = ()) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = tuple(reasons)
        self.quotas = tuple(quotas)


def nominate(
    candidates: Sequence[Candidate],
    *,
    size: int | None = None,
    group_targets: Mapping[Hashable, int] | None = None,
    group_attribute: str = "group",
    quotas: Sequence[Quota] = (),
    passing_grade: float | None = None,
) -> NominationResult:
    """Choose the highest-scoring finalists that meet every target and quota (module docstring).

    Inputs: ``candidates`` with unique ids, in ranking order; exactly one of ``size`` (the
    number of finalists) or ``group_targets`` (finalists per value of ``group_attribute``;
    candidates of other groups are not eligible); ``quotas``; ``passing_grade`` (a candidate
    needs score >= grade). Output: a ``NominationResult``. Invariants: the chosen set meets
    every bound, no chosen score is below the grade, and no other such set has a higher total.
    Raises ``NominationInfeasibleError`` with precise reasons when counting shows the bounds
    cannot be met, or with the solver's verdict when only their combination fails.
    """
    if (size is None) == (group_targets is None):
        raise ValueError("give exactly one of size or group_targets")
    if len({c.id for c in candidates}) != len(candidates):
        raise ValueError("candidate ids must be unique")
    if not all(math.isfinite(float(c.score)) for c in candidates):
        raise ValueError("candidate scores must be finite numbers")
    targets = {None: size} if group_targets is None else dict(group_targets)
    if any(t is None or t < 0 for t in targets.values()):
        raise ValueError("targets must be >= 0")

    order = sorted(range(len(candidates)), key=lambda i: -_exact(candidates[i].score))  # stable: ties keep input order
    grade_ok = [
        passing_grade is None or _exact(c.score if c.grade_score is None else c.grade_score) >= _exact(passing_grade)
        for c in candidates
    ]
    groups = [c.attributes.get(group_attribute) if group_targets is not None else None for c in candidates]
    eligible = [i for i in order if grade_ok[i] and groups[i] in targets]
    position = {i: n + 1 for n, i in enumerate(eligible)}
    taken = dict.fromkeys(targets, 0)
    plain = []  # the best of each group, in score order
    for i in eligible:
        if taken[groups[i]] < targets[groups[i]]:
            taken[groups[i]] += 1
            plain.append(i)

    bounds = [_count_bounds(q, targets) for q in quotas]
    members = [[i for i in eligible if _counts_for(candidates[i], q, groups[i])] for q in quotas]
    _check_counts(candidates, eligible, groups, targets, quotas, bounds, members, passing_grade, group_targets)
    chosen = _solve(candidates, eligible, groups, targets, bounds, members, plain, quotas)

    chosen_set, plain_set = set(chosen), set(plain)
    checks = tuple(
        QuotaCheck(q, lo, hi, len(m), len(plain_set.intersection(m)), len(chosen_set.intersection(m)))
        for q, (lo, hi), m in zip(quotas, bounds, members, strict=True)
    )
    swapped_in, swapped_out = _explain_swaps(candidates, chosen_set, plain_set, groups, checks, members, position)
    return NominationResult(
        chosen=tuple(candidates[i].id for i in chosen),
        plain=tuple(candidates[i].id for i in plain),
        total_score=float(sum(_exact(candidates[i].score) for i in chosen)),
        plain_total_score=float(sum(_exact(candidates[i].score) for i in plain)),
        swapped_in=swapped_in,
        swapped_out=swapped_out,
        quotas=checks,
    )


def _count_bounds(quota: Quota, targets: Mapping[Hashable, int | None]) -> tuple[int, float]:
    """(min, max) counts of a quota; shares are of the set size or of the quota's group target."""
    if quota.group is not None and quota.group not in targets:
        raise ValueError(f"quota {quota.describe()!r} names group {quota.group!r}, which has no target")
    base = targets[quota.group] if quota.group is not None else sum(t for t in targets.values() if t)
    low, high = quota.min_count or 0, UNBOUNDED if quota.max_count is None else quota.max_count
    if quota.min_share is not None:
        low = max(low, math.ceil(quota.min_share * base - 1e-9))
    if quota.max_share is not None:
        high = min(high, math.floor(quota.max_share * base + 1e-9))
    return low, high


def _counts_for(candidate: Candidate, quota: Quota, group: Hashable) -> bool:
    in_scope = quota.group is None or group == quota.group
    return in_scope and quota.attribute in candidate.attributes and candidate.attributes[quota.attribute] == quota.value


def _check_counts(
    candidates: Sequence[Candidate],
    eligible: list[int],
    groups: list[Hashable],
    targets: Mapping[Hashable, int | None],
    quotas: Sequence[Quota],
    bounds: list[tuple[int, float]],
    members: list[list[int]],
    passing_grade: float | None,
    group_targets: Mapping[Hashable, int] | None,
) -> None:
    """Raise with precise messages for the infeasibilities that counting alone reveals."""
    reasons: list[str] = []
    culprits: list[Quota] = []
    passing = "pass" if passing_grade is None else f"pass the grade ({passing_grade:g})"
    for group, target in targets.items():
        available = sum(1 for i in eligible if groups[i] == group)
        if available < target:
            where = "" if group_targets is None else f" in group {group}"
            reasons.append(f"{target} finalists needed{where} but only {available} proposals{where} {passing}")
    for quota, (low, high), member in zip(quotas, bounds, members, strict=True):
        base = targets[quota.group] if quota.group is not None else sum(t for t in targets.values() if t)
        name = quota.describe()
        if low > high:
            reasons.append(f"at least {low} and at most {high:g} from {name} cannot both hold")
        elif low > base:
            reasons.append(f"at least {low} from {name} but only {base} places")
        elif low > len(member):
            reasons.append(f"at least {low} from {name} but only {len(member)} proposals from {name} {passing}")
        else:
            continue
        culprits.append(quota)

    # Quotas on one attribute (and group scope) partition the places: their minimums must fit,
    # and their maximums (values without a quota are limited only by supply) must fill them.
    scopes: dict[tuple[str, Hashable], list[int]] = {}
    for k, quota in enumerate(quotas):
        scopes.setdefault((quota.attribute, quota.group), []).append(k)
    for (attribute, group), ks in scopes.items():
        base = targets[group] if group is not None else sum(t for t in targets.values() if t)
        where = "" if group is None else f" in group {group}"
        by_value: dict[Hashable, tuple[int, float]] = {}
        for k in ks:
            low, high = by_value.get(quotas[k].value, (0, UNBOUNDED))
            by_value[quotas[k].value] = (max(low, bounds[k][0]), min(high, bounds[k][1]))
        total_min = sum(low for low, _ in by_value.values())
        if total_min > base:
            reasons.append(
                f"the minimums for {attribute}{where} add up to {total_min} but there are only {base} places"
            )
            culprits.extend(quotas[k] for k in ks)
        supply: dict[Hashable, int] = {}
        for i in eligible:
            if group is None or groups[i] == group:
                value = candidates[i].attributes.get(attribute)
                supply[value] = supply.get(value, 0) + 1
        room = sum(min(n, by_value.get(v, (0, UNBOUNDED))[1]) for v, n in supply.items())
        if room < base:
            reasons.append(
                f"the maximums for {attribute}{where} leave room for only {room:g} of {base} places among "
                f"the proposals that {passing}"
            )
            culprits.extend(quotas[k] for k in ks if bounds[k][1] < UNBOUNDED)
    if reasons:
        raise NominationInfeasibleError(reasons, list(dict.fromkeys(culprits)))


def _solve(
    candidates: Sequence[Candidate],
    eligible: list[int],
    groups: list[Hashable],
    targets: Mapping[Hashable, int | None],
    bounds: list[tuple[int, float]],
    members: list[list[int]],
    plain: list[int],
    quotas: Sequence[Quota],
) -> list[int]:
    """The optimal set (candidate indexes by plain position), by two lexicographic MILPs."""
    if not any(targets.values()):
        return []
    column = {i: n for n, i in enumerate(eligible)}
    rows, cols, low, high = [], [], [], []
    for group, target in targets.items():
        row = len(low)
        rows += [row] * sum(1 for i in eligible if groups[i] == group)
        cols += [column[i] for i in eligible if groups[i] == group]
        low.append(target)
        high.append(target)
    for (lo, hi), member in zip(bounds, members, strict=True):
        rows += [len(low)] * len(member)
        cols += [column[i] for i in member]
        low.append(lo)
        high.append(hi)
    n_targets = len(targets)
    matrix = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(low), len(eligible)))
    constraints = [LinearConstraint(matrix, low, high)]
    score = _integer_scores([candidates[i].score for i in eligible])
    options = {"mip_rel_gap": 0.0}
    integrality = np.ones(len(eligible))
    first = milp(-score, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1), options=options)
    if first.status == 2:  # infeasible
        binding = _minimal_infeasible(matrix, low, high, n_targets, integrality)
        named = [quotas[k] for k in binding]
        raise NominationInfeasibleError(
            [
                "the targets and quotas cannot all be met together; these quotas already conflict with the "
                f"targets (dropping any one of them makes the rest possible): {', '.join(q.describe() for q in named)}"
            ],
            named,
        )
    if first.status != 0:
        raise RuntimeError(f"nomination MILP failed: {first.message}")
    x1 = np.round(first.x)
    best = int(np.round(score @ x1))
    in_plain = np.zeros(len(eligible))
    in_plain[[column[i] for i in plain]] = 1.0
    # The totals are integers: "at least best - 0.5" is "exactly best" (best is the maximum).
    constraints.append(LinearConstraint(score[None, :], best - 0.5, np.inf))
    second = milp(-in_plain, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1), options=options)
    x = np.round(second.x) if second.status == 0 and int(np.round(score @ np.round(second.x))) == best else x1
    return [eligible[n] for n in np.flatnonzero(x == 1)]


def _exact(value: Decimal | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _integer_scores(values: Sequence[Decimal | float]) -> np.ndarray:
    """Scores times the smallest power of ten that makes them all integers (exactly)."""
    exact = [_exact(v) for v in values]
    places = max((-v.normalize().as_tuple().exponent for v in exact), default=0)
    places = max(places, 0)
    scaled = [int(v.scaleb(places)) for v in exact]
    if sum(abs(v) for v in scaled) >= EXACT_LIMIT:
        raise ValueError("scores have too many digits for an exact nomination: round them (numbers.stored) first")
    return np.array(scaled, dtype=float)


def _minimal_infeasible(matrix, low, high, n_targets: int, integrality) -> list[int]:
    """Indexes of a minimal set of quota rows that is infeasible together with the target rows."""
    matrix = sparse.csr_array(matrix)
    keep = list(range(n_targets, len(low)))

    def feasible(rows: list[int]) -> bool:
        chosen = list(range(n_targets)) + rows
        result = milp(
            np.zeros(matrix.shape[1]),
            constraints=[LinearConstraint(matrix[chosen], np.asarray(low)[chosen], np.asarray(high)[chosen])],
            integrality=integrality,
            bounds=Bounds(0, 1),
        )
        return result.status == 0

    for row in list(keep):
        trial = [r for r in keep if r != row]
        if not feasible(trial):
            keep = trial
    return [r - n_targets for r in keep]


def _explain_swaps(
    candidates: Sequence[Candidate],
    chosen: set[int],
    plain: set[int],
    groups: list[Hashable],
    checks: tuple[QuotaCheck, ...],
    members: list[list[int]],
    position: Mapping[int, int],
) -> tuple[tuple[Swap, ...], tuple[Swap, ...]]:
    """Attribute each difference from the plain ranking to the quotas the plain ranking breaks."""
    member_sets = [set(m) for m in members]
    short = [k for k, c in enumerate(checks) if c.plain < c.min_count]
    over = [k for k, c in enumerate(checks) if c.plain > c.max_count]

    def in_scope(k: int, i: int) -> bool:
        return checks[k].quota.group is None or checks[k].quota.group == groups[i]

    def swap(i: int, ks: list[int], reason: str) -> Swap:
        c = candidates[i]
        return Swap(c.id, c.score, position[i], tuple(checks[k].quota for k in ks), reason)

    def bound(k: int) -> str:
        check = checks[k]
        rule = f"at least {check.min_count}" if k in short else f"at most {check.max_count:g}"
        return f"{rule} from {check.quota.describe()} (plain ranking has {check.plain})"

    def explain(i: int, direct: list[int], indirect: list[int], direct_text: str, indirect_text: str) -> Swap:
        if direct:
            return swap(i, direct, direct_text + "; ".join(bound(k) for k in direct))
        if indirect:
            return swap(i, indirect, indirect_text + "; ".join(bound(k) for k in indirect))
        return swap(i, [], "needed for all quotas to hold together")

    swapped_in = tuple(
        explain(
            i,
            [k for k in short if i in member_sets[k]],
            [k for k in over if in_scope(k, i)],
            "brought in to meet: ",
            "next best proposal for a place freed by: ",
        )
        for i in sorted(chosen - plain, key=position.__getitem__)
    )
    swapped_out = tuple(
        explain(
            i,
            [k for k in over if i in member_sets[k]],
            [k for k in short if in_scope(k, i)],
            "left out to meet: ",
            "left out to make room for: ",
        )
        for i in sorted(plain - chosen, key=position.__getitem__)
    )
    return swapped_in, swapped_out
