"""Assign each proposal to k evaluators: an exact min-cost transportation problem.

Pure domain code: no Django, no clock.

Model. One variable x[p, e] in [0, 1] per proposal p and evaluator e that is not in conflict
and has capacity; already-made (fixed) pairs are kept as they are and count towards loads.

- every proposal gets exactly ``k`` distinct evaluators: sum_e x[p, e] = k;
- every evaluator's load stays within a band: lo[e] <= sum_p x[p, e] <= hi[e];
- minimise the summed mismatch cost (``mismatch_cost``: the share of the proposal's categories
  outside the evaluator's expertise, 0 = full match, 1 = none).

The constraint matrix is that of a bipartite transportation problem (totally unimodular) and
the right-hand sides are integers, so a basic optimal solution of the LP, which HiGHS returns,
is integral: the LP optimum *is* the proven optimum over all integer assignments. The result
reports both that bound and the cost of the assignment actually returned; they are equal.

Balance. With demand D = k x proposals the band is the "water level": U is the smallest load
with sum_e min(U, capacity_e) >= D, and each evaluator gets between min(U - 1, capacity) and
min(U, capacity). So evaluators with room differ by at most one, and evaluators whose capacity
is below the level are filled up. If conflicts or fixed pairs make that band infeasible, the
band is widened symmetrically by the smallest ``balance_slack`` w (found by bisection) that
makes it feasible: [U - 1 - w, U + w], still capped by capacity.

No idle evaluator when work exists: when the band's floor falls to 0, every evaluator with at
least one eligible proposal is given a floor of 1 if some assignment within the band's ceiling
(or, failing that, a ceiling raised step by step up to the widest band) allows it, even at a
higher cost. An evaluator still idle is named in ``idle`` with the reason.

Infeasibility is explained from a minimum cut of the flow network source -> proposals (k
reviews each, minus fixed ones) -> evaluators (eligible pairs) -> sink (capacity): the
proposals on the source side of the cut need more reviews than the evaluators they can reach
have places left, and both sets are named.
"""

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow

# An LP value this close to an integer is that integer (HiGHS feasibility tolerance is 1e-7).
INTEGRALITY_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ProposalSpec:
    id: Hashable
    categories: frozenset[Hashable] = frozenset()


@dataclass(frozen=True)
class EvaluatorSpec:
    """``capacity`` is the most proposals this evaluator may get; None means no limit."""

    id: Hashable
    capacity: int | None = None
    expertise: frozenset[Hashable] = frozenset()


@dataclass(frozen=True)
class AssignmentResult:
    """An optimal assignment.

    ``assignment`` maps every proposal to its k evaluators (in the input order of evaluators);
    ``total_cost`` is the cost of that assignment and ``optimal_cost`` the LP optimum, the
    proven lower bound for every assignment within the same load band (they are equal).
    ``loads`` covers every evaluator; ``min_load``/``max_load`` are over evaluators with a
    positive capacity. ``balance_slack`` is 0 when the water-level band held (see module doc).
    """

    assignment: dict[Hashable, tuple[Hashable, ...]]
    total_cost: float
    optimal_cost: float
    loads: dict[Hashable, int]
    min_load: int
    max_load: int
    balance_slack: int
    pair_costs: dict[tuple[Hashable, Hashable], float] = field(repr=False)
    idle: dict[Hashable, str] = field(default_factory=dict)


class AssignmentInfeasibleError(ValueError):
    """No assignment meets the rules; ``proposals`` lists the offending proposals (if known)."""

    def __init__(
        self, reasons: Sequence[str], proposals: Sequence[Hashable] = (), evaluators: Sequence[Hashable] = ()
    ) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = tuple(reasons)
        self.proposals = tuple(proposals)
        self.evaluators = tuple(evaluators)


def mismatch_cost(categories: Collection[Hashable], expertise: Collection[Hashable]) -> float:
    """Share of ``categories`` not in ``expertise``: 0.0 (all covered) .. 1.0 (none); 0.0 without categories."""
    if not categories:
        return 0.0
    return 1.0 - len(set(categories) & set(expertise)) / len(set(categories))


