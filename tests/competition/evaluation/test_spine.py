"""The whole path through the services: assignment, reviews, ranking, nomination, scrutiny,
presentations, verification, winners, publication (registry write-back) and freezing."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jipp.competition.domain.numbers import stored
from jipp.competition.evaluation import selectors, services
from jipp.competition.evaluation.models import Assignment, Finalist, Objection, Review, Winner
from jipp.competition.models import Proposal
from jipp.registry.models import Award, Innovation
from tests.factories.evaluation import PanelistMemberFactory


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here (the UI default is Indonesian)."""
    with translation.override("en"):
        yield


def score_all(edition, base=None):
    """Every evaluator submits every assigned review; proposal i gets about 50 + 5 i."""
    base = base or {}
    for a in Assignment.objects.filter(edition=edition).select_related("proposal__group", "evaluator", "edition"):
        criteria = services.rubric_of(a.proposal.group)
        level = base.get(a.proposal_id, 5 + (a.proposal_id % 5))
        scores = {str(c.pk): str(level) for c in criteria}
        services.save_review(
            user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
        )


def score_panel(edition, ministry, marks=("80", "90")):
    """One panelist scores every finalist's presentation and interview (so each has a final score)."""
    panelist = PanelistMemberFactory(edition=edition)
    services.build_schedule(
        user=ministry, edition=edition, days=[dt.date(edition.year, 6, 14)], rooms=1, day_start=dt.time(8),
        tz=zoneinfo.ZoneInfo("Asia/Jakarta"),
    )  # fmt: skip
    for f in Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE):
        services.score_presentation(user=panelist.user, finalist=f, presentation=marks[0], interview=marks[1])
    return panelist


def test_assignment_gives_k_evaluators_balanced_and_optimal(small_world):
    edition = small_world["edition"]
    run = services.run_assignment(edition=edition)
    assert run.status == "done"
    counts = {p.pk: Assignment.objects.filter(proposal=p).count() for p in small_world["proposals"]}
    assert set(counts.values()) == {3}
    loads = [Assignment.objects.filter(evaluator=m.user).count() for m in small_world["members"]]
    assert max(loads) - min(loads) <= 1
    assert run.total_cost == pytest.approx(run.optimal_cost)
    assert Proposal.objects.filter(status=Proposal.Status.IN_EVALUATION).count() == 8


def test_assignment_never_breaks_a_conflict_of_own_agency_or_home_province(small_world):
    edition = small_world["edition"]
    target = small_world["proposals"][0]
    own = small_world["members"][0].user
    own.agency = target.agency
    own.save()
    home = small_world["members"][1].user
    home.home_province = small_world["proposals"][1].province
    home.save()
    services.run_assignment(edition=edition)
    assert not Assignment.objects.filter(proposal=target, evaluator=own).exists()
    assert not Assignment.objects.filter(proposal=small_world["proposals"][1], evaluator=home).exists()
    assert services.conflict_reason(edition, target, own) == "own_agency"
    assert services.conflict_reason(edition, small_world["proposals"][1], home) == "home_province"


def test_declared_conflict_is_respected_and_rule_can_be_switched_off(small_world):
    edition = small_world["edition"]
    target = small_world["proposals"][2]
    member = small_world["members"][2]
    member.conflict_agencies.add(target.agency)
    assert services.conflict_reason(edition, target, member.user) == "declared_agency"
    small_world["rules"].conflict_declared = False
    small_world["rules"].save()
    assert services.conflict_reason(edition, target, member.user) is None


