"""The resolver over the real reference data and seeded aliases, with the labels of the labelled list
(`data/agency_spellings.csv`): pure Python, no database, shared by the tests and bench/bench_import.py."""

import csv
from pathlib import Path

from jipp.regions.domain.resolver import AgencyEntry, AgencyMatcher

LABELLED = Path(__file__).parent / "data" / "agency_spellings.csv"
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
