import shutil

import pytest
from django.conf import settings


@pytest.fixture
def media(settings, tmp_path):
    """A private MEDIA_ROOT for tests that store files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
