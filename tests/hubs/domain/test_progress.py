from jipp.hubs.domain.progress import Gap, SpokeFacts, gaps, next_steps


def facts(**kw):
    base = {
        "innovations": 5,
        "in_creation": 1,
        "trials": 0,
        "proven_without_legal_basis": 0,
        "kipp_proposals_this_year": 1,
        "continuity_missing": 0,
        "replications_in": 1,
    }
    return SpokeFacts(**{**base, **kw})


def test_next_steps_in_priority_order():
    steps = next_steps(facts(proven_without_legal_basis=3, kipp_proposals_this_year=0, continuity_missing=2))
    assert [(s.code, s.count) for s in steps] == [("legal_basis", 3), ("no_kipp", 0), ("continuity", 2)]


def test_no_innovation_comes_first_and_no_kipp_is_not_suggested_then():
    steps = next_steps(facts(innovations=0, kipp_proposals_this_year=0, replications_in=0))
    assert [s.code for s in steps] == ["first_innovation", "replicate"]


def test_on_track_has_no_steps():
    assert next_steps(facts()) == []


def test_gaps_only_for_measures_with_targets():
    result = gaps({"a": 4, "b": 2}, {"a": 1, "b": 3, "c": 9}, ["a", "b", "c"])
    assert result == [Gap("a", 4, 1), Gap("b", 2, 3)]
    assert [(g.missing, g.met, g.percent) for g in result] == [(3, False, 25), (0, True, 100)]
