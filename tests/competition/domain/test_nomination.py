import math
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipp.competition.domain.nomination import Candidate, NominationInfeasibleError, Quota, nominate

THREE_T = Quota("3t", True, min_count=2, label="3T regions")


def candidate(cid, score, region="Jawa", three_t=False, group="Umum", category="health"):
    return Candidate(cid, score, {"region": region, "3t": three_t, "group": group, "category": category})


def satisfies(chosen, quota, size):
    count = sum(1 for c in chosen if c.attributes.get(quota.attribute) == quota.value)
    low = max(quota.min_count or 0, math.ceil((quota.min_share or 0) * size - 1e-9))
    high = min(
        math.inf if quota.max_count is None else quota.max_count,
        math.inf if quota.max_share is None else math.floor(quota.max_share * size + 1e-9),
    )
    return low <= count <= high


def brute_force(candidates, size, quotas, grade):
    passing = [c for c in candidates if grade is None or c.score >= grade]
    totals = [
        sum(c.score for c in chosen)
        for chosen in combinations(passing, size)
        if all(satisfies(chosen, q, size) for q in quotas)
    ]
    return max(totals) if totals else None


@st.composite
def tiny_instances(draw):
    n = draw(st.integers(1, 9))
    candidates = [
        candidate(i, draw(st.integers(60, 100)), draw(st.sampled_from("ABC")), draw(st.booleans())) for i in range(n)
    ]
    quota = st.builds(
        Quota,
        attribute=st.just("region"),
        value=st.sampled_from("ABC"),
        min_count=st.none() | st.integers(0, 3),
        max_count=st.none() | st.integers(0, 3),
        max_share=st.none() | st.sampled_from([0.34, 0.5]),
    ) | st.builds(
        Quota,
        attribute=st.just("3t"),
        value=st.just(True),
        min_count=st.integers(0, 3),
        min_share=st.none() | st.sampled_from([0.25, 0.5]),
    )
    quotas = draw(st.lists(quota, max_size=3))
    return candidates, draw(st.integers(0, n)), quotas, draw(st.none() | st.integers(60, 90))


@settings(max_examples=200, deadline=None)
@given(tiny_instances())
def test_nominate_matches_brute_force(instance):
    candidates, size, quotas, grade = instance
    expected = brute_force(*instance)
    if expected is None:
        with pytest.raises(NominationInfeasibleError):
            nominate(candidates, size=size, quotas=quotas, passing_grade=grade)
        return
    result = nominate(candidates, size=size, quotas=quotas, passing_grade=grade)
    chosen = [c for c in candidates if c.id in result.chosen]
    assert len(chosen) == size
    assert all(satisfies(chosen, q, size) for q in quotas)
    assert all(grade is None or c.score >= grade for c in chosen)
    assert result.total_score == expected


def test_nominate_without_quotas_is_plain_top_n():
    candidates = [candidate(i, s) for i, s in enumerate([70, 95, 80, 95, 60])]
    result = nominate(candidates, size=3)
    assert result.chosen == result.plain == (1, 3, 2)  # equal scores keep the input order
    assert result.swapped_in == result.swapped_out == ()


def test_nominate_equal_scores_cause_no_needless_swap():
    candidates = [candidate(i, 80, three_t=i in (0, 5)) for i in range(8)]
    result = nominate(candidates, size=4, quotas=[Quota("3t", True, min_count=1)])
    assert result.chosen == result.plain == (0, 1, 2, 3)


def test_nominate_min_quota_swaps_in_and_explains():
    candidates = [
        candidate("a", 95),
        candidate("b", 90),
        candidate("c", 85),
        candidate("d", 80, three_t=True),
        candidate("e", 75, three_t=True),
        candidate("f", 70, three_t=True),
    ]
    result = nominate(candidates, size=4, quotas=[THREE_T])
    assert result.plain == ("a", "b", "c", "d")
    assert result.chosen == ("a", "b", "d", "e")
    (swap_in,), (swap_out,) = result.swapped_in, result.swapped_out
    assert (swap_in.candidate, swap_in.plain_position, swap_in.quotas) == ("e", 5, (THREE_T,))
    assert swap_in.reason == "brought in to meet: at least 2 from 3T regions (plain ranking has 1)"
    assert swap_out.candidate == "c"
    assert swap_out.reason == "left out to make room for: at least 2 from 3T regions (plain ranking has 1)"
    (check,) = result.quotas
    assert (check.min_count, check.eligible, check.plain, check.chosen) == (2, 3, 1, 2)
    assert (result.total_score, result.plain_total_score) == (340, 350)


