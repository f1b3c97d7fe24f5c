from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task

from jipp.core import taskruns
from jipp.core.models import TaskRun

pytestmark = pytest.mark.django_db
CALLS: list[str] = []


@task()
def counting_task(scope_label: str, run_id: int | None = None) -> str:
    with taskruns.running(run_id, name="test.counting", scope=scope_label) as run:
        if run is None:
            return "skipped"
        CALLS.append(scope_label)
        taskruns.progress(run, done=1, total=1)
        return "ran"


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    taskruns.register("test.counting", counting_task, lambda scope: {"scope_label": scope})
    yield
    taskruns.RESUMABLE.pop("test.counting", None)


def test_enqueued_twice_before_the_worker_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = taskruns.enqueue_once(counting_task, name="test.counting", scope="edition:1", scope_label="edition:1")
        second = taskruns.enqueue_once(counting_task, name="test.counting", scope="edition:1", scope_label="edition:1")
    assert first.pk == second.pk
    assert len(callbacks) == 1  # one enqueue
    for callback in callbacks:
        callback()  # the immediate backend runs the task now
    assert CALLS == ["edition:1"]
    assert TaskRun.objects.get(pk=first.pk).state == TaskRun.State.DONE


def test_other_scopes_run_independently(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        taskruns.enqueue_once(counting_task, name="test.counting", scope="edition:1", scope_label="edition:1")
        taskruns.enqueue_once(counting_task, name="test.counting", scope="edition:2", scope_label="edition:2")
    assert sorted(CALLS) == ["edition:1", "edition:2"]


def test_a_run_delivered_twice_runs_once():
    run = TaskRun.objects.create(name="test.counting", scope="s")
    assert counting_task.call(scope_label="s", run_id=run.pk) == "ran"
    assert counting_task.call(scope_label="s", run_id=run.pk) == "skipped"
    assert CALLS == ["s"]


def test_never_two_at_once_for_the_same_scope():
    TaskRun.objects.create(name="test.counting", scope="s", state=TaskRun.State.RUNNING, heartbeat_at=timezone.now())
    assert counting_task.call(scope_label="s") == "skipped"  # enqueued directly, without a run
    assert CALLS == []


def test_a_request_while_running_runs_once_more_afterwards(django_capture_on_commit_callbacks):
    running = TaskRun.objects.create(name="test.counting", scope="s", state=TaskRun.State.RUNNING,
                                     heartbeat_at=timezone.now())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert taskruns.enqueue_once(counting_task, name="test.counting", scope="s", scope_label="s").pk == running.pk
    assert TaskRun.objects.get(pk=running.pk).rerun is True
    assert CALLS == []


def test_a_task_restarted_mid_way_finishes_once(django_capture_on_commit_callbacks):
    # A worker claimed the run and died: its heartbeat stopped long ago.
    stopped = timezone.now() - taskruns.STALE_AFTER - timedelta(seconds=1)
    dead = TaskRun.objects.create(
        name="test.counting", scope="s", state=TaskRun.State.RUNNING, attempts=1, heartbeat_at=stopped
    )
    with django_capture_on_commit_callbacks(execute=True):
        new_runs = taskruns.resume_abandoned()
    assert len(new_runs) == 1
    assert CALLS == ["s"]
    assert TaskRun.objects.get(pk=dead.pk).state == TaskRun.State.ABANDONED
    assert list(TaskRun.objects.filter(scope="s", state=TaskRun.State.DONE).values_list("pk", flat=True)) == [
        new_runs[0].pk
    ]
    # Asking again later is a new run, not a second copy of the old one.
    with django_capture_on_commit_callbacks(execute=True):
        assert taskruns.resume_abandoned() == []
    assert CALLS == ["s"]


def test_a_failed_run_is_marked_and_the_scope_is_free_again():

    with pytest.raises(RuntimeError), taskruns.running(None, name="test.fail", scope="s"):
        raise RuntimeError("boom")
    run = TaskRun.objects.get(name="test.fail")
    assert (run.state, run.message) == (TaskRun.State.FAILED, "boom")
    with taskruns.running(None, name="test.fail", scope="s") as again:
        assert again is not None
