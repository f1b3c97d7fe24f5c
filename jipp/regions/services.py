"""Writes for regions and agencies: the reference-data loader and agency/unit creation."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from jipp.regions.models import Agency, Region, ServiceUnit

DATA_DIR = Path(__file__).resolve().parent / "data"

GOVERNMENT_PREFIX = {
    Region.Level.PROVINCE: "Pemerintah Provinsi",
    Region.Level.REGENCY: "Pemerintah",
    Region.Level.CITY: "Pemerintah",
}
AGENCY_TYPE_FOR_LEVEL = {
    Region.Level.PROVINCE: Agency.Type.PROVINCE,
    Region.Level.REGENCY: Agency.Type.REGENCY,
    Region.Level.CITY: Agency.Type.CITY,
}


@dataclass
class LoadResult:
    regions_created: int = 0
    regions_updated: int = 0
    agencies_created: int = 0
    agencies_updated: int = 0


def government_name(region: Region) -> str:
    """'Pemerintah Provinsi Jawa Timur', 'Pemerintah Kabupaten Sidoarjo', 'Pemerintah Kota Malang'."""
    name = region.name
    if region.level == Region.Level.PROVINCE:
        return f"Pemerintah Provinsi {name}"
    return f"Pemerintah {name}"


def _set_changed(obj, values: dict) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


@transaction.atomic
def load_reference_data(*, regions_csv: Path | None = None, agencies_csv: Path | None = None) -> LoadResult:
    """Load provinces, regencies and cities, their governments and the central agencies.

    Idempotent: a second run with the same files changes nothing (no writes at all).
    """
    result = LoadResult()
    regions_csv = regions_csv or DATA_DIR / "regions.csv"
    agencies_csv = agencies_csv or DATA_DIR / "central_agencies.csv"
    with open(regions_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {r.code: r for r in Region.objects.all()}
    # Provinces first, so that regencies and cities find their parent.
    rows.sort(key=lambda row: (row["level"] != "province", row["code"]))
    for row in rows:
        values = {
            "name": row["name"].strip(),
            "level": row["level"],
            "parent": existing.get(row["parent_code"]) if row["parent_code"] else None,
            "population": int(row["population"]) if row["population"] else None,
            "area_km2": Decimal(row["area_km2"]) if row["area_km2"] else None,
        }
        region = existing.get(row["code"])
        if region is None:
            region = Region(code=row["code"], **values)
            region.full_clean()
            region.save()
            existing[region.code] = region
            result.regions_created += 1
        elif _set_changed(region, values):
            region.full_clean()
            region.save()
            result.regions_updated += 1

    governments = {a.region_id: a for a in Agency.objects.filter(type__in=Agency.REGIONAL_TYPES)}
    for region in existing.values():
        values = {"name": government_name(region), "type": AGENCY_TYPE_FOR_LEVEL[region.level]}
        agency = governments.get(region.pk)
        if agency is None:
            Agency.objects.create(region=region, slug=slugify(values["name"]), **values)
            result.agencies_created += 1
        elif _set_changed(agency, values):
            agency.save()
            result.agencies_updated += 1

    with open(agencies_csv, encoding="utf-8") as fh:
        central = list(csv.DictReader(fh))
    by_short = {a.short_name: a for a in Agency.objects.filter(type__in=Agency.CENTRAL_TYPES)}
    for row in central:
        values = {"name": row["name"].strip(), "type": row["type"]}
        agency = by_short.get(row["short_name"])
        if agency is None:
            Agency.objects.create(short_name=row["short_name"], slug=slugify(row["short_name"]), **values)
            result.agencies_created += 1
        elif _set_changed(agency, values):
            agency.save()
            result.agencies_updated += 1
    return result


@transaction.atomic
def create_agency(*, name: str, type: str, short_name: str = "", region: Region | None = None) -> Agency:
    """Add an agency, e.g. a state (BUMN) or regional (BUMD) enterprise; validated before saving."""
    agency = Agency(name=name.strip(), short_name=short_name.strip(), type=type, region=region)
    base = slugify(short_name or name)[:200] or "agency"
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    agency.slug = slug
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def create_service_unit(*, agency: Agency, name: str) -> ServiceUnit:
    unit = ServiceUnit(agency=agency, name=name.strip())
    unit.full_clean()
    unit.save()
    return unit
