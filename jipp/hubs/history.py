"""The hubs' real history as data: the cohorts designated by KepmenPANRB 94/2020 and 359/2021.

`load_history()` is idempotent (a second run writes nothing) and needs the reference data
(`load_regions`) first. Decree dates are left empty: they are not recorded here, and we do not guess.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from jipp.hubs.models import Cohort, Criterion, Hub, HubKind, SelectionRound, Spoke
from jipp.hubs.selectors import default_spoke_agencies
from jipp.regions.models import Agency

# Criteria are data in the Ministry's language (Indonesian), as in its decrees.
# What is real and what is assumed here:
# - real: the three criteria of the 2020 selection (KepmenPANRB 94/2020: regional leadership's commitment,
#   innovation potential that fits the region's development, bureaucratic support) and the two later ones
#   (track record, support of non-government stakeholders), as the domain notes record them;
# - assumed: every weight (the sources name the criteria, never their weights) and the five-level guide.
# Assumed weights are equal and stored with weight_basis "assumed"; the Ministry declares its own while a
# round is in draft (Criterion.WeightBasis.DECLARED), and they are fixed once scoring starts.
PILOT_CRITERIA = [
    # (name, weight %) of the 2020 selection; equal weights, an assumption (33.34 + 33.33 + 33.33 = 100).
    ("Komitmen kuat pimpinan daerah", "33.34"),
    ("Potensi inovasi yang sesuai dengan pembangunan daerah", "33.33"),
    ("Dukungan birokrasi dalam melaksanakan kebijakan pimpinan", "33.33"),
]
# Demo weights for the later rounds (assumed too).
LATER_CRITERIA = [
    ("Komitmen kuat pimpinan daerah", "25"),
    ("Potensi inovasi yang sesuai dengan pembangunan daerah", "20"),
    ("Dukungan birokrasi dalam melaksanakan kebijakan pimpinan", "15"),
    ("Rekam jejak inovasi", "25"),
    ("Dukungan pemangku kepentingan non-pemerintah", "15"),
]
GUIDE = {
    "1": "Tidak ada bukti",
    "2": "Baru berupa niat",
    "3": "Ada bukti tindakan awal",
    "4": "Tindakan konsisten dengan sumber daya",
    "5": "Tindakan kuat dan berkelanjutan dengan hasil",
}


@dataclass(frozen=True)
class RealCohort:
    year: int
    name: str
    decree_number: str
    provinces: tuple[str, ...]


REAL_COHORTS = (
    RealCohort(
        2020,
        "Pilot provinces 2020",
        "KepmenPANRB 94/2020",
        (
            "Jawa Timur",
            "Sumatera Selatan",
            "Sulawesi Selatan",
            "Jawa Tengah",
            "Sumatera Barat",
            "Kepulauan Bangka Belitung",
            "Kalimantan Selatan",
            "Gorontalo",
        ),
    ),
    RealCohort(2021, "Hub provinces 2021", "KepmenPANRB 359/2021", ("Kalimantan Barat", "Riau", "Bali", "Maluku")),
)


@dataclass
class HistoryResult:
    cohorts_created: int = 0
    hubs_created: int = 0
    spokes_created: int = 0


@transaction.atomic
def load_history() -> HistoryResult:
    """Create the real cohorts, their province hubs with default spokes, and the 2020 round's criteria."""
    result = HistoryResult()
    governments = {
        a.region.name: a
        for a in Agency.objects.filter(type=Agency.Type.PROVINCE).select_related("region")
        if a.region is not None
    }
    for real in REAL_COHORTS:
        cohort, created = Cohort.objects.get_or_create(
            year=real.year, defaults={"name": real.name, "decree_number": real.decree_number, "is_real": True}
        )
        result.cohorts_created += created
        for province in real.provinces:
            agency = governments.get(province)
            if agency is None:
                raise LookupError(f"Province {province!r} is missing: run `manage.py load_regions` first.")
            if Hub.objects.filter(agency=agency).exists():
                continue
            hub = Hub.objects.create(
                agency=agency, kind=HubKind.PROVINCE, region=agency.region, cohort=cohort, is_real=True
            )
            result.hubs_created += 1
            # Joined with the cohort's year (1 January): the decree's exact date is not recorded here.
            spokes = [
                Spoke(hub=hub, agency=spoke, kind=HubKind.PROVINCE, joined_on=date(real.year, 1, 1))
                for spoke in default_spoke_agencies(hub)
            ]
            Spoke.objects.bulk_create(spokes)
            result.spokes_created += len(spokes)
    pilot = Cohort.objects.get(year=2020)
    round_, created = SelectionRound.objects.get_or_create(
        year=2020,
        kind=HubKind.PROVINCE,
        is_real=True,
        defaults={
            "purpose": "Pilot provinces of the public-service innovation network",
            "status": SelectionRound.Status.DECIDED,
            "cohort": pilot,
        },
    )
    if created:
        for position, (name, weight) in enumerate(PILOT_CRITERIA):
            round_.criteria.create(
                name=name,
                weight=Decimal(weight),
                weight_basis=Criterion.WeightBasis.ASSUMED,
                guide=GUIDE,
                position=position,
            )
    return result
