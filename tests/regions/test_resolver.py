"""The agency resolver: the pure matcher on the labelled list of real spellings, and the DB services."""

import csv
from pathlib import Path

import pytest

from jipp.regions.domain.resolver import AgencyEntry, AgencyMatcher, normalise
from jipp.regions.models import Agency, AgencyAlias, ServiceUnit
from jipp.regions.services import agency_matcher, save_alias, unit_for, unspecified_unit

DATA = Path(__file__).parent / "data" / "agency_spellings.csv"
REFERENCE = Path(__file__).resolve().parents[2] / "jipp" / "regions" / "data"


def reference_matcher() -> tuple[AgencyMatcher, dict[str, int]]:
    """A matcher over the real reference data and seeded aliases, built without the database."""
    entries, expected = [], {}
    with open(REFERENCE / "regions.csv", encoding="utf-8") as fh:
        for pk, row in enumerate(csv.DictReader(fh), start=1):
            name, level = row["name"].strip(), row["level"]
            official = f"Pemerintah Provinsi {name}" if level == "province" else f"Pemerintah {name}"
            entries.append(AgencyEntry(pk, official, "", level, name))
            label = {"province": "P:" + name, "regency": "K:" + name.removeprefix("Kabupaten "),
                     "city": "C:" + name.removeprefix("Kota ")}[level]  # fmt: skip
            expected[label] = pk
    with open(REFERENCE / "central_agencies.csv", encoding="utf-8") as fh:
        for pk, row in enumerate(csv.DictReader(fh), start=10_000):
            entries.append(AgencyEntry(pk, row["name"], row["short_name"], row["type"], ""))
            expected["A:" + row["short_name"]] = pk
    by_name = {e.name.lower(): e.id for e in entries} | {e.short_name.lower(): e.id for e in entries if e.short_name}
    with open(REFERENCE / "agency_aliases.csv", encoding="utf-8") as fh:
        aliases = {row["alias"]: by_name[row["agency"].lower()] for row in csv.DictReader(fh)}
    return AgencyMatcher(entries, aliases), expected


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
