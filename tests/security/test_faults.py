"""Faults: the disk full for media (here), the worker killed mid-task (test_worker_killed below)."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jipp.institutionalisation.models import LegalBasis
from tests.factories import UppFactory
from tests.factories.registry import InnovationFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """A storage that writes the first bytes, then runs out of space (as a full disk does mid-write)."""
    settings.MEDIA_ROOT = tmp_path

    def _save(self, name, content):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", _save)
    return tmp_path


@pytest.mark.django_db
def test_disk_full_on_upload_says_so_saves_nothing_and_keeps_the_text(client, full_disk):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit)
    client.force_login(upp)
    response = client.post(
        reverse("institutionalisation:innovation", args=[innovation.pk]),
        {"action": "legal", "type": "perkada", "number": "7/2024", "issued_on": "2024-01-01",
         "title": "Judul yang saya ketik", "issued_by": "Bupati Sidoarjo",
         "document": SimpleUploadedFile("perbup.pdf", PDF, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400  # the form again, with its errors
    assert "The server&#x27;s storage is full: the file was not saved" in body
    assert 'value="Judul yang saya ketik"' in body
    assert 'value="Bupati Sidoarjo"' in body
    assert LegalBasis.objects.count() == 0
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []  # the partial file is gone too


# --- the worker killed mid-task ---------------------------------------------------------------

WORKER = """
import sys, time, django
django.setup()
from jipp.core import taskruns
with taskruns.running(int(sys.argv[1]), name=sys.argv[2], scope=sys.argv[3]) as run:
    taskruns.progress(run, done=1, total=10, message="halfway")
    print("claimed", flush=True)
    time.sleep(600)  # killed here, mid-task
"""


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_task_is_resumed_and_finishes_once():
    """A worker process claims the ranking refresh of an edition, reports progress and is killed (SIGKILL)
    mid-run; `manage.py resume_task_runs` (what a starting worker runs) marks the run abandoned and runs
    the scope again from the beginning: one run done, the stored ranking current, nothing half-done."""
    import datetime as dt
    import os
    import signal
    import subprocess
    import sys

    from django.core.management import call_command
    from django.utils import timezone

    from jipp.competition.evaluation import selectors
    from jipp.competition.evaluation.services.ranking import REFRESH
    from jipp.core.models import TaskRun
    from tests.factories.competition import juklak_edition

    edition = juklak_edition(2026)
    scope = f"edition:{edition.pk}"
    run = TaskRun.objects.create(name=REFRESH, scope=scope, state=TaskRun.State.QUEUED)
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", WORKER, str(run.pk), REFRESH, scope], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout.readline().strip() == "claimed"
        run.refresh_from_db()
        assert (run.state, run.progress_done, run.message) == (TaskRun.State.RUNNING, 1, "halfway")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # No heartbeat since the kill: older than STALE_AFTER for the next worker.
    TaskRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    call_command("resume_task_runs", stdout=open(os.devnull, "w"))  # noqa: SIM115
    runs = list(TaskRun.objects.filter(name=REFRESH, scope=scope).order_by("pk").values_list("state", flat=True))
    assert runs == [TaskRun.State.ABANDONED, TaskRun.State.DONE]
    assert selectors.stored_ranking_is_current(edition) is True
    # Starting it again finds nothing to redo.
    call_command("resume_task_runs", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert TaskRun.objects.filter(name=REFRESH, scope=scope).count() == 2
