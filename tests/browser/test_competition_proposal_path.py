"""The issue's path on a phone: a UPP writes and completes a proposal (autosave, attachments, checklist), the
Admin Lokal forwards it, the secretariat runs the checks, sees its flags with the evidence and passes it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from jipp.competition.models import Proposal
from tests.browser.helpers import login
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import PDF, answer_text, forwarded_proposal, juklak_edition
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_upp_writes_admin_lokal_forwards_secretariat_passes(page, shot, tmp_path):
    edition = juklak_edition(2026)
    innovation = InnovationFactory(title="Si Akrab: Akta Kelahiran dari Rumah Sakit", start_date=dt.date(2021, 5, 1))
    upp = UppFactory(username="upp.dukcapil", unit=innovation.unit)
    AdminLokalFactory(username="lokal.sidoarjo", agency=innovation.agency)
    MinistryUserFactory(username="sekretariat")
    # Another unit already sent a proposal with the same title: the checks must find it.
    forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Si Akrab: Akta Kelahiran dari Rumah Sakit"))
    base = page.base_url

    # 1. The UPP starts a proposal from its registry innovation.
    login(page, upp.username)
    page.goto(f"{base}/kipp/proposals/new/?edition=2026")
    page.get_by_label("Inovasi dari registri unit Anda").select_option(label=innovation.title)
    page.get_by_label("Kelompok").select_option(label="Umum")
    shot("competition-01-start")
    page.get_by_role("button", name="Buat draf").click()
    expect(page.get_by_role("heading", name=innovation.title)).to_be_visible()

    # 2. Writes the sections; the draft saves itself.
    textareas = page.locator("textarea[data-word-limit]")
    assert textareas.count() == 7
    for i in range(textareas.count()):
        limit = int(textareas.nth(i).get_attribute("data-word-limit"))
        textareas.nth(i).fill(answer_text(int(limit * 0.5), seed=100 + i))
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis pukul", timeout=10_000)
    expect(page.locator("#autosave-status")).to_contain_text("WIB")
    shot("competition-02-autosaved")
    page.get_by_label("Kesehatan", exact=True).check()
    page.get_by_label("3. Kehidupan Sehat dan Sejahtera").check()
    page.get_by_label("Tautan video").fill("https://video.example.go.id/si-akrab")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Usulan disimpan.")).to_be_visible()

    # 3. Attaches the required files; the checklist empties.
    pdf = tmp_path / "dokumen.pdf"
    pdf.write_bytes(PDF)
    options = page.get_by_role("combobox", name="Lampiran").locator("option").all_inner_texts()
    for label in [o for o in options if o.strip("- ")]:
        page.get_by_role("combobox", name="Lampiran").select_option(label=label)
        page.get_by_label("Berkas (PDF, DOCX, XLSX, JPEG atau PNG)").set_input_files(str(pdf))
        page.get_by_role("button", name="Lampirkan").click()
        expect(page.get_by_text("Berkas dilampirkan.")).to_be_visible()
    expect(page.get_by_text("Semua sudah terisi.")).to_be_visible()
    shot("competition-03-complete")
    page.get_by_role("link", name="Kembali ke usulan").click()
    page.get_by_role("button", name="Kirim ke Admin Lokal").click()
    expect(page.get_by_text("Dikirim ke Admin Lokal Anda.")).to_be_visible()
    expect(page.locator("#proposal-status")).to_have_text("Di Admin Lokal")
    shot("competition-04-sent")

    # 4. The Admin Lokal sees its agency's proposals and forwards this one.
    login(page, "lokal.sidoarjo")
    page.goto(f"{base}/kipp/proposals/?edition=2026")
    expect(page.get_by_text("0 dari 10 diteruskan")).to_be_visible()
    shot("competition-05-admin-lokal-list")
    page.get_by_role("link", name=innovation.title).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Teruskan ke Kementerian").click()
    expect(page.get_by_text("Diteruskan ke Kementerian. Versi yang dikirim dibekukan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sebagaimana dikirim")).to_be_visible()
    shot("competition-06-forwarded")

    # 5. The secretariat runs the checks, sees the flags with the evidence and passes the proposal.
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/editions/2026/screening/")
    page.get_by_role("button", name="Jalankan pemeriksaan otomatis pada semua usulan yang diteruskan").click()
    expect(page.get_by_text("Selesai")).to_be_visible(timeout=30_000)
    shot("competition-07-screening")
    proposal = Proposal.objects.get(innovation=innovation)
    page.goto(f"{base}/kipp/proposals/{proposal.pk}/")
    expect(page.get_by_text("Judul sama dengan")).to_be_visible()
    page.get_by_role("link", name="Lihat buktinya").click()
    expect(page.get_by_role("heading", name="Judul sama atau hampir sama")).to_be_visible()
    shot("competition-08-flag-evidence")
    page.go_back()
    page.get_by_label("Keputusan").select_option(label="Lolos")
    page.get_by_label("Alasan").fill("Judul sama dengan unit lain, tetapi isi dan inovasinya berbeda: lolos.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator("#proposal-status")).to_have_text("Lolos seleksi administrasi")
    shot("competition-09-passed")

    # The unit sees the status and the reason.
    login(page, upp.username)
    page.goto(f"{base}/kipp/proposals/{proposal.pk}/")
    expect(page.get_by_role("status")).to_contain_text(re.compile("Alasan:.*isi dan inovasinya berbeda"))
    expect(page.locator("#proposal-status")).to_have_text("Lolos seleksi administrasi")
    shot("competition-10-unit-sees-reason")
