"""Demo data: the newest published innovations get a generated photo (drawn with Pillow) with
alternative text and a thumbnail, so the catalogue of `make run` shows pictures."""

import random

import pytest
from django.urls import reverse
from PIL import Image

from jipp.registry.attachments import THUMBNAIL_SIZE
from jipp.registry.demo import PHOTO_SIZE, draw_illustration, seed_photos
from jipp.registry.models import Attachment
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_illustration_is_a_jpeg_of_the_photo_size_and_repeats_for_the_same_seed():
    first = draw_illustration(random.Random(7), "health")
    assert first == draw_illustration(random.Random(7), "health")
    assert first != draw_illustration(random.Random(8), "health")
    import io

    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size) == ("JPEG", PHOTO_SIZE)


def test_seed_photos_gives_the_newest_published_innovations_a_photo_shown_in_the_catalogue(client):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    older = InnovationFactory(title="Lama", published_at=now - dt.timedelta(days=30))
    newest = [
        InnovationFactory(title=f"Baru {n}", sector="health", published_at=now - dt.timedelta(days=n)) for n in range(3)
    ]
    InnovationFactory(title="Draf", draft=True)
    assert seed_photos(rng=random.Random(1), count=3) == 3
    photos = Attachment.objects.order_by("innovation_id")
    assert [p.innovation_id for p in photos] == [i.pk for i in newest]
    first = photos.get(innovation=newest[0])
    assert first.alt_text == "Ilustrasi Baru 0: klinik bertanda palang beratap merah dengan warga di depannya"
    assert (first.kind, first.content_type, first.awaiting_review) == ("photo", "image/jpeg", False)
    with first.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.size[0] == THUMBNAIL_SIZE[0]
    catalogue = client.get(reverse("registry:catalogue"))
    covers = {i.title: bool(i.cover) for i in catalogue.context["page"]}
    assert covers == {"Baru 0": True, "Baru 1": True, "Baru 2": True, "Lama": False}
    assert older.attachments.count() == 0
