import csv
import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jipp.registry import importing
from jipp.registry.importing import COLUMN_NAMES, import_innovations, template_csv, template_xlsx
from jipp.registry.models import ImportBatch, Innovation
from tests.factories import AdminLokalFactory, MinistryUserFactory, ServiceUnitFactory, UppFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.urls_data_wired")]

GOOD = {
    "title": "Layanan Kesehatan Keliling",
    "summary": "Mobil klinik mendatangi desa terpencil setiap minggu.",
    "stage": "in_operation",
    "phase": "Pengembangan",  # a label (Indonesian) is accepted as well as the code
    "start_date": "2022-03-01",
    "is_digital": "ya",
    "categories": "health;governance",
    "sdgs": "3; 16",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csv_file(rows: list[dict], *, columns=None, delimiter=",", name="inovasi.csv") -> SimpleUploadedFile:
    columns = columns or sorted({k for row in rows for k in row}, key=lambda c: COLUMN_NAMES.index(c))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def test_import_csv_creates_drafts_with_the_derived_fields():
    upp = UppFactory()
    report = import_innovations(user=upp, uploaded=csv_file([GOOD, {**GOOD, "title": "Sekolah Ramah Anak"}]))
    assert (report.ok, report.rows, report.created) == (True, 2, 2)
    innovation = Innovation.objects.get(title="Layanan Kesehatan Keliling")
    assert innovation.status == Innovation.Status.DRAFT
    assert innovation.unit == upp.unit
    assert innovation.agency == upp.unit.agency
    assert innovation.region == upp.unit.agency.region
    assert innovation.province == upp.unit.agency.region.parent
    assert innovation.agency_type == upp.unit.agency.type
    assert innovation.year_started == 2022
    assert innovation.phase == "development"
    assert innovation.is_digital is True
    assert innovation.search_title == "layan sehat keliling"
    assert innovation.created_by == upp
    assert sorted(innovation.categories.values_list("code", flat=True)) == ["governance", "health"]
    assert sorted(innovation.sdgs.values_list("number", flat=True)) == [3, 16]
    assert innovation.category_mask == sum(1 << c.bit for c in innovation.categories.all())
    assert innovation.sdg_mask == (1 << 3) | (1 << 16)
    # One audit entry for the whole import (not one per row), naming the file and every id created.
    entry = LogEntry.objects.get_for_model(Innovation).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, upp)
    assert entry.additional_data == {"import": "inovasi.csv", "created": 2, "ids": report.ids}
    assert sorted(report.ids) == sorted(Innovation.objects.values_list("pk", flat=True))


def test_fast_insert_stores_what_bulk_create_stores():
    """`insert_returning_ids` (the import's insert) writes every column as `bulk_create` does."""
    from jipp.registry.importing import insert_returning_ids
    from tests.factories.registry import InnovationFactory

    template = InnovationFactory.build(unit=ServiceUnitFactory(), title="Café Sehat", start_date=dt.date(2022, 3, 1),
                                       similar_ids=[3, 5], is_digital=True, category_mask=6)  # fmt: skip
    template.agency = template.unit.agency
    fields = [f.attname for f in Innovation._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    first = Innovation(**{name: getattr(template, name) for name in fields})
    second = Innovation(**{name: getattr(template, name) for name in fields})
    Innovation.objects.bulk_create([first])
    insert_returning_ids(Innovation, [second])
    assert second.pk is not None and second.pk != first.pk
    stored = list(Innovation.objects.order_by("pk").values(*fields))
    assert stored[0] == stored[1]
    assert stored[1]["similar_ids"] == [3, 5]
    assert stored[1]["start_date"] == dt.date(2022, 3, 1)
    assert Innovation.objects.get(pk=second.pk).created_at is not None


def test_import_with_bad_rows_saves_nothing_and_reports_every_problem():
    rows = [
        GOOD,
        {**GOOD, "stage": "selesai", "start_date": "31-02-2022x"},
        {**GOOD, "title": "", "sdgs": "18", "categories": "astronomy"},
    ]
    with translation.override("en"):
        report = import_innovations(user=UppFactory(), uploaded=csv_file(rows))
    assert Innovation.objects.count() == 0
    assert report.created == 0
    assert report.rejected_rows == 2
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "start_date"),
        (3, "stage"),
        (4, "categories"),
        (4, "sdgs"),
        (4, "title"),
    ]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "stage")] == "“selesai” is not one of: initiative, trial, in_operation."
    assert messages[(4, "sdgs")] == "“18” is not an SDG number (1-17)."
    assert messages[(4, "title")] == "This field cannot be blank."


def test_import_report_is_in_the_users_language():
    with translation.override("id"):
        report = import_innovations(user=UppFactory(), uploaded=csv_file([{**GOOD, "is_digital": "mungkin"}]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "is_digital", "Tulis ya atau tidak.")]


