"""A hub's admins act as the secretariat of their own hub's provincial edition only, through the KIPP
services themselves (competition's organiser hook, filled by the hubs app); never on KIPP national or on
another hub's edition."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from jipp.competition import rules as competition_rules
from jipp.competition import services as kipp
from jipp.competition.evaluation.models import AssignmentRun
from jipp.competition.evaluation.services.assignment import start_assignment
from jipp.competition.models import Group, Proposal, ScreeningRun, Stage
from jipp.hubs.services.competition import open_provincial_edition
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import complete_proposal, juklak_edition
from tests.factories.hubs import HubAdminFactory, HubFactory, MentorFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def _open(edition):
    edition.is_published = True
    edition.save()
    Stage.objects.filter(edition=edition, kind=Stage.Kind.SUBMISSION).update(
        starts_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), ends_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    return edition


def _entry(edition) -> Proposal:
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit, start_date=dt.date(2020, 1, 1))
    group = edition.groups.get(kind=Group.Kind.UMUM)
    entry = complete_proposal(kipp.start_proposal(user=upp, edition=edition, group=group, innovation=innovation))
    now = timezone.now()
    kipp.submit_to_admin_lokal(user=upp, proposal=entry, now=now)
    return kipp.forward_proposal(user=AdminLokalFactory(agency=entry.agency), proposal=entry, now=now)


@pytest.fixture
def world():
    national = juklak_edition(2026)
    hub_x, hub_y = HubFactory(), HubFactory()
    # X's admin is named on the hub (another agency's account): the hubs rule decides, not the agency.
    admin_x = HubAdminFactory()
    hub_x.admins.add(admin_x)
    admin_y = HubAdminFactory(agency=hub_y.agency)
    edition_x = _open(open_provincial_edition(user=admin_x, hub=hub_x, year=2026, name="Kompetisi X 2026"))
    edition_y = _open(open_provincial_edition(user=admin_y, hub=hub_y, year=2026, name="Kompetisi Y 2026"))
    return {
        "national": national,
        "hub_x": hub_x,
        "hub_y": hub_y,
        "admin_x": admin_x,
        "admin_y": admin_y,
        "edition_x": edition_x,
        "edition_y": edition_y,
    }


def test_hub_admin_screens_decides_and_assigns_their_edition_through_the_kipp_services(world):
    admin, edition = world["admin_x"], world["edition_x"]
    entry = _entry(edition)
    run = kipp.start_screening(user=admin, edition=edition)
    assert (run.edition_id, run.started_by_id, ScreeningRun.objects.filter(edition=edition).count()) == (
        edition.pk,
        admin.pk,
        1,
    )
    decision = kipp.decide(user=admin, proposal=entry, outcome="pass", reason="Berkas lengkap.")
    entry.refresh_from_db()
    assert (decision.decided_by_id, entry.status) == (admin.pk, Proposal.Status.PASSED_ADMINISTRATION)
    assignment_run = start_assignment(user=admin, edition=edition)
    assert list(AssignmentRun.objects.values_list("pk", "edition_id")) == [(assignment_run.pk, edition.pk)]


def test_hub_admin_is_refused_on_kipp_national_and_on_another_hubs_edition(world):
    admin = world["admin_x"]
    national_entry = _entry(world["national"])
    other_entry = _entry(world["edition_y"])
    for edition in (world["national"], world["edition_y"]):
        with pytest.raises(PermissionDenied):
            kipp.start_screening(user=admin, edition=edition)
        with pytest.raises(PermissionDenied):
            start_assignment(user=admin, edition=edition)
    for entry in (national_entry, other_entry):
        with pytest.raises(PermissionDenied):
            kipp.decide(user=admin, proposal=entry, outcome="pass", reason="Berkas lengkap.")
    assert (ScreeningRun.objects.count(), AssignmentRun.objects.count()) == (0, 0)
    assert Proposal.objects.filter(status=Proposal.Status.PASSED_ADMINISTRATION).count() == 0


@pytest.mark.parametrize(
    "perm",
    [
        "competition.screen_edition",
        "evaluation.manage_team",
        "evaluation.manage_assignments",
        "evaluation.view_ranking",
        "evaluation.nominate",
        "evaluation.manage_results",
    ],
)
def test_secretariat_rules_admit_the_hub_admin_on_their_edition_only(world, perm):
    admin, ministry = world["admin_x"], MinistryUserFactory()
    got = [admin.has_perm(perm, world[k]) for k in ("edition_x", "edition_y", "national")]
    assert got == [True, False, False]
    assert [ministry.has_perm(perm, world[k]) for k in ("edition_x", "edition_y", "national")] == [True] * 3
    assert MentorFactory().has_perm(perm, world["edition_x"]) is False


def test_without_a_registered_organiser_check_only_the_ministry_acts(world, monkeypatch):
    monkeypatch.setattr(competition_rules, "_ORGANISER_CHECKS", [])
    assert world["admin_x"].has_perm("competition.screen_edition", world["edition_x"]) is False
    assert MinistryUserFactory().has_perm("competition.screen_edition", world["edition_x"]) is True


def test_secretariat_pages_of_the_hub_edition(client, world):
    hub_x, edition_x = world["hub_x"], world["edition_x"]
    entry = _entry(edition_x)
    client.force_login(world["admin_x"])
    page = client.get(reverse("hubs:edition", args=[hub_x.pk, edition_x.pk]))
    assert (page.status_code, [p.pk for p in page.context["page"]]) == (200, [entry.pk])
    assert client.post(reverse("hubs:edition_screen", args=[hub_x.pk, edition_x.pk])).status_code == 302
    assert ScreeningRun.objects.filter(edition=edition_x).count() == 1
    response = client.post(
        reverse("hubs:edition_decide", args=[hub_x.pk, edition_x.pk, entry.pk]),
        {"outcome": "fail", "reason": "Lampiran SK tidak ada."},
    )
    entry.refresh_from_db()
    assert (response.status_code, entry.status, entry.decision_reason) == (
        302,
        Proposal.Status.FAILED_ADMINISTRATION,
        "Lampiran SK tidak ada.",
    )
    assert client.post(reverse("hubs:edition_assign", args=[hub_x.pk, edition_x.pk])).status_code == 302
    assert AssignmentRun.objects.filter(edition=edition_x).count() == 1


def test_secretariat_pages_refuse_kipp_and_other_hubs(client, world):
    hub_x, hub_y, national = world["hub_x"], world["hub_y"], world["national"]
    edition_y = world["edition_y"]
    client.force_login(world["admin_x"])
    refused = [
        ("get", reverse("hubs:edition", args=[hub_x.pk, national.pk])),
        ("post", reverse("hubs:edition_screen", args=[hub_x.pk, national.pk])),
        ("post", reverse("hubs:edition_assign", args=[hub_x.pk, national.pk])),
        ("get", reverse("hubs:edition", args=[hub_x.pk, edition_y.pk])),
        ("post", reverse("hubs:edition_screen", args=[hub_x.pk, edition_y.pk])),
        ("get", reverse("hubs:edition", args=[hub_y.pk, edition_y.pk])),
        ("post", reverse("hubs:edition_assign", args=[hub_y.pk, edition_y.pk])),
        # KIPP's own secretariat pages stay the Ministry's.
        ("get", reverse("competition:screening", args=[national.year])),
        ("post", reverse("competition:screening_start", args=[national.year])),
        ("get", reverse("evaluation:assignments", args=[national.year])),
        ("post", reverse("evaluation:assignment_start", args=[national.year])),
    ]
    assert [(url, getattr(client, method)(url).status_code) for method, url in refused] == [
        (url, 403) for _m, url in refused
    ]
    assert (ScreeningRun.objects.count(), AssignmentRun.objects.count()) == (0, 0)
    # A mentor of the hub sees the hub's work but is not its competition's secretariat.
    mentor = MentorFactory()
    hub_x.mentors.add(mentor)
    client.force_login(mentor)
    assert client.get(reverse("hubs:edition", args=[hub_x.pk, world["edition_x"].pk])).status_code == 403


def test_the_background_screening_and_assignment_of_a_provincial_edition_finish(
    client, world, django_capture_on_commit_callbacks
):
    """Regression: the tasks loaded the edition through the national-only manager and failed on a
    provincial edition (its run stayed queued): they finish now."""
    from jipp.competition.evaluation.models import Assignment
    from tests.factories.evaluation import EvalProposalFactory, EvaluatorMemberFactory

    hub_x, edition_x = world["hub_x"], world["edition_x"]
    _entry(edition_x)
    client.force_login(world["admin_x"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hubs:edition_screen", args=[hub_x.pk, edition_x.pk]))
    assert ScreeningRun.objects.get(edition=edition_x).status == ScreeningRun.Status.DONE
    entries = [EvalProposalFactory(edition=edition_x) for _ in range(3)]
    for _i in range(3):
        EvaluatorMemberFactory(edition=edition_x)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hubs:edition_assign", args=[hub_x.pk, edition_x.pk]))
    assert AssignmentRun.objects.get(edition=edition_x).status == "done"
    assert sorted(set(Assignment.objects.filter(edition=edition_x).values_list("proposal_id", flat=True))) == sorted(
        p.pk for p in entries
    )
