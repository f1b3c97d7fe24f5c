"""Writes for regions and agencies: the reference-data loader and agency/unit creation."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jipp.regions.domain.resolver import AgencyEntry, AgencyMatcher, bare_region, normalise
from jipp.regions.models import UNSPECIFIED_UNIT_NAME, Agency, AgencyAlias, Region, ServiceUnit

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
    load_aliases()
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


# Agency names as people write them ----------------------------------------------------------


def agency_matcher() -> AgencyMatcher:
    """A matcher over every agency and every saved alias (two queries; build once per import)."""
    entries = [
        AgencyEntry(id=pk, name=name, short_name=short or "", type=type_, region_name=region or "")
        for pk, name, short, type_, region in Agency.objects.values_list(
            "pk", "name", "short_name", "type", "region__name"
        )
    ]
    aliases = dict(AgencyAlias.objects.values_list("key", "agency_id"))
    return AgencyMatcher(entries, aliases)


def load_aliases(*, aliases_csv: Path | None = None) -> int:
    """Seed the common spellings (data/agency_aliases.csv: alias, agency name or short name). Idempotent."""
    aliases_csv = aliases_csv or DATA_DIR / "agency_aliases.csv"
    with open(aliases_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    agencies = {}
    for pk, name, short in Agency.objects.values_list("pk", "name", "short_name"):
        agencies[name.lower()] = pk
        if short:
            agencies[short.lower()] = pk
    existing = set(AgencyAlias.objects.values_list("key", flat=True))
    created = 0
    for row in rows:
        agency_id = agencies.get(row["agency"].strip().lower())
        key = normalise(row["alias"])
        if agency_id is None or not key or key in existing:
            continue
        AgencyAlias.objects.create(agency_id=agency_id, alias=row["alias"].strip(), source=AgencyAlias.Source.SEED)
        existing.add(key)
        created += 1
    return created


@transaction.atomic
def save_alias(*, alias: str, agency: Agency, user=None, source: str = AgencyAlias.Source.USER) -> AgencyAlias:
    """Remember that `alias` means `agency` (a user's choice in an import, or the Ministry's entry).

    An existing alias with the same normalised spelling is pointed at `agency`.
    """
    key = normalise(alias)
    if not key:
        raise ValidationError({"alias": _("The spelling is empty.")})
    existing = AgencyAlias.objects.select_for_update().filter(key=key[:200]).first()
    if existing is not None:
        if existing.agency_id != agency.pk:
            existing.agency = agency
            existing.source = source
            existing.created_by = user
            existing.save()
        return existing
    record = AgencyAlias(alias=alias.strip()[:200], agency=agency, source=source, created_by=user)
    record.save()
    return record


def unspecified_unit(*, agency: Agency) -> ServiceUnit:
    """The agency's 'unit not specified' unit (created on first use): holds innovations imported without a unit."""
    unit = ServiceUnit.objects.filter(agency=agency, is_unspecified=True).first()
    if unit is None:
        with transaction.atomic():
            unit, _created = ServiceUnit.objects.get_or_create(
                agency=agency, is_unspecified=True, defaults={"name": UNSPECIFIED_UNIT_NAME}
            )
    return unit


def region_by_place(place_key: str) -> Region | None:
    """The one regency/city (or province) whose bare name is `place_key` ('sidoarjo'), or None."""
    if not place_key:
        return None
    found = [r for r in Region.objects.filter(name__icontains=place_key.split()[0]) if bare_region(r.name) == place_key]
    return found[0] if len(found) == 1 else None


def unit_for(*, agency: Agency, name: str, place_key: str = "") -> ServiceUnit:
    """The agency's unit named `name` (any case), created if missing; a field office gets its region."""
    name = " ".join(name.split())[:200]
    if not name:
        return unspecified_unit(agency=agency)
    unit = ServiceUnit.objects.filter(agency=agency, name__iexact=name).first()
    if unit is None:
        unit = ServiceUnit(agency=agency, name=name, region=region_by_place(place_key))
        unit.full_clean()
        unit.save()
    return unit
