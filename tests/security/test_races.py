"""Races: two transitions of the same object at the same moment; exactly one wins, the loser is told
"already ...", nothing is half-done and notifications fire once. Runs against the real database
(SQLite by default, PostgreSQL when DATABASE_URL is set), one connection per thread."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from jipp.competition import services
from jipp.competition.models import Proposal, ProposalSnapshot
from jipp.notifications.models import Notification
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.competition import ProposalFactory, complete_proposal, juklak_edition
from tests.security.conftest import race

pytestmark = pytest.mark.django_db(transaction=True)


def _with_admin_lokal():
    edition = juklak_edition(2026)
    proposal = complete_proposal(ProposalFactory(edition=edition))
    services.submit_to_admin_lokal(user=UppFactory(unit=proposal.unit), proposal=proposal)
    return proposal, AdminLokalFactory(agency=proposal.agency), AdminLokalFactory(agency=proposal.agency)


def _winners_and_losers(outcomes):
    winners = [r for r, e in outcomes if e is None]
    losers = [e for r, e in outcomes if e is not None]
    return winners, losers


@pytest.mark.parametrize("attempt", range(3))
def test_forward_and_return_race_exactly_one_wins(attempt):
    proposal, admin1, admin2 = _with_admin_lokal()
    mail.outbox.clear()
    notes_before = Notification.objects.count()
    outcomes = race(
        lambda: services.forward_proposal(user=admin1, proposal=Proposal.objects.get(pk=proposal.pk)),
        lambda: services.return_to_unit(user=admin2, proposal=Proposal.objects.get(pk=proposal.pk), note="Perbaiki."),
    )
    winners, losers = _winners_and_losers(outcomes)
    assert len(winners) == 1
    assert len(losers) == 1
    assert isinstance(losers[0], ValidationError)
    assert losers[0].code == "already"
    proposal.refresh_from_db()
    if proposal.status == "forwarded":
        assert "already forwarded" in losers[0].messages[0]
        assert ProposalSnapshot.objects.filter(proposal=proposal).count() == 1
        assert proposal.return_note == ""
    else:
        assert proposal.status == "returned"
        assert "already returned" in losers[0].messages[0]
        assert ProposalSnapshot.objects.filter(proposal=proposal).count() == 0
    assert proposal.events.filter(status__in=["forwarded", "returned"]).count() == 1
    # One transition's notifications only: forward tells unit + agency (3 people), return the unit (1).
    expected = 3 if proposal.status == "forwarded" else 1
    assert Notification.objects.count() - notes_before == expected


def test_two_forwards_race_exactly_one_wins():
    proposal, admin1, admin2 = _with_admin_lokal()
    outcomes = race(
        lambda: services.forward_proposal(user=admin1, proposal=Proposal.objects.get(pk=proposal.pk)),
        lambda: services.forward_proposal(user=admin2, proposal=Proposal.objects.get(pk=proposal.pk)),
    )
    winners, losers = _winners_and_losers(outcomes)
    assert len(winners) == 1
    assert [e.messages for e in losers] == [
        ["This proposal was already forwarded to the Ministry; nothing was changed."]
    ]
    assert Proposal.objects.get(pk=proposal.pk).version == proposal.version + 1


def test_two_returns_race_exactly_one_wins():
    proposal, admin1, admin2 = _with_admin_lokal()
    outcomes = race(
        lambda: services.return_to_unit(user=admin1, proposal=Proposal.objects.get(pk=proposal.pk), note="A"),
        lambda: services.return_to_unit(user=admin2, proposal=Proposal.objects.get(pk=proposal.pk), note="B"),
    )
    winners, losers = _winners_and_losers(outcomes)
    assert len(winners) == 1
    assert [e.messages for e in losers] == [["This proposal was already returned to the unit; nothing was changed."]]
    assert proposal.events.filter(status="returned").count() == 1


# --- replication requests ---------------------------------------------------------------------


def _requested_replication():
    from jipp.replication import services as replication_services
    from tests.factories.registry import InnovationFactory

    source = UppFactory()
    source_admin = AdminLokalFactory(agency=source.agency)
    innovation = InnovationFactory(unit=source.unit)
    adopter = UppFactory()
    replication = replication_services.request_replication(
        user=adopter, innovations=[innovation], adopter_unit=None, mode="mentoring", problem="Antrian panjang",
        request_note="Mohon pendampingan",
    )  # fmt: skip
    return replication, source, source_admin, adopter


def _notifications(kinds):
    from jipp.notifications.models import Notification as Note

    return sorted(Note.objects.filter(kind__in=kinds).values_list("kind", flat=True))


@pytest.mark.parametrize("attempt", range(2))
def test_accept_and_decline_race_exactly_one_wins_and_notifies_once(attempt):
    from jipp.replication import services as replication_services
    from jipp.replication.models import Replication, TimelineEntry

    replication, source, source_admin, _adopter = _requested_replication()
    kinds = ["replication.accepted", "replication.declined"]
    outcomes = race(
        lambda: replication_services.respond_to_request(
            user=source, replication=Replication.objects.get(pk=replication.pk), accept=True, note="Siap"
        ),
        lambda: replication_services.respond_to_request(
            user=source_admin, replication=Replication.objects.get(pk=replication.pk), accept=False, note="Maaf"
        ),
    )
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "already"
    replication.refresh_from_db()
    assert losers[0].messages == [f"This request was already {replication.status}; nothing was changed."]
    assert replication.status in ("accepted", "declined")
    answered = TimelineEntry.objects.filter(replication=replication, kind__in=["accepted", "declined"])
    assert list(answered.values_list("kind", flat=True)) == [replication.status]
    # Only the winning answer is told, and each person hears of it once (the actor never of their own act).
    from django.db.models import Count

    from jipp.notifications.models import Notification as Note

    told = Note.objects.filter(kind__in=kinds).values("kind", "recipient").annotate(n=Count("id"))
    assert {row["kind"] for row in told} == {f"replication.{replication.status}"}
    assert {row["n"] for row in told} == {1}


def test_answer_and_withdrawal_race_exactly_one_wins():
    from jipp.replication import services as replication_services
    from jipp.replication.models import Replication, TimelineEntry

    replication, source, _source_admin, adopter = _requested_replication()
    outcomes = race(
        lambda: replication_services.respond_to_request(
            user=source, replication=Replication.objects.get(pk=replication.pk), accept=True, note="Siap"
        ),
        lambda: replication_services.withdraw_request(
            user=adopter, replication=Replication.objects.get(pk=replication.pk)
        ),
    )
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    replication.refresh_from_db()
    assert losers[0].messages == [f"This request was already {replication.status}; nothing was changed."]
    kinds = list(
        TimelineEntry.objects.filter(replication=replication, kind__in=["accepted", "withdrawn"]).values_list(
            "kind", flat=True
        )
    )
    assert kinds == [replication.status]


def test_two_saves_of_one_stage_queue_without_a_duplicate():
    import datetime as dt

    from jipp.replication import services as replication_services
    from jipp.replication.models import Replication, StageRecord

    replication, source, _source_admin, adopter = _requested_replication()
    replication_services.respond_to_request(user=source, replication=replication, accept=True, note="Siap")
    colleague = UppFactory(unit=adopter.unit)
    today = dt.date.today()
    outcomes = race(
        *[
            (lambda who=who, note=note: replication_services.record_stage(
                user=who, replication=Replication.objects.get(pk=replication.pk), stage="preparation",
                started_on=today, notes=note,
            ))
            for who, note in ((adopter, "A"), (colleague, "B"))
        ]
    )  # fmt: skip
    assert [e for _r, e in outcomes] == [None, None]
    assert StageRecord.objects.filter(replication=replication).count() == 1
    assert StageRecord.objects.get(replication=replication).notes in ("A", "B")


# --- legal bases ------------------------------------------------------------------------------


def _legal_basis_kwargs(innovation):
    import datetime as dt

    return {"innovation": innovation, "type": "perkada", "number": "12", "issued_on": dt.date(2024, 3, 1),
            "title": "Peraturan Bupati tentang layanan", "issued_by": "Bupati Sidoarjo"}  # fmt: skip


def test_two_records_of_the_same_legal_basis_race_one_is_told_already():
    from jipp.institutionalisation import services as legal_services
    from jipp.institutionalisation.models import LegalBasis
    from tests.factories.registry import InnovationFactory

    innovation = InnovationFactory()
    users = [UppFactory(unit=innovation.unit), AdminLokalFactory(agency=innovation.agency)]
    outcomes = race(
        *[(lambda u=u: legal_services.add_legal_basis(user=u, **_legal_basis_kwargs(innovation))) for u in users]
    )
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert isinstance(losers[0], ValidationError)
    assert losers[0].messages == ["Number 12 from Bupati Sidoarjo in 2024 is already recorded for this innovation."]
    assert LegalBasis.objects.filter(innovation=innovation).count() == 1


def test_two_removals_of_a_legal_basis_race_one_is_told_already():
    from jipp.institutionalisation import services as legal_services
    from jipp.institutionalisation.models import LegalBasis
    from jipp.registry.models import Innovation
    from tests.factories.registry import InnovationFactory

    innovation = InnovationFactory()
    owner = UppFactory(unit=innovation.unit)
    basis = legal_services.add_legal_basis(user=owner, **_legal_basis_kwargs(innovation))
    users = [owner, AdminLokalFactory(agency=innovation.agency)]
    outcomes = race(
        *[
            (lambda u=u: legal_services.delete_legal_basis(user=u, legal_basis=LegalBasis.objects.get(pk=basis.pk)))
            for u in users
        ]
    )
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "already"
    assert losers[0].messages == ["This legal basis was already removed; nothing was changed."]
    assert LegalBasis.objects.filter(innovation=innovation).count() == 0
    assert Innovation.objects.get(pk=innovation.pk).has_legal_basis is False


# --- reviews and results ------------------------------------------------------------------------


@pytest.fixture
def evaluation():
    """The evaluation's smallest full path (as tests/competition/evaluation/conftest.py `small_world`)."""
    import importlib

    from django.apps import apps
    from django.core.cache import cache

    from jipp.competition.evaluation import services as evaluation
    from jipp.competition.models import Edition
    from jipp.registry.models import AwardTier
    from tests.factories.competition import _reference_data
    from tests.factories.evaluation import EvalProposalFactory, EvaluatorMemberFactory, edition_2021

    cache.clear()
    # The 2021 edition and its reference data come from data migrations, which a transactional test's
    # flush removes: put them back the way the migrations do.
    _reference_data()
    if not Edition.objects.filter(year=2021).exists():
        importlib.import_module("jipp.competition.migrations.0002_edition_2021").forwards(apps, None)
    if not AwardTier.objects.exists():
        for name in ("0007_seed_award_tiers", "0013_fix_competition_award_tiers"):
            importlib.import_module(f"jipp.registry.migrations.{name}").forwards(apps, None)
    edition = edition_2021()
    rules = evaluation.settings_for(edition)
    small = {"finalists_umum": 3, "finalists_khusus": 0, "min_3t": 0, "max_category_share": 1,
             "max_province_share": 1, "passing_grade": 0, "top_umum": 2, "top_outstanding": 0}  # fmt: skip
    for field, value in small.items():
        setattr(rules, field, value)
    rules.save()
    for i in range(8):
        EvalProposalFactory(categories=["health"] if i % 2 else ["education"])
    for i in range(6):
        EvaluatorMemberFactory(expertise=["health"] if i % 2 else ["education"])
    evaluation.run_assignment(edition=edition)
    yield edition
    cache.clear()


