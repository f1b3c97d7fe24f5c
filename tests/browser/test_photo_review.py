"""A UPP's new photo of a published innovation waits for its Admin Lokal: hidden from the public, counted on
the Admin Lokal's home, one click from the review page, shown only once approved (Indonesian, phone)."""

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from jipp.registry.models import Attachment
from tests.browser.shell_world import log_in
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _jpeg() -> bytes:
    image = Image.new("RGB", (1200, 800), (11, 79, 138))
    ImageDraw.Draw(image).ellipse((400, 200, 800, 600), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def test_upp_photo_waits_for_the_admin_lokal_who_finds_it_from_home_and_approves(
    page, browser, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    innovation = InnovationFactory(title="Klinik Keliling Desa")
    UppFactory(username="upp", unit=innovation.unit)
    AdminLokalFactory(username="lokal", agency=innovation.agency)
    detail = f"{page.base_url}/innovations/{innovation.pk}/"

    # 1. The UPP adds a photo: it is stored, marked as waiting.
    log_in(page, "upp")
    page.goto(f"{page.base_url}/innovations/{innovation.pk}/attachments/")
    page.get_by_label("Jenis").select_option("photo")
    page.get_by_label("Berkas").set_input_files({"name": "klinik.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    page.get_by_label("Teks alternatif (untuk foto)").fill("Mobil klinik di halaman balai desa")
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Menunggu persetujuan Admin Lokal")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "“klinik.jpg” ditambahkan. Foto ini tampil setelah Admin Lokal Anda menyetujuinya."
    )
    shot("photo-review-01-upp-waiting")
    assert Attachment.objects.get().awaiting_review is True

    # 2. The public sees no photo.
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    public.goto(detail)
    expect(public.get_by_role("img", name="Mobil klinik di halaman balai desa")).to_have_count(0)

    # 3. The Admin Lokal's home counts it; one click opens the review page; the photo is there.
    page.context.clear_cookies()
    log_in(page, "lokal")
    item = page.get_by_role("link", name=re.compile("Perubahan inovasi terbit yang perlu disetujui"))
    expect(item).to_contain_text("1")
    item.click()
    expect(page).to_have_url(re.compile(r"/innovations/revisions/$"))
    page.get_by_role("link", name="Klinik Keliling Desa").click()
    expect(page.get_by_role("img", name="Mobil klinik di halaman balai desa")).to_be_visible()
    shot("photo-review-02-admin-sees-photo")
    page.get_by_role("button", name="Setujui dan terbitkan perubahan").click()

    # 4. Only now does the public page show it.
    public.reload()
    expect(public.get_by_role("img", name="Mobil klinik di halaman balai desa")).to_be_visible()
    shot("photo-review-03-public")
    public.context.close()
