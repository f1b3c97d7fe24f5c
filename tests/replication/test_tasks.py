import time

import pytest

from jipp.replication import index
from jipp.replication.tasks import notify_replication_event, rebuild_matcher_index
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    index._cache.clear()


def test_rebuild_matcher_index_skips_requests_older_than_the_stored_index():
    InnovationFactory()
    asked = time.time() - 60
    assert rebuild_matcher_index.call() == 1
    assert rebuild_matcher_index.call(asked) == -1
    InnovationFactory()
    assert rebuild_matcher_index.call(time.time() + 60) == 2
    assert len(index.load().agency_of) == 2


def test_notify_replication_event_mails_both_sides(mailoutbox):
    replication = ReplicationFactory()
    UppFactory(unit=replication.adopter_unit, email="adopsi@example.go.id")
    UppFactory(unit=replication.primary_source.unit, email="sumber@example.go.id")
    AdminLokalFactory(agency=replication.source_agency, email="lokal@example.go.id")
    UppFactory(email="orang.lain@example.go.id")
    assert notify_replication_event.call(replication.pk, "accepted") == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "adopsi@example.go.id",
        "lokal@example.go.id",
        "sumber@example.go.id",
    ]
    assert str(replication.public_id) in mailoutbox[0].body