def assign_evaluators(
    proposals: Sequence[ProposalSpec],
    evaluators: Sequence[EvaluatorSpec],
    *,
    k: int = 3,
    conflicts: Collection[tuple[Hashable, Hashable]] = (),
    fixed: Collection[tuple[Hashable, Hashable]] = (),
) -> AssignmentResult:
    """Assign every proposal to ``k`` evaluators at minimum total mismatch cost, loads balanced.

    Inputs: ``proposals`` and ``evaluators`` with unique ids; ``conflicts`` and ``fixed`` are
    (proposal id, evaluator id) pairs. Conflicts naming unknown ids are ignored (a conflict
    list may cover more than this batch); fixed pairs must name known ids, must not be in
    conflict and are always kept.
    Output: an ``AssignmentResult``. Invariants: no conflicted pair; each proposal has exactly
    k distinct evaluators including its fixed ones; no load above capacity; loads within the
    narrowest feasible band (module doc); cost minimal within that band.
    Raises ``AssignmentInfeasibleError`` listing the offending proposals when a proposal has
    fewer than k eligible evaluators, capacity is short, or fixed pairs break a rule.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    p_ids = [p.id for p in proposals]
    e_ids = [e.id for e in evaluators]
    if len(set(p_ids)) != len(p_ids) or len(set(e_ids)) != len(e_ids):
        raise ValueError("proposal ids and evaluator ids must be unique")
    p_index = {pid: i for i, pid in enumerate(p_ids)}
    e_index = {eid: j for j, eid in enumerate(e_ids)}
    n_p, n_e = len(p_ids), len(e_ids)
    demand = k * n_p
    capacity = np.array([demand if e.capacity is None else e.capacity for e in evaluators], dtype=np.int64)
    if np.any(capacity < 0):
        raise ValueError("capacities must be >= 0")
    if not proposals:
        loads = dict.fromkeys(e_ids, 0)
        return AssignmentResult({}, 0.0, 0.0, loads, 0, 0, 0, {})

    conflict = np.zeros((n_p, n_e), dtype=bool)
    for pid, eid in conflicts:
        if pid in p_index and eid in e_index:
            conflict[p_index[pid], e_index[eid]] = True
    is_fixed = _fixed_matrix(fixed, p_index, e_index, conflict, k)
    eligible = ~conflict & (capacity > 0)[None, :]
    _check_counts(p_ids, e_ids, eligible, is_fixed, capacity, k)

    cost = _cost_matrix(proposals, evaluators)
    problem = _Problem.build(cost, eligible, is_fixed, capacity, k)
    level = _water_level(capacity, demand)
    widest = max(level, int(capacity.max(initial=0)) - level)
    solution = problem.solve(level, 0)
    slack = 0
    if solution is None:
        solution = problem.solve(level, widest)
        if solution is None:
            raise _cut_explanation(p_ids, e_ids, eligible, is_fixed, capacity, k)
        low, slack = 0, widest  # infeasible at low, feasible (with ``solution``) at slack
        while slack - low > 1:
            mid = (low + slack) // 2
            attempt = problem.solve(level, mid)
            if attempt is None:
                low = mid
            else:
                slack, solution = mid, attempt
    active = capacity > 0
    can_work = active & eligible.any(axis=0)
    floor = np.clip(np.minimum(level - 1 - slack, capacity), 0, None)
    if np.any(can_work & (floor < 1)) and np.any(can_work & (solution[0].sum(axis=0) == 0)):
        wanted = np.where(can_work, np.maximum(floor, 1), floor)
        for ceiling in range(level + slack, level + widest + 1) if wanted.sum() <= demand else ():
            try:
                attempt = problem.solve(level, slack, low=wanted, ceiling=ceiling)
            except RuntimeError:  # HiGHS may report a solve error instead of infeasibility
                attempt = None
            if attempt is not None:
                solution = attempt
                break
    y, optimal_cost = solution
    chosen = problem.split(y, n_p)

    loads_arr = chosen.sum(axis=0)
    idle = {}
    for j in np.flatnonzero(loads_arr == 0):
        if not active[j]:
            idle[e_ids[j]] = "no capacity"
        elif not eligible[:, j].any():
            idle[e_ids[j]] = "a conflict of interest with every proposal"
        else:
            idle[e_ids[j]] = "no assignment within the load band gives them a proposal"
    pairs = np.argwhere(chosen)  # row-major: grouped by proposal, evaluators in input order
    assignment: dict[Hashable, list[Hashable]] = {pid: [] for pid in p_ids}
    pair_costs = {}
    for i, j in pairs.tolist():
        assignment[p_ids[i]].append(e_ids[j])
        pair_costs[(p_ids[i], e_ids[j])] = float(cost[i, j])
    return AssignmentResult(
        assignment={pid: tuple(es) for pid, es in assignment.items()},
        total_cost=float(cost[chosen].sum()),
        optimal_cost=optimal_cost,
        loads={eid: int(loads_arr[j]) for j, eid in enumerate(e_ids)},
        min_load=int(loads_arr[active].min()) if active.any() else 0,
        max_load=int(loads_arr[active].max(initial=0)),
        balance_slack=slack,
        pair_costs=pair_costs,
        idle=idle,
    )


def _fixed_matrix(
    fixed: Collection[tuple[Hashable, Hashable]],
    p_index: dict[Hashable, int],
    e_index: dict[Hashable, int],
    conflict: np.ndarray,
    k: int,
) -> np.ndarray:
    """Boolean matrix of the fixed pairs, after checking they name known ids and break no rule."""
    is_fixed = np.zeros_like(conflict)
    unknown = [pair for pair in fixed if pair[0] not in p_index or pair[1] not in e_index]
    if unknown:
        raise ValueError(f"fixed assignments name unknown proposals or evaluators: {unknown}")
    for pid, eid in fixed:
        is_fixed[p_index[pid], e_index[eid]] = True
    in_conflict = [(pid, eid) for pid, eid in fixed if conflict[p_index[pid], e_index[eid]]]
    if in_conflict:
        raise AssignmentInfeasibleError(
            [
                f"fixed assignment of proposal {pid!r} to evaluator {eid!r} is a conflict of interest"
                for pid, eid in in_conflict
            ],
            list(dict.fromkeys(pid for pid, _ in in_conflict)),
        )
    over = np.flatnonzero(is_fixed.sum(axis=1) > k)
    if over.size:
        p_ids = list(p_index)
        raise AssignmentInfeasibleError(
            [f"proposal {p_ids[i]!r} has more than {k} fixed evaluators" for i in over], [p_ids[i] for i in over]
        )
    return is_fixed


def _check_counts(
    p_ids: list[Hashable],
    e_ids: list[Hashable],
    eligible: np.ndarray,
    is_fixed: np.ndarray,
    capacity: np.ndarray,
    k: int,
) -> None:
    """Raise with precise reasons for the infeasibilities that simple counting reveals."""
    reasons, offending = [], []
    n_eligible = eligible.sum(axis=1)
    for i in np.flatnonzero(n_eligible < k):
        reasons.append(
            f"proposal {p_ids[i]!r} has only {n_eligible[i]} eligible evaluators (no conflict, capacity > 0), needs {k}"
        )
        offending.append(p_ids[i])
    fixed_load = is_fixed.sum(axis=0)
    for j in np.flatnonzero(fixed_load > capacity):
        reasons.append(f"evaluator {e_ids[j]!r} has {fixed_load[j]} fixed assignments but capacity {capacity[j]}")
    demand, total_capacity = k * len(p_ids), int(capacity.sum())
    if total_capacity < demand:
        reasons.append(
            f"{len(p_ids)} proposals x {k} reviews need {demand} but the evaluators' capacities add up to "
            f"only {total_capacity}"
        )
    if reasons:
        raise AssignmentInfeasibleError(reasons, offending)


def _cost_matrix(proposals: Sequence[ProposalSpec], evaluators: Sequence[EvaluatorSpec]) -> np.ndarray:
    """``mismatch_cost`` for every pair, vectorised through category incidence matrices."""
    categories = list(dict.fromkeys(c for p in proposals for c in p.categories))
    c_index = {c: i for i, c in enumerate(categories)}
    prop_cat = np.zeros((len(proposals), len(categories)))
    for i, p in enumerate(proposals):
        prop_cat[i, [c_index[c] for c in p.categories]] = 1.0
    eval_cat = np.zeros((len(evaluators), len(categories)))
    for j, e in enumerate(evaluators):
        eval_cat[j, [c_index[c] for c in e.expertise if c in c_index]] = 1.0
    n_categories = prop_cat.sum(axis=1, keepdims=True)
    overlap = prop_cat @ eval_cat.T
    return np.where(n_categories > 0, 1.0 - overlap / np.maximum(n_categories, 1.0), 0.0)


def _water_level(capacity: np.ndarray, demand: int) -> int:
    """Smallest U with sum(min(U, capacity)) >= demand (capacity is known to suffice)."""
    low, high = 0, max(demand, 1)
    while low < high:
        mid = (low + high) // 2
        if np.minimum(mid, capacity).sum() >= demand:
            high = mid
        else:
            low = mid + 1
    return low


def _cut_explanation(
    p_ids: list[Hashable],
    e_ids: list[Hashable],
    eligible: np.ndarray,
    is_fixed: np.ndarray,
    capacity: np.ndarray,
    k: int,
) -> AssignmentInfeasibleError:
    """The binding proposals and evaluators, from a minimum cut of the assignment's flow network."""
    n_p, n_e = eligible.shape
    source, sink = 0, 1 + n_p + n_e
    need = k - is_fixed.sum(axis=1)
    room = np.maximum(capacity - is_fixed.sum(axis=0), 0)
    free = eligible & ~is_fixed
    rows, cols, caps = [], [], []
    for i in range(n_p):
        rows.append(source), cols.append(1 + i), caps.append(int(need[i]))
    for i, j in np.argwhere(free).tolist():
        rows.append(1 + i), cols.append(1 + n_p + j), caps.append(1)
    for j in range(n_e):
        rows.append(1 + n_p + j), cols.append(sink), caps.append(int(min(room[j], n_p)))
    graph = sparse.csr_array(
        (np.array(caps, dtype=np.int32), (np.array(rows), np.array(cols))), shape=(sink + 1, sink + 1)
    )
    graph = sparse.csr_matrix(graph)
    flow = maximum_flow(graph, source, sink).flow
    residual = (graph - flow).tocsr()
    # Nodes reachable from the source in the residual graph form the source side of a minimum cut.
    seen = {source}
    stack = [source]
    while stack:
        node = stack.pop()
        row = residual.getrow(node)
        for nxt, cap in zip(row.indices.tolist(), row.data.tolist(), strict=True):
            if cap > 0 and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    proposals = [p_ids[i] for i in range(n_p) if 1 + i in seen and need[i] > 0]
    evaluators = [e_ids[j] for j in range(n_e) if 1 + n_p + j in seen]
    needed = int(sum(need[i] for i in range(n_p) if 1 + i in seen))
    places = int(sum(min(room[j], n_p) for j in range(n_e) if 1 + n_p + j in seen))
    reason = (
        f"proposals {', '.join(map(repr, proposals))} need {needed} more reviews together, but the only "
        f"evaluators without a conflict with them ({', '.join(map(repr, evaluators)) or 'none'}) have "
        f"{places} places left"
    )
    return AssignmentInfeasibleError([reason], proposals, evaluators)


