from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jipp.competition.domain.normalisation import (
    Method,
    NormalisationRule,
    Review,
    aggregate,
    explain_proposal,
    position,
    rankability,
)
from jipp.competition.domain.numbers import stored

D = Decimal


def reviews_of(table):
    """table: {evaluator: {proposal: total}}"""
    return [Review(p, e, t) for e, row in table.items() for p, t in row.items()]


def test_aggregate_three_reviews_hand_checked():
    agg = aggregate([Review("p", "a", 70), Review("p", "b", 80), Review("p", "c", 90)])
    p = agg.proposals["p"]
    assert (p.mean, p.median, p.trimmed_mean, p.spread) == (D(80), D(80), D(80), D(20))
    assert p.std == D("8.164966")
    assert p.disagreement is False  # 20 is not above the threshold 20


def test_trimmed_mean_five_reviews_cuts_one_each_side():
    agg = aggregate([Review("p", e, t) for e, t in zip("abcde", (10, 60, 70, 80, 100), strict=True)])
    assert agg.proposals["p"].trimmed_mean == D(70)


def test_median_even_count_averages_middle_pair():
    agg = aggregate([Review("p", e, t) for e, t in zip("abcd", (10, 60, 70, 100), strict=True)])
    assert agg.proposals["p"].median == D(65)


def test_finding_2_flat_evaluator_does_not_turn_half_a_point_into_two_spreads():
    """Finding 2: 80, 80, 80, 80, 80.56 made z = +2 and a score of 94.8, above a proposal scored 90, 88, 92."""
    table = {"flat": {f"f{i}": t for i, t in enumerate(("80", "80", "80", "80", "80.56"))}}
    for e, own in zip("abc", ("90", "88", "92"), strict=True):
        table[e] = {"good": own} | {f"{e}{i}": 60 + 5 * i for i in range(4)}
    agg = aggregate(reviews_of(table), min_reviews=5, min_spread=5)
    flat = agg.evaluators["flat"]
    assert (flat.std, flat.scale, flat.floored) == (D("0.224000"), D(5), True)
    assert agg.proposals["f4"].mean_z == D("0.089600")
    ranking = agg.rankings[Method.ZSCORE_MEAN]
    assert ranking.index("good") < ranking.index("f4")
    assert agg.proposals["good"].zscore_mean > agg.proposals["f4"].zscore_mean


def test_finding_3_evaluators_below_the_minimum_are_standardised_with_the_pool_not_kept_raw():
    """Finding 3: evaluators with fewer than 5 reviews kept raw totals beside standard scores; in the small
    demo nobody had 5 reviews, so the "standardised" method silently was the raw mean."""
    table = {"a": {"p1": 90, "p2": 70}, "b": {"p1": 60, "p3": 40}}
    agg = aggregate(reviews_of(table), min_reviews=5, min_spread=1)
    assert {e.rule for e in agg.evaluators.values()} == {NormalisationRule.POOLED}
    assert (agg.pooled_mean, agg.pooled_std) == (D(65), D("18.027756"))
    assert agg.not_standardised_alone == 2
    z = {r.evaluator: r.z for r in agg.reviews["p1"]}
    assert z == {"a": D("1.386750"), "b": D("-0.277350")}
    assert agg.proposals["p1"].zscore_mean != agg.proposals["p1"].mean  # a position, not raw points


def test_shifting_one_standardised_evaluator_leaves_the_order_of_the_others():
    """Finding 3 instance: shifting evaluator A's scores changed the order of B's proposals."""
    base = {
        "A": {f"a{i}": 50 + 7 * i for i in range(5)} | {"shared": 61},
        "B": {f"b{i}": 40 + 9 * i for i in range(5)} | {"shared": 80},
        "few": {"b1": 95, "a2": 30},
    }
    shifted = {**base, "A": {p: t + 25 for p, t in base["A"].items()}}
    before = aggregate(reviews_of(base), min_reviews=5).rankings[Method.ZSCORE_MEAN]
    after = aggregate(reviews_of(shifted), min_reviews=5).rankings[Method.ZSCORE_MEAN]
    assert before == after


def test_position_is_the_documented_zero_to_hundred_scale():
    assert position(D(0)) == D(50)
    assert position(D(1)) == D("84.134475")
    assert position(D(-1)) == D("15.865525")


