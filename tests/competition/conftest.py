import datetime as dt

import pytest
from django.utils import translation

from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory


def agency_in(province_code: str, n: int = 1):
    province = ProvinceFactory(code=province_code, name=f"Provinsi {province_code}")
    regency = RegencyFactory(parent=province, code=f"{province_code}.{n:02d}")
    return AgencyFactory(region=regency)


@pytest.fixture
def papua_unit(db):
    return ServiceUnitFactory(agency=agency_in("91"))


@pytest.fixture
def java_unit(db):
    return ServiceUnitFactory(agency=agency_in("35"))


# 23:59 WIB on 15 March 2026 = 16:59 UTC = 01:59 WIT on 16 March.
DEADLINE = dt.datetime(2026, 3, 15, 16, 59, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are matched in English; pages are checked in the UI's language (Indonesian)."""
    with translation.override("en"):
        yield
