import os

import pytest
from rest_framework.test import APIClient

from jipp.accounts.models import Role, User
from tests.factories import AdminLokalFactory, ServiceUnitFactory, UppFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_regions_list_is_paginated_with_count(api, reference_data):
    data = api.get("/api/v1/regions/").json()
    assert data["count"] == 552
    assert len(data["results"]) == 20


def test_regions_filter_by_level_and_parent(api, reference_data):
    assert api.get("/api/v1/regions/", {"level": "province"}).json()["count"] == 38
    data = api.get("/api/v1/regions/", {"parent": "35", "level": "city", "page_size": 100}).json()
    assert data["count"] == 9
    assert {r["parent"] for r in data["results"]} == {"35"}


def test_regions_unknown_level_is_a_400(api, reference_data):
    response = api.get("/api/v1/regions/", {"level": "planet"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_page_out_of_range_is_a_400(api, reference_data):
    response = api.get("/api/v1/regions/", {"page": 999})
    assert response.status_code == 400
    assert "page" in response.json()


def test_region_detail_by_code(api, reference_data):
    data = api.get("/api/v1/regions/35.78/").json()
    assert data["name"] == "Kota Surabaya"


def test_agencies_filter_by_type_and_region(api, reference_data):
    data = api.get("/api/v1/agencies/", {"type": "city", "region": "35.78"}).json()
    assert [a["name"] for a in data["results"]] == ["Pemerintah Kota Surabaya"]
    assert api.get("/api/v1/agencies/", {"type": "ministry"}).json()["count"] >= 34


def test_admin_lokal_creates_upp_for_own_unit_via_api(api):
    admin = AdminLokalFactory()
    unit = ServiceUnitFactory(agency=admin.agency)
    api.force_authenticate(admin)
    response = api.post(
        "/api/v1/users/", {"username": "upp.api", "email": "", "full_name": "Dewi", "role": "upp", "unit": unit.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["temporary_password"]
    assert User.objects.get(username="upp.api").unit == unit


def test_admin_lokal_cannot_create_upp_for_other_agency_via_api(api):
    api.force_authenticate(AdminLokalFactory())
    response = api.post(
        "/api/v1/users/",
        {"username": "upp.x", "email": "", "full_name": "X", "role": Role.UPP, "unit": ServiceUnitFactory().pk},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="upp.x").exists()


def test_admin_lokal_lists_only_own_agency_users_via_api(api):
    admin = AdminLokalFactory()
    UppFactory()
    api.force_authenticate(admin)
    data = api.get("/api/v1/users/").json()
    assert [u["username"] for u in data["results"]] == [admin.username]


def test_admin_lokal_cannot_add_unit_to_other_agency_via_api(api):
    admin = AdminLokalFactory()
    other_unit = ServiceUnitFactory()
    api.force_authenticate(admin)
    response = api.post("/api/v1/units/", {"name": "Dinas Palsu", "agency": other_unit.agency.slug})
    assert response.status_code == 403
    response = api.post("/api/v1/units/", {"name": "Dinas Asli", "agency": admin.agency.slug})
    assert response.status_code == 201


def test_anonymous_cannot_list_users(api):
    assert api.get("/api/v1/users/").status_code in (401, 403)


def test_openapi_schema_lists_the_endpoints(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/regions/", "/api/v1/agencies/", "/api/v1/users/"} <= set(paths)


def test_api_docs_are_served_without_cdn(client):
    body = client.get("/api/docs/").content.decode()
    assert "cdn" not in body.lower()


def test_openapi_schema_builds_without_warnings(db):
    """Two serializers with one name gave one schema component for two shapes (a hub and a hub's
    figures): drf-spectacular warned and clients saw the wrong fields. The schema must build clean."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)