def test_nominate_max_share_swaps_out_and_explains():
    candidates = [
        candidate(1, 90, "Jawa"),
        candidate(2, 89, "Jawa"),
        candidate(3, 88, "Jawa"),
        candidate(4, 70, "Papua"),
        candidate(5, 60, "Bali"),
    ]
    result = nominate(candidates, size=4, quotas=[Quota("region", "Jawa", max_share=0.5)])
    assert result.chosen == (1, 2, 4, 5)
    assert [s.reason for s in result.swapped_out] == [
        "left out to meet: at most 2 from region = Jawa (plain ranking has 3)"
    ]
    assert [s.candidate for s in result.swapped_in] == [5]
    assert result.swapped_in[0].reason.startswith("next best proposal for a place freed by: at most 2 from region")


def test_nominate_group_targets_and_group_scoped_share():
    umum = [candidate(f"u{i}", 90 - i, three_t=i >= 4) for i in range(8)]
    khusus = [candidate(f"k{i}", 99 - i, group="Khusus") for i in range(3)]
    replikasi = [candidate("r", 100, group="Replikasi")]
    quota = Quota("3t", True, min_share=0.5, group="Umum")
    result = nominate(umum + khusus + replikasi, group_targets={"Umum": 4, "Khusus": 1}, quotas=[quota])
    assert result.plain == ("k0", "u0", "u1", "u2", "u3")
    assert result.chosen == ("k0", "u0", "u1", "u4", "u5")
    assert {s.candidate for s in result.swapped_out} == {"u2", "u3"}


def test_nominate_passing_grade_is_a_floor():
    candidates = [candidate("a", 90), candidate("b", 84, three_t=True), candidate("c", 86)]
    with pytest.raises(NominationInfeasibleError) as caught:
        nominate(candidates, size=2, quotas=[Quota("3t", True, min_count=1, label="3T regions")], passing_grade=85)
    assert caught.value.reasons == (
        "at least 1 from 3T regions but only 0 proposals from 3T regions pass the grade (85)",
    )


def test_nominate_too_few_3t_names_the_constraint():
    candidates = [candidate(i, 90, three_t=i < 6) for i in range(200)]
    quota = Quota("3t", True, min_count=10, label="3T regions")
    with pytest.raises(NominationInfeasibleError) as caught:
        nominate(candidates, size=99, quotas=[quota], passing_grade=85)
    assert str(caught.value) == "at least 10 from 3T regions but only 6 proposals from 3T regions pass the grade (85)"
    assert caught.value.quotas == (quota,)


def test_nominate_too_few_passing_raises():
    candidates = [candidate(i, 80 + i % 10) for i in range(100)]
    with pytest.raises(NominationInfeasibleError, match=r"^114 finalists needed but only 50 proposals pass the grade"):
        nominate(candidates, size=114, passing_grade=85)


def test_nominate_group_short_names_group():
    candidates = [candidate(i, 90) for i in range(120)] + [candidate(f"k{i}", 90, group="Khusus") for i in range(9)]
    with pytest.raises(
        NominationInfeasibleError, match="15 finalists needed in group Khusus but only 9 proposals in group Khusus pass"
    ):
        nominate(candidates, group_targets={"Umum": 99, "Khusus": 15})


def test_nominate_minimums_exceeding_places_raise():
    candidates = [candidate(i, 90, region=r) for i, r in enumerate("AABBCC")]
    quotas = [Quota("region", r, min_count=1) for r in "ABC"]
    with pytest.raises(NominationInfeasibleError, match="the minimums for region add up to 3 but there are only 2"):
        nominate(candidates, size=2, quotas=quotas)


def test_nominate_maximums_leaving_too_little_room_raise():
    candidates = [candidate(i, 90, region=r) for i, r in enumerate("AAAB")]
    with pytest.raises(NominationInfeasibleError, match="the maximums for region leave room for only 2 of 3 places"):
        nominate(candidates, size=3, quotas=[Quota("region", "A", max_count=1)])


def test_nominate_contradictory_shares_raise():
    candidates = [candidate(i, 90) for i in range(10)]
    quota = Quota("region", "Jawa", min_share=0.55, max_share=0.6)  # of 4 places: at least 3, at most 2
    with pytest.raises(NominationInfeasibleError, match="at least 3 and at most 2 from region = Jawa cannot both hold"):
        nominate(candidates, size=4, quotas=[quota])


