import pytest
from django.urls import reverse

from jipp.regions.models import Agency, ServiceUnit
from tests.factories import AdminLokalFactory, AgencyFactory, MinistryUserFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


def test_region_list_filters_by_level(client, reference_data):
    response = client.get(reverse("regions:region_list"), {"level": "province"})
    assert response.context["page"].paginator.count == 38
    assert "Jawa Timur" in response.content.decode()


def test_region_list_with_unknown_level_shows_all(client, reference_data):
    response = client.get(reverse("regions:region_list"), {"level": "planet", "page": "999"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 552


def test_region_detail_lists_governments_of_the_province(client, reference_data):
    body = client.get(reverse("regions:region_detail", args=["35"])).content.decode()
    assert "Pemerintah Kota Surabaya" in body
    assert "Pemerintah Provinsi Jawa Timur" in body


def test_agency_list_has_constant_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        ServiceUnitFactory()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("regions:agency_list"))
    assert response.context["page"].paginator.count == 3


def test_admin_lokal_adds_unit_to_own_agency(client):
    admin = AdminLokalFactory()
    client.force_login(admin)
    response = client.post(reverse("regions:agency_detail", args=[admin.agency.slug]), {"name": "Puskesmas Kota"})
    assert response.status_code == 302
    assert ServiceUnit.objects.filter(agency=admin.agency, name="Puskesmas Kota").exists()


def test_duplicate_unit_name_keeps_the_typed_text(client):
    admin = AdminLokalFactory()
    ServiceUnitFactory(agency=admin.agency, name="Puskesmas Kota")
    client.force_login(admin)
    response = client.post(reverse("regions:agency_detail", args=[admin.agency.slug]), {"name": "puskesmas kota"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="puskesmas kota"' in body
    assert ServiceUnit.objects.filter(agency=admin.agency).count() == 1


def test_admin_lokal_cannot_add_unit_to_another_agency(client):
    client.force_login(AdminLokalFactory())
    other = AgencyFactory()
    response = client.post(reverse("regions:agency_detail", args=[other.slug]), {"name": "Dinas Palsu"})
    assert response.status_code == 403
    assert not ServiceUnit.objects.filter(agency=other).exists()


def test_ministry_adds_a_state_enterprise(client):
    client.force_login(MinistryUserFactory())
    response = client.post(
        reverse("regions:agency_create"),
        {"name": "PT Pos Indonesia (Persero)", "short_name": "Pos Indonesia", "type": "soe"},
    )
    agency = Agency.objects.get(short_name="Pos Indonesia")
    assert response.status_code == 302
    assert agency.type == Agency.Type.SOE
    assert agency.region is None


def test_regional_enterprise_without_region_is_refused_with_message(client):
    client.force_login(MinistryUserFactory())
    response = client.post(reverse("regions:agency_create"), {"name": "PDAM Tirta Contoh", "type": "rsoe"})
    assert response.status_code == 200
    assert "PDAM Tirta Contoh" in response.content.decode()
    assert not Agency.objects.filter(name="PDAM Tirta Contoh").exists()


def test_admin_lokal_cannot_add_agencies(client):
    client.force_login(AdminLokalFactory())
    assert client.get(reverse("regions:agency_create")).status_code == 403


def test_ministry_manages_agency_spellings(client, reference_data):
    from django.urls import reverse

    from jipp.regions.models import Agency, AgencyAlias
    from tests.factories import AdminLokalFactory, MinistryUserFactory

    url = reverse("regions:alias_list")
    client.force_login(AdminLokalFactory(agency=Agency.objects.get(name="Pemerintah Kota Surabaya")))
    assert client.get(url).status_code == 403
    client.force_login(MinistryUserFactory())
    tried = client.get(url, {"try": "Malang"})
    assert tried.context["resolution"].accepted is None
    city = Agency.objects.get(name="Pemerintah Kota Malang")
    client.post(url, {"alias": "Malang", "agency": city.pk})
    alias = AgencyAlias.objects.get(key="malang")
    assert (alias.agency, alias.source) == (city, "ministry")
    assert client.get(url, {"try": "malang"}).context["resolution"].accepted.agency_id == city.pk
    client.post(reverse("regions:alias_delete", args=[alias.pk]))
    assert not AgencyAlias.objects.filter(key="malang").exists()
