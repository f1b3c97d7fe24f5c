"""Extra reviews for disagreements, CSV import errors, the presentation schedule's conflicts, list pages' queries."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment, Finalist, Slot
from tests.competition.evaluation.test_spine import score_all
from tests.factories.evaluation import EvaluatorMemberFactory, PanelistMemberFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_extra_review_goes_to_an_eligible_evaluator_with_lowest_load(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    proposal = small_world["proposals"][0]
    before = set(Assignment.objects.filter(proposal=proposal).values_list("evaluator_id", flat=True))
    extra = services.add_extra_review(user=ministry, proposal=proposal)
    assert extra.evaluator_id not in before
    assert Assignment.objects.filter(proposal=proposal).count() == 4
    assert services.conflict_reason(edition, proposal, extra.evaluator) is None


def test_extra_review_refused_when_everyone_has_a_conflict_or_has_it(small_world, ministry):
    services.run_assignment(edition=small_world["edition"])
    proposal = small_world["proposals"][0]
    for m in small_world["members"]:
        m.conflict_agencies.add(proposal.agency)
    Assignment.objects.filter(proposal=proposal).delete()
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.add_extra_review(user=ministry, proposal=proposal)


def test_import_csv_names_every_bad_line_and_changes_nothing(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    before = list(Assignment.objects.order_by("pk").values_list("proposal_id", "evaluator_id"))
    target = small_world["proposals"][0]
    conflicted = small_world["members"][0]
    conflicted.conflict_agencies.add(target.agency)
    text = (
        "proposal_id,evaluator\n"
        f"{target.pk},{small_world['members'][1].user.username}\n"
        f"abc,{small_world['members'][1].user.username}\n"
        f"{target.pk},nobody\n"
        f"{target.pk},{conflicted.user.username}\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.import_assignments_csv(user=ministry, edition=edition, text=text)
    messages = " ".join(caught.value.messages)
    assert "Line 3" in messages and "Line 4" in messages and "Line 5" in messages
    assert "conflict of interest" in messages
    assert list(Assignment.objects.order_by("pk").values_list("proposal_id", "evaluator_id")) == before


def test_import_csv_replaces_a_proposals_evaluators(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    target = small_world["proposals"][0]
    names = [m.user.username for m in small_world["members"][:2]]
    text = "proposal_id,evaluator\n" + "".join(f"{target.pk},{n}\n" for n in names)
    services.import_assignments_csv(user=ministry, edition=edition, text=text)
    assert sorted(Assignment.objects.filter(proposal=target).values_list("evaluator__username", flat=True)) == sorted(
        names
    )


def test_schedule_keeps_conflicted_panelist_off_the_finalists_panel(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    finalist = Finalist.objects.filter(edition=edition).select_related("proposal").first()
    panel = [PanelistMemberFactory(edition=edition) for _ in range(4)]
    panel[0].conflict_agencies.add(finalist.proposal.agency)
    panel[2].available_days = ["2021-06-15"]
    panel[2].save()
    services.build_schedule(
        user=ministry, edition=edition, days=[dt.date(2021, 6, 14)], rooms=1, day_start=dt.time(8),
        tz=zoneinfo.ZoneInfo("Asia/Jakarta"),
    )  # fmt: skip
    slot = Slot.objects.get(finalist=finalist)
    members = set(slot.panelists.values_list("pk", flat=True))
    assert panel[0].user_id not in members
    assert panel[2].user_id not in members  # not available that day
    assert panel[1].user_id in members
    assert Slot.objects.filter(edition=edition).count() == 3


def test_panelist_not_on_the_slot_cannot_score(small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    score_all(edition)
    nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(user=ministry, nomination=nomination, plenary_record="Pleno")
    outsider = PanelistMemberFactory(edition=edition)
    finalist = Finalist.objects.filter(edition=edition).first()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.score_presentation(user=outsider.user, finalist=finalist, presentation="80", interview="80")


def test_assignments_page_query_count_does_not_grow(client, small_world, ministry, django_assert_max_num_queries):
    edition = small_world["edition"]
    for _ in range(6):
        EvaluatorMemberFactory()
    services.run_assignment(edition=edition)
    client.force_login(ministry)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("evaluation:assignments", args=[2021]))
    assert response.status_code == 200
    assert response.content.decode().count('name="version"') == 24


def test_assignments_page_flags_a_conflict_declared_after_assignment(client, small_world, ministry):
    edition = small_world["edition"]
    services.run_assignment(edition=edition)
    a = Assignment.objects.select_related("proposal").first()
    member = next(m for m in small_world["members"] if m.user_id == a.evaluator_id)
    member.conflict_agencies.add(a.proposal.agency)
    client.force_login(ministry)
    body = client.get(reverse("evaluation:assignments", args=[2021]), {"q": a.proposal_id}).content.decode()
    assert "badge text-bg-danger" in body
