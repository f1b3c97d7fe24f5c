import pytest

from tests.factories import AdminLokalFactory, MinistryUserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboards/"


def test_national_contract(client, world):
    data = client.get(URL + "national/").json()
    provinces = {p["region"]: p for p in data["provinces"]}
    assert provinces["35"]["innovations_published"] == 5
    assert provinces["33"]["innovations_published"] == 1
    assert provinces["35"]["rank"] == 1
    assert data["totals"]["innovations_published"] == 6
    assert data["year"] == 0
    assert "unprotected" not in data["totals"]


def test_ministry_gets_the_private_figures(client, world):
    client.force_login(MinistryUserFactory())
    data = client.get(URL + "national/").json()
    assert "unprotected" in data["totals"]


def test_unknown_filter_values_are_400_with_a_message(client, world):
    response = client.get(URL + "national/", {"measure": "bananas", "year": "2031"})
    assert response.status_code == 400
    assert response.json()["measure"][0].startswith("There is no measure called “bananas”. Known measures:")
    assert response.json()["year"] == ["There are no figures for 2031. Years with figures: 2022, 2024, 2025."]
    response = client.get(URL + "regions/", {"province": "99"})
    assert response.status_code == 400


def test_regions_of_a_province(client, world):
    data = client.get(URL + "regions/", {"province": "35", "measure": "innovations_published"}).json()
    assert {r["region"]: (r["innovations_published"], r["rank"]) for r in data} == {"35.15": (4, 1), "35.07": (1, 2)}


def test_years_and_kinds(client, world):
    years = {r["year"]: r["published_in_year"] for r in client.get(URL + "years/").json()}
    assert years == {2022: 1, 2024: 3, 2025: 2}
    kinds = {r["kind"]: r["innovations_published"] for r in client.get(URL + "kinds/").json()}
    assert kinds == {"regency": 6, "province": 0}


def test_agency_figures_only_for_its_members(client, world):
    url = URL + f"agencies/{world['sidoarjo'].slug}/"
    assert client.get(url).status_code == 403
    client.force_login(AdminLokalFactory(agency=world["sidoarjo"]))
    assert client.get(url).json()["innovations_published"] == 4


def test_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("national", "provinces", "regions", "kinds", "years"):
        assert f"/api/v1/dashboards/{path}/" in schema
