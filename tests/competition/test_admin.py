import pytest
from django.urls import reverse

from jipp.competition.models import Edition
from tests.factories import MinistryUserFactory
from tests.factories.competition import juklak_edition

pytestmark = pytest.mark.django_db


def test_admin_past_edition_is_read_only(client):
    client.force_login(MinistryUserFactory(is_superuser=True))
    past = Edition.objects.get(year=2021)
    page = client.get(reverse("admin:competition_edition_change", args=[past.pk])).content.decode()
    assert 'name="_save"' not in page
    current = juklak_edition(2030)
    page = client.get(reverse("admin:competition_edition_change", args=[current.pk])).content.decode()
    assert 'name="_save"' in page
