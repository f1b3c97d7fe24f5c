import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipp.competition.domain.normalisation import (
    Method,
    NormalisationRule,
    Review,
    aggregate,
    explain_proposal,
)


def reviews_of(proposal, *totals):
    return [Review(proposal, f"{proposal}-e{n}", t) for n, t in enumerate(totals)]


def test_aggregate_three_reviews_hand_checked():
    result = aggregate(reviews_of("p", 60, 70, 95), disagreement_threshold=20)
    p = result.proposals["p"]
    assert (p.n_reviews, p.mean, p.median, p.spread) == (3, 75, 70, 35)
    assert p.std == pytest.approx(math.sqrt((15**2 + 5**2 + 20**2) / 3))
    assert p.disagreement is True


def test_aggregate_spread_equal_to_threshold_is_no_disagreement():
    result = aggregate(reviews_of("p", 70, 80, 90), disagreement_threshold=20)
    assert result.proposals["p"].disagreement is False


def test_trimmed_mean_default_with_three_reviews_is_mean():
    p = aggregate(reviews_of("p", 60, 70, 95)).proposals["p"]
    assert p.trimmed_mean == p.mean == 75


def test_trimmed_mean_one_third_with_three_reviews_is_median():
    p = aggregate(reviews_of("p", 60, 70, 95), trim_proportion=1 / 3).proposals["p"]
    assert p.trimmed_mean == p.median == 70


def test_trimmed_mean_five_reviews_cuts_one_each_side():
    p = aggregate(reviews_of("p", 100, 10, 30, 20, 40)).proposals["p"]
    assert p.trimmed_mean == 30  # (20 + 30 + 40) / 3
    assert p.median == 30 and p.mean == 40


def test_median_even_count_averages_middle_pair():
    assert aggregate(reviews_of("p", 60, 90, 70, 80)).proposals["p"].median == 75


def test_zscore_mean_removes_evaluator_leniency():
    # Lenient A and harsh B agree that p1 beats p2 by the same margin.
    reviews = [Review("p1", "A", 90), Review("p2", "A", 80), Review("p1", "B", 60), Review("p2", "B", 50)]
    result = aggregate(reviews, min_reviews=2)
    g_std = math.sqrt((20**2 + 10**2 + 10**2 + 20**2) / 4)
    assert (result.global_mean, result.global_std) == (70, pytest.approx(g_std))
    assert result.evaluators["A"].mean == 85 and result.evaluators["A"].std == 5
    assert {r.evaluator: r.z for r in result.reviews["p1"]} == {"A": 1, "B": 1}
    assert result.proposals["p1"].zscore_mean == pytest.approx(70 + g_std)
    assert result.proposals["p2"].zscore_mean == pytest.approx(70 - g_std)


def test_zscore_mean_ranks_against_lenient_evaluator():
    # p1 drew a lenient evaluator (everything 85..95), p2 a strict one (60..70): p1's raw mean is
    # higher, but p2 is the strict evaluator's best while p1 is the lenient one's worst.
    reviews = [
        Review("p1", "lenient", 85),
        Review("q1", "lenient", 90),
        Review("q2", "lenient", 95),
        Review("p2", "strict", 70),
        Review("q3", "strict", 65),
        Review("q4", "strict", 60),
    ]
    result = aggregate(reviews, min_reviews=3)
    assert result.proposals["p1"].mean > result.proposals["p2"].mean
    assert result.proposals["p2"].ranks[Method.ZSCORE_MEAN] < result.proposals["p1"].ranks[Method.ZSCORE_MEAN]


def test_zscore_evaluator_with_too_few_reviews_keeps_raw_total():
    reviews = reviews_of("p", 60, 70, 80) + [Review("q", "once", 77)]
    result = aggregate(reviews, min_reviews=2)
    once = next(r for r in result.reviews["q"] if r.evaluator == "once")
    assert result.evaluators["once"].rule == NormalisationRule.TOO_FEW_REVIEWS
    assert once.normalised == 77
    assert once.z == pytest.approx((77 - result.global_mean) / result.global_std)
    assert result.proposals["q"].zscore_mean == 77


def test_zscore_evaluator_with_zero_std_counts_as_global_mean():
    reviews = [Review(p, "flat", 95) for p in ("a", "b", "c")] + [
        Review(p, "x", t) for p, t in (("a", 50), ("b", 60), ("c", 70))
    ]
    result = aggregate(reviews, min_reviews=3)
    assert result.evaluators["flat"].rule == NormalisationRule.ZERO_STD
    flat = [r for p in "abc" for r in result.reviews[p] if r.evaluator == "flat"]
    assert {r.z for r in flat} == {0} and {r.normalised for r in flat} == {result.global_mean}


