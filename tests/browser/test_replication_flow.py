"""An agency finds a candidate from a problem statement, requests a replication, the source accepts,
the adopter completes the stages, and the success story appears publicly (in Indonesian, on a phone)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from jipp.replication import index
from jipp.replication.models import Replication
from tests.browser.helpers import login
from tests.factories import AgencyFactory, ServiceUnitFactory, UppFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_replication_from_problem_to_public_story(page, shot, settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    index._cache.clear()
    source_unit = ServiceUnitFactory(agency=AgencyFactory(name="Pemerintah Kabupaten Sidoarjo"), name="Dinas Dukcapil")
    UppFactory(username="upp.sumber", unit=source_unit)
    innovation = InnovationFactory(
        unit=source_unit,
        title="Akta Kelahiran Keliling Desa",
        summary="Petugas mendatangi desa terpencil untuk menerbitkan akta kelahiran tanpa antrean.",
        problem="Warga desa terpencil harus antre berhari-hari untuk akta kelahiran.",
        award_tier="top99",
    )
    InnovationFactory(title="Pupuk Organik Petani", summary="Kompos untuk sawah", problem="", solution="", results="")
    adopter_unit = ServiceUnitFactory(
        agency=AgencyFactory(name="Pemerintah Kabupaten Gorontalo"), name="Dinas Dukcapil"
    )
    UppFactory(username="upp.adopsi", unit=adopter_unit)
    index.build_and_store()
    letter = tmp_path / "surat-permohonan.pdf"
    letter.write_bytes(PDF)

    # 1. The adopter describes its problem and finds the candidate.
    login(page, "upp.adopsi")
    page.goto(f"{page.base_url}/replication/find/")
    page.get_by_label("Uraikan masalah yang ingin Anda selesaikan").fill(
        "Antrean panjang akta kelahiran bagi warga desa terpencil"
    )
    page.get_by_role("button", name="Cari kandidat").click()
    expect(page.get_by_role("heading", name="Akta Kelahiran Keliling Desa")).to_be_visible()
    page.get_by_text("Mengapa skor ini?").first.click()
    expect(page.get_by_text("penghargaan KIPP").first).to_be_visible()
    shot("replication-01-candidates")

    # 2. It requests the replication.
    page.get_by_role("link", name="Ajukan replikasi").first.click()
    page.get_by_label("Cara replikasi").select_option(label="Kaji tiru")
    page.get_by_label("Pesan kepada instansi sumber").fill("Kami ingin kaji tiru dan mohon pendampingan.")
    page.get_by_label("Surat permohonan (PDF/DOCX)").set_input_files(str(letter))
    shot("replication-02-request")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_text("Permohonan Anda telah dikirim")).to_be_visible()
    replication = Replication.objects.get()
    # Stages cannot start before the request: date the request before the stage dates used below.
    Replication.objects.filter(pk=replication.pk).update(created_at=dt.datetime(2025, 12, 1, 3, tzinfo=dt.UTC))
    detail = f"{page.base_url}/replication/{replication.public_id}/"

    # 3. The source agency accepts.
    login(page, "upp.sumber")
    page.goto(f"{page.base_url}/replication/")
    page.get_by_role("link", name="Akta Kelahiran Keliling Desa").click()
    page.get_by_label("Terima").check()
    page.get_by_label("Catatan untuk pengadopsi").fill("Dengan senang hati kami dampingi.")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Diterima").first).to_be_visible()
    # The adopter's forms are not offered to the source agency.
    expect(page.get_by_role("heading", name="Catat tahap")).to_have_count(0)
    shot("replication-03-accepted")

    # 4. The adopter completes the stages, uploads its statement and declares success.
    login(page, "upp.adopsi")
    page.goto(detail)
    dates = [
        ("Persiapan", "2026-01-05", "2026-01-20"),
        ("Kesepakatan", "2026-01-21", "2026-02-10"),
        ("Adaptasi", "2026-02-11", "2026-03-15"),
        ("Implementasi", "2026-03-16", "2026-06-30"),
        ("Evaluasi", "2026-07-01", "2026-08-15"),
    ]
    for stage, start, end in dates:
        page.get_by_role("combobox", name=re.compile(r"^Tahap")).select_option(label=stage)
        page.get_by_label("Mulai tanggal").fill(start)
        page.get_by_label("Selesai tanggal").fill(end)
        page.get_by_role("button", name="Simpan tahap").click()
        expect(page.get_by_text("Tersimpan.")).to_be_visible()
    page.get_by_label("Jenis dokumen").select_option(label="Surat pernyataan implementasi dari pengadopsi")
    page.get_by_label("Berkas (PDF, DOCX atau XLSX)").set_input_files(str(letter))
    page.get_by_role("button", name="Unggah").click()
    page.get_by_role("textbox", name="Faktor pembeda").fill("Layanan memakai perahu untuk desa kepulauan.")
    page.get_by_role("textbox", name="Hasil", exact=True).fill("Cakupan akta kelahiran naik dari 60% menjadi 92%.")
    page.get_by_role("spinbutton", name=re.compile(r"^Kemajuan")).fill("100")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_role("combobox", name=re.compile(r"^Hasil akhir")).select_option(label="Berhasil dan berlanjut")
    page.get_by_role("button", name="Simpan hasil akhir").click()
    expect(page.get_by_text("Berhasil dan berlanjut").first).to_be_visible()
    shot("replication-04-completed")
    innovation.refresh_from_db()
    assert innovation.replication_count == 1

    # 5. The public reads the success story.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/replication/stories/")
    expect(page.get_by_role("heading", name="Akta Kelahiran Keliling Desa")).to_be_visible()
    expect(page.get_by_text("Layanan memakai perahu untuk desa kepulauan.")).to_be_visible()
    shot("replication-05-story")
    page.get_by_role("link", name="Akta Kelahiran Keliling Desa").click()
    expect(page).to_have_url(re.compile(str(replication.public_id)))
    expect(page.get_by_text("Cakupan akta kelahiran naik")).to_be_visible()
    shot("replication-06-story-detail")


def test_network_page_on_a_phone(page, shot):
    page.goto(f"{page.base_url}/replication/network/")
    expect(page.get_by_role("heading", name="Jejaring replikasi")).to_be_visible()
    shot("replication-07-network")
