"""Faults: the disk full for media (here), the worker killed mid-task (test_worker_killed below)."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jipp.institutionalisation.models import LegalBasis
from tests.factories import UppFactory
from tests.factories.registry import InnovationFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """A storage that writes the first bytes, then runs out of space (as a full disk does mid-write)."""
    settings.MEDIA_ROOT = tmp_path

    def _save(self, name, content):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", _save)
    return tmp_path


@pytest.mark.django_db
def test_disk_full_on_upload_says_so_saves_nothing_and_keeps_the_text(client, full_disk):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit)
    client.force_login(upp)
    response = client.post(
        reverse("institutionalisation:innovation", args=[innovation.pk]),
        {"action": "legal", "type": "perkada", "number": "7/2024", "issued_on": "2024-01-01",
         "title": "Judul yang saya ketik", "issued_by": "Bupati Sidoarjo",
         "document": SimpleUploadedFile("perbup.pdf", PDF, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400  # the form again, with its errors
    assert "The server&#x27;s storage is full: the file was not saved" in body
    assert 'value="Judul yang saya ketik"' in body
    assert 'value="Bupati Sidoarjo"' in body
    assert LegalBasis.objects.count() == 0
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []  # the partial file is gone too
