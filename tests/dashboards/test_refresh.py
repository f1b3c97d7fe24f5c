"""Each summary equals the figure computed directly from the rows (seeded random data)."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.utils import timezone

from jipp.competition.models import Edition, Proposal
from jipp.dashboards.domain.figures import FIGURES, empty
from jipp.dashboards.models import AgencyFigures, AreaFigures, Refresh
from jipp.dashboards.services.refresh import refresh_agencies, refresh_all
from jipp.institutionalisation.models import ProtectionStatus
from jipp.institutionalisation.services import refresh_protection
from jipp.regions.models import Agency
from jipp.registry.models import Award, ContinuityUpdate, Innovation
from jipp.replication.models import Replication
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory
from tests.factories.competition import ProposalFactory, juklak_edition
from tests.factories.registry import InnovationFactory

TODAY = dt.date(2026, 11, 30)
CONT = ["continuing", "growing", "stopped", "dormant"]


def build_world(seed: int) -> list[Agency]:
    rng = random.Random(seed)
    provinces = [ProvinceFactory(code="35"), ProvinceFactory(code="33")]
    agencies = [AgencyFactory(type="province", region=p, name=f"Pemprov {p.code}") for p in provinces]
    for p in provinces:
        for _ in range(2):
            agencies.append(AgencyFactory(region=RegencyFactory(parent=p)))
    agencies.append(AgencyFactory(type="ministry", region=None, name="Kementerian Contoh"))
    units = {a.pk: ServiceUnitFactory(agency=a) for a in agencies}
    innovations = []
    for _ in range(40):
        agency = rng.choice(agencies)
        status = rng.choice(["published"] * 4 + ["draft", "withdrawn"])
        innovations.append(
            InnovationFactory(
                unit=units[agency.pk],
                status=status,
                published_at=timezone.now() if status == "published" else None,
                phase=rng.choice(Innovation.Phase.values),
                stage=rng.choice(Innovation.Stage.values),
                continuity=rng.choice(["", *CONT]),
                has_legal_basis=rng.random() < 0.4,
                replication_count=rng.choice([0, 0, 1, 3]),
                start_date=dt.date(rng.choice([2021, 2023, 2024]), 5, 1),
                award_tier=rng.choice(["", "top99"]),
            )
        )
    for inn in rng.sample(innovations, 15):
        ContinuityUpdate.objects.create(
            innovation=inn, year=rng.choice([2025, 2026]), status=rng.choice(CONT), reported_on=TODAY
        )
    for inn in rng.sample(innovations, 6):
        Award.objects.create(innovation=inn, year=rng.choice([2024, 2025]), tier=rng.choice(["top99", "top45"]))
    for _ in range(12):
        source = rng.choice([i for i in innovations if i.status == "published"])
        adopter = rng.choice([a for a in agencies if a.pk != source.agency_id])
        Replication.objects.create(
            primary_source=source,
            source_agency_id=source.agency_id,
            adopter_agency=adopter,
            status=rng.choice(Replication.Status.values),
            outcome=rng.choice(Replication.Outcome.values),
            is_successful=rng.random() < 0.4,
        )
    editions = [juklak_edition(2025), Edition.objects.get(year=2025)]
    for inn in rng.sample([i for i in innovations if i.status == "published"], 8):
        ProposalFactory(
            edition=rng.choice(editions),
            innovation=inn,
            forwarded_at=timezone.now() if rng.random() < 0.7 else None,
        )
    refresh_protection(as_of=TODAY)
    return agencies


def direct(members, *, by: str = "agency", today: dt.date = TODAY) -> dict[tuple[int, int], dict[str, int]]:
    """The figures counted row by row in Python, independently of the refresh's grouped queries: per agency
    (`members` agencies), or per service unit with `by="unit"` (`members` units)."""
    unit = by == "unit"

    def own(row) -> int:  # an innovation's or a proposal's agency or unit
        return row.unit_id if unit else row.agency_id

    rows = defaultdict(empty)
    for m in members:
        rows[(m.pk, 0)]["agencies"] = 1
    answered = set(ContinuityUpdate.objects.filter(year=today.year).values_list("innovation_id", flat=True))
    for i in Innovation.objects.all():
        r = rows[(own(i), 0)]
        if i.status == "withdrawn":
            continue
        r["innovations_created"] += 1
        if i.status != "published":
            continue
        r["innovations_published"] += 1
        r[f"phase_{i.phase}"] += 1
        r[f"stage_{i.stage}"] += 1
        r["replicated"] += i.replication_count > 0
        r["with_legal_basis"] += i.has_legal_basis
        if i.continuity:
            r[f"continuity_{i.continuity}"] += 1
        r["continuity_missing"] += i.pk not in answered
        if i.year_started:
            rows[(own(i), i.year_started)]["published_in_year"] += 1
    for p in ProtectionStatus.objects.filter(is_public=True).select_related("innovation"):
        r = rows[(p.innovation.unit_id if unit else p.agency_id, 0)]
        r["proven"] += p.is_proven
        r["proven_with_legal_basis"] += p.is_proven and p.strength > 0
        r["unprotected"] += p.is_unprotected
    for p in Proposal.objects.exclude(forwarded_at=None).select_related("edition"):
        rows[(own(p), p.edition.year)]["proposals"] += 1
        rows[(own(p), p.edition.year)]["participated"] = 1
    for a in Award.objects.select_related("innovation"):
        rows[(own(a.innovation), a.year)][f"awards_{a.tier}"] += 1
    for rep in Replication.objects.exclude(status__in=["declined", "withdrawn"]).select_related("primary_source"):
        year = timezone.localtime(rep.created_at).year
        into = rep.adopter_unit_id if unit else rep.adopter_agency_id
        if into is not None:
            rows[(into, year)]["replications_in"] += 1
            rows[(into, year)]["replications_finished_in"] += rep.outcome != ""
            rows[(into, year)]["replications_succeeded_in"] += rep.is_successful
        rows[(rep.primary_source.unit_id if unit else rep.source_agency_id, year)]["replications_out"] += 1
    for c in ContinuityUpdate.objects.select_related("innovation"):
        rows[(own(c.innovation), c.year)][f"continuity_{c.status}"] += 1
    for (key, year), r in list(rows.items()):
        r["agencies"] = 1
        if year:
            total = rows[(key, 0)]
            for name in ("published_in_year", "proposals", "replications_in", "replications_out"):
                total[name] += r[name]
            for name in ("replications_finished_in", "replications_succeeded_in"):
                total[name] += r[name]
            for name in ("awards_top99", "awards_top45", "awards_outstanding"):
                total[name] += r[name]
    for (_key, year), r in rows.items():
        if not year:
            r["participated"] = int(r["proposals"] > 0)
    return dict(rows)


def stored_agency_rows() -> dict[tuple[int, int], dict[str, int]]:
    return {(f.agency_id, f.year): f.as_dict() for f in AgencyFigures.objects.all()}


def area(scope: str, key: str, year: int = 0) -> dict[str, int]:
    return AreaFigures.objects.get(scope=scope, key=key, year=year).as_dict()


def summed(expected, agency_ids, year: int = 0) -> dict[str, int]:
    total = empty()
    for (agency_id, y), r in expected.items():
        if agency_id in agency_ids and y == year:
            for name in FIGURES:
                total[name] += r[name]
    total["agencies"] = len(agency_ids)
    return total


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_direct_counts(seed):
    agencies = build_world(seed)
    refresh_all(today=TODAY)
    expected = direct(agencies)
    assert stored_agency_rows() == expected
    ids = {a.pk for a in agencies}
    for year in sorted({y for _, y in expected}):
        if any(y == year for _, y in expected):
            assert area("national", "ID", year) == summed(expected, ids, year)
    java_east = {a.pk for a in agencies if a.province and a.province.code == "35"}
    assert area("province", "35") == summed(expected, java_east)
    regency = agencies[2]
    assert area("region", regency.region.code) == summed(expected, {regency.pk})
    ministries = {a.pk for a in agencies if a.type == "ministry"}
    assert area("kind", "ministry") == summed(expected, ministries)


@pytest.mark.django_db
def test_incremental_refresh_equals_full_refresh():
    agencies = build_world(7)
    refresh_all(today=TODAY)
    target = agencies[3]
    InnovationFactory(unit=ServiceUnitFactory(agency=target), phase="institutionalisation")
    refresh = refresh_agencies(agency_ids=[target.pk], today=TODAY)
    assert refresh.kind == Refresh.Kind.INCREMENTAL
    incremental = {(a.scope, a.key, a.year): a.as_dict() for a in AreaFigures.objects.all()}
    untouched = AgencyFigures.objects.get(agency=agencies[1], year=0).as_dict()
    refresh_all(today=TODAY)
    full = {(a.scope, a.key, a.year): a.as_dict() for a in AreaFigures.objects.all()}
    assert incremental == full
    assert untouched == AgencyFigures.objects.get(agency=agencies[1], year=0).as_dict()
    assert area("province", target.province.code)["phase_institutionalisation"] == sum(
        1
        for i in Innovation.objects.filter(province=target.province, status="published")
        if i.phase == "institutionalisation"
    )


@pytest.mark.django_db
def test_write_enqueues_refresh_after_commit(django_capture_on_commit_callbacks):
    agencies = build_world(4)
    refresh_all(today=TODAY)
    before = area("national", "ID")["innovations_published"]
    with django_capture_on_commit_callbacks(execute=True):
        InnovationFactory(unit=ServiceUnitFactory(agency=agencies[0]))
    assert area("national", "ID")["innovations_published"] == before + 1
    assert Refresh.objects.latest().kind == Refresh.Kind.INCREMENTAL


@pytest.mark.django_db
def test_command_refreshes_everything():
    from django.core.management import call_command

    agencies = build_world(5)
    call_command("refresh_dashboards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AgencyFigures.objects.filter(year=0).count() == Agency.objects.count() == len(agencies)
