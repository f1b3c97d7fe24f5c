from hypothesis import given
from hypothesis import strategies as st

from jipp.dashboards.domain import figures as F

rows = st.lists(st.fixed_dictionaries({name: st.integers(0, 1000) for name in F.FIGURES}), max_size=6)


@given(rows)
def test_add_is_the_sum_of_each_figure(items):
    total = F.add(items)
    assert total == {name: sum(r[name] for r in items) for name in F.FIGURES}


def test_share_without_a_base_is_none():
    assert F.share(3, 0) is None
    assert F.share(1, 4) == 0.25


def test_derived_rates():
    row = F.empty() | {
        "agencies": 10,
        "participated": 4,
        "replications_finished_in": 5,
        "replications_succeeded_in": 2,
        "proven": 8,
        "proven_with_legal_basis": 6,
        "unprotected": 3,
        "continuity_continuing": 3,
        "continuity_growing": 1,
        "continuity_stopped": 1,
        "awards_top99": 2,
        "awards_top45": 1,
    }
    rates = F.derived(row)
    assert rates["participation_rate"] == 0.4
    assert rates["success_rate"] == 0.4
    assert rates["legal_coverage"] == 0.75
    assert rates["unprotected_share"] == 0.375
    assert rates["continuing_share"] == 0.8
    assert rates["awards"] == 3.0
    assert rates["replicated_share"] is None  # nothing published


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_funnel_never_increases(creation, development, institutionalisation):
    row = F.empty() | {
        "innovations_published": creation + development + institutionalisation,
        "phase_creation": creation,
        "phase_development": development,
        "phase_institutionalisation": institutionalisation,
    }
    steps = F.funnel(row)
    assert [s.key for s in steps] == ["created", "developed", "institutionalised"]
    assert steps[0].count >= steps[1].count >= steps[2].count
    assert steps[1].count == development + institutionalisation


def test_ranks_share_ties_and_skip_none():
    assert F.ranks({"a": 5, "b": 9, "c": 5, "d": None, "e": 1}) == {"b": 1, "a": 2, "c": 2, "e": 4}


def test_median_ignores_missing_values():
    assert F.median([3, None, 1, 2]) == 2
    assert F.median([None]) is None


def test_value_reads_figures_and_rates():
    row = F.empty() | {"agencies": 4, "participated": 1, "innovations_published": 7}
    assert F.value(row, "innovations_published") == 7.0
    assert F.value(row, "participation_rate") == 0.25
