from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipp.competition.domain.assignment import (
    AssignmentInfeasibleError,
    EvaluatorSpec,
    ProposalSpec,
    assign_evaluators,
    mismatch_cost,
)


def brute_force(proposals, evaluators, k, conflicts, fixed):
    """(slack, min cost) by enumerating every assignment, or None when none exists."""
    demand = k * len(proposals)
    caps = [demand if e.capacity is None else e.capacity for e in evaluators]
    options = []
    for p in proposals:
        allowed = [j for j, e in enumerate(evaluators) if (p.id, e.id) not in conflicts and caps[j] > 0]
        must = {j for j, e in enumerate(evaluators) if (p.id, e.id) in fixed}
        options.append([c for c in combinations(allowed, k) if must <= set(c)])
    if sum(caps) < demand:
        return None
    level = next(u for u in range(demand + 1) if sum(min(u, c) for c in caps) >= demand)
    costed = []
    for choice in product(*options):
        loads = [sum(j in c for c in choice) for j in range(len(evaluators))]
        if all(load <= cap for load, cap in zip(loads, caps, strict=True)):
            cost = sum(
                mismatch_cost(p.categories, evaluators[j].expertise)
                for p, c in zip(proposals, choice, strict=True)
                for j in c
            )
            costed.append((loads, cost))
    for slack in range(demand + 1):
        lows = [max(0, min(level - 1 - slack, c)) for c in caps]
        highs = [min(level + slack, c) for c in caps]
        costs = [
            cost for loads, cost in costed if all(lo <= x <= hi for lo, x, hi in zip(lows, loads, highs, strict=True))
        ]
        if costs:
            return slack, min(costs)
    return None


def check_invariants(result, proposals, evaluators, k, conflicts, fixed):
    caps = {e.id: e.capacity for e in evaluators}
    loads = dict.fromkeys(caps, 0)
    for p in proposals:
        chosen = result.assignment[p.id]
        assert len(chosen) == len(set(chosen)) == k
        for e in chosen:
            assert (p.id, e) not in conflicts
            loads[e] += 1
    assert all(pair[1] in result.assignment[pair[0]] for pair in fixed)
    assert loads == result.loads
    assert all(caps[e] is None or loads[e] <= caps[e] for e in loads)
    assert result.total_cost == pytest.approx(result.optimal_cost, abs=1e-6)


@st.composite
def tiny_instances(draw):
    n_p, n_e, k = draw(st.integers(1, 4)), draw(st.integers(2, 4)), draw(st.integers(1, 2))
    proposals = [ProposalSpec(f"p{i}", frozenset(draw(st.sets(st.integers(0, 2), max_size=2)))) for i in range(n_p)]
    evaluators = [
        EvaluatorSpec(f"e{j}", draw(st.none() | st.integers(0, 4)), frozenset(draw(st.sets(st.integers(0, 2)))))
        for j in range(n_e)
    ]
    pairs = [(p.id, e.id) for p in proposals for e in evaluators]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=3)))
    fixed = set(draw(st.lists(st.sampled_from(pairs), max_size=2)))
    return proposals, evaluators, k, conflicts, fixed


