import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from jipp.registry.attachments import add_attachment, delete_attachment
from jipp.registry.models import Attachment
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import PDF_BYTES, PNG_BYTES, InnovationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.urls_data_wired")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return [name for _dir, _dirs, files in os.walk(root) for name in files]


@pytest.fixture
def upp():
    return UppFactory()


@pytest.fixture
def draft(upp):
    return InnovationFactory(unit=upp.unit, draft=True)


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_add_attachment_stores_under_a_generated_name(upp, draft, media):
    attachment = add_attachment(user=upp, innovation=draft, uploaded=upload("SK Tim.pdf", PDF_BYTES), kind="decree")
    assert attachment.original_name == "SK Tim.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    stored = os.path.basename(attachment.file.name)
    assert stored.endswith(".pdf") and "SK" not in stored and len(stored) == 36
    assert stored_files(media) == [stored]


def test_html_named_pdf_is_refused(upp, draft, media):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(user=upp, innovation=draft, uploaded=upload("laporan.pdf", b"<html>x</html>"), kind="document")
    assert caught.value.message_dict["file"] == [
        "This file's content is not an allowed type (PDF, JPEG, PNG, DOCX, XLSX), whatever its name says."
    ]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_pdf_named_png_is_refused(upp, draft):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(user=upp, innovation=draft, uploaded=upload("foto.png", PDF_BYTES), kind="document")
    assert caught.value.message_dict["file"] == ["The file is named .png but its content is PDF."]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(
            user=upp, innovation=draft, uploaded=upload("foto.png", PDF_BYTES), kind="photo", alt_text="Foto layanan"
        )
    assert caught.value.message_dict["file"] == [
        "This file's content is not an allowed type (JPEG, PNG), whatever its name says."
    ]
    assert Attachment.objects.count() == 0


def test_oversized_file_is_refused(upp, draft, settings, media):
    settings.MAX_UPLOAD_MB = 1
    big = upload("besar.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add_attachment(user=upp, innovation=draft, uploaded=big, kind="document")
    assert caught.value.message_dict["file"] == ["The file is 2.0 MB; the limit is 1 MB."]
    assert stored_files(media) == []


def test_other_agency_cannot_add_or_delete(draft, upp):
    outsider = AdminLokalFactory()
    with pytest.raises(PermissionDenied):
        add_attachment(user=outsider, innovation=draft, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    attachment = add_attachment(user=upp, innovation=draft, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    with pytest.raises(PermissionDenied):
        delete_attachment(user=outsider, attachment=attachment)


def test_delete_removes_the_record_and_the_file(upp, draft, media, django_capture_on_commit_callbacks):
    attachment = add_attachment(user=upp, innovation=draft, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(user=upp, attachment=attachment)
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_draft_files_are_not_public(client, upp, draft):
    attachment = add_attachment(user=upp, innovation=draft, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    url = reverse("registry:attachment_download", kwargs={"pk": attachment.pk})
    assert client.get(url).status_code == 404
    client.force_login(AdminLokalFactory())  # another agency
    assert client.get(url).status_code == 404
    client.force_login(upp)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_published_files_download_for_anyone_never_inline(client, upp):
    published = InnovationFactory(unit=upp.unit)
    attachment = add_attachment(
        user=AdminLokalFactory(agency=published.agency),
        innovation=published,
        uploaded=upload("foto.png", PNG_BYTES),
        kind="photo",
        alt_text="Foto layanan",
    )
    response = client.get(reverse("registry:attachment_download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    image = client.get(reverse("registry:attachment_image", kwargs={"pk": attachment.pk}))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert image["X-Content-Type-Options"] == "nosniff"


def test_inline_image_only_for_published_photos(client, upp, draft):
    photo = add_attachment(
        user=upp, innovation=draft, uploaded=upload("foto.png", PNG_BYTES), kind="photo", alt_text="Foto layanan"
    )
    assert client.get(reverse("registry:attachment_image", kwargs={"pk": photo.pk})).status_code == 404
    published = InnovationFactory(unit=upp.unit)
    document = add_attachment(user=upp, innovation=published, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    assert client.get(reverse("registry:attachment_image", kwargs={"pk": document.pk})).status_code == 404


def test_upload_view_adds_a_file_and_returns(client, upp, draft):
    client.force_login(upp)
    url = reverse("registry:attachments", kwargs={"pk": draft.pk})
    response = client.post(url, {"kind": "document", "file": upload("laporan.pdf", PDF_BYTES), "next": "/x/"})
    assert response.status_code == 302 and response["Location"] == "/x/"
    assert [a.original_name for a in draft.attachments.all()] == ["laporan.pdf"]
    page = client.get(url).content.decode()
    assert "laporan.pdf" in page
    assert reverse("registry:attachment_delete", kwargs={"pk": draft.attachments.get().pk}) in page


def test_upload_view_shows_why_a_forged_file_is_refused(client, upp, draft):
    client.force_login(upp)
    url = reverse("registry:attachments", kwargs={"pk": draft.pk})
    response = client.post(
        url, {"kind": "document", "file": upload("laporan.pdf", b"<html></html>")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "whatever its name says" in response.content.decode()
    assert draft.attachments.count() == 0


def test_upload_view_permissions(client, upp, draft):
    published = InnovationFactory(unit=upp.unit)
    client.force_login(AdminLokalFactory())
    data = {"kind": "document", "file": upload("a.pdf", PDF_BYTES)}
    assert client.post(reverse("registry:attachments", kwargs={"pk": draft.pk}), data).status_code == 404
    data = {"kind": "document", "file": upload("a.pdf", PDF_BYTES)}
    assert client.post(reverse("registry:attachments", kwargs={"pk": published.pk}), data).status_code == 403
    client.logout()
    data = {"kind": "document", "file": upload("a.pdf", PDF_BYTES)}
    assert client.post(reverse("registry:attachments", kwargs={"pk": published.pk}), data).status_code == 403
    assert published.attachments.count() == 0


def test_delete_view_permissions(client, upp):
    published = InnovationFactory(unit=upp.unit)
    attachment = add_attachment(user=upp, innovation=published, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    url = reverse("registry:attachment_delete", kwargs={"pk": attachment.pk})
    client.force_login(AdminLokalFactory())
    assert client.post(url).status_code == 403
    client.force_login(upp)
    assert client.post(url).status_code == 302
    assert Attachment.objects.count() == 0


def test_snippet_hides_the_upload_form_from_the_public(client, upp):
    published = InnovationFactory(unit=upp.unit)
    add_attachment(user=upp, innovation=published, uploaded=upload("a.pdf", PDF_BYTES), kind="document")
    html = client.get(reverse("registry:attachments", kwargs={"pk": published.pk})).content.decode()
    assert "a.pdf" in html
    assert 'enctype="multipart/form-data"' not in html


def test_snippet_renders_with_the_lead_context_only(rf, upp, draft):
    from django.template.loader import render_to_string

    add_attachment(user=upp, innovation=draft, uploaded=upload("sk.pdf", PDF_BYTES), kind="decree")
    request = rf.get(f"/innovations/{draft.pk}/manage/")
    request.user = upp
    html = render_to_string("registry/data/_attachments.html", {"innovation": draft, "can_edit": True}, request=request)
    assert 'name="file"' in html and 'name="kind"' in html
    assert reverse("registry:attachments", kwargs={"pk": draft.pk}) in html
    assert f'name="next" value="/innovations/{draft.pk}/manage/"' in html
    assert ">sk.pdf</a>" in html