def test_import_semicolon_csv_and_blank_lines():
    upp = UppFactory()
    upload = csv_file([GOOD], delimiter=";")
    upload = SimpleUploadedFile("x.csv", upload.read() + b"\n;;;\n\n", content_type="text/csv")
    report = import_innovations(user=upp, uploaded=upload)
    assert (report.ok, report.created) == (True, 1)


def test_import_unknown_column_is_a_file_error():
    upload = csv_file([{**GOOD}], columns=["title", "summary", "colour"])
    with translation.override("en"):
        report = import_innovations(user=UppFactory(), uploaded=upload)
    assert report.file_error == "Unknown columns: colour. Use the column names of the template."
    assert Innovation.objects.count() == 0


def test_import_forged_file_is_refused():
    html = SimpleUploadedFile("inovasi.xlsx", b"<html><script>alert(1)</script></html>", content_type="text/html")
    with translation.override("en"):
        report = import_innovations(user=UppFactory(), uploaded=html)
    assert report.file_error == "This file is not a CSV or XLSX file, whatever its name says. Use the template."
    pdf = SimpleUploadedFile("inovasi.csv", b"%PDF-1.4\n%%EOF", content_type="text/csv")
    with translation.override("en"):
        assert "not a CSV or XLSX" in import_innovations(user=UppFactory(), uploaded=pdf).file_error


