# Shared fixtures for the registry tests (kept by the lead; add fixtures, do not remove these).
import pytest

from jipp.registry.models import Innovation
from jipp.registry.services import create_innovation, set_status
from tests.factories import MinistryUserFactory, ServiceUnitFactory


@pytest.fixture
def make_innovation(db):
    """Create an innovation through the service (so derived and search columns are filled)."""
    ministry = MinistryUserFactory()

    def make(title="Layanan Contoh", *, unit=None, status=Innovation.Status.PUBLISHED, categories=(), sdgs=(), **data):
        data.setdefault("summary", "Ringkasan inovasi.")
        innovation = create_innovation(
            user=ministry,
            unit=unit or ServiceUnitFactory(),
            data={"title": title, **data},
            categories=categories,
            sdgs=sdgs,
        )
        if status != Innovation.Status.DRAFT:
            set_status(user=ministry, innovation=innovation, status=status)
        return innovation

    return make
