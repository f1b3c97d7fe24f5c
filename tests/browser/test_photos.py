"""Innovation photos: thumbnails in the catalogue and on the innovation's page, at phone and desktop width."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from jipp.registry.attachments import add_attachment
from tests.factories import AdminLokalFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def photo(colour) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 800), colour)
    ImageDraw.Draw(image).ellipse((400, 200, 800, 600), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def test_catalogue_and_page_show_thumbnails_with_alt_text(page, shot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    innovation = InnovationFactory(title="Klinik Keliling Desa", video_url="https://youtu.be/abc")
    lokal = AdminLokalFactory(agency=innovation.agency)  # the gatekeeper's photos go live at once
    add_attachment(user=lokal, innovation=innovation, uploaded=photo((11, 79, 138)), kind="photo",
                   alt_text="Mobil klinik di halaman balai desa")  # fmt: skip
    add_attachment(user=lokal, innovation=innovation, uploaded=photo((194, 65, 12)), kind="photo",
                   alt_text="Bidan memeriksa ibu hamil")  # fmt: skip
    InnovationFactory(title="Layanan Tanpa Foto")

    page.goto(f"{page.base_url}/innovations/")
    thumb = page.get_by_role("img", name="Mobil klinik di halaman balai desa")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.naturalWidth") == 480
    shot("photos-01-catalogue-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot("photos-02-catalogue-desktop")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    page.get_by_role("link", name="Klinik Keliling Desa").first.click()
    expect(page.get_by_role("img", name="Bidan memeriksa ibu hamil")).to_be_visible()
    expect(page.get_by_role("link", name="Tonton video (youtu.be)")).to_be_visible()
    shot("photos-03-innovation-page")