def _submit(assignment):
    from jipp.competition.evaluation import services as evaluation

    criteria = evaluation.rubric_of(assignment.proposal.group)
    return evaluation.save_review(
        user=assignment.evaluator, assignment=assignment, scores={str(c.pk): "7" for c in criteria}, comments={},
        submit=True, blind_declared=True,
    )  # fmt: skip


@pytest.mark.parametrize("attempt", range(2))
def test_review_submit_and_reassign_race_exactly_one_wins(evaluation, attempt):
    from jipp.competition.evaluation import services as evaluation_services
    from jipp.competition.evaluation.models import Assignment, Member, Review
    from tests.factories import MinistryUserFactory

    ministry = MinistryUserFactory()
    assignment = Assignment.objects.select_related("proposal__group", "evaluator", "edition").first()
    taken = Assignment.objects.filter(proposal=assignment.proposal).values_list("evaluator_id", flat=True)
    other = Member.objects.filter(edition=evaluation, kind="evaluator").exclude(user_id__in=taken).first().user
    first_evaluator = assignment.evaluator_id
    outcomes = race(
        lambda: _submit(Assignment.objects.select_related("proposal__group", "evaluator").get(pk=assignment.pk)),
        lambda: evaluation_services.reassign(
            user=ministry, assignment=Assignment.objects.get(pk=assignment.pk), evaluator=other,
            expected_version=assignment.version,
        ),
    )  # fmt: skip
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "already"
    assignment.refresh_from_db()
    if outcomes[0][1] is None:  # the submission won: the review is kept, the assignment stays
        assert losers[0].messages == ["This review was already submitted; reopen it before reassigning."]
        assert assignment.evaluator_id == first_evaluator
        assert Review.objects.get(assignment=assignment).status == Review.Status.SUBMITTED
    else:  # the reassignment won: nothing of the first evaluator is left on it
        assert losers[0].messages == ["This proposal was already reassigned to another evaluator; nothing was saved."]
        assert assignment.evaluator_id == other.pk
        assert Review.objects.filter(assignment=assignment).count() == 0


