"""Issue #15 point 7: the national screening as a background job that never runs twice at once for an
edition (a second request joins the running one) and that `resume_task_runs` restarts cleanly after
its worker died, finishing once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jipp.competition import services
from jipp.competition.models import ScreeningFlag, ScreeningRun
from jipp.competition.tasks import SCREEN, screen_edition_task
from jipp.core import taskruns
from jipp.core.models import TaskRun
from tests.factories import MinistryUserFactory
from tests.factories.competition import forwarded_proposal

pytestmark = pytest.mark.django_db


def _runs(edition):
    return list(TaskRun.objects.filter(name=SCREEN, scope=f"edition:{edition.pk}").order_by("pk"))


def test_a_second_request_joins_the_running_screening(django_capture_on_commit_callbacks):
    proposal = forwarded_proposal()
    ministry = MinistryUserFactory()
    with django_capture_on_commit_callbacks() as enqueued:
        first = services.start_screening(user=ministry, edition=proposal.edition)
        second = services.start_screening(user=ministry, edition=proposal.edition)
    assert second.pk == first.pk
    assert len(enqueued) == 1  # one task enqueued for both requests
    assert [r.state for r in _runs(proposal.edition)] == [TaskRun.State.QUEUED]
    assert ScreeningRun.objects.filter(edition=proposal.edition).count() == 1


def test_a_screening_delivered_twice_runs_once():
    proposal = forwarded_proposal()
    record = services.start_screening(user=MinistryUserFactory(), edition=proposal.edition)
    (task_run,) = _runs(proposal.edition)
    assert screen_edition_task.call(edition_id=proposal.edition_id, run_id=task_run.pk) == record.pk
    assert screen_edition_task.call(edition_id=proposal.edition_id, run_id=task_run.pk) == -1
    record.refresh_from_db()
    assert (record.status, record.progress, record.proposals) == (ScreeningRun.Status.DONE, 100, 1)
    task_run.refresh_from_db()
    assert (task_run.state, task_run.progress_done, task_run.progress_total) == (TaskRun.State.DONE, 100, 100)


def test_a_screening_whose_worker_died_is_restarted_and_finishes_once(django_capture_on_commit_callbacks):
    proposal = forwarded_proposal()
    forwarded_proposal(edition=proposal.edition, group=proposal.group, title=proposal.title)  # a finding
    edition = proposal.edition
    reference = services.screen_edition(edition=edition)  # what a clean run finds
    expected_flags = sorted(ScreeningFlag.objects.filter(proposal=proposal).values_list("kind", flat=True))
    assert expected_flags  # the proposal has findings, so a doubled run would show
    reference.delete()
    record = services.start_screening(user=MinistryUserFactory(), edition=edition)
    (dead,) = _runs(edition)
    # The worker claimed it, reported 40 % and died: no heartbeat for longer than STALE_AFTER.
    long_ago = timezone.now() - taskruns.STALE_AFTER - dt.timedelta(minutes=1)
    TaskRun.objects.filter(pk=dead.pk).update(
        state=TaskRun.State.RUNNING, started_at=long_ago, heartbeat_at=long_ago, progress_done=40
    )
    ScreeningRun.objects.filter(pk=record.pk).update(status=ScreeningRun.Status.RUNNING, progress=40)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_task_runs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    dead.refresh_from_db()
    assert dead.state == TaskRun.State.ABANDONED
    assert [r.state for r in _runs(edition)] == [TaskRun.State.ABANDONED, TaskRun.State.DONE]
    record.refresh_from_db()
    assert (record.status, record.progress) == (ScreeningRun.Status.DONE, 100)
    assert ScreeningRun.objects.filter(edition=edition).count() == 1  # the restart took over the same run
    flags = sorted(ScreeningFlag.objects.filter(proposal=proposal).values_list("kind", flat=True))
    assert flags == expected_flags  # replaced, not added twice
    # Nothing is left to resume.
    with django_capture_on_commit_callbacks(execute=True):
        assert taskruns.resume_abandoned() == []
