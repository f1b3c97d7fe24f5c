"""A UPP operator imports a spreadsheet (a bad row first: nothing saved, every problem listed),
then adds a photo and a forged document to a draft."""

import pytest
from playwright.sync_api import expect

from jipp.registry.models import Attachment, Innovation
from tests.factories import PASSWORD, UppFactory
from tests.factories.registry import PNG_BYTES, InnovationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.registry.urls_data_wired")]

HEADER = "title,summary,stage,start_date,categories,sdgs\n"


def _login(page, username):
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_import_report_then_success(page, shot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upp = UppFactory(username="upp.dinkes")
    _login(page, "upp.dinkes")
    bad = tmp_path / "inovasi.csv"
    bad.write_text(
        HEADER
        + "Posyandu Digital,Pencatatan gizi balita,in_operation,2022-01-05,health,3\n"
        + "Sekolah Ramah Anak,,selesai,05/13/2021,education,19\n",
        encoding="utf-8",
    )
    page.goto(f"{page.base_url}/innovations/import/")
    expect(page.get_by_role("heading", name="Impor inovasi")).to_be_visible()
    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_role("heading", name="Laporan impor")).to_be_visible()
    expect(
        page.get_by_role("cell", name="“selesai” bukan salah satu dari: initiative, trial, in_operation.")
    ).to_be_visible()
    assert Innovation.objects.count() == 0
    shot("registry-import-01-report")

    good = tmp_path / "inovasi-baik.csv"
    good.write_text(
        HEADER + "Posyandu Digital,Pencatatan gizi balita,in_operation,2022-01-05,health,3\n", encoding="utf-8"
    )
    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_text("1 inovasi diimpor sebagai draf.").first).to_be_visible()
    assert Innovation.objects.get().unit == upp.unit
    shot("registry-import-02-done")


def test_attachments_upload_and_forged_file(page, shot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upp = UppFactory(username="upp.foto")
    draft = InnovationFactory(unit=upp.unit, draft=True, title="Draf Layanan Foto")
    _login(page, "upp.foto")
    photo = tmp_path / "kegiatan.png"
    photo.write_bytes(PNG_BYTES)
    forged = tmp_path / "laporan.pdf"
    forged.write_bytes(b"<html><body>bukan pdf</body></html>")
    page.goto(f"{page.base_url}/innovations/{draft.pk}/attachments/")
    page.get_by_label("Jenis").select_option("photo")
    page.get_by_label("Berkas").set_input_files(str(photo))
    page.get_by_label("Teks alternatif (untuk foto)").fill("Petugas melayani warga di balai desa")
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_role("link", name="kegiatan.png")).to_be_visible()
    page.get_by_label("Jenis").select_option("document")
    page.get_by_label("Berkas").set_input_files(str(forged))
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # the reason, from jipp.core.files
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["kegiatan.png"]
    shot("registry-attachments-01")
