"""The full summary refresh and the reports run once per scope, and a run whose worker died starts
again and finishes once (jipp.core.taskruns)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jipp.core import taskruns
from jipp.core.models import TaskRun
from jipp.dashboards.models import Refresh, Report
from jipp.dashboards.services.reports import request_report
from jipp.dashboards.tasks import REFRESH_ALL, REPORT, refresh_everything

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(hours=1)


def _dead_run(name: str, scope: str = "all") -> TaskRun:
    """A run its worker left "running" an hour ago."""
    return TaskRun.objects.create(
        name=name, scope=scope, state=TaskRun.State.RUNNING, started_at=LONG_AGO, heartbeat_at=LONG_AGO, attempts=1
    )


def test_a_restarted_full_refresh_finishes_once(world, django_capture_on_commit_callbacks):
    dead = _dead_run(REFRESH_ALL)
    before = Refresh.objects.filter(kind=Refresh.Kind.FULL).count()
    with django_capture_on_commit_callbacks(execute=True):
        started = taskruns.resume_abandoned()
    assert [r.name for r in started] == [REFRESH_ALL]
    assert Refresh.objects.filter(kind=Refresh.Kind.FULL).count() == before + 1
    dead.refresh_from_db()
    assert dead.state == TaskRun.State.ABANDONED
    runs = TaskRun.objects.filter(name=REFRESH_ALL).exclude(pk=dead.pk)
    assert [(r.state, r.result) for r in runs] == [(TaskRun.State.DONE, {"agencies": 4})]
    # Nothing left to resume, and the same run delivered again does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert taskruns.resume_abandoned() == []
    assert refresh_everything.call(run_id=runs[0].pk) == -1
    assert Refresh.objects.filter(kind=Refresh.Kind.FULL).count() == before + 1


def test_the_nightly_command_does_not_run_beside_a_live_full_refresh(world):
    TaskRun.objects.create(name=REFRESH_ALL, state=TaskRun.State.RUNNING, started_at=timezone.now(),
                           heartbeat_at=timezone.now())  # fmt: skip
    before = Refresh.objects.count()
    out = open("/dev/null", "w")  # noqa: SIM115
    call_command("refresh_dashboards", stdout=out)
    assert Refresh.objects.count() == before
    TaskRun.objects.filter(name=REFRESH_ALL).update(state=TaskRun.State.DONE)
    call_command("refresh_dashboards", stdout=out)
    assert Refresh.objects.count() == before + 1


def test_a_report_whose_worker_died_is_made_again_once(world, django_capture_on_commit_callbacks):
    report = Report.objects.create(
        scope="national", year=2025, language="en", status=Report.Status.RUNNING, progress=40
    )
    _dead_run(REPORT, scope=str(report.pk))
    # Meanwhile a second request joins the stuck report instead of starting another.
    assert request_report(scope="national", year=2025, language="en") == (report, True)
    with django_capture_on_commit_callbacks(execute=True):
        started = taskruns.resume_abandoned()
    assert [(r.name, r.scope) for r in started] == [(REPORT, str(report.pk))]
    report.refresh_from_db()
    assert (report.status, report.progress) == (Report.Status.DONE, 100)
    assert report.pdf.name.endswith(".pdf")
    states = sorted(TaskRun.objects.filter(name=REPORT).values_list("state", flat=True))
    assert states == [TaskRun.State.ABANDONED, TaskRun.State.DONE]


def test_a_report_request_queues_one_run(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, joined = request_report(scope="national", year=2025, language="id")
    report.refresh_from_db()
    assert (joined, report.status) == (False, Report.Status.DONE)
    assert list(TaskRun.objects.filter(name=REPORT).values_list("scope", "state")) == [
        (str(report.pk), TaskRun.State.DONE)
    ]
