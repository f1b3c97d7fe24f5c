"""A UPP edits a published innovation; the change waits; its Admin Lokal reads the diff and approves;
only then does the public page change (in Indonesian, on a phone)."""

import pytest
from playwright.sync_api import expect

from jipp.registry.models import Innovation, InnovationRevision
from tests.browser.helpers import login
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_upp_edit_waits_for_admin_lokal_and_goes_public_only_when_approved(page, browser, shot):
    innovation = InnovationFactory(
        title="Akta Kelahiran Keliling",
        summary="Petugas datang ke desa untuk menerbitkan akta kelahiran.",
    )
    UppFactory(username="upp.akta", unit=innovation.unit)
    AdminLokalFactory(username="lokal.akta", agency=innovation.agency)
    detail = f"{page.base_url}/innovations/{innovation.pk}/"

    # 1. The UPP edits the published innovation: the form says the change will wait.
    login(page, "upp.akta")
    page.goto(detail)
    page.get_by_role("link", name="Sunting").click()
    expect(page.locator("#review-notice")).to_be_visible()
    page.get_by_label("Judul").fill("Akta Kelahiran Keliling Desa")
    page.get_by_label("Ringkasan").fill("Petugas datang ke rumah warga untuk menerbitkan akta kelahiran.")
    shot("revision-01-upp-edit")
    page.get_by_role("button", name="Kirim untuk disetujui").click()
    expect(page.locator("#revision-status")).to_have_text("Menunggu persetujuan")
    revision = InnovationRevision.objects.get()
    assert sorted(revision.changes) == ["summary", "title"]

    # 2. The UPP sees its pending state on the innovation's page, which still shows the published version.
    page.goto(detail)
    expect(page.locator("#pending-revision")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akta Kelahiran Keliling")
    shot("revision-02-upp-pending")

    # 3. The public sees nothing of it.
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    public.goto(detail)
    expect(public.get_by_role("heading", level=1)).to_have_text("Akta Kelahiran Keliling")
    expect(public.locator("#pending-revision")).to_have_count(0)

    # 4. The Admin Lokal finds it, reads the field-by-field diff and approves.
    login(page, "lokal.akta")
    page.goto(f"{page.base_url}/innovations/revisions/")
    page.get_by_role("link", name="Akta Kelahiran Keliling").click()
    expect(page.locator("#change-title del")).to_have_count(0)
    expect(page.locator("#change-title ins")).to_have_text("Desa")
    expect(page.locator("#change-summary del")).to_have_text("desa")
    expect(page.locator("#change-summary ins")).to_have_text("rumah warga")
    shot("revision-03-admin-diff")
    page.get_by_role("button", name="Setujui dan terbitkan perubahan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Akta Kelahiran Keliling Desa")

    # 5. Only now does the public page change.
    public.reload()
    expect(public.get_by_role("heading", level=1)).to_have_text("Akta Kelahiran Keliling Desa")
    shot("revision-04-approved")
    assert Innovation.objects.get().version == innovation.version + 1
    public.context.close()


def test_admin_lokal_rejects_with_a_reason_the_upp_then_sees(page, shot):
    innovation = InnovationFactory(title="Klinik Keliling")
    UppFactory(username="upp.klinik", unit=innovation.unit)
    AdminLokalFactory(username="lokal.klinik", agency=innovation.agency)
    login(page, "upp.klinik")
    page.goto(f"{page.base_url}/innovations/{innovation.pk}/edit/")
    page.get_by_label("Judul").fill("Klinik")
    page.get_by_role("button", name="Kirim untuk disetujui").click()
    expect(page.locator("#revision-status")).to_be_visible()

    login(page, "lokal.klinik")
    page.goto(f"{page.base_url}/innovations/revisions/")
    page.get_by_role("link", name="Klinik Keliling").click()
    page.get_by_role("button", name="Tolak perubahan").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()  # a reason is required; nothing decided
    page.get_by_label("Alasan penolakan").fill("Judul terlalu singkat, sebutkan layanannya.")
    page.get_by_role("button", name="Tolak perubahan").click()
    expect(page.get_by_text("Perubahan ditolak")).to_be_visible()

    login(page, "upp.klinik")
    page.goto(f"{page.base_url}/innovations/{innovation.pk}/")
    expect(page.get_by_text("Judul terlalu singkat, sebutkan layanannya.")).to_be_visible()
    shot("revision-05-upp-sees-rejection")
