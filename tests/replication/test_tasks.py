import time

import pytest

from jipp.replication import index
from jipp.replication.tasks import rebuild_matcher_index
from tests.factories.registry import InnovationFactory

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
