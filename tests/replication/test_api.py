import pytest

from tests.factories import UppFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db


def test_api_public_sees_successful_only(client):
    done = ReplicationFactory(status="accepted", is_successful=True)
    ReplicationFactory()
    data = client.get("/api/v1/replications/").json()
    assert data["count"] == 1
    assert data["results"][0]["public_id"] == str(done.public_id)


def test_api_agency_member_sees_own_agency(client):
    mine = ReplicationFactory()
    ReplicationFactory()
    client.force_login(UppFactory(unit=mine.adopter_unit))
    data = client.get("/api/v1/replications/").json()
    assert [r["public_id"] for r in data["results"]] == [str(mine.public_id)]


def test_api_unknown_filter_value_is_400(client):
    response = client.get("/api/v1/replications/?status=nonsense")
    assert response.status_code == 400


def test_api_detail_by_public_id(client):
    done = ReplicationFactory(status="accepted", is_successful=True)
    response = client.get(f"/api/v1/replications/{done.public_id}/")
    assert response.json()["source_agency"] == done.source_agency.slug
