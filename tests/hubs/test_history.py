from jipp.hubs.history import load_history
from jipp.hubs.models import Cohort, Hub, Spoke
from jipp.regions.models import Agency

PILOTS_2020 = {
    "Jawa Timur",
    "Sumatera Selatan",
    "Sulawesi Selatan",
    "Jawa Tengah",
    "Sumatera Barat",
    "Kepulauan Bangka Belitung",
    "Kalimantan Selatan",
    "Gorontalo",
}


def test_2020_cohort_is_exactly_the_eight_pilots(reference_data):
    load_history()
    cohort = Cohort.objects.get(year=2020)
    assert (cohort.decree_number, cohort.is_real) == ("KepmenPANRB 94/2020", True)
    assert {h.region.name for h in Hub.objects.filter(cohort=cohort)} == PILOTS_2020
    assert set(Hub.objects.filter(cohort=cohort).values_list("is_real", flat=True)) == {True}


def test_2021_adds_exactly_four(reference_data):
    load_history()
    cohort = Cohort.objects.get(year=2021)
    assert cohort.decree_number == "KepmenPANRB 359/2021"
    assert {h.region.name for h in Hub.objects.filter(cohort=cohort)} == {"Kalimantan Barat", "Riau", "Bali", "Maluku"}
    assert Hub.objects.count() == 12


def test_history_is_idempotent(reference_data):
    first = load_history()
    second = load_history()
    assert (first.cohorts_created, first.hubs_created) == (2, 12)
    assert (second.cohorts_created, second.hubs_created, second.spokes_created) == (0, 0, 0)
    assert Hub.objects.count() == 12


def test_history_spokes_are_the_province_regencies_and_cities(reference_data):
    load_history()
    hub = Hub.objects.get(region__name="Gorontalo")
    expected = set(
        Agency.objects.filter(region__parent__name="Gorontalo", type__in=["regency", "city"]).values_list(
            "pk", flat=True
        )
    )
    assert len(expected) == 6
    assert set(Spoke.objects.filter(hub=hub).values_list("agency_id", flat=True)) == expected


def test_2020_criteria_are_real_but_their_weights_are_marked_assumed_and_equal(reference_data):
    from decimal import Decimal

    from jipp.hubs.models import SelectionRound

    load_history()
    round_ = SelectionRound.objects.get(year=2020, is_real=True)
    assert list(round_.criteria.order_by("position").values_list("name", "weight", "weight_basis")) == [
        ("Komitmen kuat pimpinan daerah", Decimal("33.34"), "assumed"),
        ("Potensi inovasi yang sesuai dengan pembangunan daerah", Decimal("33.33"), "assumed"),
        ("Dukungan birokrasi dalam melaksanakan kebijakan pimpinan", Decimal("33.33"), "assumed"),
    ]
