import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_for_direct_calls():
    """Service and selector calls outside a request speak English here; pages keep the site's language
    (Indonesian by default), so view tests assert the Indonesian text users see."""
    with translation.override("en"):
        yield
