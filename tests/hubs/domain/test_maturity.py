from decimal import Decimal

from jipp.hubs.domain.maturity import HubFacts, effective_level, flags, trend

FACTS = HubFacts(
    proven=10,
    proven_without_legal_basis=7,
    has_plan=True,
    plan_targets=5,
    dissemination_activities=2,
    replications_in=1,
    innovations=20,
    continuity_answers=15,
)
FULL = {"planning": 5, "institutionalisation": 5, "dissemination": 5, "evaluation": 5}


def test_full_institutionalisation_with_70_percent_unprotected_is_flagged():
    found = flags(FULL, FACTS)
    assert [(f.aspect, f.code, f.share) for f in found] == [("institutionalisation", "unprotected", Decimal("0.70"))]


def test_69_percent_unprotected_is_not_flagged():
    facts = HubFacts(**{**FACTS.__dict__, "proven": 100, "proven_without_legal_basis": 69})
    assert flags(FULL, facts) == []


def test_low_declarations_are_not_checked():
    low = {"planning": 2, "institutionalisation": 3, "dissemination": 1, "evaluation": 3}
    facts = HubFacts(0, 0, False, 0, 0, 0, 10, 0)
    assert flags(low, facts) == []


def test_every_aspect_flag():
    facts = HubFacts(
        proven=4,
        proven_without_legal_basis=4,
        has_plan=False,
        plan_targets=0,
        dissemination_activities=0,
        replications_in=0,
        innovations=10,
        continuity_answers=4,
    )
    assert [(f.aspect, f.code) for f in flags(FULL, facts)] == [
        ("planning", "no_plan"),
        ("institutionalisation", "unprotected"),
        ("dissemination", "no_dissemination"),
        ("evaluation", "continuity"),
    ]


def test_no_proven_innovation_means_no_unprotected_flag():
    facts = HubFacts(**{**FACTS.__dict__, "proven": 0, "proven_without_legal_basis": 0})
    assert flags(FULL, facts) == []


def test_trend_uses_verified_levels_and_sorts_by_year():
    points = trend(
        [
            (2026, {"planning": (4, 3), "institutionalisation": (5, None)}, True),
            (2025, {"planning": (2, None), "institutionalisation": (3, None)}, False),
        ]
    )
    assert [(p.year, p.levels, p.mean, p.verified) for p in points] == [
        (2025, {"planning": 2, "institutionalisation": 3}, Decimal("2.50"), False),
        (2026, {"planning": 3, "institutionalisation": 5}, Decimal("4.00"), True),
    ]
    assert (effective_level(4, None), effective_level(4, 2)) == (4, 2)
