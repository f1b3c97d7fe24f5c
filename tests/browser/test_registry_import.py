"""A UPP operator imports a spreadsheet (a bad row first: nothing saved, every problem listed),
then adds a photo and a forged document to a draft."""

import pytest
from playwright.sync_api import expect

from jipp.registry.models import Attachment, Innovation
from tests.browser.helpers import login
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.registry import PNG_BYTES, InnovationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.registry.urls_data_wired")]

HEADER = "title,summary,stage,start_date,categories,sdgs\n"


def test_import_report_then_success(page, shot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upp = UppFactory(username="upp.dinkes")
    login(page, "upp.dinkes")
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
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    expect(page.get_by_text("Ditolak: tidak ada yang disimpan")).to_be_visible()
    expect(page.get_by_text("“selesai” bukan salah satu dari: initiative, trial, in_operation.")).to_be_visible()
    assert Innovation.objects.count() == 0
    shot("registry-import-01-report")

    good = tmp_path / "inovasi-baik.csv"
    good.write_text(
        HEADER + "Posyandu Digital,Pencatatan gizi balita,in_operation,2022-01-05,health,3\n", encoding="utf-8"
    )
    page.get_by_role("link", name="Impor berkas lain").click()
    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    page.get_by_role("button", name="Impor 1 baris").click()
    expect(page.get_by_text("1 inovasi diimpor sebagai draf.").first).to_be_visible()
    assert Innovation.objects.get().unit == upp.unit
    shot("registry-import-02-done")


def test_ministry_imports_a_press_award_list_and_finds_it_in_the_catalogue(page, shot, tmp_path, settings):
    """The Ministry admin uploads an award list spelled as the press does, resolves two ambiguous rows
    in the preview, imports, publishes, and finds one of them by award year and tier in the catalogue."""
    from jipp.regions.services import load_reference_data

    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference_data()
    MinistryUserFactory(username="admin.kemenpan")
    awards = tmp_path / "top-kipp-pers.csv"
    awards.write_text(
        "agency,title,summary,award_year,award_tier\n"
        "Pemerintah Kota Surabaya,E-Health Surabaya,Pendaftaran puskesmas daring.,2019,Top 45\n"
        "Pemprov DKI Jakarta,Jakarta Kini (JAKI),Aplikasi layanan warga.,2020,Top 99\n"
        "Pemerintah Daerah DIY,Jogja Smart Service,Layanan satu pintu.,2021,Top 45\n"
        "Kementerian Hukum dan HAM,Paspor Simpatik,Layanan paspor cepat.,2019,Top 99\n"
        "Polres Malang (Kepolisian Negara RI),SIM Keliling Malang,SIM keliling ke desa.,2018,Top 40\n"
        "Malang,Sigap Malang,Pengaduan warga cepat.,2017,Top 40\n"
        "Bandung,Bandung Command Center,Pusat kendali kota.,2016,Top 35\n",
        encoding="utf-8",
    )
    login(page, "admin.kemenpan")
    page.goto(f"{page.base_url}/innovations/import/")
    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(awards))
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    expect(page.get_by_text("Ditolak: tidak ada yang disimpan")).to_be_visible()
    expect(page.locator('[data-count="refuse"]')).to_have_text("2")
    shot("registry-import-03-ambiguous")
    page.locator("#agency-7").select_option(label="Pemerintah Kota Malang (90%)")
    page.locator("#alias-7").check()
    page.locator("#agency-8").select_option(label="Pemerintah Kota Bandung (90%)")
    page.get_by_role("button", name="Simpan pilihan dan periksa lagi").click()
    expect(page.get_by_text("Semua baris dapat diimpor.")).to_be_visible()
    assert Innovation.objects.count() == 0
    shot("registry-import-04-preview")
    page.get_by_role("button", name="Impor 7 baris").click()
    expect(page.get_by_text("7 inovasi diimpor sebagai draf.").first).to_be_visible()
    page.get_by_role("button", name="Terbitkan semua 7 inovasi yang diimpor").click()
    expect(page.get_by_text("7 inovasi diterbitkan.").first).to_be_visible()
    shot("registry-import-05-published")
    assert Innovation.objects.filter(status="published").count() == 7
    assert Innovation.objects.get(title="Sigap Malang").agency.name == "Pemerintah Kota Malang"

    page.goto(f"{page.base_url}/innovations/")
    page.get_by_role("button", name="Saring").click()
    page.locator("#facet-panel").get_by_role("link", name="2017").click()
    page.get_by_role("button", name="Saring").click()
    page.locator("#facet-panel").get_by_role("link", name="Top 40").click()
    expect(page.get_by_role("heading", name="1 inovasi")).to_be_visible()
    expect(page.get_by_role("link", name="Sigap Malang")).to_be_visible()
    shot("registry-import-06-catalogue")


def test_attachments_upload_and_forged_file(page, shot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    upp = UppFactory(username="upp.foto")
    draft = InnovationFactory(unit=upp.unit, draft=True, title="Draf Layanan Foto")
    login(page, "upp.foto")
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
