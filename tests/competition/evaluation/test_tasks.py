"""Issue #15 point 7: the evaluator assignment as a background job: one at a time per edition (a second
request joins the running one), delivered twice it runs once, and after its worker died
`resume_task_runs` restarts it cleanly and it finishes once (the assignments written once, whole)."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment, AssignmentRun
from jipp.competition.evaluation.services.assignment import ASSIGN, assign_task
from jipp.core import taskruns
from jipp.core.models import TaskRun


def _runs(edition):
    return list(TaskRun.objects.filter(name=ASSIGN, scope=f"edition:{edition.pk}").order_by("pk"))


def _pairs(edition):
    return sorted(Assignment.objects.filter(edition=edition).values_list("proposal_id", "evaluator_id"))


def test_a_second_request_joins_the_running_assignment(small_world, ministry, django_capture_on_commit_callbacks):
    edition = small_world["edition"]
    with django_capture_on_commit_callbacks() as enqueued:
        first = services.start_assignment(user=ministry, edition=edition)
        second = services.start_assignment(user=ministry, edition=edition)
    assert second.pk == first.pk
    assert len(enqueued) == 1
    assert [r.state for r in _runs(edition)] == [TaskRun.State.QUEUED]
    assert AssignmentRun.objects.filter(edition=edition).count() == 1


def test_an_assignment_delivered_twice_runs_once(small_world, ministry):
    edition = small_world["edition"]
    record = services.start_assignment(user=ministry, edition=edition)
    (task_run,) = _runs(edition)
    assert assign_task.call(edition_id=edition.pk, run_id=task_run.pk) == record.pk
    pairs = _pairs(edition)
    assert assign_task.call(edition_id=edition.pk, run_id=task_run.pk) == -1
    assert _pairs(edition) == pairs
    assert len(pairs) == 8 * 3
    record.refresh_from_db()
    task_run.refresh_from_db()
    assert (record.status, task_run.state, task_run.progress_done) == ("done", "done", 100)


def test_an_assignment_whose_worker_died_is_restarted_and_finishes_once(
    small_world, ministry, django_capture_on_commit_callbacks
):
    edition = small_world["edition"]
    record = services.start_assignment(user=ministry, edition=edition)
    (dead,) = _runs(edition)
    long_ago = timezone.now() - taskruns.STALE_AFTER - dt.timedelta(minutes=1)
    TaskRun.objects.filter(pk=dead.pk).update(
        state=TaskRun.State.RUNNING, started_at=long_ago, heartbeat_at=long_ago, progress_done=20
    )
    AssignmentRun.objects.filter(pk=record.pk).update(status=AssignmentRun.Status.RUNNING)
    assert _pairs(edition) == []  # nothing written before the end: no half-done assignment
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_task_runs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [r.state for r in _runs(edition)] == [TaskRun.State.ABANDONED, TaskRun.State.DONE]
    record.refresh_from_db()
    assert record.status == AssignmentRun.Status.DONE
    assert AssignmentRun.objects.filter(edition=edition).count() == 1
    pairs = _pairs(edition)
    assert len(pairs) == len(set(pairs)) == 8 * 3
    with django_capture_on_commit_callbacks(execute=True):
        assert taskruns.resume_abandoned() == []


def test_the_assignments_page_shows_the_running_task(small_world, ministry, client):
    edition = small_world["edition"]
    services.start_assignment(user=ministry, edition=edition)
    (task_run,) = _runs(edition)
    taskruns.progress(task_run, done=20, total=100, message="Solving the optimal assignment")
    client.force_login(ministry)
    body = client.get(f"/kipp/evaluation/{edition.year}/assignments/run/status/").content.decode()
    assert ">20%</div>" in body
    assert "Solving the optimal assignment" in body
