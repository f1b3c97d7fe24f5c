import datetime as dt

import pytest
from django.utils import timezone

from jipp.dashboards.services.refresh import refresh_all
from jipp.institutionalisation.services import refresh_protection
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory
from tests.factories.registry import InnovationFactory


@pytest.fixture
def world(db):
    """Two provinces; Jawa Timur (35) with two regencies and its provincial government; published,
    draft and institutionalised innovations; summaries refreshed."""
    east = ProvinceFactory(code="35", name="Jawa Timur")
    central = ProvinceFactory(code="33", name="Jawa Tengah")
    sidoarjo = AgencyFactory(region=RegencyFactory(parent=east, code="35.15", name="Kabupaten Sidoarjo"))
    malang = AgencyFactory(region=RegencyFactory(parent=east, code="35.07", name="Kabupaten Malang"))
    jatim = AgencyFactory(type="province", region=east, name="Pemerintah Provinsi Jawa Timur", slug="pemprov-jatim")
    kudus = AgencyFactory(region=RegencyFactory(parent=central, code="33.19", name="Kabupaten Kudus"))
    units = {a: ServiceUnitFactory(agency=a) for a in (sidoarjo, malang, jatim, kudus)}
    for _ in range(3):
        InnovationFactory(unit=units[sidoarjo], start_date=dt.date(2024, 1, 1))
    InnovationFactory(unit=units[sidoarjo], phase="institutionalisation", replication_count=2)
    InnovationFactory(unit=units[malang], start_date=dt.date(2025, 1, 1))
    InnovationFactory(unit=units[malang], draft=True)
    InnovationFactory(unit=units[kudus], start_date=dt.date(2025, 1, 1), published_at=timezone.now())
    refresh_protection()
    refresh_all()
    return {"east": east, "central": central, "sidoarjo": sidoarjo, "malang": malang, "jatim": jatim, "kudus": kudus}


@pytest.fixture
def client():
    """Pages in English, so the tests read the msgids (Indonesian is the default language)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered dashboard bodies are cached per data version; tests change data without a refresh."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
