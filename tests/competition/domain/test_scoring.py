from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipp.competition.domain.scoring import (
    InvalidWeightError,
    MissingCriterionError,
    Scale,
    ScoreOutOfScaleError,
    ScoringError,
    UnknownCriterionError,
    review_score,
    score_breakdown,
    weighted_total,
)

UMUM_WEIGHTS = {
    "summary": 5,
    "idea": 20,
    "significance": 20,
    "sdgs": 10,
    "adaptability": 15,
    "sustainability": 20,
    "collaboration": 10,
}


def test_weighted_total_on_0_100_scale_is_weighted_mean():
    total = weighted_total({"summary": 80, "idea": 90}, {"summary": 5, "idea": 95}, Scale(0, 100))
    assert total == Decimal("89.5")  # 0.05 * 80 + 0.95 * 90


def test_weighted_total_rescales_1_10_rubric_to_0_100():
    scale = Scale(1, 10)
    assert weighted_total({"a": 10, "b": 1}, {"a": 5, "b": 95}, scale) == Decimal(5)
    assert weighted_total({"a": 1, "b": 1}, {"a": 1, "b": 1}, scale) == 0
    assert weighted_total({"a": 10, "b": 10}, {"a": 1, "b": 1}, scale) == 100
    assert weighted_total({"a": "5.5"}, {"a": 1}, scale) == 50  # (5.5 - 1) / 9 * 100


def test_weighted_total_with_weights_in_any_unit_gives_same_result():
    scores = {"a": 7, "b": 4}
    fractions = weighted_total(scores, {"a": Decimal("0.25"), "b": Decimal("0.75")}, Scale(0, 10))
    points = weighted_total(scores, {"a": 1, "b": 3}, Scale(0, 10))
    assert fractions == points == Decimal("47.5")


def test_weighted_total_with_float_scores_is_exact():
    assert weighted_total({"a": 8.1}, {"a": 1}, Scale(0, 10)) == Decimal("81.0")


def test_score_breakdown_points_sum_to_total():
    scores = dict.fromkeys(UMUM_WEIGHTS, 7)
    scores["summary"] = 10
    parts = score_breakdown(scores, UMUM_WEIGHTS, Scale(1, 10))
    assert [p.criterion for p in parts] == list(UMUM_WEIGHTS)
    assert sum(p.share for p in parts) == 1
    assert parts[0].rescaled == 100
    assert parts[0].points == 5
    score = review_score(scores, UMUM_WEIGHTS, Scale(1, 10))
    assert sum(score.stored_points) == score.total
    assert sum(score.shown_points) == score.shown_total


def test_three_equal_weights_at_top_score_give_exactly_100():
    """Finding 10: 33.33...% x 100 three times gave 99.999...9."""
    assert weighted_total({"a": 10, "b": 10, "c": 10}, {"a": 1, "b": 1, "c": 1}, Scale(1, 10)) == 100
    score = review_score({"a": 10, "b": 10, "c": 10}, {"a": 1, "b": 1, "c": 1}, Scale(1, 10))
    assert score.total == Decimal("100.000000")
    assert score.shown_points == (Decimal("33.34"), Decimal("33.33"), Decimal("33.33"))


def test_criterion_rows_shown_add_up_to_total_shown():
    """Finding 10: rows rounded one by one (22.22 + 25.93 + 31.48 = 79.63 here, but 0.01 off elsewhere)."""
    score = review_score({"a": 7, "b": 7, "c": 7}, {"a": 1, "b": 1, "c": 1}, Scale(1, 10))
    assert score.shown_total == Decimal("66.67")
    assert score.shown_points == (Decimal("22.23"), Decimal("22.22"), Decimal("22.22"))
    assert sum(score.shown_points) == score.shown_total


@given(
    st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=8),
    st.lists(st.integers(min_value=1, max_value=40), min_size=8, max_size=8),
)
def test_every_breakdown_sums_exactly_to_its_total(raw_scores, raw_weights):
    keys = [f"c{i}" for i in range(len(raw_scores))]
    scores = dict(zip(keys, raw_scores, strict=True))
    weights = dict(zip(keys, raw_weights, strict=False))
    score = review_score(scores, weights, Scale(1, 10))
    assert sum(score.stored_points) == score.total
    assert sum(score.shown_points) == score.shown_total
    assert all(abs(s - p.points) < Decimal("0.01") for s, p in zip(score.shown_points, score.parts, strict=True))


def test_weighted_total_missing_required_criterion_names_it():
    with pytest.raises(MissingCriterionError, match="'idea'") as caught:
        weighted_total({"summary": 5}, {"summary": 5, "idea": 95}, Scale(1, 10))
    assert caught.value.criterion == "idea"
    assert isinstance(caught.value, ValueError)


def test_weighted_total_none_score_counts_as_missing():
    with pytest.raises(MissingCriterionError):
        weighted_total({"summary": 5, "idea": None}, {"summary": 5, "idea": 95}, Scale(1, 10))


def test_weighted_total_zero_weight_criterion_is_optional():
    assert weighted_total({"a": 10}, {"a": 1, "b": 0}, Scale(0, 10)) == 100


@pytest.mark.parametrize("bad", [0, 11, -1, "x", float("nan"), float("inf"), True])
def test_weighted_total_score_outside_scale_names_criterion(bad):
    with pytest.raises(ScoreOutOfScaleError, match="'idea'") as caught:
        weighted_total({"summary": 5, "idea": bad}, {"summary": 5, "idea": 95}, Scale(1, 10))
    assert caught.value.criterion == "idea"


def test_weighted_total_unknown_criterion_raises():
    with pytest.raises(UnknownCriterionError, match="'typo'"):
        weighted_total({"a": 5, "typo": 5}, {"a": 1}, Scale(1, 10))


@pytest.mark.parametrize("weights", [{"a": -1, "b": 2}, {"a": 0, "b": 0}, {"a": "heavy", "b": 1}])
def test_weighted_total_bad_weights_raise(weights):
    with pytest.raises(InvalidWeightError):
        weighted_total({"a": 5, "b": 5}, weights, Scale(1, 10))


@pytest.mark.parametrize(("low", "high"), [(10, 1), (5, 5), ("a", 10)])
def test_scale_with_bad_bounds_raises(low, high):
    with pytest.raises(ValueError):
        Scale(low, high)


@given(
    scores=st.lists(st.integers(1, 10), min_size=3, max_size=3),
    weights=st.lists(st.integers(0, 50), min_size=3, max_size=3).filter(any),
    bump=st.integers(0, 2),
)
def test_weighted_total_is_bounded_and_monotone(scores, weights, bump):
    names = ["a", "b", "c"]
    scale = Scale(1, 10)
    total = weighted_total(dict(zip(names, scores, strict=True)), dict(zip(names, weights, strict=True)), scale)
    assert 0 <= total <= 100
    higher = list(scores)
    higher[bump] = min(10, higher[bump] + 1)
    assert weighted_total(dict(zip(names, higher, strict=True)), dict(zip(names, weights, strict=True)), scale) >= total


def test_scoring_errors_share_one_base_class():
    for error in (MissingCriterionError, ScoreOutOfScaleError, UnknownCriterionError, InvalidWeightError):
        assert issubclass(error, ScoringError)