def test_import_xlsx_filled_template_round_trip():
    upp = UppFactory()
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["Inovasi"]
    header = [c.value for c in sheet[1]]
    sheet.append([{**GOOD, "is_digital": True}.get(name, "") for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("inovasi.xlsx", buffer.getvalue())
    report = import_innovations(user=upp, uploaded=upload)
    assert (report.ok, report.created) == (True, 1)
    assert Innovation.objects.get().is_digital is True


def test_import_template_has_bilingual_instructions():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["Inovasi", "Petunjuk - Instructions"]
    assert [c.value for c in workbook["Inovasi"][1]] == COLUMN_NAMES
    guide = workbook["Petunjuk - Instructions"]
    rows = {row[0]: row for row in guide.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == set(COLUMN_NAMES)
    assert rows["title"][3] == "Judul inovasi (paling banyak 250 karakter)."
    assert rows["title"][4] == "Title of the innovation (at most 250 characters)."
    assert "in_operation" in rows["stage"][2]
    assert template_csv().decode("utf-8-sig").strip() == ",".join(COLUMN_NAMES)


def test_admin_lokal_imports_into_own_agency_units_by_name_or_id():
    admin = AdminLokalFactory()
    first = ServiceUnitFactory(agency=admin.agency, name="Dinas Kesehatan")
    second = ServiceUnitFactory(agency=admin.agency, name="Dinas Pendidikan")
    rows = [{**GOOD, "unit": "dinas kesehatan"}, {**GOOD, "title": "Lain", "unit": str(second.pk)}]
    report = import_innovations(user=admin, uploaded=csv_file(rows))
    assert report.ok
    assert sorted(Innovation.objects.values_list("unit_id", flat=True)) == sorted([first.pk, second.pk])


def test_admin_lokal_cannot_import_into_another_agencys_unit():
    admin = AdminLokalFactory()
    foreign = ServiceUnitFactory()
    with translation.override("en"):
        report = import_innovations(user=admin, uploaded=csv_file([{**GOOD, "unit": str(foreign.pk)}, GOOD]))
    assert Innovation.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(2, "unit"), (3, "unit")]
    assert report.errors[0].message == f"No service unit “{foreign.pk}” that you may import for."
    assert report.errors[1].message == "Give the service unit (its id or name), or choose a default unit."


def test_upp_cannot_import_for_another_unit():
    upp = UppFactory()
    other = ServiceUnitFactory(agency=upp.unit.agency)
    report = import_innovations(user=upp, uploaded=csv_file([{**GOOD, "unit": str(other.pk)}]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "unit")]
    assert Innovation.objects.count() == 0


def test_ministry_imports_anywhere_but_needs_an_unambiguous_unit():
    ministry = MinistryUserFactory()
    ServiceUnitFactory(name="Dinas Sosial")
    ServiceUnitFactory(name="Dinas Sosial")
    unique = ServiceUnitFactory(name="Bappeda Contoh")
    with translation.override("en"):
        report = import_innovations(user=ministry, uploaded=csv_file([{**GOOD, "unit": "Dinas Sosial"}]))
    assert report.errors[0].message == "Several service units are named “Dinas Sosial”; give the unit's id."
    report = import_innovations(user=ministry, uploaded=csv_file([{**GOOD, "unit": "Bappeda Contoh"}]))
    assert report.ok
    assert Innovation.objects.get().unit == unique


def test_evaluator_may_not_import():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_innovations(user=UserFactory(), uploaded=csv_file([GOOD]))


def test_import_page_previews_then_imports_then_publishes(client, media):
    upp = UppFactory()
    client.force_login(upp)
    page = client.get(reverse("registry:data_import"))
    assert page.status_code == 200
    assert reverse("registry:data_import_template", kwargs={"fmt": "xlsx"}) in page.content.decode()
    response = client.post(
        reverse("registry:data_import"), {"file": csv_file([GOOD, {**GOOD, "title": "B", "stage": "x"}])},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 302
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<tr data-row="3" data-action="refuse">' in html
    assert "<code>stage</code>" in html
    assert Innovation.objects.count() == 0
    response = client.post(reverse("registry:data_import"), {"file": csv_file([GOOD])})
    batch = ImportBatch.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert (batch.state, Innovation.objects.count()) == ("checked", 0)
    client.post(reverse("registry:data_import_run", args=[batch.token]))
    assert Innovation.objects.filter(status="draft").count() == 1
    # A UPP operator cannot publish: the Admin Lokal of the agency or the Ministry does.
    assert client.post(reverse("registry:data_import_publish", args=[batch.token])).status_code == 403
    client.force_login(AdminLokalFactory(agency=upp.unit.agency))
    assert client.post(reverse("registry:data_import_publish", args=[batch.token])).status_code == 404
    client.force_login(MinistryUserFactory())
    client.post(reverse("registry:data_import_publish", args=[batch.token]))
    assert Innovation.objects.filter(status="published").count() == 1
    report = client.get(reverse("registry:data_import_report", args=[batch.token]))
    assert report.content.decode("utf-8-sig").splitlines()[1].startswith("2,create,Layanan Kesehatan Keliling")


def test_import_page_refuses_an_evaluator(client):
    client.force_login(UserFactory())
    assert client.get(reverse("registry:data_import")).status_code == 403


def test_big_import_runs_in_the_background_with_progress(client, media, monkeypatch):
    monkeypatch.setattr(importing, "BACKGROUND_ROWS", 2)
    upp = UppFactory()
    client.force_login(upp)
    rows = [{**GOOD, "title": f"Inovasi {n}"} for n in range(5)]
    response = client.post(reverse("registry:data_import"), {"file": csv_file(rows)})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    # Tests run tasks immediately: the check is already done.
    batch = ImportBatch.objects.get(token=token)
    assert (batch.state, batch.summary["create"]) == ("checked", 5)
    client.post(reverse("registry:data_import_run", args=[token]))
    assert Innovation.objects.filter(unit=upp.unit).count() == 5
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert 'data-state="imported"' in fragment
    client.force_login(UppFactory())
    assert client.get(response["Location"]).status_code == 404


def test_import_status_polls_while_running(client, media):
    upp = UppFactory()
    batch = importing.create_batch(user=upp, uploaded=csv_file([GOOD]), filename="inovasi.csv")
    ImportBatch.objects.filter(pk=batch.pk).update(state="checking", processed=1, total=2)
    client.force_login(upp)
    html = client.get(reverse("registry:data_import_status", kwargs={"token": batch.token})).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="50"' in html


def test_import_command(tmp_path):
    admin = AdminLokalFactory()
    unit = ServiceUnitFactory(agency=admin.agency)
    path = tmp_path / "inovasi.csv"
    path.write_bytes(csv_file([GOOD, {**GOOD, "title": "Layanan Lain"}]).read())
    out = io.StringIO()
    call_command("import_innovations", str(path), user=admin.username, unit=str(unit.pk), no_progress=True, stdout=out)
    assert "Imported 2 innovations" in out.getvalue()
    assert Innovation.objects.filter(unit=unit).count() == 2


def test_import_command_reports_rejected_rows(tmp_path):
    from django.core.management.base import CommandError

    upp = UppFactory()
    path = tmp_path / "inovasi.csv"
    path.write_bytes(csv_file([GOOD, {**GOOD, "summary": ""}]).read())
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"1 problems in 1 rows of 2 \(rows 3\); nothing was imported"):
        call_command("import_innovations", str(path), user=upp.username, language="en", no_progress=True, stderr=err)
    assert "row 3, summary: This field cannot be blank." in err.getvalue()
    assert Innovation.objects.count() == 0


def test_xlsx_with_dates_and_numbers_as_cells():
    import datetime as dt

    upp = UppFactory()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "summary", "start_date", "sdgs", "contact_phone"])
    sheet.append(["Judul", "Ringkasan", dt.datetime(2021, 5, 4), 3, 81234567])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_innovations(user=upp, uploaded=SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    assert report.ok, report.errors
    innovation = Innovation.objects.get()
    assert (innovation.start_date, innovation.sdg_mask, innovation.contact_phone) == (
        dt.date(2021, 5, 4),
        8,
        "81234567",
    )
