"""The replication arcs between provinces: a summary refreshed with the others, equal to the direct count."""

import random
from collections import defaultdict

import pytest

from jipp.dashboards import selectors
from jipp.dashboards.models import ProvinceArc
from jipp.dashboards.services.refresh import refresh_all
from jipp.replication.models import Replication
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db


def build(seed: int):
    rng = random.Random(seed)
    provinces = [ProvinceFactory(code=code) for code in ("35", "33", "32")]
    agencies = [AgencyFactory(region=RegencyFactory(parent=p)) for p in provinces for _ in range(2)]
    units = {a.pk: ServiceUnitFactory(agency=a) for a in agencies}
    sources = [InnovationFactory(unit=units[a.pk]) for a in agencies]
    for _ in range(25):
        add(rng, sources, agencies, units)
    return rng, sources, agencies, units


def add(rng, sources, agencies, units) -> Replication:
    source = rng.choice(sources)
    adopter = rng.choice([a for a in agencies if a.pk != source.agency_id])
    return ReplicationFactory(
        primary_source=source,
        adopter_unit=units[adopter.pk],
        source_province=source.province,
        adopter_province=adopter.region.parent,
        status=rng.choice(Replication.Status.values),
        is_successful=rng.random() < 0.5,
    )


def direct() -> dict[tuple[str, str], dict[str, int]]:
    """Counted row by row in Python, independently of the refresh's grouped query."""
    out = defaultdict(lambda: {"replications": 0, "successful": 0})
    for rep in Replication.objects.select_related("source_province", "adopter_province"):
        if rep.source_province is None or rep.adopter_province is None:
            continue
        if rep.source_province_id == rep.adopter_province_id:
            continue
        pair = out[(rep.source_province.code, rep.adopter_province.code)]
        pair["replications"] += rep.status not in ("declined", "withdrawn")
        pair["successful"] += rep.is_successful
    return {k: v for k, v in out.items() if v["replications"] or v["successful"]}


def stored() -> dict[tuple[str, str], dict[str, int]]:
    return {
        (a.source_code, a.adopter_code): {"replications": a.replications, "successful": a.successful}
        for a in ProvinceArc.objects.all()
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_arcs_summary_equals_the_direct_count(seed):
    build(seed)
    refresh_all()
    expected = direct()
    assert stored() == expected
    assert sorted(selectors.province_arcs()) == sorted(
        (s, a, n["successful"]) for (s, a), n in expected.items() if n["successful"]
    )
    assert sorted(selectors.province_arcs(successful_only=False)) == sorted(
        (s, a, n["replications"]) for (s, a), n in expected.items() if n["replications"]
    )


def test_a_replication_write_refreshes_its_arcs(django_capture_on_commit_callbacks):
    rng, sources, agencies, units = build(4)
    refresh_all()
    with django_capture_on_commit_callbacks(execute=True):
        new = add(rng, sources, agencies, units)
        new.is_successful = True
        new.status = Replication.Status.ACCEPTED
        new.save()
    with django_capture_on_commit_callbacks(execute=True):
        old = Replication.objects.exclude(pk=new.pk).exclude(source_province=None).filter(is_successful=True).first()
        old.status, old.is_successful = Replication.Status.WITHDRAWN, False
        old.save()
    with django_capture_on_commit_callbacks(execute=True):
        Replication.objects.exclude(pk__in=[new.pk, old.pk]).first().delete()
    assert stored() == direct()
    incremental = stored()
    refresh_all()
    assert stored() == incremental


def test_the_map_draws_the_arcs_from_the_summary(client):
    build(5)
    refresh_all()
    expected = {(s, a): n["successful"] for (s, a), n in direct().items() if n["successful"]}
    response = client.get("/dashboards/", {"arcs": "1"})
    drawn = {(arc["source"], arc["adopter"]): arc["n"] for arc in response.context["map"]["arcs"]}
    assert drawn == expected