def test_zscore_all_totals_equal_gives_global_mean():
    result = aggregate([Review(p, e, 80) for p in "ab" for e in "xy"], min_reviews=1)
    assert result.global_std == 0
    assert {a.zscore_mean for a in result.proposals.values()} == {80}


def test_ranking_ties_break_by_mean_then_spread_then_id():
    reviews = (
        reviews_of("b", 70, 80, 90)
        + reviews_of("a", 75, 80, 85)
        + reviews_of("c", 79, 80, 81)
        + reviews_of("d", 78, 80, 100)
    )
    result = aggregate(reviews)
    # Same median 80: d has the highest mean; then a/b/c tie on mean 80: c spreads least, then a.
    assert result.rankings[Method.MEDIAN] == ("d", "c", "a", "b")
    assert [result.proposals[p].ranks[Method.MEDIAN] for p in "abcd"] == [3, 4, 2, 1]


def test_ranking_full_tie_breaks_by_smaller_id():
    result = aggregate(reviews_of(2, 80, 90) + reviews_of(10, 80, 90) + reviews_of(1, 80, 90))
    assert result.rankings[Method.MEAN] == (1, 2, 10)


def test_explain_proposal_reproduces_numbers():
    reviews = reviews_of("p", 60, 95, 70) + reviews_of("q", 50, 55, 65)
    result = aggregate(reviews, trim_proportion=1 / 3)
    explanation = explain_proposal(result, "p")
    assert [r.total for r in explanation.reviews] == [60, 70, 95]
    assert [r.trimmed for r in explanation.reviews] == [True, False, True]
    assert explanation.trimmed_per_side == 1
    assert explanation.formulae[Method.MEAN] == "(60.00 + 70.00 + 95.00) / 3 = 75.00"
    assert explanation.formulae[Method.MEDIAN] == "median(60.00, 70.00, 95.00) = 70.00"
    assert explanation.formulae[Method.TRIMMED_MEAN] == "(70.00) / 1 = 70.00"
    assert explanation.formulae["spread"] == "95.00 - 60.00 = 35.00"
    for review in explanation.reviews:
        assert review.rule == NormalisationRule.TOO_FEW_REVIEWS  # one review each, below min_reviews
        assert review.normalised == pytest.approx(explanation.global_mean + explanation.global_std * review.z)


def test_explain_proposal_median_of_even_count_shows_pair():
    explanation = explain_proposal(aggregate(reviews_of("p", 60, 90, 70, 80)), "p")
    assert explanation.formulae[Method.MEDIAN] == "median(60.00, 70.00, 80.00, 90.00) = (70.00 + 80.00) / 2 = 75.00"


def test_aggregate_empty_input_gives_empty_result():
    result = aggregate([])
    assert result.proposals == {} and all(r == () for r in result.rankings.values())


@pytest.mark.parametrize("kwargs", [{"trim_proportion": 0.5}, {"trim_proportion": -0.1}, {"min_reviews": 0}])
def test_aggregate_bad_parameters_raise(kwargs):
    with pytest.raises(ValueError):
        aggregate(reviews_of("p", 1, 2), **kwargs)


def test_aggregate_duplicate_review_raises():
    with pytest.raises(ValueError, match="twice"):
        aggregate([Review("p", "e", 1), Review("p", "e", 2)])


def test_aggregate_non_finite_total_raises():
    with pytest.raises(ValueError, match="finite"):
        aggregate([Review("p", "e", float("nan"))])


review_sets = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 5), st.floats(0, 100, allow_nan=False)),
    min_size=1,
    max_size=60,
    unique_by=lambda r: (r[0], r[1]),
)


@given(review_sets, st.sampled_from([0.0, 0.2, 0.34, 0.49]), st.integers(1, 4))
def test_aggregate_invariants_hold(raw, trim, min_reviews):
    result = aggregate([Review(p, e, t) for p, e, t in raw], trim_proportion=trim, min_reviews=min_reviews)
    proposals = {p for p, _, _ in raw}
    for method in Method:
        assert sorted(result.rankings[method]) == sorted(proposals)
    for pid, agg in result.proposals.items():
        totals = [t for p, _, t in raw if p == pid]
        lo, hi = min(totals) - 1e-9, max(totals) + 1e-9
        assert lo <= agg.median <= hi and lo <= agg.trimmed_mean <= hi and lo <= agg.mean <= hi
        assert agg.spread == pytest.approx(max(totals) - min(totals))
        for review in result.reviews[pid]:
            assert review.normalised == pytest.approx(result.global_mean + result.global_std * review.z, abs=1e-6)
