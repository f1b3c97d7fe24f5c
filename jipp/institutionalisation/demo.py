"""Demo legal bases and sustainability checklists, more often for innovations further along the policy
phases, then the protection status of every innovation. The registry's continuity updates come from the
registry's own demo; its has_legal_basis flag is set here through its service."""

import datetime as dt

from jipp.institutionalisation.domain.protection import LegalBasisType, legal_basis_strength
from jipp.institutionalisation.models import LegalBasis, SustainabilityCheck
from jipp.institutionalisation.services import _legal_changed, refresh_protection
from jipp.regions.models import Agency
from jipp.registry.models import Innovation
from jipp.registry.services import set_has_legal_basis

TODAY = dt.date(2026, 11, 1)  # the registry's demo date
CHANCE_BY_PHASE = {"institutionalisation": 0.75, "development": 0.4, "creation": 0.12}
REGIONAL = [
    (LegalBasisType.SOP, 25),
    (LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH, 30),
    (LegalBasisType.SK_KEPALA_DAERAH, 25),
    (LegalBasisType.PERKADA, 15),
    (LegalBasisType.PERDA, 5),
]
CENTRAL = [
    (LegalBasisType.SOP, 30),
    (LegalBasisType.SK_PEJABAT, 30),
    (LegalBasisType.KEPUTUSAN_MENTERI, 25),
    (LegalBasisType.PERATURAN_MENTERI, 15),
]
HEAD = {"province": "Gubernur", "regency": "Bupati", "city": "Wali Kota"}
PREFIX = {
    LegalBasisType.SOP: "SOP",
    LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH: "800",
    LegalBasisType.SK_KEPALA_DAERAH: "188.45",
    LegalBasisType.PERKADA: "Peraturan",
    LegalBasisType.PERDA: "Perda",
    LegalBasisType.SK_PEJABAT: "KEP",
    LegalBasisType.KEPUTUSAN_MENTERI: "KEPMEN",
    LegalBasisType.PERATURAN_MENTERI: "PERMEN",
}


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _issuer(basis: LegalBasisType, agency: Agency, unit_name: str) -> str:
    place = agency.region.name.replace("Kabupaten ", "").replace("Kota ", "") if agency.region else ""
    if basis == LegalBasisType.SOP or basis == LegalBasisType.SK_KEPALA_PERANGKAT_DAERAH:
        return f"Kepala {unit_name}"[:200]
    if basis in (LegalBasisType.SK_KEPALA_DAERAH, LegalBasisType.PERKADA):
        return f"{HEAD.get(agency.type, 'Kepala Daerah')} {place}".strip()
    if basis == LegalBasisType.PERDA:
        return f"DPRD dan {HEAD.get(agency.type, 'Kepala Daerah')} {place}".strip()
    if basis == LegalBasisType.SK_PEJABAT:
        return f"Sekretaris {agency.short_name or agency.name}"[:200]
    return f"Menteri/Kepala {agency.short_name or agency.name}"[:200]


def seed(*, scale: str, rng, stdout) -> None:
    agencies = {a.pk: a for a in Agency.objects.select_related("region")}
    rows = (
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "agency_id", "unit__name", "phase", "start_date", "budget_source", "title")
    )
    bases, checks, with_basis = [], [], []
    serial = 0
    for pk, agency_id, unit_name, phase, start, budget_source, title in rows.iterator(chunk_size=5000):
        agency = agencies[agency_id]
        start = start or dt.date(2020, 1, 1)
        if rng.random() < CHANCE_BY_PHASE.get(phase, 0.1):
            kinds = REGIONAL if agency.region_id else CENTRAL
            for _ in range(_weighted(rng, [(1, 75), (2, 25)])):
                basis = _weighted(rng, kinds)
                issued = min(start + dt.timedelta(days=rng.randint(30, 900)), TODAY)
                serial += 1
                bases.append(
                    LegalBasis(
                        innovation_id=pk,
                        type=basis.value,
                        strength=legal_basis_strength(basis),
                        number=f"{PREFIX[basis]}/{serial % 997 + 1}/{issued.year}-{serial}",
                        issued_on=issued,
                        year=issued.year,
                        title=f"Penetapan dan pelaksanaan inovasi {title}"[:300],
                        issued_by=_issuer(basis, agency, unit_name),
                    )
                )
            with_basis.append(pk)
        if rng.random() < 0.3:
            has_budget = budget_source != "none" and rng.random() < 0.75
            checks.append(
                SustainabilityCheck(
                    innovation_id=pk,
                    checked_on=TODAY - dt.timedelta(days=rng.randint(10, 600)),
                    budget_source=("apbd" if agency.region_id else "apbn") if has_budget else "",
                    has_sop=rng.random() < 0.6,
                    has_staff=rng.random() < 0.7,
                    has_legal_basis=pk in with_basis[-1:],
                    has_monitoring=rng.random() < 0.5,
                    in_unit_duties=rng.random() < 0.55,
                    notes="Hasil penilaian mandiri tim inovasi.",
                )
            )
        if len(bases) >= 5000:
            LegalBasis.objects.bulk_create(bases, batch_size=1000)
            bases = []
        if len(checks) >= 5000:
            SustainabilityCheck.objects.bulk_create(checks, batch_size=1000)
            checks = []
    LegalBasis.objects.bulk_create(bases, batch_size=1000)
    SustainabilityCheck.objects.bulk_create(checks, batch_size=1000)
    for pk in with_basis:
        set_has_legal_basis(innovation_id=pk, value=True)
    assessed = refresh_protection(as_of=TODAY)
    unprotected = Innovation.objects.filter(protection__is_unprotected=True).count()
    stdout.write(
        f"  {LegalBasis.objects.count():,} legal bases for {len(with_basis):,} innovations, "
        f"{SustainabilityCheck.objects.count():,} checklists; {assessed:,} assessed, {unprotected:,} unprotected"
    )
    _legal_changed(with_basis[:1])  # replication rebuilds its candidate index with the legal strengths
