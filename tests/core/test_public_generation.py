"""The public data's generation (core.public_cache): every committed write to a public app's table
changes it, whatever wrote it; nothing else does; an open transaction's writes are nobody else's."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path

from jipp.core import public_cache
from jipp.institutionalisation.tasks import refresh_protection_task
from jipp.regions.models import Agency
from tests.factories import AgencyFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_write_outside_a_transaction_counts_when_the_request_or_task_ends():
    agency = AgencyFactory()
    public_cache.flush()
    shared = public_cache.data_version()
    Agency.objects.filter(pk=agency.pk).update(name="Dinas Baru")  # no signal: seen in the SQL
    assert public_cache.generation() == shared[0]  # never from inside the statement
    assert public_cache.data_version() != shared  # but this thread reads its own write at once
    request_finished.send(sender=None)
    assert public_cache.generation() != shared[0]
    assert public_cache.data_version() == (public_cache.generation(), ())
    before = public_cache.generation()
    with connection.cursor() as cursor:  # raw SQL too, then a background task ends
        cursor.execute("UPDATE regions_agency SET name = %s WHERE id = %s", ["Dinas Lain", agency.pk])
    refresh_protection_task.enqueue(innovation_ids=[])  # run here by the tests' immediate backend
    assert public_cache.generation() != before


def test_other_tables_leave_it_alone():
    """A sign-in's session (or a proposal's autosave) must not empty the public pages' cache."""
    AgencyFactory()
    public_cache.flush()
    before = public_cache.generation()
    SessionStore().create()
    request_finished.send(sender=None)
    assert public_cache.generation() == before


def test_with_the_database_cache_on_the_same_connection(settings):
    """The database cache writes through the connection that wrote the row. Changing the generation
    from inside the execute wrapper, before SQLite's INSERT ... RETURNING had given its row back,
    failed the insert ("FOREIGN KEY constraint failed": the benchmark's seeding broke on it)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "test_public_cache"}
    }
    call_command("createcachetable", verbosity=0)
    try:
        before = public_cache.generation()
        agency = AgencyFactory()  # INSERT ... RETURNING, autocommit
        ServiceUnitFactory(agency=agency)
        request_finished.send(sender=None)
        assert public_cache.generation() != before
        assert Agency.objects.filter(pk=agency.pk).exists()
    finally:
        with connection.schema_editor() as editor:
            editor.execute(editor.sql_delete_table % {"table": editor.quote_name("test_public_cache")})


def test_a_transaction_changes_it_when_it_commits():
    agency = AgencyFactory()
    public_cache.flush()  # the factory's own writes
    shared = public_cache.data_version()
    with transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Dinas Baru")
        assert public_cache.generation() == shared[0]  # not yet: others still read the old data
        pending = public_cache.data_version()
        assert pending != shared  # this connection reads its own write: keys of its own
        Agency.objects.filter(pk=agency.pk).update(name="Dinas Lagi")
        assert public_cache.data_version() not in (shared, pending)
    assert public_cache.generation() != shared[0]
    assert public_cache.data_version() == (public_cache.generation(), ())


def test_a_rolled_back_transaction_changes_nothing():
    agency = AgencyFactory()
    public_cache.flush()  # the factory's own writes
    shared = public_cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Dinas Baru")
        raise RuntimeError
    assert public_cache.data_version() == shared


def test_a_busy_minute_of_public_pages_does_not_cull_the_generation():
    """Django's default MAX_ENTRIES (300) culled a third of the cache, the generation with it."""
    from django.core.cache.backends.locmem import LocMemCache

    from config.settings import _cache_from_url

    config = _cache_from_url("locmem://culling-test")  # the database cache takes the same options
    memory = LocMemCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})
    memory.set(public_cache.GENERATION_KEY, "g1", None)
    for page in range(2_000):  # about 150 requests a second for a minute, many of them different pages
        memory.set(f"{public_cache.PREFIX}innovation:{page}", "<main>…</main>", 60)
    assert memory.get(public_cache.GENERATION_KEY) == "g1"
    memory.clear()


def test_a_cache_outage_never_fails_a_committed_write(monkeypatch, caplog):
    agency = AgencyFactory()

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(public_cache.cache, "set", unreachable)
    Agency.objects.filter(pk=agency.pk).update(name="Dinas Baru")
    request_finished.send(sender=None)
    with transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Dinas Lagi")
    assert Agency.objects.get(pk=agency.pk).name == "Dinas Lagi"
    assert caplog.text.count("the generation could not be changed") == 2


def _rename(request, pk):
    Agency.objects.filter(pk=pk).update(name="Dinas Baru")  # outside a transaction
    return HttpResponse("ok")


urlpatterns = [path("rename/<int:pk>/", _rename)]


@pytest.mark.urls(__name__)
def test_a_requests_writes_count_before_its_response_is_sent(client):
    """request_finished comes after the client has the response (and may ask another server at once):
    the middleware changes the generation before."""
    agency = AgencyFactory()
    public_cache.flush()
    before = public_cache.generation()
    request_finished.disconnect(dispatch_uid="jipp.core.public_cache.flush")
    try:
        assert client.get(f"/rename/{agency.pk}/").status_code == 200
        assert public_cache.generation() != before
    finally:
        request_finished.connect(public_cache.flush, dispatch_uid="jipp.core.public_cache.flush")