def _ready_to_publish(edition):
    import datetime as dt

    from jipp.competition.evaluation import services as evaluation_services
    from jipp.competition.evaluation.models import Finalist
    from tests.competition.evaluation.test_spine import score_all, score_panel
    from tests.factories import MinistryUserFactory

    ministry = MinistryUserFactory()
    score_all(edition)
    nomination = evaluation_services.run_nomination(user=ministry, edition=edition)
    evaluation_services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    evaluation_services.publish_finalists(user=ministry, edition=edition, now=dt.datetime(2021, 6, 1, tzinfo=dt.UTC))
    score_panel(edition, ministry)
    for f in Finalist.objects.filter(edition=edition):
        evaluation_services.verify(user=ministry, finalist=f, passed=True, notes="ok")
    evaluation_services.decide_winners(user=ministry, edition=edition)
    evaluation_services.record_decree(user=ministry, edition=edition, number="SK 9/2021", date=dt.date(2021, 9, 1))
    return ministry


def test_two_publications_of_the_results_race_exactly_one_publishes(evaluation):
    from jipp.competition.evaluation import services as evaluation_services
    from jipp.competition.evaluation.models import ResultsRevision

    ministry = _ready_to_publish(evaluation)
    outcomes = race(*[(lambda: evaluation_services.publish_results(user=ministry, edition=evaluation))] * 2)
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "already"
    assert losers[0].messages == ["The results are already published. Open a revision to correct them."]
    assert ResultsRevision.objects.filter(edition=evaluation).count() == 1