def test_reassign_second_concurrent_change_gets_conflict_message(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.filter(edition=edition).first()
    others = [
        m.user
        for m in small_world["members"]
        if not Assignment.objects.filter(proposal=a.proposal, evaluator=m.user).exists()
    ]
    services.reassign(user=ministry, assignment=a, evaluator=others[0], expected_version=1)
    stale = Assignment.objects.get(pk=a.pk)
    with pytest.raises(services.StaleAssignmentError, match="changed this assignment"):
        services.reassign(user=ministry, assignment=stale, evaluator=others[1], expected_version=1)
    assert Assignment.objects.get(pk=a.pk).evaluator == others[0]


def test_review_out_of_scale_names_criterion_and_keeps_draft(small_world):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.select_related("proposal__group").first()
    criteria = services.rubric_of(a.proposal.group)
    scores = {str(c.pk): "7" for c in criteria}
    scores[str(criteria[1].pk)] = "11"
    comments = {str(criteria[0].pk): "Ide yang jelas."}
    with pytest.raises(services.ReviewError) as caught:
        services.save_review(
            user=a.evaluator, assignment=a, scores=scores, comments=comments, submit=True, blind_declared=True
        )
    assert f"score_{criteria[1].pk}" in caught.value.field_errors
    assert str(criteria[1]) in caught.value.field_errors[f"score_{criteria[1].pk}"]
    review = Review.objects.get(assignment=a)
    assert review.status == "draft"
    assert review.comments[str(criteria[0].pk)] == "Ide yang jelas."
    assert review.scores[str(criteria[0].pk)] == "7"


def test_review_missing_criterion_refused_on_submit_but_saved_as_draft(small_world):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.select_related("proposal__group").first()
    criteria = services.rubric_of(a.proposal.group)
    scores = {str(criteria[0].pk): "8"}
    review = services.save_review(user=a.evaluator, assignment=a, scores=scores, comments={}, submit=False)
    assert review.status == "draft"
    with pytest.raises(services.ReviewError) as caught:
        services.save_review(
            user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
        )
    assert len(caught.value.field_errors) == len(criteria) - 1


def test_submitted_review_is_locked_until_reopened(small_world, ministry):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.select_related("proposal__group").first()
    scores = {str(c.pk): "10" for c in services.rubric_of(a.proposal.group)}
    review = services.save_review(
        user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
    )
    assert review.total == 100
    with pytest.raises(ValidationError, match="locked"):
        services.save_review(user=a.evaluator, assignment=a, scores=scores, comments={}, submit=False)
    services.reopen_review(user=ministry, review=review, reason="Nilai perlu dicek ulang")
    again = services.save_review(user=a.evaluator, assignment=a, scores=scores, comments={}, submit=False)
    assert again.status == "reopened"


def test_other_evaluator_cannot_save_review(small_world):
    services.run_assignment(edition=small_world["edition"])
    a = Assignment.objects.first()
    other = next(m.user for m in small_world["members"] if m.user_id != a.evaluator_id)
    with pytest.raises(PermissionDenied):
        services.save_review(user=other, assignment=a, scores={}, comments={}, submit=False)


def test_ranking_has_every_method_and_flags_disagreement(small_world):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    spread_target = small_world["proposals"][0]
    for i, a in enumerate(Assignment.objects.filter(proposal=spread_target).select_related("proposal__group")):
        scores = {str(c.pk): str([1, 10, 5][i]) for c in services.rubric_of(a.proposal.group)}
        services.save_review(
            user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
        )
    rows = selectors.ranking(edition)
    assert [r["rankable"] for r in rows] == [True] + [False] * 7
    row = rows[0]
    assert (row["id"], row["position"], row["missing_reviews"]) == (spread_target.pk, 1, 0)
    assert set(row["scores"]) == {"mean", "median", "trimmed_mean", "zscore_mean"}
    assert row["scores"]["mean"] == Decimal("48.148148")  # (0 + 100 + 44.444444) / 3, stored
    assert row["scores"]["median"] == Decimal("44.444444")
    assert row["disagreement"] is True
    assert {r["missing_reviews"] for r in rows[1:]} == {3}


def test_nomination_infeasible_gives_reason(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    small_world["rules"].min_3t = 5
    small_world["rules"].save()
    with pytest.raises(ValidationError) as caught:
        services.run_nomination(user=ministry, edition=edition)
    assert "3T" in " ".join(caught.value.messages)


def test_whole_path_to_published_results_and_frozen(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    assert len(nomination.chosen) == 3
    finalists = services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Rapat pleno 1")
    assert Proposal.objects.filter(status=Proposal.Status.FINALIST).count() == 3
    services.publish_finalists(user=ministry, edition=edition)
    f0 = Finalist.objects.get(pk=finalists[0].pk)
    objection = services.file_objection(edition=edition, finalist=f0, name="Warga", contact="w@example.id",
                                        grounds="Inovasi belum berjalan.", key="k1")  # fmt: skip
    services.resolve_objection(user=ministry, objection=objection, status=Objection.Status.DISMISSED,
                               resolution="Sudah diverifikasi, inovasi berjalan.")  # fmt: skip
    panel = [PanelistMemberFactory(edition=edition) for _ in range(2)]
    slots = services.build_schedule(
        user=ministry, edition=edition, days=[dt.date(2021, 6, 14)], rooms=1, day_start=dt.time(8),
        tz=zoneinfo.ZoneInfo("Asia/Jakarta"),
    )  # fmt: skip
    assert len(slots) == 3
    for f in Finalist.objects.filter(edition=edition):
        for p in panel:
            services.score_presentation(user=p.user, finalist=f, presentation="80", interview="90")
        services.verify(user=ministry, finalist=f, passed=True, notes="Sesuai di lapangan.")
    f0.refresh_from_db()
    assert f0.presentation_score == Decimal(85)
    assert f0.final_score == stored((70 * f0.desk_points + 30 * 85) / Decimal(100))
    winners = services.decide_winners(user=ministry, edition=edition)
    assert len(winners) == 2
    with pytest.raises(ValidationError, match="decree"):
        services.publish_results(user=ministry, edition=edition)
    services.record_decree(user=ministry, edition=edition, number="KepMenPANRB 123/2021", date=dt.date(2021, 9, 10))
    services.publish_results(user=ministry, edition=edition)
    winner = winners[0]
    innovation = Innovation.objects.get(pk=winner.finalist.proposal.innovation_id)
    assert innovation.award_tier == "top45"
    award = Award.objects.get(innovation=innovation, year=2021)
    assert award.decree_number == "KepMenPANRB 123/2021"
    assert Award.objects.filter(year=2021, tier="top99").count() == 1
    assert Proposal.objects.get(pk=winner.finalist.proposal_id).status == Proposal.Status.WINNER
    # Frozen: nothing that feeds the results changes (the full list of paths is in test_freeze.py).
    with pytest.raises(ValidationError, match="frozen"):
        services.verify(user=ministry, finalist=f0, passed=False, notes="x")
    a = Assignment.objects.filter(edition=edition).select_related("proposal__group").first()
    with pytest.raises(ValidationError, match="frozen"):
        services.save_review(user=a.evaluator, assignment=a, scores={}, comments={}, submit=False)
    assert Winner.objects.filter(edition=edition).count() == 2
    with pytest.raises(ValidationError, match="frozen"):
        services.run_nomination(user=ministry, edition=edition)
    with pytest.raises(ValidationError, match="frozen"):
        services.start_assignment(user=ministry, edition=edition)
    with pytest.raises(ValidationError, match="frozen"):
        services.update_settings(user=ministry, edition=edition, data={"passing_grade": 10})


def test_finalist_unit_is_notified_and_timeline_has_the_step(small_world, ministry):
    from jipp.competition.models import ProposalEvent
    from jipp.notifications.models import Notification
    from tests.factories import UppFactory

    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    chosen = Proposal.objects.get(pk=nomination.chosen[0])
    upp = UppFactory(unit=chosen.unit, agency=chosen.agency)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    assert Notification.objects.filter(recipient=upp, kind="kipp.proposal", target_id=str(chosen.pk)).exists()
    assert ProposalEvent.objects.filter(proposal=chosen, status=Proposal.Status.FINALIST).exists()


def test_a_revision_recomputes_the_winners_reissues_certificates_and_keeps_the_previous_version(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    finalists = list(Finalist.objects.filter(edition=edition).select_related("proposal"))
    panelist = PanelistMemberFactory(edition=edition)
    services.build_schedule(
        user=ministry, edition=edition, days=[dt.date(2021, 6, 14)], rooms=1, day_start=dt.time(8),
        tz=zoneinfo.ZoneInfo("Asia/Jakarta"),
    )  # fmt: skip
    for f in finalists:
        services.score_presentation(user=panelist.user, finalist=f, presentation="80", interview="80")
        services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    services.decide_winners(user=ministry, edition=edition)
    services.record_decree(user=ministry, edition=edition, number="SK 1/2021", date=dt.date(2021, 9, 1))
    services.publish_results(user=ministry, edition=edition)
    old = Winner.objects.current().get(edition=edition, rank=1)
    first = old.finalist
    # Published: a correction outside a revision is refused.
    with pytest.raises(ValidationError, match="frozen"):
        services.verify(user=ministry, finalist=first, passed=False, notes="Tidak berjalan")
    with pytest.raises(ValidationError, match="already published"):
        services.publish_results(user=ministry, edition=edition)
    with pytest.raises(ValidationError, match="reason"):
        services.open_revision(user=ministry, edition=edition, reason=" ")
    services.open_revision(user=ministry, edition=edition, reason="Temuan baru di lapangan")
    services.verify(user=ministry, finalist=first, passed=False, notes="Tidak berjalan")
    services.publish_results(user=ministry, edition=edition)

    first.proposal.innovation.refresh_from_db()
    assert first.proposal.innovation.award_tier == "top99"
    assert not Winner.objects.current().filter(finalist=first).exists()
    assert Award.objects.filter(year=2021, innovation=first.proposal.innovation).get().tier == "top99"
    assert Proposal.objects.get(pk=first.proposal_id).status == Proposal.Status.FINALIST
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert old.superseded_by == "-"  # no longer a winner
    current = list(Winner.objects.current().filter(edition=edition).order_by("rank"))
    assert [w.revision for w in current] == [2, 2]
    revisions = list(edition.results_revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].reason == "Temuan baru di lapangan"
    assert revisions[1].previous == revisions[0].winners
    assert any(first.proposal.title in change for change in revisions[1].changes)
    assert edition.result_changes.filter(reason="Temuan baru di lapangan").exists()
    rules = services.settings_for(edition)
    assert (rules.revision_open_at, rules.is_frozen) == (None, True)
    # Every certificate was reissued: the codes of the current winners are new.
    assert not {w.verification_code for w in current} & {w["code"] for w in revisions[0].winners}
