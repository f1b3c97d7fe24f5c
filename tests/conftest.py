import pytest


@pytest.fixture(autouse=True)
def _no_public_pages_of_earlier_tests():
    """Rendered public pages (core.public_cache) are stamped with the data's generation, kept in the
    cache too: each test starts with an empty per-process cache, so none sees an earlier test's pages."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):  # a shared database cache is cleared by its own tests
        caches["default"].clear()


@pytest.fixture
def reference_data(db):
    """The real 38 provinces, 514 regencies/cities and their governments."""
    from jipp.regions.services import load_reference_data

    return load_reference_data()
