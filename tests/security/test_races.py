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
