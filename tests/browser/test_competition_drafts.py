"""Drafts never lose text: the session expires while the UPP types, the text is kept, restored after login;
and the secretariat reads a near-duplicate's evidence side by side on a phone."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from jipp.competition import services
from jipp.competition.models import ScreeningFlag
from tests.factories import PASSWORD, MinistryUserFactory, UppFactory
from tests.factories.competition import ProposalFactory, answer_text, forwarded_proposal, juklak_edition
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username):
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_expired_session_keeps_typed_text_and_restores_it(page, shot):
    edition = juklak_edition(2026)
    proposal = ProposalFactory(edition=edition)
    upp = UppFactory(username="upp.lupa", unit=proposal.unit)
    page.goto(f"{page.base_url}/accounts/login/")
    _login(page, upp.username)
    page.goto(f"{page.base_url}/kipp/proposals/{proposal.pk}/edit/")
    summary = page.get_by_label("Ringkasan")
    summary.fill("Kalimat pertama yang sudah tersimpan.")
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis")

    Session.objects.all().delete()  # the session expires while the user keeps typing
    summary.fill("Kalimat pertama yang sudah tersimpan. Kalimat kedua diketik setelah sesi habis.")
    expect(page.locator("#autosave-status")).to_contain_text("Sesi Anda sudah habis")
    shot("competition-11-session-expired")
    page.get_by_role("link", name="Masuk kembali untuk memulihkannya").click()
    _login(page, upp.username)
    expect(page.get_by_text("dipulihkan di bawah")).to_be_visible()
    expect(page.get_by_label("Ringkasan")).to_have_value(
        "Kalimat pertama yang sudah tersimpan. Kalimat kedua diketik setelah sesi habis."
    )
    shot("competition-12-text-restored")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Usulan disimpan.")).to_be_visible()
    assert proposal.answers.get(section__key="ringkasan").text.endswith("Kalimat kedua diketik setelah sesi habis.")


def test_secretariat_reads_near_duplicate_passages_side_by_side(page, shot):
    edition = juklak_edition(2026)
    original = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Gerakan Literasi Desa"))
    copy = forwarded_proposal(edition=edition, innovation=InnovationFactory(title="Pojok Baca Kampung"))
    data = copy.snapshot.data
    source = original.snapshot.data["sections"]
    data["sections"][1]["text"] = source[1]["text"].replace("masyarakat", "warga")
    data["sections"][2]["text"] = source[2]["text"]
    copy.snapshot.data = data
    copy.snapshot.save()
    services.screen_edition(edition=edition, workers=1)
    flag = ScreeningFlag.objects.get(proposal=copy, kind="near_duplicate")
    MinistryUserFactory(username="sekretariat")
    page.goto(f"{page.base_url}/accounts/login/")
    _login(page, "sekretariat")
    page.goto(f"{page.base_url}/kipp/proposals/{copy.pk}/")
    expect(page.get_by_text("teks sama dengan")).to_be_visible()
    page.get_by_role("link", name="Lihat buktinya").click()
    expect(page.get_by_role("heading", name="Kutipan yang sama")).to_be_visible()
    expect(page.get_by_role("link", name="Gerakan Literasi Desa")).to_be_visible()
    assert page.locator("mark").count() == 2 * len(flag.evidence["passages"])
    shot("competition-13-near-duplicate-evidence")
    assert answer_text(10)
