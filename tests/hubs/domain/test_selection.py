from decimal import Decimal

import pytest

from jipp.hubs.domain.selection import (
    CriterionSpec,
    LevelError,
    ScoreRow,
    WeightsError,
    check_level,
    check_weights,
    rank,
)

LEVELS = (1, 2, 3, 4, 5)
COMMITMENT = CriterionSpec(1, "Commitment", Decimal("40"), LEVELS, 0)
POTENTIAL = CriterionSpec(2, "Potential", Decimal("35"), LEVELS, 1)
SUPPORT = CriterionSpec(3, "Support", Decimal("25"), LEVELS, 2)
CRITERIA = [COMMITMENT, POTENTIAL, SUPPORT]


def rows(member, candidate, levels):
    return [ScoreRow(member, candidate, criterion.id, level) for criterion, level in zip(CRITERIA, levels, strict=True)]


def test_rank_hand_checked_two_scorers():
    scores = rows(1, 10, (5, 4, 3)) + rows(2, 10, (4, 4, 4)) + rows(1, 20, (3, 5, 5)) + rows(2, 20, (3, 5, 4))
    ranked = rank(criteria=CRITERIA, candidates={10: "Jawa Timur", 20: "Gorontalo"}, scores=scores)
    first, second = ranked
    # Jawa Timur: commitment mean 4.5 -> 40*4.5/5 = 36; potential 4 -> 28; support 3.5 -> 17.5; total 81.5
    assert (first.name, first.rank, first.total) == ("Jawa Timur", 1, Decimal("81.50"))
    assert first.contributions[1].points == Decimal("36.00")
    assert first.contributions[1].spread == 1
    assert first.contributions[3].mean_level == Decimal("3.50")
    # Member totals: m1 = 40 + 28 + 15 = 83; m2 = 32 + 28 + 20 = 80 -> spread 3
    assert first.member_totals == {1: Decimal("83.00"), 2: Decimal("80.00")}
    assert first.spread == Decimal("3.00")
    # Gorontalo: 24 + 35 + 22.5 = 81.5 -> equal total; Jawa Timur wins on commitment (36 against 24)
    assert (second.name, second.rank, second.total) == ("Gorontalo", 2, Decimal("81.50"))
    assert second.tie.other_name == "Jawa Timur"
    assert second.tie.shared is False
    assert second.tie.criterion_name == "Commitment"
    assert (second.tie.own_points, second.tie.other_points) == (Decimal("24.00"), Decimal("36.00"))
    assert first.tie is None


def test_rank_full_tie_is_shared_and_listed_by_name():
    scores = rows(1, 10, (4, 4, 4)) + rows(1, 20, (4, 4, 4))
    ranked = rank(criteria=CRITERIA, candidates={10: "Riau", 20: "Bali"}, scores=scores)
    assert [(r.name, r.rank, r.total) for r in ranked] == [("Bali", 1, Decimal("80.00")), ("Riau", 1, Decimal("80.00"))]
    assert ranked[1].tie.shared is True
    assert ranked[1].tie.other_name == "Bali"


def test_rank_what_if_weights_changes_the_order():
    scores = rows(1, 10, (5, 2, 2)) + rows(1, 20, (2, 5, 5))
    base = rank(criteria=CRITERIA, candidates={10: "A", 20: "B"}, scores=scores)
    # A: 40 + 14 + 10 = 64; B: 16 + 35 + 25 = 76
    assert [(r.name, r.total) for r in base] == [("B", Decimal("76.00")), ("A", Decimal("64.00"))]
    what_if = rank(
        criteria=CRITERIA,
        candidates={10: "A", 20: "B"},
        scores=scores,
        weights={1: Decimal("80"), 2: Decimal("10"), 3: Decimal("10")},
    )
    # A: 80 + 4 + 4 = 88; B: 32 + 10 + 10 = 52
    assert [(r.name, r.total) for r in what_if] == [("A", Decimal("88.00")), ("B", Decimal("52.00"))]


def test_rank_missing_criterion_marks_incomplete():
    scores = [ScoreRow(1, 10, 1, 5)]
    (only,) = rank(criteria=CRITERIA, candidates={10: "A"}, scores=scores)
    assert (only.total, only.complete, only.member_totals) == (Decimal("40.00"), False, {})


def test_rank_rounds_half_up():
    thirds = [
        CriterionSpec(1, "a", Decimal("33.33"), (1, 2, 3)),
        CriterionSpec(2, "b", Decimal("33.33"), (1, 2, 3)),
        CriterionSpec(3, "c", Decimal("33.34"), (1, 2, 3)),
    ]
    scores = [ScoreRow(1, 10, c, 1) for c in (1, 2, 3)]
    (only,) = rank(criteria=thirds, candidates={10: "A"}, scores=scores)
    # 33.33/3 = 11.11, 11.11, 33.34/3 = 11.113 -> 11.11
    assert only.total == Decimal("33.33")


def test_weights_not_summing_to_100_refused_with_the_sum():
    with pytest.raises(WeightsError) as exc:
        check_weights([Decimal("40"), Decimal("35"), Decimal("20")])
    assert exc.value.total == Decimal("95")
    with pytest.raises(WeightsError):
        rank(criteria=CRITERIA, candidates={}, scores=[], weights={1: Decimal("50")})


def test_level_outside_guide_refused():
    assert check_level(3, LEVELS) == 3
    with pytest.raises(LevelError) as exc:
        check_level(6, LEVELS)
    assert exc.value.allowed == LEVELS
    with pytest.raises(LevelError):
        rank(criteria=CRITERIA, candidates={10: "A"}, scores=[ScoreRow(1, 10, 1, 0)])
