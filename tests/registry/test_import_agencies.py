"""Importing award lists spelled as the press does: agency resolution, preview, duplicates, awards, batches."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jipp.regions.models import Agency, ServiceUnit
from jipp.registry import importing
from jipp.registry.models import Award, ImportBatch, Innovation
from tests.factories import AdminLokalFactory, MinistryUserFactory

pytestmark = pytest.mark.django_db

PRESS = [
    {"agency": "Pemerintah Kota Surabaya", "title": "E-Health Surabaya", "summary": "Puskesmas daring.",
     "award_year": "2019", "award_tier": "Top 45"},
    {"agency": "Pemprov DKI Jakarta", "title": "Jakarta Kini (JAKI)", "summary": "Aplikasi warga.",
     "award_year": "2020", "award_tier": "Top 99"},
    {"agency": "Pemerintah Daerah DIY", "title": "Jogja Istimewa", "summary": "Satu pintu.",
     "award_year": "2021", "award_tier": "TOP 45"},
    {"agency": "Kementerian Hukum dan HAM", "title": "Paspor Simpatik", "summary": "Paspor cepat.",
     "award_year": "2019", "award_tier": "Top 99"},
    {"agency": "Polres Malang (Kepolisian Negara RI)", "title": "SIM Keliling", "summary": "SIM keliling.",
     "award_year": "2018", "award_tier": "Top 40"},
    {"agency": "Pemkot Surabaya", "title": "E-health  Surabaya", "summary": "Puskesmas daring.",
     "award_year": "2020", "award_tier": "Outstanding Achievement"},
]  # fmt: skip


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def upload(rows, name="kipp.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


@pytest.fixture
def ministry(reference_data):
    return MinistryUserFactory()


def snapshot():
    return (Innovation.objects.count(), Award.objects.count(), ServiceUnit.objects.count())


def test_preview_equals_what_the_import_saves(ministry):
    preview = importing.import_innovations(user=ministry, uploaded=upload(PRESS), preview=True)
    assert preview.ok
    assert snapshot() == (0, 0, 0)
    assert [p["action"] for p in preview.plans] == ["create", "create", "create", "create", "create", "merge"]
    report = importing.import_innovations(user=ministry, uploaded=upload(PRESS))
    assert report.created == 5
    saved = {
        (i.title, i.agency.name, i.unit.display_name, tuple(sorted((a.year, a.tier) for a in i.awards.all())))
        for i in Innovation.objects.select_related("agency", "unit").prefetch_related("awards")
    }
    planned = {}
    for plan in preview.plans:
        if plan["action"] == "create":
            planned[plan["row"]] = [plan["title"], plan["agency"], plan["unit"], [plan["award"]]]
        else:
            planned[plan["duplicate_row"]][3].append(plan["award"])
    labels = {("top45", 2019): "2019 Top 45", ("top99", 2020): "2020 Top 99 (finalis)"}
    assert len(saved) == len(planned) == 5
    for title, agency, unit, awards in saved:
        match = next(p for p in planned.values() if p[0] == title)
        assert (match[1], match[2]) == (agency, unit)
        assert len(match[3]) == len(awards)
    surabaya = Innovation.objects.get(title="E-Health Surabaya")
    assert surabaya.award_tier == "outstanding"
    assert surabaya.unit.is_unspecified is True
    assert sorted(surabaya.awards.values_list("year", "tier")) == [(2019, "top45"), (2020, "outstanding")]
    police = Innovation.objects.get(title="SIM Keliling")
    assert (police.agency.short_name, police.unit.name) == ("Polri", "Polres Malang")
    assert labels  # the labels above are those shown in the preview


def test_second_upload_finds_every_row_as_a_duplicate(ministry):
    importing.import_innovations(user=ministry, uploaded=upload(PRESS))
    before = snapshot()
    again = importing.import_innovations(user=ministry, uploaded=upload(PRESS))
    assert {p["duplicate"] for p in again.plans} == {"registry", "file"}
    assert all(p["action"] == "merge" for p in again.plans)
    assert again.created == 0
    assert snapshot() == before


def test_duplicate_choices_skip_and_create(ministry):
    importing.import_innovations(user=ministry, uploaded=upload(PRESS[:1]))
    rows = [PRESS[0] | {"award_year": "2020", "award_tier": "Top 99"}]
    skipped = importing.import_innovations(user=ministry, uploaded=upload(rows), decisions={"2": {"duplicate": "skip"}})
    assert skipped.plans[0]["action"] == "skip"
    assert Award.objects.count() == 1
    merged = importing.import_innovations(user=ministry, uploaded=upload(rows))
    assert merged.plans[0]["duplicate_title"] == "E-Health Surabaya"
    assert Award.objects.count() == 2
    created = importing.import_innovations(user=ministry, uploaded=upload(rows), decisions={2: {"duplicate": "create"}})
    assert created.created == 1
    assert Innovation.objects.filter(title="E-Health Surabaya").count() == 2


def test_ambiguous_agency_refuses_the_file_with_candidates_until_chosen(ministry):
    rows = [*PRESS[:2], {"agency": "Malang", "title": "Sigap", "summary": "Pengaduan.", "award_year": "2017",
                         "award_tier": "Top 40"}]  # fmt: skip
    report = importing.import_innovations(user=ministry, uploaded=upload(rows))
    assert report.ok is False
    assert snapshot() == (0, 0, 0)
    refused = report.plans[2]
    assert refused["action"] == "refuse"
    city = Agency.objects.get(name="Pemerintah Kota Malang")
    assert {c[1] for c in refused["candidates"]} == {"Pemerintah Kabupaten Malang", "Pemerintah Kota Malang"}
    chosen = importing.import_innovations(user=ministry, uploaded=upload(rows), decisions={"4": {"agency": city.pk}})
    assert chosen.created == 3
    assert Innovation.objects.get(title="Sigap").agency == city


def test_no_invented_stage_and_bounds_named(ministry):
    importing.import_innovations(user=ministry, uploaded=upload(PRESS[:1]))
    assert Innovation.objects.get().stage == ""
    bad = [PRESS[1] | {"award_year": "1890"}, PRESS[2] | {"award_tier": "Gold"}]
    report = importing.import_innovations(user=ministry, uploaded=upload(bad))
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "1990" in messages[(2, "award_year")]
    assert "Top 45" in messages[(3, "award_tier")]


def test_admin_lokal_cannot_import_for_another_agency(reference_data):
    own = Agency.objects.get(name="Pemerintah Kota Surabaya")
    user = AdminLokalFactory(agency=own)
    report = importing.import_innovations(user=user, uploaded=upload(PRESS[:2]))
    assert [(e.row, e.column) for e in report.errors] == [(3, "agency")]


def test_awards_file_for_existing_innovations(ministry):
    importing.import_innovations(user=ministry, uploaded=upload(PRESS[:2]))
    jaki = Innovation.objects.get(title="Jakarta Kini (JAKI)")
    rows = [
        {"innovation_id": str(jaki.pk), "agency": "", "title": "", "award_year": "2021", "award_tier": "Top 45"},
        {"innovation_id": "", "agency": "Pemkot Surabaya", "title": "E-Health Surabaya", "award_year": "2022",
         "award_tier": "Terpuji"},
    ]  # fmt: skip
    report = importing.import_innovations(user=ministry, uploaded=upload(rows))
    assert report.ok, report.errors
    assert [p["action"] for p in report.plans] == ["merge", "merge"]
    jaki.refresh_from_db()
    assert jaki.award_tier == "top45"
    assert sorted(Award.objects.values_list("year", "tier")) == [
        (2019, "top45"), (2020, "top99"), (2021, "top45"), (2022, "terpuji"),
    ]  # fmt: skip


def test_command_contract_refuses_naming_rows_and_previews(ministry, tmp_path, capsys):
    path = tmp_path / "kipp.csv"
    path.write_bytes(csv_bytes(PRESS))
    call_command("import_innovations", str(path), "--user", ministry.username, "--preview", "--no-progress")
    out = capsys.readouterr().out
    assert "Nothing was saved" in out
    assert "row 7: merge into duplicate" in out
    assert Innovation.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*PRESS, {"agency": "Kabupaten Atlantis", "title": "X", "summary": "Y",
                                        "award_year": "2019", "award_tier": "Top 45"}]))  # fmt: skip
    with pytest.raises(CommandError, match=r"rows 8\)"):
        call_command("import_innovations", str(bad), "--user", ministry.username, "--no-progress")
    assert Innovation.objects.count() == 0
    call_command("import_innovations", str(path), "--user", ministry.username, "--no-progress")
    assert Innovation.objects.count() == 5


def test_batch_check_import_publish_and_report(ministry):
    batch = importing.create_batch(user=ministry, uploaded=upload(PRESS), filename="kipp.csv")
    importing.check_batch(batch=batch)
    assert (batch.state, batch.summary["create"], batch.summary["merge"]) == ("checked", 5, 1)
    assert Innovation.objects.count() == 0
    importing.import_batch(user=ministry, batch=batch)
    assert batch.state == ImportBatch.State.IMPORTED
    assert Innovation.objects.filter(status="draft").count() == 5
    assert importing.publish_batch(user=ministry, batch=batch) == 5
    assert Innovation.objects.filter(status="published").count() == 5
    report = importing.report_csv(ImportBatch.objects.get(pk=batch.pk)).decode("utf-8-sig")
    assert report.splitlines()[0].startswith("row,action,title")
    assert len(report.splitlines()) == 7


def test_formula_cells_are_kept_as_text_and_neutralised_in_the_report(ministry):
    rows = [PRESS[0] | {"title": '=HYPERLINK("http://x")'}]
    importing.import_innovations(user=ministry, uploaded=upload(rows))
    assert Innovation.objects.get().title == '=HYPERLINK("http://x")'
    assert importing.neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'


def test_near_identical_title_against_the_registry_is_a_duplicate(ministry):
    importing.import_innovations(user=ministry, uploaded=upload([PRESS[3]]))
    typo = [PRESS[3] | {"agency": "Kemenkumham", "title": "Paspor Simpatikk", "award_year": "2020"}]
    report = importing.import_innovations(user=ministry, uploaded=upload(typo), preview=True)
    plan = report.plans[0]
    assert (plan["action"], plan["duplicate"], plan["duplicate_title"]) == ("merge", "registry", "Paspor Simpatik")
    other = [PRESS[3] | {"title": "Paspor Keliling Desa"}]
    assert importing.import_innovations(user=ministry, uploaded=upload(other), preview=True).plans[0]["action"] == (
        "create"
    )


def test_import_and_publish_refresh_the_derived_data_once_not_per_row(ministry, monkeypatch):
    """No per-row signal storm: one similarity refresh after the import, one notice to the apps above on publish."""
    calls = []
    monkeypatch.setattr(importing, "schedule_full_similar_refresh", lambda: calls.append("similar"))
    monkeypatch.setattr(importing, "published_changed", lambda ids: calls.append(("published", sorted(ids))))
    batch = importing.create_batch(user=ministry, uploaded=upload(PRESS), filename="kipp.csv")
    importing.check_batch(batch=batch)
    assert calls == []  # the preview changes nothing
    importing.import_batch(user=ministry, batch=batch)
    assert calls == ["similar"]
    importing.publish_batch(user=ministry, batch=batch)
    assert calls == ["similar", ("published", sorted(batch.created_ids)), "similar"]
