"""The public data's generation (core.public_cache): every committed write to a public app's table
changes it, whatever wrote it; nothing else does; an open transaction's writes are nobody else's."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from jipp.core import public_cache
from jipp.regions.models import Agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_write_changes_it_at_once():
    agency = AgencyFactory()
    before = public_cache.generation()
    Agency.objects.filter(pk=agency.pk).update(name="Dinas Baru")  # no signal: seen in the SQL
    assert public_cache.generation() != before
    before = public_cache.generation()
    with connection.cursor() as cursor:  # raw SQL too
        cursor.execute("UPDATE regions_agency SET name = %s WHERE id = %s", ["Dinas Lain", agency.pk])
    assert public_cache.generation() != before


def test_other_tables_leave_it_alone():
    """A sign-in's session (or a proposal's autosave) must not empty the public pages' cache."""
    AgencyFactory()
    before = public_cache.generation()
    SessionStore().create()
    assert public_cache.generation() == before


def test_a_transaction_changes_it_when_it_commits():
    agency = AgencyFactory()
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
    with transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(name="Dinas Lagi")
    assert Agency.objects.get(pk=agency.pk).name == "Dinas Lagi"
    assert caplog.text.count("the generation could not be changed") == 2