@settings(max_examples=150, deadline=None)
@given(tiny_instances())
def test_assign_evaluators_matches_brute_force(instance):
    proposals, evaluators, k, conflicts, fixed = instance
    expected = brute_force(*instance)
    if expected is None:
        with pytest.raises(AssignmentInfeasibleError):
            assign_evaluators(proposals, evaluators, k=k, conflicts=conflicts, fixed=fixed)
        return
    result = assign_evaluators(proposals, evaluators, k=k, conflicts=conflicts, fixed=fixed)
    check_invariants(result, proposals, evaluators, k, conflicts, fixed)
    assert result.balance_slack == expected[0]
    assert result.total_cost == pytest.approx(expected[1], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_assign_evaluators_never_breaks_conflict_and_balances_loads(data):
    n_p, n_e = data.draw(st.integers(5, 40)), data.draw(st.integers(4, 10))
    proposals = [ProposalSpec(i, frozenset({data.draw(st.integers(0, 3))})) for i in range(n_p)]
    evaluators = [EvaluatorSpec(j, None, frozenset({j % 4})) for j in range(n_e)]
    # Each evaluator conflicts with a block of proposals, like a home province.
    conflicts = {(i, j) for i in range(n_p) for j in range(n_e) if i % n_e == j}
    result = assign_evaluators(proposals, evaluators, k=3, conflicts=conflicts)
    check_invariants(result, proposals, evaluators, 3, conflicts, set())
    assert result.balance_slack == 0
    assert result.max_load - result.min_load <= 1


def test_assign_evaluators_prefers_matching_expertise():
    proposals = [ProposalSpec("health", frozenset({"health"})), ProposalSpec("school", frozenset({"education"}))]
    evaluators = [
        EvaluatorSpec("doctor", expertise=frozenset({"health"})),
        EvaluatorSpec("teacher", expertise=frozenset({"education"})),
    ]
    result = assign_evaluators(proposals, evaluators, k=1)
    assert result.assignment == {"health": ("doctor",), "school": ("teacher",)}
    assert result.total_cost == result.optimal_cost == 0
    assert result.pair_costs == {("health", "doctor"): 0.0, ("school", "teacher"): 0.0}


def test_assign_evaluators_fills_small_capacity_and_balances_the_rest():
    proposals = [ProposalSpec(i) for i in range(10)]
    evaluators = [EvaluatorSpec("part-time", capacity=2)] + [EvaluatorSpec(f"e{j}") for j in range(4)]
    result = assign_evaluators(proposals, evaluators, k=2)
    assert result.loads["part-time"] == 2
    assert sorted(result.loads[f"e{j}"] for j in range(4)) == [4, 4, 5, 5]
    assert result.balance_slack == 0


def test_assign_evaluators_widens_band_when_conflicts_force_it():
    proposals = [ProposalSpec(i) for i in range(6)]
    evaluators = [EvaluatorSpec(e) for e in "abc"]
    conflicts = {(i, "c") for i in range(6)}  # c may review nothing, so a and b take everything
    result = assign_evaluators(proposals, evaluators, k=1, conflicts=conflicts)
    assert result.loads == {"a": 3, "b": 3, "c": 0}
    assert result.balance_slack == 1


def test_assign_evaluators_keeps_fixed_pairs():
    proposals = [ProposalSpec(i, frozenset({"x"})) for i in range(4)]
    evaluators = [EvaluatorSpec("expert", expertise=frozenset({"x"})), EvaluatorSpec("novice")]
    result = assign_evaluators(proposals, evaluators, k=1, fixed={(0, "novice")})
    assert result.assignment[0] == ("novice",)
    assert result.total_cost == result.optimal_cost == 2.0  # balance gives the novice a second proposal


def test_assign_evaluators_proposal_with_too_few_evaluators_is_listed():
    proposals = [ProposalSpec("ok"), ProposalSpec("stuck")]
    evaluators = [EvaluatorSpec(e) for e in "abc"]
    with pytest.raises(AssignmentInfeasibleError, match="proposal 'stuck' has only 1 eligible evaluators") as caught:
        assign_evaluators(proposals, evaluators, k=2, conflicts={("stuck", "a"), ("stuck", "b")})
    assert caught.value.proposals == ("stuck",)


def test_assign_evaluators_short_capacity_raises():
    proposals = [ProposalSpec(i) for i in range(5)]
    evaluators = [EvaluatorSpec(e, capacity=3) for e in "abc"]
    with pytest.raises(AssignmentInfeasibleError, match="need 10 but the evaluators' capacities add up to only 9"):
        assign_evaluators(proposals, evaluators, k=2)


def test_assign_evaluators_fixed_conflict_raises():
    with pytest.raises(AssignmentInfeasibleError, match="conflict of interest") as caught:
        assign_evaluators(
            [ProposalSpec("p")],
            [EvaluatorSpec("a"), EvaluatorSpec("b")],
            k=1,
            conflicts={("p", "a")},
            fixed={("p", "a")},
        )
    assert caught.value.proposals == ("p",)


def test_assign_evaluators_fixed_over_capacity_raises():
    with pytest.raises(AssignmentInfeasibleError, match="evaluator 'a' has 2 fixed assignments but capacity 1"):
        assign_evaluators(
            [ProposalSpec("p"), ProposalSpec("q")],
            [EvaluatorSpec("a", 1), EvaluatorSpec("b")],
            k=1,
            fixed={("p", "a"), ("q", "a")},
        )


def test_assign_evaluators_shared_shortage_names_the_binding_proposals_and_evaluators():
    # Each proposal has two eligible evaluators and capacity suffices overall, but the three
    # proposals share a and b, which hold only two places.
    proposals = [ProposalSpec(i) for i in range(3)]
    evaluators = [EvaluatorSpec("a", 1), EvaluatorSpec("b", 1), EvaluatorSpec("c", 5)]
    with pytest.raises(AssignmentInfeasibleError) as caught:
        assign_evaluators(proposals, evaluators, k=1, conflicts={(i, "c") for i in range(3)})
    assert caught.value.proposals == (0, 1, 2)
    assert caught.value.evaluators == ("a", "b")
    assert caught.value.reasons == (
        "proposals 0, 1, 2 need 3 more reviews together, but the only evaluators without a conflict with them "
        "('a', 'b') have 2 places left",
    )


def test_infeasibility_names_the_binding_proposals_not_the_fewest_eligible():
    """Finding 9: the message listed the proposals with the fewest eligible evaluators, which were not the
    ones that made the instance infeasible. Here "free" has a single eligible evaluator (with room), while
    x, y, z share a and b (one place each)."""
    proposals = [ProposalSpec("free"), ProposalSpec("x"), ProposalSpec("y"), ProposalSpec("z")]
    evaluators = [EvaluatorSpec("a", 1), EvaluatorSpec("b", 1), EvaluatorSpec("c", 5), EvaluatorSpec("d", 5)]
    conflicts = {(p, e) for p in "xyz" for e in "cd"} | {("free", e) for e in "abc"}
    with pytest.raises(AssignmentInfeasibleError) as caught:
        assign_evaluators(proposals, evaluators, k=1, conflicts=conflicts)
    assert caught.value.proposals == ("x", "y", "z")
    assert caught.value.evaluators == ("a", "b")


def test_no_evaluator_idle_when_work_exists_for_them():
    """Finding 11: conflicts force "a" to take 4 proposals, so the band widens to [0, 4] and the cheapest
    assignment gave b two expert matches and left the novice idle; one proposal to the novice (cost +1)
    keeps every load within the band."""
    proposals = [ProposalSpec(i, frozenset({"x"})) for i in range(7)]
    evaluators = [EvaluatorSpec(e, expertise=frozenset({"x"})) for e in "abc"] + [EvaluatorSpec("novice")]
    conflicts = {(i, e) for i in range(4) for e in ("b", "c", "novice")} | {(i, "a") for i in range(4, 7)}
    result = assign_evaluators(proposals, evaluators, k=1, conflicts=conflicts)
    assert result.loads == {"a": 4, "b": 1, "c": 1, "novice": 1}
    assert result.total_cost == 1.0
    assert result.idle == {}


def test_idle_evaluator_is_named_with_the_reason():
    proposals = [ProposalSpec(i) for i in range(2)]
    evaluators = [EvaluatorSpec("a"), EvaluatorSpec("b"), EvaluatorSpec("blocked")]
    result = assign_evaluators(proposals, evaluators, k=1, conflicts={(0, "blocked"), (1, "blocked")})
    assert result.idle == {"blocked": "a conflict of interest with every proposal"}


def test_assign_evaluators_is_deterministic():
    proposals = [ProposalSpec(i, frozenset({i % 3})) for i in range(30)]
    evaluators = [EvaluatorSpec(j, None, frozenset({j % 3})) for j in range(7)]
    conflicts = {(i, i % 7) for i in range(30)}
    first = assign_evaluators(proposals, evaluators, conflicts=conflicts)
    assert assign_evaluators(proposals, evaluators, conflicts=conflicts) == first


def test_assign_evaluators_duplicate_ids_raise():
    with pytest.raises(ValueError, match="unique"):
        assign_evaluators([ProposalSpec(1), ProposalSpec(1)], [EvaluatorSpec("a")], k=1)


def test_mismatch_cost_is_share_of_uncovered_categories():
    assert mismatch_cost({"a", "b"}, {"a"}) == 0.5
    assert mismatch_cost({"a"}, {"a", "z"}) == 0.0
    assert mismatch_cost({"a"}, set()) == 1.0
    assert mismatch_cost(set(), {"a"}) == 0.0


def test_assign_evaluators_no_proposals_gives_empty_result():
    result = assign_evaluators([], [EvaluatorSpec("a")])
    assert (result.assignment, result.loads, result.total_cost) == ({}, {"a": 0}, 0.0)
