"""Background jobs that never run twice at once for the same scope and survive a worker restart.

Usage, in a task module:

    @task()
    def refresh_all_similar_task(run_id: int | None = None) -> int:
        with taskruns.running(run_id, name="registry.refresh_all_similar") as run:
            if run is None:
                return -1            # another worker runs this scope already
            ...
            taskruns.progress(run, done=i, total=n)   # also the heartbeat
            return count

    # and to start it (from a view, a command, a signal; twice at once gives one run):
    taskruns.enqueue_once(refresh_all_similar_task, name="registry.refresh_all_similar")

How it holds across processes: `enqueue_once` inserts a queued TaskRun under a partial unique
constraint (one queued-or-running run per name and scope), then enqueues the task after commit;
a second request finds the active run and returns it without enqueuing (when that run is
already running, it is marked to run once more when it ends, since it may have read the data
before the change). `running` claims the
run with a conditional update (queued -> running), so a task delivered twice runs once. A worker
that dies leaves its run "running" with an old heartbeat: after STALE_AFTER the run is marked
abandoned and the next `enqueue_once` (or `resume_abandoned`, which `manage.py resume_task_runs`
calls when a worker starts) starts the scope again from the beginning; jobs write their result
idempotently (replace, not add), so a restart is clean.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jipp.core.models import TaskRun

STALE_AFTER = timedelta(minutes=5)
# Registered by the apps: name -> (task, function(scope) -> enqueue kwargs), for resume_abandoned.
RESUMABLE: dict[str, tuple[object, Callable[[str], dict]]] = {}


def register(name: str, task, kwargs_for_scope: Callable[[str], dict] | None = None) -> None:
    """Declare that abandoned runs of `name` may be started again with `task`."""
    RESUMABLE[name] = (task, kwargs_for_scope or (lambda scope: {}))


def _stale(run: TaskRun, now) -> bool:
    beat = run.heartbeat_at or run.started_at or run.created_at
    return run.state == TaskRun.State.RUNNING and beat is not None and now - beat > STALE_AFTER


def enqueue_once(task, *, name: str, scope: str = "all", **kwargs) -> TaskRun:
    """Queue one run of `task(run_id=..., **kwargs)` for `scope`, unless one is queued or running.

    Returns the run that will do the work (the new one or the active one). A run of a dead worker
    (no heartbeat for STALE_AFTER) is marked abandoned and replaced.
    """
    now = timezone.now()
    for _attempt in range(3):
        active = TaskRun.objects.filter(name=name, scope=scope, state__in=[TaskRun.State.QUEUED, TaskRun.State.RUNNING])
        current = active.first()
        if current is not None and not _stale(current, now):
            if current.state == TaskRun.State.RUNNING:
                # It may have read the data before this change: run once more when it ends.
                TaskRun.objects.filter(pk=current.pk, state=TaskRun.State.RUNNING).update(rerun=True)
            return current
        try:
            with transaction.atomic():
                if current is not None:
                    TaskRun.objects.filter(pk=current.pk, state=TaskRun.State.RUNNING).update(
                        state=TaskRun.State.ABANDONED, finished_at=now
                    )
                run = TaskRun.objects.create(name=name, scope=scope)
        except IntegrityError:
            continue  # another process queued it at the same moment: read theirs
        transaction.on_commit(lambda run=run: task.enqueue(run_id=run.pk, **kwargs))
        return run
    return active.first()


@contextlib.contextmanager
def running(run_id: int | None, *, name: str, scope: str = "all") -> Iterator[TaskRun | None]:
    """Claim the run for this worker; yields None when it is not ours to run (done, or taken).

    With `run_id` None (the task was enqueued directly, not through `enqueue_once`), a run is
    created on the spot under the same one-at-a-time rule. On an exception the run is marked
    failed (and the exception goes on); on success, done.
    """
    now = timezone.now()
    if run_id is None:
        try:
            with transaction.atomic():
                run = TaskRun.objects.create(name=name, scope=scope, state=TaskRun.State.RUNNING, started_at=now,
                                             heartbeat_at=now, attempts=1)  # fmt: skip
        except IntegrityError:
            yield None
            return
    else:
        claimed = TaskRun.objects.filter(pk=run_id, state=TaskRun.State.QUEUED).update(
            state=TaskRun.State.RUNNING, started_at=now, heartbeat_at=now, attempts=1
        )
        if not claimed:
            yield None
            return
        run = TaskRun.objects.get(pk=run_id)
    try:
        yield run
    except BaseException as exc:
        TaskRun.objects.filter(pk=run.pk, state=TaskRun.State.RUNNING).update(
            state=TaskRun.State.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    TaskRun.objects.filter(pk=run.pk, state=TaskRun.State.RUNNING).update(
        state=TaskRun.State.DONE, finished_at=timezone.now(), result=run.result
    )
    if name in RESUMABLE and TaskRun.objects.filter(pk=run.pk, rerun=True).exists():
        task, kwargs_for = RESUMABLE[name]
        enqueue_once(task, name=name, scope=scope, **kwargs_for(scope))


def progress(run: TaskRun, *, done: int, total: int | None = None, message: str = "") -> None:
    """Record progress; it is also the heartbeat that tells a live run from a dead worker's."""
    fields = {"progress_done": done, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["progress_total"] = total
    if message:
        fields["message"] = message
    TaskRun.objects.filter(pk=run.pk).update(**fields)


def resume_abandoned(now=None) -> list[TaskRun]:
    """Start again every registered scope whose run's worker died; returns the new runs."""
    now = now or timezone.now()
    started = []
    for run in TaskRun.objects.filter(state=TaskRun.State.RUNNING, name__in=list(RESUMABLE)):
        if _stale(run, now):
            task, kwargs_for = RESUMABLE[run.name]
            started.append(enqueue_once(task, name=run.name, scope=run.scope, **kwargs_for(run.scope)))
    return started


def latest(name: str, scope: str = "all") -> TaskRun | None:
    """The newest run of `name` for `scope` (to show its progress on a page)."""
    return TaskRun.objects.filter(name=name, scope=scope).order_by("-created_at", "-pk").first()
