"""The agency resolver: the pure matcher on the labelled list of real spellings, and the DB services."""

import csv

import pytest

from jipp.regions.domain.resolver import normalise
from jipp.regions.models import Agency, AgencyAlias, ServiceUnit
from jipp.regions.services import agency_matcher, save_alias, unit_for, unspecified_unit
from tests.regions.reference import LABELLED as DATA
from tests.regions.reference import reference_matcher


def labelled() -> list[dict]:
    with open(DATA, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_labelled_list_has_at_least_300_spellings():
    rows = labelled()
    assert len(rows) >= 300
    assert len({r["spelling"] for r in rows}) == len(rows)


def test_resolver_top_candidate_on_labelled_list_and_no_wrong_acceptance():
    matcher, expected = reference_matcher()
    rows = labelled()
    right = wrong_accepted = 0
    for row in rows:
        want = expected[row["expected"]]
        result = matcher.resolve(row["spelling"])
        right += bool(result.candidates) and result.candidates[0].agency_id == want
        wrong_accepted += result.accepted is not None and result.accepted.agency_id != want
    assert right / len(rows) >= 0.98
    assert wrong_accepted == 0


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Pemerintah Kota Surabaya", "kota surabaya"),
        ("Pemprov DKI Jakarta", "provinsi daerah khusus ibukota jakarta"),
        ("Pemerintah Daerah DIY", "daerah istimewa yogyakarta"),
        ("Pemerintah Daerah Istimewa Yogyakarta", "daerah istimewa yogyakarta"),
        ("Kementerian Hukum dan HAM", "kementerian hukum hak asasi manusia"),
        ("Kab. Sidoarjo", "kabupaten sidoarjo"),
        ("Café Kota", "cafe kota"),
    ],
)
def test_normalise_writes_out_short_forms(spelling, key):
    assert normalise(spelling) == key


@pytest.mark.parametrize("spelling", ["Malang", "Bandung", "Bengkulu", "Gorontalo", "Yogyakarta", "Pemkab Surabaya"])
def test_ambiguous_or_impossible_spellings_are_never_accepted(spelling):
    matcher, _expected = reference_matcher()
    result = matcher.resolve(spelling)
    assert result.accepted is None
    assert len(result.candidates) >= 2 or spelling == "Pemkab Surabaya"


def test_region_name_alone_lists_both_governments():
    matcher, expected = reference_matcher()
    result = matcher.resolve("Malang")
    assert {c.agency_id for c in result.candidates} == {expected["K:Malang"], expected["C:Malang"]}


def test_field_office_names_its_unit_and_place():
    matcher, expected = reference_matcher()
    result = matcher.resolve("Polres Sidoarjo (Kepolisian Negara RI)")
    assert result.accepted.agency_id == expected["A:Polri"]
    assert result.unit_name == "Polres Sidoarjo"
    assert result.unit_place == "sidoarjo"


def test_unit_before_a_parenthesis_naming_the_agency():
    matcher, expected = reference_matcher()
    result = matcher.resolve("Dinas Kesehatan (Pemkab Sidoarjo)")
    assert result.accepted.agency_id == expected["K:Sidoarjo"]
    assert result.unit_name == "Dinas Kesehatan"


def test_unknown_agency_lists_nearest_candidates():
    matcher, expected = reference_matcher()
    result = matcher.resolve("Pemkab Sidoarjoo")
    assert result.candidates[0].agency_id == expected["K:Sidoarjo"]
    typo = matcher.resolve("Kabupaten Lampung Timurr")
    assert typo.accepted is None
    assert typo.candidates[0].agency_id == expected["K:Lampung Timur"]


@pytest.mark.django_db
def test_saved_alias_resolves_an_ambiguous_spelling(reference_data):
    city = Agency.objects.get(name="Pemerintah Kota Malang")
    assert agency_matcher().resolve("Malang").accepted is None
    save_alias(alias="Malang", agency=city)
    assert agency_matcher().resolve("MALANG").accepted.agency_id == city.pk
    assert AgencyAlias.objects.get(key="malang").source == AgencyAlias.Source.USER


@pytest.mark.django_db
def test_reference_data_seeds_common_aliases(reference_data):
    dki = Agency.objects.get(region__code="31")
    assert AgencyAlias.objects.filter(agency=dki, source=AgencyAlias.Source.SEED).count() >= 4
    assert agency_matcher().resolve("Pemprov DKI").accepted.agency_id == dki.pk


@pytest.mark.django_db
def test_unspecified_unit_is_one_per_agency(reference_data):
    agency = Agency.objects.get(name="Pemerintah Kota Surabaya")
    first = unspecified_unit(agency=agency)
    assert unspecified_unit(agency=agency) == first
    assert first.is_unspecified is True
    assert ServiceUnit.objects.filter(agency=agency, is_unspecified=True).count() == 1


@pytest.mark.django_db
def test_field_office_unit_gets_its_region(reference_data):
    polri = Agency.objects.get(short_name="Polri")
    unit = unit_for(agency=polri, name="Polres Sidoarjo", place_key="sidoarjo")
    assert unit.region.name == "Kabupaten Sidoarjo"
    assert unit_for(agency=polri, name="polres sidoarjo") == unit
