from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipp.institutionalisation.domain.protection import (
    LEGAL_BASIS_ORDER,
    LegalBasisType,
    ProtectionFacts,
    ProtectionGap,
    ProvenGround,
    ReplicationRecord,
    ReplicationStage,
    Stage,
    adopter_count_band,
    anniversary,
    assess_protection,
    count_adopting_agencies,
    in_operation_since,
    is_proven,
    is_unprotected,
    legal_basis_strength,
    owners_without_continuity_update,
    strongest_basis,
)

B = LegalBasisType


def facts(**overrides) -> ProtectionFacts:
    values = {
        "has_kipp_tier": False,
        "successful_adopters": 0,
        "stage": Stage.IN_OPERATION,
        "rollout_date": None,
        "legal_bases": (),
        "has_budget_line": False,
    }
    return ProtectionFacts(**(values | overrides))


# Legal basis


def test_strongest_basis_empty_is_none():
    assert strongest_basis([]) is None


def test_strongest_basis_regional_order():
    regional = [B.SOP, B.SK_KEPALA_PERANGKAT_DAERAH, B.SK_KEPALA_DAERAH, B.PERKADA, B.PERDA]
    for weaker, stronger in pairwise(regional):
        assert strongest_basis([stronger, weaker]) == stronger
        assert strongest_basis([weaker, stronger]) == stronger


def test_strongest_basis_national_order():
    national = [B.SOP, B.SK_PEJABAT, B.KEPUTUSAN_MENTERI, B.PERATURAN_MENTERI, B.PERPRES, B.PP, B.UU]
    for weaker, stronger in pairwise(national):
        assert strongest_basis([stronger, weaker, weaker]) == stronger


def test_strongest_basis_mixed_list_picks_perda():
    assert strongest_basis([B.SOP, B.PERDA, B.SK_KEPALA_DAERAH, B.SOP]) == B.PERDA


def test_legal_basis_strength_scale():
    assert legal_basis_strength(None) == 0
    assert legal_basis_strength(B.SOP) == 1
    assert legal_basis_strength(B.SK_KEPALA_PERANGKAT_DAERAH) == 2
    assert legal_basis_strength(B.SK_KEPALA_DAERAH) == 3
    assert legal_basis_strength(B.PERKADA) == 4
    assert legal_basis_strength(B.PERDA) == 5
    assert legal_basis_strength(B.PERATURAN_MENTERI) == 4
    assert legal_basis_strength(B.UU) == 5


def test_legal_basis_order_covers_every_type_and_strength_never_decreases():
    assert set(LEGAL_BASIS_ORDER) == set(LegalBasisType)
    strengths = [legal_basis_strength(basis) for basis in LEGAL_BASIS_ORDER]
    assert strengths == sorted(strengths)


@given(st.lists(st.sampled_from(list(LegalBasisType)), min_size=1))
def test_strongest_basis_any_order_has_maximal_strength(types):
    best = strongest_basis(types)
    assert best == strongest_basis(list(reversed(types)))
    assert legal_basis_strength(best) == max(legal_basis_strength(t) for t in types)


# Two years in operation


def test_in_operation_since_day_before_second_anniversary_is_false():
    assert not in_operation_since(date(2022, 3, 15), date(2024, 3, 14))


def test_in_operation_since_on_second_anniversary_is_true():
    assert in_operation_since(date(2022, 3, 15), date(2024, 3, 15))


def test_in_operation_since_leap_day_rollout_reaches_two_years_on_march_first():
    assert anniversary(date(2020, 2, 29), 2) == date(2022, 3, 1)
    assert not in_operation_since(date(2020, 2, 29), date(2022, 2, 28))
    assert in_operation_since(date(2020, 2, 29), date(2022, 3, 1))


def test_in_operation_since_leap_day_as_of():
    # As of 29 Feb 2024, two years back is 28 Feb 2022 at the latest.
    assert in_operation_since(date(2022, 2, 28), date(2024, 2, 29))
    assert not in_operation_since(date(2022, 3, 1), date(2024, 2, 29))


def test_in_operation_since_leap_day_to_leap_day_four_years():
    assert in_operation_since(date(2020, 2, 29), date(2024, 2, 29), years=4)
    assert not in_operation_since(date(2020, 2, 29), date(2024, 2, 28), years=4)


def test_in_operation_since_unknown_rollout_is_false():
    assert not in_operation_since(None, date(2030, 1, 1))


def _two_years_before(as_of: date) -> date:
    # The same boundary stated from the other side: 29 Feb of as_of maps to 28 Feb.
    try:
        return as_of.replace(year=as_of.year - 2)
    except ValueError:
        return date(as_of.year - 2, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-800, 1500))
def test_in_operation_since_matches_as_of_minus_two_years(rollout, days):
    as_of = rollout + timedelta(days=days)
    assert in_operation_since(rollout, as_of) == (rollout <= _two_years_before(as_of))


# Proven and unprotected


