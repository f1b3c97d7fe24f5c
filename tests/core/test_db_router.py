"""The read-replica router with two real databases: `default` (primary) and `replica`.

The replica here is a separate empty database that is NOT kept in sync, so a row written to the
primary is visible through a request only when that request read from the primary.
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from jipp.core.db_router import PIN_COOKIE, ReplicaRouter, use_replica
from jipp.registry.models import Innovation
from tests.factories import MinistryUserFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_ROUTERS = ["jipp.core.db_router.ReplicaRouter"]
    settings.MIDDLEWARE = ["jipp.core.db_router.ReplicaMiddleware", *settings.MIDDLEWARE]
    settings.REPLICA_PATH_PREFIXES = ["/innovations/", "/api/v1/"]
    settings.REPLICA_PIN_SECONDS = 10


def test_router_sends_public_reads_to_replica_only_inside_a_marked_request():
    router = ReplicaRouter()
    from jipp.accounts.models import User

    assert router.db_for_read(Innovation) == "default"
    with use_replica():
        assert router.db_for_read(Innovation) == "replica"
        assert router.db_for_read(User) == "default"  # accounts and sessions: always the primary
        assert router.db_for_write(Innovation) == "default"
    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is True


def _published(make_innovation_title="Layanan Replika"):
    from jipp.registry.services import create_innovation, set_status
    from tests.factories import ServiceUnitFactory

    ministry = MinistryUserFactory()
    innovation = create_innovation(
        user=ministry, unit=ServiceUnitFactory(), data={"title": make_innovation_title, "summary": "Ringkasan."},
        categories=(), sdgs=(),
    )  # fmt: skip
    set_status(user=ministry, innovation=innovation, status=Innovation.Status.PUBLISHED)
    return innovation


def test_public_api_reads_from_replica(client, replica_on):
    innovation = _published()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get("/api/v1/innovations/")
    assert response.status_code == 200
    # The replica is empty (not synced in this test): the row written to the primary is not there.
    assert response.json()["count"] == 0
    assert len(on_replica.captured_queries) >= 1
    assert Innovation.objects.filter(pk=innovation.pk).exists()  # it is on the primary


def test_detail_page_reads_from_replica(client, replica_on):
    innovation = _published()
    assert client.get(f"/innovations/{innovation.pk}/").status_code == 404  # not on the (empty) replica


def test_client_that_just_wrote_reads_from_primary(client, replica_on):
    innovation = _published()
    client.cookies[PIN_COOKIE] = str(10**10)  # as set by the middleware after a write
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get("/api/v1/innovations/")
    assert response.json()["count"] == 1
    assert response.json()["results"][0]["id"] == innovation.pk
    assert on_replica.captured_queries == []


def test_a_write_pins_the_client_to_the_primary(client, replica_on):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert float(response.cookies[PIN_COOKIE].value) > 0
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


def test_pages_outside_the_public_prefixes_read_from_primary(client, replica_on):
    _published()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        client.get("/")
    assert on_replica.captured_queries == []


def test_public_cache_stamps_what_the_replica_has(replica_on):
    """The public cache's generation changes at the primary's commit; a page rendered from a replica
    that has not caught up is stamped with the replica's own state, so it is rebuilt once it has."""
    from jipp.registry import facet_index

    assert facet_index.replica_version() is None  # no replica read: the generation is enough
    with use_replica():
        assert facet_index.replica_version()[0] == "replica"
