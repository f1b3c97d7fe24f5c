import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from jipp.core.nav import guides
from tests.factories import AdminLokalFactory, AgencyFactory, MinistryUserFactory

pytestmark = pytest.mark.django_db


def test_home_is_in_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "Jaringan inovasi pelayanan publik" in response.content.decode()


def test_language_switch_shows_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Public-service innovation network" in response.content.decode()


def test_every_guide_page_exists_in_both_languages(client):
    assert guides(), "apps register guide pages"
    for slug, _title in guides():
        for language in ("id", "en"):
            client.post(reverse("set_language"), {"language": language, "next": "/"})
            response = client.get(reverse("core:guide_page", args=[slug]))
            assert response.status_code == 200, (slug, language)
            assert f'lang="{language}"' in response.content.decode()


def test_unknown_guide_is_404(client):
    assert client.get(reverse("core:guide_page", args=["nope"])).status_code == 404


def test_about_data_credits_the_sources(client):
    body = client.get(reverse("core:about_data")).content.decode()
    assert "cahyadsn/wilayah" in body
    assert "CC BY 4.0" in body


def test_audit_log_records_old_and_new_values(client):
    ministry = MinistryUserFactory()
    agency = AgencyFactory(name="Pemerintah Kabupaten Lama")
    agency.name = "Pemerintah Kabupaten Baru"
    agency.save()
    entry = LogEntry.objects.get_for_object(agency).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["Pemerintah Kabupaten Lama", "Pemerintah Kabupaten Baru"]
    client.force_login(ministry)
    body = client.get(reverse("core:audit_log")).content.decode()
    assert "Pemerintah Kabupaten Baru" in body


def test_audit_log_exports_csv(client):
    client.force_login(MinistryUserFactory())
    AgencyFactory(name="Pemerintah Kabupaten Ekspor")
    response = client.get(reverse("core:audit_log"), {"format": "csv", "model": "regions.agency"})
    assert response["Content-Type"].startswith("text/csv")
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 2
    assert "Pemerintah Kabupaten Ekspor" in rows[1]


def test_audit_log_is_for_the_ministry_only(client):
    client.force_login(AdminLokalFactory())
    assert client.get(reverse("core:audit_log")).status_code == 403
    client.logout()
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