def test_publication_and_a_correction_race_the_correction_is_published_or_refused(evaluation):
    from jipp.competition.evaluation import services as evaluation_services
    from jipp.competition.evaluation.common import FrozenError
    from jipp.competition.evaluation.models import Finalist, ResultChange, ResultsRevision

    ministry = _ready_to_publish(evaluation)
    evaluation_services.publish_results(user=ministry, edition=evaluation)
    evaluation_services.open_revision(user=ministry, edition=evaluation, reason="Salah ketik")
    finalist = Finalist.objects.filter(edition=evaluation).order_by("pk").first()
    outcomes = race(
        lambda: evaluation_services.publish_results(user=ministry, edition=evaluation),
        lambda: evaluation_services.verify(
            user=ministry, finalist=Finalist.objects.get(pk=finalist.pk), passed=True, notes="dicek ulang"
        ),
    )
    assert outcomes[0][1] is None  # the publication always goes through
    revision = ResultsRevision.objects.filter(edition=evaluation).order_by("-number").first()
    correction = ResultChange.objects.filter(edition=evaluation, what__startswith="field verification").first()
    if outcomes[1][1] is None:  # the correction landed first: it is part of what was published
        assert correction.changed_at <= revision.published_at
    else:  # the publication came first: the correction is refused as frozen and left no trace
        assert isinstance(outcomes[1][1], FrozenError)
        assert correction is None
        assert Finalist.objects.get(pk=finalist.pk).verification_notes == "ok"
    assert Finalist.objects.get(pk=finalist.pk).verification_notes in ("ok", "dicek ulang")


def test_two_revision_openings_race_one_is_told_already(evaluation):
    from jipp.competition.evaluation import services as evaluation_services
    from jipp.competition.evaluation.models import ResultChange

    ministry = _ready_to_publish(evaluation)
    evaluation_services.publish_results(user=ministry, edition=evaluation)
    outcomes = race(
        *[(lambda r=r: evaluation_services.open_revision(user=ministry, edition=evaluation, reason=r)) for r in "AB"]
    )
    winners, losers = _winners_and_losers(outcomes)
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].messages == ["A revision is already open."]
    assert ResultChange.objects.filter(edition=evaluation, what="open a revision").count() == 1
