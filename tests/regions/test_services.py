import pytest
from django.db.models import ProtectedError

from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.regions.services import load_reference_data

pytestmark = pytest.mark.django_db


def test_load_reference_data_creates_all_regions_and_governments(reference_data):
    assert Region.objects.filter(level="province").count() == 38
    assert Region.objects.filter(level="regency").count() == 416
    assert Region.objects.filter(level="city").count() == 98
    assert Agency.objects.filter(type__in=Agency.REGIONAL_TYPES).count() == 552
    assert Agency.objects.filter(type="ministry").count() >= 34
    for short_name in ["LAN", "BPOM", "BPS", "Polri", "Kejaksaan RI"]:
        assert Agency.objects.filter(short_name=short_name, region__isnull=True).exists()
    surabaya = Agency.objects.get(region__code="35.78")
    assert surabaya.name == "Pemerintah Kota Surabaya"
    assert surabaya.province.name == "Jawa Timur"
    assert Region.objects.get(code="35.78").population > 2_000_000


def test_load_reference_data_twice_changes_nothing(reference_data):
    before = list(Agency.objects.order_by("pk").values_list("pk", "name", "updated_at"))
    again = load_reference_data()
    assert (again.regions_created, again.regions_updated, again.agencies_created, again.agencies_updated) == (
        0,
        0,
        0,
        0,
    )
    assert list(Agency.objects.order_by("pk").values_list("pk", "name", "updated_at")) == before


def test_agency_timezone_follows_its_province(reference_data):
    assert Agency.objects.get(region__code="35.78").timezone == "Asia/Jakarta"
    assert Agency.objects.get(region__code="73.71").timezone == "Asia/Makassar"
    assert Agency.objects.get(region__code="91").timezone == "Asia/Jayapura"
    assert Agency.objects.get(short_name="LAN").timezone == "Asia/Jakarta"


def test_deleting_a_region_with_agencies_is_refused(reference_data):
    region = Region.objects.get(code="35.78")
    with pytest.raises(ProtectedError):
        region.delete()
    assert Region.objects.filter(code="35.78").exists()


def test_deleting_an_agency_with_units_is_refused(reference_data):
    agency = Agency.objects.get(region__code="35.78")
    ServiceUnit.objects.create(agency=agency, name="Dinas Kesehatan")
    with pytest.raises(ProtectedError):
        agency.delete()
