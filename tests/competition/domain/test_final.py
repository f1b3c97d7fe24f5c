from decimal import Decimal

import pytest

from jipp.competition.domain.final import Contender, PanelMark, final_score, presentation_score, rank_winners

D = Decimal


def test_presentation_score_is_mean_of_both_marks():
    marks = [PanelMark(D(80), D(90)), PanelMark(D(70), D(75))]
    assert presentation_score(marks) == D("78.750000")


def test_presentation_score_missing_below_required_marks():
    assert presentation_score([PanelMark(D(80), D(90))], required=2) is None
    assert presentation_score([]) is None


def test_final_score_combines_points_with_points():
    assert final_score(desk_points=D(80), presentation=D(90), desk_weight=70, presentation_weight=30) == D(83)


def test_finding_4_finalist_without_panel_scores_has_no_final_score():
    """Finding 4: a finalist without panel scores competed on its desk score (a z-value above 100)."""
    assert final_score(desk_points=D(95), presentation=None, desk_weight=70, presentation_weight=30) is None


def test_final_score_weights_both_zero_raise():
    with pytest.raises(ValueError):
        final_score(desk_points=D(1), presentation=D(1), desk_weight=0, presentation_weight=0)


def test_rank_winners_breaks_ties_by_desk_points_then_id():
    contenders = [Contender(3, D(80), D(70)), Contender(1, D(80), D(70)), Contender(2, D(80), D(75))]
    assert [c.id for c in rank_winners(contenders, 2)] == [2, 1]
