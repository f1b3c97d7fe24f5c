"""The Ministry reads the national dashboard, changes the map's measure and follows a province to its
catalogue; a hub admin opens the hub's dashboard; the Ministry downloads the national report.
Screenshots at desktop (1366) and phone (390) width."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from jipp.accounts.models import Role
from jipp.dashboards.services.refresh import refresh_all
from jipp.hubs.models import Cohort, Hub, Spoke
from tests.browser.helpers import login
from tests.factories import (
    AgencyFactory,
    MinistryUserFactory,
    ProvinceFactory,
    RegencyFactory,
    ServiceUnitFactory,
    UserFactory,
)
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    east = ProvinceFactory(code="35", name="Jawa Timur")
    west = ProvinceFactory(code="32", name="Jawa Barat")
    jatim = AgencyFactory(type="province", region=east, name="Pemerintah Provinsi Jawa Timur", slug="pemprov-jatim")
    sidoarjo = AgencyFactory(region=RegencyFactory(parent=east, code="35.15", name="Kabupaten Sidoarjo"))
    bandung = AgencyFactory(region=RegencyFactory(parent=west, code="32.04", name="Kabupaten Bandung"))
    for agency, n in ((sidoarjo, 5), (bandung, 2), (jatim, 1)):
        unit = ServiceUnitFactory(agency=agency)
        for i in range(n):
            InnovationFactory(unit=unit, start_date=dt.date(2022 + i % 3, 1, 1), replication_count=i % 2)
    hub = Hub.objects.create(
        agency=jatim, kind="province", region=east, cohort=Cohort.objects.create(year=2020, name="Percontohan")
    )
    Spoke.objects.create(hub=hub, agency=sidoarjo, kind="province", joined_on=dt.date(2020, 1, 1))
    admin = UserFactory(username="hub.jatim", role=Role.HUB_ADMIN, agency=jatim)
    hub.admins.add(admin)
    MinistryUserFactory(username="kementerian")
    refresh_all()
    return {"hub": hub}


@pytest.mark.parametrize("width", [1366, 390])
def test_dashboard_map_catalogue_hub_and_report(page, shot, network, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "kementerian")
    page.goto(f"{page.base_url}/dashboards/")
    expect(page.get_by_role("heading", name="Posisi jaringan saat ini")).to_be_visible()
    assert page.locator("svg.province-map path[data-region]").count() == 38
    shot(f"dashboards-01-national-{width}")

    # Change the map's measure: the form submits itself (app.js) and the map recolours.
    page.get_by_label("Ukuran pada peta").select_option("replicated")
    page.wait_for_url("**measure=replicated**")
    expect(page.locator(".dash-map")).to_contain_text("Inovasi yang direplikasi")
    page.locator('a.map-region:has(path[data-region="35"])').focus()
    expect(page.locator("[data-map-details]")).to_contain_text("Jawa Timur")
    shot(f"dashboards-02-measure-{width}")

    # Follow the province to its figures, then to its filtered catalogue.
    page.locator('a.map-region:has(path[data-region="35"])').click()
    expect(page.get_by_role("heading", name="Jawa Timur")).to_be_visible()
    shot(f"dashboards-03-province-{width}")
    page.get_by_role("link", name="Lihat 6 inovasinya di katalog").click()
    page.wait_for_url("**/innovations/?province=35")
    expect(page.locator("body")).to_contain_text("Layanan Kesehatan Keliling")

    # The national report, made in the background, downloaded as PDF.
    page.goto(f"{page.base_url}/dashboards/reports/")
    page.get_by_role("button", name="Buat laporan nasional").click()
    expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
    shot(f"dashboards-04-report-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # The hub admin opens the hub's dashboard.
    login(page, "hub.jatim")
    page.goto(f"{page.base_url}/dashboards/hubs/")
    page.get_by_role("link", name="Jawa Timur").click()
    expect(page.get_by_role("heading", name="Hub Jawa Timur")).to_be_visible()
    expect(page.get_by_role("heading", name="Simpul berdampingan")).to_be_visible()
    shot(f"dashboards-05-hub-{width}")
