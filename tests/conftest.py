import pytest


@pytest.fixture
def reference_data(db):
    """The real 38 provinces, 514 regencies/cities and their governments."""
    from jipp.regions.services import load_reference_data

    return load_reference_data()