def test_ranking_ties_break_by_mean_then_spread_then_id():
    agg = aggregate(
        [Review("x", "a", 50), Review("x", "b", 70), Review("y", "a", 60), Review("y", "b", 60), Review("z", "a", 60)]
    )
    assert agg.rankings[Method.MEAN] == ("y", "z", "x")


def test_explain_proposal_formulae_use_stored_values():
    agg = aggregate([Review("p", "a", 70), Review("p", "b", "80.5"), Review("q", "a", 90)], min_spread=1)
    explanation = explain_proposal(agg, "p")
    assert explanation.formulae[Method.MEAN] == "(70.00 + 80.50) / 2 = 75.25"
    assert stored(sum(r.z for r in explanation.reviews) / 2) == agg.proposals["p"].mean_z


def test_aggregate_empty_input_gives_empty_result():
    agg = aggregate([])
    assert (dict(agg.proposals), agg.rankings[Method.MEAN]) == ({}, ())


@pytest.mark.parametrize(
    "kwargs", [{"trim_proportion": 0.5}, {"min_reviews": 0}, {"min_spread": 0}, {"min_spread": -1}]
)
def test_aggregate_bad_parameters_raise(kwargs):
    with pytest.raises(ValueError):
        aggregate([Review("p", "a", 1)], **kwargs)


def test_aggregate_duplicate_review_raises():
    with pytest.raises(ValueError, match="twice"):
        aggregate([Review("p", "a", 1), Review("p", "a", 2)])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc"])
def test_aggregate_non_finite_total_raises(bad):
    with pytest.raises(ValueError):
        aggregate([Review("p", "a", bad)])


def test_rankability_counts_missing_reviews():
    assert rankability(3, 3) == rankability(4, 3)
    assert rankability(3, 3).rankable is True
    assert (rankability(1, 3).rankable, rankability(1, 3).missing) == (False, 2)
    assert (rankability(0, 3).rankable, rankability(0, 3).missing) == (False, 3)


totals = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def pools(draw):
    """Evaluators with 1..8 reviews over up to 10 proposals (some below and some above the minimum)."""
    n_evaluators = draw(st.integers(min_value=2, max_value=5))
    table = {}
    for e in range(n_evaluators):
        proposals = draw(st.sets(st.integers(min_value=0, max_value=9), min_size=1, max_size=8))
        table[f"e{e}"] = {p: draw(totals) for p in proposals}
    return table


@given(pools(), st.integers(min_value=1, max_value=6), st.decimals(min_value=D("0.5"), max_value=20, places=1))
def test_no_nan_or_infinity_even_for_flat_scorers(table, min_reviews, min_spread):
    table["flat"] = dict.fromkeys(range(6), D(80))
    agg = aggregate(reviews_of(table), min_reviews=min_reviews, min_spread=min_spread)
    for p in agg.proposals.values():
        for value in (p.mean, p.median, p.trimmed_mean, p.mean_z, p.zscore_mean, p.std, p.spread):
            assert value.is_finite()
        assert D(0) <= p.zscore_mean <= D(100)
        assert min(r.total for r in agg.reviews[p.proposal]) <= p.mean <= max(r.total for r in agg.reviews[p.proposal])
    for method in Method:
        assert sorted(agg.rankings[method]) == sorted(agg.proposals)


@given(
    pools(),
    st.decimals(min_value=-30, max_value=30, places=1),
    st.decimals(min_value=D("1"), max_value=D("3"), places=1),
    st.integers(min_value=2, max_value=5),
)
def test_order_invariant_under_shift_and_scale_of_one_standardised_evaluator(table, shift, factor, min_reviews):
    # "star" is above the minimum; the generated evaluators are above or below it.
    table["star"] = {p: D(40) + D(6) * p for p in range(6)}
    min_spread = D(1)
    before = aggregate(reviews_of(table), min_reviews=min_reviews, min_spread=min_spread)
    mean_z = [before.proposals[p].mean_z for p in before.proposals]
    assume(len(set(mean_z)) == len(mean_z))  # ties are broken by raw means, which a shift moves
    moved = {**table, "star": {p: t * factor + shift for p, t in table["star"].items()}}
    after = aggregate(reviews_of(moved), min_reviews=min_reviews, min_spread=min_spread)
    assert after.evaluators["star"].floored is False
    for method_order in (before.rankings[Method.ZSCORE_MEAN], after.rankings[Method.ZSCORE_MEAN]):
        assert sorted(method_order) == sorted(before.proposals)
    assert before.rankings[Method.ZSCORE_MEAN] == after.rankings[Method.ZSCORE_MEAN]
