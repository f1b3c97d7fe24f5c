"""The public searches from the home page, filters by province, opens a result and exports the list."""

import re

import pytest
from playwright.sync_api import expect

from jipp.registry.models import Innovation
from jipp.registry.services import create_innovation, set_status
from tests.factories import AgencyFactory, MinistryUserFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _publish(ministry, unit, title, summary):
    innovation = create_innovation(user=ministry, unit=unit, data={"title": title, "summary": summary})
    set_status(user=ministry, innovation=innovation, status=Innovation.Status.PUBLISHED)


def test_search_filter_open_and_export(page, shot):
    ministry = MinistryUserFactory()
    jatim = ProvinceFactory(code="35", name="Jawa Timur")
    sulsel = ProvinceFactory(code="73", name="Sulawesi Selatan")
    unit_jatim = ServiceUnitFactory(
        agency=AgencyFactory(name="Pemerintah Kabupaten Sidoarjo", region=RegencyFactory(code="35.15", parent=jatim))
    )
    unit_sulsel = ServiceUnitFactory(
        agency=AgencyFactory(name="Pemerintah Kota Makassar", region=RegencyFactory(code="73.71", parent=sulsel))
    )
    _publish(ministry, unit_jatim, "Layanan Sehat Keliling Sidoarjo", "Dokter dan bidan datang ke desa.")
    _publish(ministry, unit_sulsel, "Pelayanan Kesehatan Lorong Makassar", "Posyandu di setiap lorong kota.")
    _publish(ministry, unit_sulsel, "Akta Kelahiran Cepat", "Akta terbit dalam sehari.")

    page.goto(page.base_url + "/")
    page.get_by_label("Cari inovasi").fill("pelayanan kesehatan")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("heading", name="2 inovasi")).to_be_visible()
    shot("registry-01-search")

    page.get_by_role("button", name="Saring").click()
    page.get_by_role("link", name=re.compile("Jawa Timur")).click()
    expect(page.get_by_role("heading", name="1 inovasi")).to_be_visible()
    shot("registry-02-filtered")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = download_info.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2  # the header and the one filtered result
    assert "Layanan Sehat Keliling Sidoarjo" in rows[1]

    page.get_by_role("link", name="Layanan Sehat Keliling Sidoarjo").click()
    expect(page.get_by_role("heading", name="Layanan Sehat Keliling Sidoarjo")).to_be_visible()
    expect(page.get_by_text("Dokter dan bidan datang ke desa.")).to_be_visible()
    shot("registry-03-detail")