def test_is_proven_by_kipp_tier():
    assert assess_protection(facts(has_kipp_tier=True), date(2024, 1, 1)).proven_grounds == (ProvenGround.KIPP_TIER,)


def test_is_proven_by_one_adopter():
    assert is_proven(facts(successful_adopters=1), date(2024, 1, 1))
    assert not is_proven(facts(successful_adopters=0), date(2024, 1, 1))


def test_is_proven_by_two_years_in_operation_boundary():
    rollout = date(2022, 6, 1)
    assert not is_proven(facts(rollout_date=rollout), date(2024, 5, 31))
    assert is_proven(facts(rollout_date=rollout), date(2024, 6, 1))


def test_is_proven_trial_stage_does_not_count_its_age():
    assert not is_proven(facts(stage=Stage.TRIAL, rollout_date=date(2015, 1, 1)), date(2024, 1, 1))


def test_is_proven_all_grounds_listed_in_order():
    assessment = assess_protection(
        facts(has_kipp_tier=True, successful_adopters=3, rollout_date=date(2015, 1, 1)), date(2024, 1, 1)
    )
    assert assessment.proven_grounds == (
        ProvenGround.KIPP_TIER,
        ProvenGround.REPLICATED,
        ProvenGround.IN_OPERATION_TWO_YEARS,
    )


def test_is_unprotected_proven_without_legal_basis():
    innovation = facts(has_kipp_tier=True, legal_bases=(), has_budget_line=True)
    assert is_unprotected(innovation, date(2024, 1, 1))
    assert assess_protection(innovation, date(2024, 1, 1)).gaps == (ProtectionGap.NO_LEGAL_BASIS,)


def test_is_unprotected_proven_without_budget_line():
    innovation = facts(has_kipp_tier=True, legal_bases=(B.SOP,), has_budget_line=False)
    assert is_unprotected(innovation, date(2024, 1, 1))
    assert assess_protection(innovation, date(2024, 1, 1)).gaps == (ProtectionGap.NO_BUDGET_LINE,)


def test_is_unprotected_false_with_legal_basis_and_budget():
    innovation = facts(has_kipp_tier=True, legal_bases=(B.PERDA,), has_budget_line=True)
    assert not is_unprotected(innovation, date(2024, 1, 1))


def test_is_unprotected_false_when_not_proven():
    assert not is_unprotected(facts(), date(2024, 1, 1))


def test_is_unprotected_two_years_minus_a_day_vs_two_years():
    innovation = facts(rollout_date=date(2022, 7, 17))
    assert not is_unprotected(innovation, date(2024, 7, 16))
    assert is_unprotected(innovation, date(2024, 7, 17))


def test_is_unprotected_leap_day_rollout():
    innovation = facts(rollout_date=date(2024, 2, 29))
    assert not is_unprotected(innovation, date(2026, 2, 28))
    assert is_unprotected(innovation, date(2026, 3, 1))


# Adopters


@pytest.mark.parametrize(("n", "band"), [(0, "0"), (1, "1"), (2, "2"), (3, "3+"), (4, "3+"), (250, "3+")])
def test_adopter_count_band_values(n, band):
    assert adopter_count_band(n) == band


def test_adopter_count_band_negative_raises():
    with pytest.raises(ValueError):
        adopter_count_band(-1)


def record(agency, stage=ReplicationStage.IMPLEMENTATION, statement=True, cancelled=False) -> ReplicationRecord:
    return ReplicationRecord(
        adopter_agency_id=agency, stage=stage, has_implementation_statement=statement, cancelled=cancelled
    )


def test_count_adopting_agencies_distinct_and_excludes_source():
    records = [record("A"), record("A"), record("B", ReplicationStage.EVALUATION), record("SRC")]
    assert count_adopting_agencies(records, source_agency_id="SRC") == 2


def test_count_adopting_agencies_unsuccessful_records_do_not_count():
    records = [
        record("A", ReplicationStage.ADAPTATION),
        record("B", ReplicationStage.AGREEMENT),
        record("C", statement=False),
        record("D", cancelled=True),
    ]
    assert count_adopting_agencies(records, source_agency_id="SRC") == 0


def test_count_adopting_agencies_one_success_among_failures_counts_once():
    records = [record("A", cancelled=True), record("A", ReplicationStage.EVALUATION), record("A")]
    assert count_adopting_agencies(records, source_agency_id="SRC") == 1
    assert adopter_count_band(count_adopting_agencies(records, source_agency_id="SRC")) == "1"


# Continuity


def test_owners_without_continuity_update_year_boundaries():
    last_updates = {
        "never": None,
        "last_year_end": date(2023, 12, 31),
        "this_year_start": date(2024, 1, 1),
        "next_year": date(2025, 2, 1),
        "old": date(2019, 5, 5),
    }
    assert owners_without_continuity_update(last_updates, 2024) == ["never", "last_year_end", "old"]


def test_owners_without_continuity_update_empty():
    assert owners_without_continuity_update({}, 2024) == []
