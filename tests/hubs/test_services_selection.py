import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jipp.hubs.history import GUIDE
from jipp.hubs.models import Cohort, Hub, Score, SelectionRound
from jipp.hubs.selectors import round_ranking
from jipp.hubs.services.selection import (
    add_candidate,
    create_round,
    decide_round,
    declare_conflicts,
    open_scoring,
    record_scores,
    set_weights,
)
from tests.factories import MinistryUserFactory
from tests.factories.hubs import ProvinceAgencyFactory

CRITERIA = [
    ("Commitment", Decimal("40"), GUIDE),
    ("Potential", Decimal("35"), GUIDE),
    ("Support", Decimal("25"), GUIDE),
]


@pytest.fixture
def scoring_round(db):
    members = MinistryUserFactory.create_batch(2)
    round_ = create_round(year=2027, purpose="Hub provinces 2027", kind="province", criteria=CRITERIA, members=members)
    a = add_candidate(round_=round_, agency=ProvinceAgencyFactory(name="Pemerintah Provinsi A"))
    b = add_candidate(round_=round_, agency=ProvinceAgencyFactory(name="Pemerintah Provinsi B"))
    open_scoring(round_=round_)
    for m in members:
        declare_conflicts(round_=round_, member=m, conflicted=[])
    return round_, members, a, b


def levels(round_, values):
    return dict(zip(round_.criteria.values_list("pk", flat=True), values, strict=True))


def test_create_round_refuses_weights_not_summing_to_100_with_the_sum(db):
    with pytest.raises(ValidationError) as exc:
        create_round(
            year=2027, purpose="x", kind="province", criteria=[("a", Decimal("60"), GUIDE), ("b", Decimal("30"), GUIDE)]
        )
    assert exc.value.messages == ["The weights must sum to 100%; they sum to 90%."]
    assert SelectionRound.objects.count() == 0


def test_set_weights_in_draft_declares_them_and_refuses_a_wrong_sum_saving_nothing(db):
    round_ = create_round(year=2027, purpose="Seeded", kind="province", criteria=CRITERIA, weight_basis="assumed")
    ids = list(round_.criteria.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        set_weights(round_=round_, weights=dict(zip(ids, ["50", "30", "30.5"], strict=True)))
    assert exc.value.messages == ["The weights must sum to 100%; they sum to 110.5%."]
    assert list(round_.criteria.values_list("weight", "weight_basis")) == [
        (Decimal("40"), "assumed"),
        (Decimal("35"), "assumed"),
        (Decimal("25"), "assumed"),
    ]
    set_weights(round_=round_, weights=dict(zip(ids, ["50", "30", "20"], strict=True)))
    assert list(round_.criteria.values_list("weight", "weight_basis")) == [
        (Decimal("50"), "declared"),
        (Decimal("30"), "declared"),
        (Decimal("20"), "declared"),
    ]


def test_set_weights_refused_once_scoring_started(scoring_round):
    round_ = scoring_round[0]
    ids = list(round_.criteria.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        set_weights(round_=round_, weights=dict(zip(ids, ["50", "30", "20"], strict=True)))
    assert exc.value.messages == [
        "Scoring has started on this round: its weights are fixed. Try other weights with the what-if."
    ]
    assert list(round_.criteria.values_list("weight", flat=True)) == [Decimal("40"), Decimal("35"), Decimal("25")]


def test_score_outside_guide_refused_and_nothing_saved(scoring_round):
    round_, members, a, _b = scoring_round
    with pytest.raises(ValidationError) as exc:
        record_scores(round_=round_, member=members[0], candidate=a, levels=levels(round_, [5, 6, 3]))
    assert list(exc.value.message_dict.values()) == [["The level must be one of the guide's levels: 1, 2, 3, 4, 5."]]
    assert Score.objects.count() == 0


def test_conflicted_member_cannot_score(scoring_round):
    round_, members, a, _b = scoring_round
    declare_conflicts(round_=round_, member=members[0], conflicted=[a], statement="Former staff")
    with pytest.raises(ValidationError) as exc:
        record_scores(round_=round_, member=members[0], candidate=a, levels=levels(round_, [5, 5, 5]))
    assert exc.value.messages == ["You declared a conflict with this candidate; you do not score it."]


def test_scoring_needs_a_declaration(db):
    member = MinistryUserFactory()
    round_ = create_round(year=2027, purpose="x", kind="province", criteria=CRITERIA, members=[member])
    a = add_candidate(round_=round_, agency=ProvinceAgencyFactory())
    open_scoring(round_=round_)
    with pytest.raises(ValidationError) as exc:
        record_scores(round_=round_, member=member, candidate=a, levels=levels(round_, [5, 5, 5]))
    assert exc.value.messages == ["Declare your conflicts of interest before scoring."]


def test_ranking_and_what_if_from_stored_scores(scoring_round):
    round_, (m1, m2), a, b = scoring_round
    record_scores(round_=round_, member=m1, candidate=a, levels=levels(round_, [5, 2, 2]))
    record_scores(round_=round_, member=m2, candidate=a, levels=levels(round_, [5, 2, 2]))
    record_scores(round_=round_, member=m1, candidate=b, levels=levels(round_, [2, 5, 5]))
    record_scores(round_=round_, member=m2, candidate=b, levels=levels(round_, [2, 4, 5]))
    ranking = round_ranking(round_=round_)
    # B: 16 + 31.5 + 25 = 72.5; A: 40 + 14 + 10 = 64
    assert [(r.name, r.total, r.spread) for r in ranking.rows] == [
        ("Pemerintah Provinsi B", Decimal("72.50"), Decimal("7.00")),
        ("Pemerintah Provinsi A", Decimal("64.00"), Decimal("0.00")),
    ]
    ids = [c.pk for c in ranking.criteria]
    what_if = round_ranking(round_=round_, weights=dict(zip(ids, [Decimal(80), Decimal(10), Decimal(10)], strict=True)))
    assert [r.name for r in what_if.rows] == ["Pemerintah Provinsi A", "Pemerintah Provinsi B"]
    assert what_if.what_if is True


def test_ranking_figures_in_constant_queries(scoring_round, django_assert_max_num_queries):
    round_ = scoring_round[0]
    with django_assert_max_num_queries(12):
        ranking = round_ranking(round_=round_)
    assert len(ranking.figures) == 2


def test_decide_round_designates_a_cohort_by_decree(scoring_round):
    round_, members, a, b = scoring_round
    decision = decide_round(
        round_=round_,
        chosen=[a],
        decree_number="KepmenPANRB 12/2027",
        decree_date=dt.date(2027, 3, 1),
        decided_by=members[0],
    )
    cohort = Cohort.objects.get(year=2027)
    assert (decision.cohort, cohort.decree_number) == (cohort, "KepmenPANRB 12/2027")
    hub = Hub.objects.get(agency=a.agency)
    assert (hub.cohort, hub.designated_on, hub.kind) == (cohort, dt.date(2027, 3, 1), "province")
    round_.refresh_from_db()
    assert (round_.status, round_.cohort) == ("decided", cohort)
    assert Hub.objects.filter(agency=b.agency).exists() is False


def test_decide_round_refused_for_existing_hub_leaves_nothing(scoring_round):
    round_, members, a, _b = scoring_round
    from tests.factories.hubs import HubFactory

    HubFactory(agency=a.agency)
    with pytest.raises(ValidationError):
        decide_round(round_=round_, chosen=[a], decree_number="K 1", decree_date=dt.date(2027, 3, 1), decided_by=None)
    round_.refresh_from_db()
    assert round_.status == "scoring"
    assert Cohort.objects.filter(year=2027).exists() is False