def test_nominate_infeasible_combination_falls_back_to_solver_message():
    candidates = [candidate("a", 90, region="Papua"), candidate("b", 80, three_t=True), candidate("c", 70)]
    quotas = [Quota("region", "Papua", min_count=1), Quota("3t", True, min_count=1, label="3T regions")]
    with pytest.raises(NominationInfeasibleError, match="cannot all be met together") as caught:
        nominate(candidates, size=1, quotas=quotas)
    assert "region = Papua, 3T regions" in str(caught.value)
    assert caught.value.quotas == tuple(quotas)


def test_nominate_needs_exactly_one_of_size_and_targets():
    with pytest.raises(ValueError, match="exactly one"):
        nominate([], size=1, group_targets={"Umum": 1})
    with pytest.raises(ValueError, match="exactly one"):
        nominate([])


def test_nominate_nothing_to_choose_gives_empty_result():
    result = nominate([], size=0)
    assert result.chosen == result.plain == ()


def _brute_force_best(candidates, size, quotas):
    """Highest exact total over every subset of ``size`` that meets the quotas (by counting)."""
    from decimal import Decimal
    from itertools import combinations

    best = None
    for subset in combinations(candidates, size):
        ok = True
        for q in quotas:
            count = sum(1 for c in subset if c.attributes.get(q.attribute) == q.value)
            if (q.min_count or 0) > count or (q.max_count is not None and count > q.max_count):
                ok = False
        if ok:
            total = sum(
                (c.score if isinstance(c.score, Decimal) else Decimal(repr(c.score)) for c in subset), Decimal(0)
            )
            best = total if best is None or total > best else best
    return best


def test_nomination_sees_differences_below_one_millionth():
    """Finding 9: with a 1e-6 tolerance the second stage could keep a plain-ranking set worth 4e-7 less."""
    from decimal import Decimal

    candidates = [
        Candidate("a", Decimal("90.0000004"), {"r": "x"}),
        Candidate("b", Decimal("90.0000000"), {"r": "y"}),
        Candidate("c", Decimal("80"), {"r": "x"}),
    ]
    # At most one from x: {a, b} (180.0000004) beats {b, c}; the plain ranking is {a, b} too.
    result = nominate(candidates, size=2, quotas=[Quota("r", "x", max_count=1)])
    assert set(result.chosen) == {"a", "b"}
    # Plain ranking keeps b first when b's tiny edge is the only difference.
    candidates = [
        Candidate("p", Decimal("50.0000001"), {"r": "x"}),
        Candidate("q", Decimal("50.0000002"), {"r": "y"}),
    ]
    assert nominate(candidates, size=1).chosen == ("q",)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=2), st.booleans()),
        min_size=2,
        max_size=7,
    ),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=0, max_value=2),
)
def test_nomination_equals_brute_force_with_near_ties(rows, size, min_x):
    from decimal import Decimal

    candidates = [
        Candidate(i, Decimal(80) + Decimal(base) * Decimal("0.0000003") + Decimal(i % 2) * Decimal("1e-9"),
                  {"r": "x" if is_x else "y"})
        for i, (base, _unused, is_x) in enumerate(rows)
    ]  # fmt: skip
    size = min(size, len(candidates))
    quotas = [Quota("r", "x", min_count=min_x)]
    best = _brute_force_best(candidates, size, quotas)
    if best is None:
        with pytest.raises(NominationInfeasibleError):
            nominate(candidates, size=size, quotas=quotas)
        return
    result = nominate(candidates, size=size, quotas=quotas)
    by_id = {c.id: c.score for c in candidates}
    assert sum((by_id[i] for i in result.chosen), Decimal(0)) == best


def test_infeasible_combination_names_the_binding_quotas_only():
    """Finding 9: the message used to list every quota ("check combinations of: ...")."""
    candidates = [
        Candidate(i, 90 - i, {"region": "papua" if i < 2 else "java", "cat": "health" if i < 2 else "edu"})
        for i in range(6)
    ]
    quotas = [
        Quota("region", "papua", min_count=2, label="Papua"),
        Quota("cat", "health", max_count=1, label="Health"),
        Quota("cat", "edu", max_count=3, label="Education"),
    ]
    with pytest.raises(NominationInfeasibleError) as caught:
        nominate(candidates, size=3, quotas=quotas)
    assert [q.label for q in caught.value.quotas] == ["Papua", "Health"]
    assert "Papua, Health" in caught.value.reasons[0]
    assert "Education" not in caught.value.reasons[0]
