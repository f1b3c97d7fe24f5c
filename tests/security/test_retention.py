"""Data retention (jipp/core/retention.py, `manage.py enforce_retention`)."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jipp.competition.models import UnsavedDraft
from jipp.notifications.models import Notification
from jipp.registry.models import ImportBatch
from tests.factories import UppFactory
from tests.factories.competition import ProposalFactory, juklak_edition

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _aged(model, pk, field, days):
    model.objects.filter(pk=pk).update(**{field: NOW - dt.timedelta(days=days)})


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UppFactory()
    proposal = ProposalFactory(edition=juklak_edition(2026))
    drafts = [UnsavedDraft.objects.create(proposal=proposal, claim_token=f"t{i}", user=user, data={}) for i in range(2)]
    _aged(UnsavedDraft, drafts[0].pk, "updated_at", 31)
    notes = [Notification.objects.create(recipient=user, kind="x", read_at=read) for read in (NOW, None, None)]
    _aged(Notification, notes[0].pk, "created_at", 181)  # read, past 180 days: goes
    _aged(Notification, notes[1].pk, "created_at", 181)  # unread, kept until 730 days
    batches = []
    for state in ("published", "checked"):
        batch = ImportBatch(created_by=user, filename="a.csv", state=state, token=f"{state:0<32}"[:32])
        batch.file.save("a.csv", ContentFile(b"judul\n"), save=False)
        batch.save()
        _aged(ImportBatch, batch.pk, "created_at", 91)
        batches.append(batch)
    Session.objects.create(session_key="old", session_data="x", expire_date=NOW - dt.timedelta(minutes=1))
    Session.objects.create(session_key="new", session_data="x", expire_date=NOW + dt.timedelta(hours=1))
    return {"drafts": drafts, "notes": notes, "batches": batches, "root": tmp_path}


def _state(stored):
    return (
        sorted(UnsavedDraft.objects.values_list("claim_token", flat=True)),
        Notification.objects.count(),
        sorted(ImportBatch.objects.exclude(file="").values_list("state", flat=True)),
        sorted(Session.objects.values_list("session_key", flat=True)),
    )


def test_dry_run_counts_and_removes_nothing(stored):
    before = _state(stored)
    out = StringIO()
    call_command("enforce_retention", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "sessions (expired): would remove 1 rows",
        "unsaved_drafts (kept 30 days): would remove 1 rows",
        "read_notifications (kept 180 days): would remove 1 rows",
        "notifications (kept 730 days): would remove 0 rows",
        "import_files (kept 90 days): would remove 1 files",
    ]
    assert _state(stored) == before


def test_enforcing_removes_what_is_past_its_time_only(stored):
    path = stored["batches"][0].file.path
    call_command("enforce_retention", stdout=StringIO())
    assert _state(stored) == (["t1"], 2, ["checked"], ["new"])
    import os

    assert os.path.exists(path) is False
    assert ImportBatch.objects.get(pk=stored["batches"][0].pk).state == "published"  # the record stays
    assert os.path.exists(stored["batches"][1].file.path) is True  # a preview still waiting for a decision