@dataclass(frozen=True)
class _Problem:
    """The LP over proposal *types*: proposals with identical costs, eligibility and no fixed pair.

    Interchangeable proposals are merged so the LP has one variable per (type, evaluator),
    y in [0, n_type], instead of one per (proposal, evaluator): a few hundred types instead of
    2,300 proposals, and a solve in a fraction of a second. The merged LP is still a
    transportation problem (integral), has the same optimum, and any integral y splits back
    into proposals with k *distinct* evaluators each (``split``). Proposals with fixed pairs
    stay alone in their type, with the fixed pairs as lower bounds.
    """

    cost: np.ndarray  # types x evaluators
    eligible: np.ndarray
    fixed: np.ndarray
    members: list[np.ndarray]  # proposal indexes of each type, ascending
    capacity: np.ndarray
    k: int

    @classmethod
    def build(
        cls, cost: np.ndarray, eligible: np.ndarray, is_fixed: np.ndarray, capacity: np.ndarray, k: int
    ) -> "_Problem":
        has_fixed = is_fixed.any(axis=1)
        # -1 marks ineligible pairs; the last column gives each proposal with fixed pairs a type of its own.
        key = np.column_stack((np.where(eligible, cost, -1.0), np.where(has_fixed, np.arange(len(cost)) + 1, 0)))
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        order = np.argsort(inverse, kind="stable")
        members = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
        return cls(cost[first], eligible[first], is_fixed[first], members, capacity, k)

    def solve(
        self, level: int, slack: int, low: np.ndarray | None = None, ceiling: int | None = None
    ) -> tuple[np.ndarray, float] | None:
        """Integral y (types x evaluators) and LP optimum for load band [level-1-slack, level+slack], or None.

        ``low`` replaces the band's floor per evaluator and ``ceiling`` its top, when given."""
        if low is None:
            low = np.clip(np.minimum(level - 1 - slack, self.capacity), 0, None)
        high = np.minimum(level + slack if ceiling is None else ceiling, self.capacity)
        rows, cols = np.nonzero(self.eligible)
        n_var, (n_types, n_e) = rows.size, self.cost.shape
        size = np.array([len(m) for m in self.members])
        var = np.arange(n_var)
        per_type = sparse.csr_array((np.ones(n_var), (rows, var)), shape=(n_types, n_var))
        per_evaluator = sparse.csr_array((np.ones(n_var), (cols, var)), shape=(n_e, n_var))
        problem = {
            "c": self.cost[rows, cols],
            "A_ub": sparse.vstack([per_evaluator, -per_evaluator]),
            "b_ub": np.concatenate([high, -low]),
            "A_eq": per_type,
            "b_eq": self.k * size,
            "bounds": np.column_stack([self.fixed[rows, cols], size[rows]]),
        }
        # Interior point, then crossover to a vertex: the LP is highly degenerate (few distinct
        # costs) and dual simplex crawls on it at national scale, while IPM takes seconds.
        result = linprog(**problem, method="highs-ipm")
        if result.status == 2:  # infeasible
            return None
        if result.status != 0:
            raise RuntimeError(f"assignment LP failed: {result.message}")
        if np.max(np.abs(result.x - np.round(result.x)), initial=0.0) > INTEGRALITY_TOLERANCE:
            # Total unimodularity makes every vertex integral; this only guards against a
            # crossover that stopped short of a vertex, by re-solving with simplex (always a vertex).
            result = linprog(**problem, method="highs-ds")
        y = np.zeros((n_types, n_e), dtype=np.int64)
        y[rows, cols] = np.round(result.x).astype(np.int64)
        return y, float(result.fun)

    def split(self, y: np.ndarray, n_proposals: int) -> np.ndarray:
        """Proposal x evaluator 0/1 matrix from type counts y.

        Within a type of n proposals, write each evaluator y[t, e] <= n times in a row and
        deal the sequence round-robin: a run of at most n consecutive positions hits n
        different proposals, so no proposal gets the same evaluator twice, and each gets k.
        """
        chosen = np.zeros((n_proposals, y.shape[1]), dtype=bool)
        for t, members in enumerate(self.members):
            sequence = np.repeat(np.arange(y.shape[1]), y[t])
            chosen[members[np.arange(sequence.size) % len(members)], sequence] = True
        return chosen
