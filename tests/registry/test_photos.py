"""Innovation photos and videos: alt text required, thumbnails made server-side, shown on the page
and in the catalogue."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from jipp.registry.attachments import THUMBNAIL_SIZE, add_attachment, thumbnail_of
from jipp.registry.models import Attachment
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import AttachmentFactory, InnovationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.urls_data_wired")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(width=1600, height=1200, *, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera Dinas"  # Make: metadata the thumbnail must not carry
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def upp():
    return UppFactory()


@pytest.fixture
def lokal(upp):
    """The gatekeeper: its photos of a published innovation go live at once (a UPP's wait for it)."""
    return AdminLokalFactory(agency=upp.agency)


@pytest.fixture
def published(upp):
    return InnovationFactory(unit=upp.unit, title="Klinik Keliling", video_url="https://www.youtube.com/watch?v=abc")


def test_photo_without_alt_text_is_refused_and_nothing_is_stored(upp, published, media):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(user=upp, innovation=published, uploaded=upload("foto.jpg", jpeg()), kind="photo", alt_text=" ")
    assert caught.value.message_dict["alt_text"] == [
        "Describe what the photo shows, for people who cannot see it (alternative text)."
    ]
    assert Attachment.objects.count() == 0
    assert not media.exists() or not any(media.rglob("*.*"))


def test_upload_makes_a_bounded_jpeg_thumbnail_without_metadata(upp, published):
    photo = add_attachment(
        user=upp, innovation=published, uploaded=upload("foto.jpg", jpeg(1600, 1200)), kind="photo",
        alt_text="Dokter memeriksa warga di mobil klinik",
    )  # fmt: skip
    assert photo.alt_text == "Dokter memeriksa warga di mobil klinik"
    with photo.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", THUMBNAIL_SIZE)
        assert 0x010F not in thumb.getexif()


def test_thumbnail_is_turned_upright_by_exif_orientation(upp, published):
    # Orientation 6: the camera was turned; the stored pixels are 1200x1600 landscape.
    photo = add_attachment(
        user=upp, innovation=published, uploaded=upload("foto.jpg", jpeg(1600, 1200, orientation=6)),
        kind="photo", alt_text="Foto tegak",
    )  # fmt: skip
    with photo.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.size == (270, 360)


def test_unreadable_image_is_refused_with_a_reason(upp, published):
    broken = jpeg()[:200]  # a JPEG header and nothing else
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(user=upp, innovation=published, uploaded=upload("foto.jpg", broken), kind="photo",
                       alt_text="x")  # fmt: skip
    assert caught.value.message_dict["file"] == [
        "This image cannot be read, or it is too large. Save it again as JPEG or PNG."
    ]
    assert Attachment.objects.count() == 0


def test_upload_form_requires_alt_text_for_a_photo(client, upp, published):
    client.force_login(upp)
    url = reverse("registry:attachments", args=[published.pk])
    response = client.post(url, {"kind": "photo", "file": upload("foto.jpg", jpeg()), "alt_text": ""})
    assert response.status_code == 400
    assert list(response.context["attachment_form"].errors) == ["alt_text"]
    response = client.post(url, {"kind": "photo", "file": upload("foto.jpg", jpeg()), "alt_text": "Mobil klinik"})
    assert response.status_code == 302
    assert Attachment.objects.get().alt_text == "Mobil klinik"


def test_thumbnail_view_serves_published_photos_only(client, upp, lokal, published):
    photo = add_attachment(user=lokal, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Mobil klinik")  # fmt: skip
    response = client.get(reverse("registry:attachment_thumbnail", args=[photo.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response["Cache-Control"] == "public, max-age=86400"
    draft = InnovationFactory(unit=upp.unit, draft=True)
    hidden = add_attachment(user=upp, innovation=draft, uploaded=upload("b.jpg", jpeg()), kind="photo",
                            alt_text="Draf")  # fmt: skip
    assert client.get(reverse("registry:attachment_thumbnail", args=[hidden.pk])).status_code == 404


def test_photo_stored_before_thumbnails_gets_one_on_first_request_and_keeps_it(client, published):
    old = AttachmentFactory(
        innovation=published, kind="photo", content_type="image/jpeg", original_name="lama.jpg",
        file=SimpleUploadedFile("lama.jpg", jpeg(800, 600)),
    )  # fmt: skip
    assert not old.thumbnail
    response = client.get(reverse("registry:attachment_thumbnail", args=[old.pk]))
    assert response.status_code == 200
    old.refresh_from_db()
    stored = old.thumbnail.name
    assert stored.startswith("thumbnails/")
    client.get(reverse("registry:attachment_thumbnail", args=[old.pk]))
    old.refresh_from_db()
    assert old.thumbnail.name == stored
    assert thumbnail_of(old).name == stored


def test_innovation_page_shows_photos_with_alt_text_and_the_video(client, upp, lokal, published):
    photo = add_attachment(user=lokal, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Dokter memeriksa warga")  # fmt: skip
    add_attachment(user=lokal, innovation=published, uploaded=upload("b.pdf", b"%PDF-1.4\n%%EOF\n"), kind="document")
    response = client.get(reverse("registry:innovation_detail", args=[published.pk]))
    assert response.context["photos"] == [photo]
    content = response.content.decode()
    thumb = reverse("registry:attachment_thumbnail", args=[photo.pk])
    assert f'<img src="{thumb}" alt="Dokter memeriksa warga"' in content
    assert response.context["video_host"] == "youtube.com"
    assert 'href="https://www.youtube.com/watch?v=abc"' in content


def test_catalogue_card_shows_the_first_photo_as_thumbnail(client, upp, lokal, published):
    first = add_attachment(user=lokal, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Foto pertama")  # fmt: skip
    add_attachment(user=lokal, innovation=published, uploaded=upload("b.jpg", jpeg()), kind="photo",
                   alt_text="Foto kedua")  # fmt: skip
    InnovationFactory(title="Tanpa Foto")
    response = client.get(reverse("registry:catalogue"))
    covers = {i.title: (i.cover.pk if i.cover else None) for i in response.context["page"]}
    assert covers == {"Klinik Keliling": first.pk, "Tanpa Foto": None}
    assert 'alt="Foto pertama"' in response.content.decode()


def test_catalogue_thumbnails_add_one_query_whatever_the_page_size(client, upp, lokal):
    def add(n):
        innovation = InnovationFactory(unit=upp.unit, title=f"Inovasi {n}")
        add_attachment(user=lokal, innovation=innovation, uploaded=upload("a.jpg", jpeg(64, 48)), kind="photo",
                       alt_text=f"Foto {n}")  # fmt: skip

    counts = []
    for batch in ((0,), (1, 2)):
        for n in batch:
            add(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:catalogue"))
        counts.append((sum(1 for i in response.context["page"] if i.cover), len(queries)))
    assert [c[0] for c in counts] == [1, 3]
    assert counts[0][1] == counts[1][1]


# ---- a UPP's new photo of a published innovation waits for its Admin Lokal ------------------------


def test_upp_photo_of_a_published_innovation_waits_for_approval_then_shows(client, upp, lokal, published):
    from jipp.notifications.models import Notification
    from jipp.registry import revisions

    photo = add_attachment(user=upp, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Mobil klinik di desa")  # fmt: skip
    assert photo.awaiting_review is True
    revision = revisions.pending_revision(published)
    assert revision.changes == {"photos": [photo.pk]}
    assert list(Notification.objects.filter(recipient=lokal).values_list("kind", flat=True)) == [
        "registry.revision_submitted"
    ]
    # The public sees nothing of it: not on the page, not in the catalogue, not by its address.
    page = client.get(reverse("registry:innovation_detail", args=[published.pk]))
    assert page.context["photos"] == []
    catalogue = client.get(reverse("registry:catalogue"))
    assert [i.cover for i in catalogue.context["page"]] == [None]
    for name in ("registry:attachment_thumbnail", "registry:attachment_image", "registry:attachment_download"):
        assert client.get(reverse(name, args=[photo.pk])).status_code == 404, name
    # The gatekeeper sees it on the review page (thumbnail served to editors only, never cached publicly).
    client.force_login(lokal)
    review = client.get(reverse("registry:revision_detail", args=[revision.pk]))
    assert review.context["photos"] == [photo]
    thumb = reverse("registry:attachment_thumbnail", args=[photo.pk])
    assert f'src="{thumb}" alt="Mobil klinik di desa"' in review.content.decode()
    assert 'id="diff-heading"' not in review.content.decode()  # no field changed, only a photo added
    preview = client.get(thumb)
    assert (preview.status_code, preview["Cache-Control"]) == (200, "private, max-age=0")
    client.post(reverse("registry:revision_approve", args=[revision.pk]))
    client.logout()
    photo.refresh_from_db()
    assert photo.awaiting_review is False
    assert client.get(reverse("registry:innovation_detail", args=[published.pk])).context["photos"] == [photo]
    assert client.get(thumb)["Cache-Control"] == "public, max-age=86400"


def test_a_text_edit_keeps_the_waiting_photo_and_rejecting_removes_it(upp, lokal, published, media):
    from jipp.registry import revisions

    photo = add_attachment(user=upp, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Foto baru")  # fmt: skip
    published.refresh_from_db()
    revision = revisions.propose_revision(
        user=upp, innovation=published, data={"title": "Klinik Keliling Desa"}, expected_version=published.version
    )
    assert revision.changes == {"title": "Klinik Keliling Desa", "photos": [photo.pk]}
    revisions.reject_revision(user=lokal, revision=revision, reason="Foto buram")
    assert Attachment.objects.filter(pk=photo.pk).exists() is False
    published.refresh_from_db()
    assert published.title == "Klinik Keliling"


def test_gatekeeper_photo_of_a_published_innovation_goes_live_at_once(lokal, published):
    from jipp.registry import revisions

    photo = add_attachment(user=lokal, innovation=published, uploaded=upload("a.jpg", jpeg()), kind="photo",
                           alt_text="Foto dinas")  # fmt: skip
    assert photo.awaiting_review is False
    assert revisions.pending_revision(published) is None
