"""The issue's "Bad input" lines, each checked against the import (issue 12)."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jipp.regions.models import AgencyAlias, ServiceUnit
from jipp.registry import importing
from jipp.registry.bounds import year_bounds
from jipp.registry.models import Award, ImportBatch, Innovation
from tests.factories import MinistryUserFactory

pytestmark = pytest.mark.django_db

ROW = {"agency": "Pemkot Surabaya", "title": "E-Health Surabaya", "summary": "Puskesmas daring.",
       "award_year": "2019", "award_tier": "Top 45", "decree_date": "", "start_date": ""}  # fmt: skip


def upload(rows: list[dict], name="kipp.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ministry(reference_data):
    return MinistryUserFactory()


def stored():
    return (Innovation.objects.count(), Award.objects.count(), ServiceUnit.objects.count(),
            AgencyAlias.objects.count(), LogEntry.objects.get_for_model(Innovation).count())  # fmt: skip


def test_an_unknown_agency_lists_the_nearest_candidates(ministry):
    rows = [ROW | {"agency": "Pemkab Sidoarjoo Raya"}, ROW | {"agency": "Dinas Entah Berantah", "title": "Lain"}]
    report = importing.import_innovations(user=ministry, uploaded=upload(rows), preview=True)
    messages = {e.row: e.message for e in report.errors if e.column == "agency"}
    assert set(messages) == {2, 3}
    assert "Pemerintah Kabupaten Sidoarjo" in messages[2]  # close: "not certain", nearest named
    assert "Nearest:" in messages[2]
    # Nothing resembles it: still the three nearest, to choose from or to correct the spelling.
    assert messages[3].startswith("No agency matches “Dinas Entah Berantah”; the nearest are: ")
    assert [len(p["candidates"]) for p in report.plans] == [5, 3]
    assert report.plans[0]["candidates"][0][1] == "Pemerintah Kabupaten Sidoarjo"
    assert report.counts["ask"] == 2


def test_an_impossible_year_or_date_names_the_bounds(ministry):
    low, high = year_bounds()
    rows = [
        ROW | {"award_year": "1890"},
        ROW | {"title": "B", "award_year": str(high + 5)},
        ROW | {"title": "C", "decree_date": "1800-01-01"},
        ROW | {"title": "D", "start_date": f"{high + 1}-01-01"},
    ]
    report = importing.import_innovations(user=ministry, uploaded=upload(rows))
    messages = {(e.row, e.column): e.message for e in report.errors}
    bounds = f"from {low} to {high}"
    assert {key: bounds in message for key, message in messages.items()} == {
        (2, "award_year"): True, (3, "award_year"): True, (4, "decree_date"): True, (5, "start_date"): True,
    }  # fmt: skip
    assert stored()[:3] == (0, 0, 0)


def test_a_formula_like_cell_is_stored_as_text_and_exported_neutralised(client, ministry):
    formulas = {"title": "=HYPERLINK(\"http://x\",\"klik\")", "summary": "@SUM(A1:A9)", "problem": "+cmd|' /C calc'!A0",
                "contact_name": "-2+3"}  # fmt: skip
    report = importing.import_innovations(user=ministry, uploaded=upload([ROW | formulas]))
    assert report.ok, report.errors
    innovation = Innovation.objects.get()
    assert {name: getattr(innovation, name) for name in formulas} == formulas  # kept as typed, as text
    Innovation.objects.update(status=Innovation.Status.PUBLISHED)
    csv_text = b"".join(client.get(reverse("registry:data_export", args=["csv"])).streaming_content)
    exported = next(csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"))))
    assert {name: exported[name] for name in ("title", "summary")} == {
        "title": "'" + formulas["title"], "summary": "'" + formulas["summary"]}  # fmt: skip
    response = client.get(reverse("registry:data_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("title")] == "'" + formulas["title"]
    assert [c.data_type for c in sheet[2] if c.data_type == "f"] == []  # no cell is a formula
    batch = importing.create_batch(user=ministry, uploaded=upload([ROW | formulas | {"title": "=1+1"}]),
                                   filename="kipp.csv")  # fmt: skip
    importing.check_batch(batch=batch)
    kept_report = importing.report_csv(ImportBatch.objects.get(pk=batch.pk)).decode("utf-8-sig")
    assert "'=1+1" in kept_report


def test_thousands_of_rows_run_in_the_background_with_progress(client, ministry, settings, tmp_path, monkeypatch):
    from jipp.registry import tasks

    settings.MEDIA_ROOT = tmp_path
    import_batch_task = tasks.import_batch_task
    rows = [ROW | {"title": f"Layanan Nomor {n}", "award_year": "", "award_tier": ""} for n in range(1200)]
    queued = []

    class Queue:  # the worker's queue: the request only enqueues, the test then runs the task
        enqueue = staticmethod(lambda *args: queued.append(args))

    monkeypatch.setattr(tasks, "import_batch_task", Queue)
    seen = []
    real_update = importing._batch_progress

    def recording(batch, **kwargs):
        update = real_update(batch, **kwargs)

        def progress(done, total, state):
            update(done, total, state)
            seen.append(ImportBatch.objects.values_list("processed", flat=True).get(pk=batch.pk))

        return progress

    monkeypatch.setattr(importing, "_batch_progress", recording)
    client.force_login(ministry)
    response = client.post(reverse("registry:data_import"), {"file": upload(rows)})
    batch = ImportBatch.objects.get()
    # Not checked in the request: queued for a worker, and the page polls its progress.
    assert (batch.state, batch.total, len(queued)) == (ImportBatch.State.QUEUED, 1200, 1)
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    import_batch_task.call(*queued.pop())
    batch.refresh_from_db()
    assert (batch.state, batch.summary["create"], batch.processed) == (ImportBatch.State.CHECKED, 1200, 1200)
    assert seen and seen == sorted(seen) and seen[0] < 1200  # progress moved forward during the check
    client.post(reverse("registry:data_import_run", args=[batch.token]))
    assert ImportBatch.objects.get().state == ImportBatch.State.QUEUED
    seen.clear()
    import_batch_task.call(*queued.pop())
    batch.refresh_from_db()
    assert (batch.state, batch.processed, Innovation.objects.count()) == (ImportBatch.State.IMPORTED, 1200, 1200)
    assert seen == sorted(seen) and seen[0] < 1200  # never going back between checking and saving


def test_a_refused_file_saves_nothing(ministry):
    before = stored()
    rows = [ROW | {"agency": "Polres Sidoarjo (Kepolisian Negara RI)", "title": f"Layanan {n}"} for n in range(300)]
    rows.append(ROW | {"title": "Terakhir", "award_year": "1890"})  # one bad row at the very end
    report = importing.import_innovations(user=ministry, uploaded=upload(rows))
    assert (report.ok, report.created, [(e.row, e.column) for e in report.errors]) == (False, 0, [(302, "award_year")])
    assert stored() == before  # no innovation, award, new unit (the precinct), alias or audit entry
    batch = importing.create_batch(user=ministry, uploaded=upload(rows), filename="kipp.csv")
    importing.check_batch(batch=batch)
    assert batch.state == ImportBatch.State.REFUSED
    with pytest.raises(Exception, match="Check the file"):
        importing.import_batch(user=ministry, batch=batch)
    assert stored() == before


def test_a_second_upload_of_the_same_file_finds_every_row_a_duplicate(ministry):
    rows = [ROW | {"title": f"Layanan Nomor {n}"} for n in range(40)]
    first = importing.create_batch(user=ministry, uploaded=upload(rows), filename="kipp.csv")
    importing.check_batch(batch=first)
    assert first.summary["create"] == 40  # 'Layanan Nomor 1' and 'Layanan Nomor 10' are not near-duplicates
    importing.import_batch(user=ministry, batch=first)
    before = stored()[:3]
    second = importing.create_batch(user=ministry, uploaded=upload(rows), filename="kipp.csv")
    importing.check_batch(batch=second)
    assert (second.summary["create"], second.summary["merge"]) == (0, 40)
    assert {p["duplicate"] for p in second.report["plans"]} == {"registry"}
    importing.import_batch(user=ministry, batch=second)
    assert stored()[:3] == before  # the same awards are not added twice either
