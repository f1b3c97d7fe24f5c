"""A K/L hub's dashboard: its spokes are its units and field offices, each side by side on the same measures
(the page, its download, the hub report and the API), each equal to the counts made row by row."""

import csv
import datetime as dt
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jipp.accounts.models import Role
from jipp.competition.models import Edition
from jipp.dashboards.domain.figures import YEARLY_FIGURES
from jipp.dashboards.hubs import spoke_rows
from jipp.dashboards.report_data import collect_hub
from jipp.dashboards.services.refresh import refresh_all
from jipp.hubs.models import Spoke
from jipp.hubs.services.hubs import create_hub
from jipp.institutionalisation.services import refresh_protection
from jipp.regions.models import Agency
from jipp.registry.models import Award, ContinuityUpdate, Innovation
from jipp.replication.models import Replication
from tests.dashboards.test_refresh import CONT, direct
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory, UserFactory
from tests.factories.competition import ProposalFactory, juklak_edition
from tests.factories.hubs import CohortFactory
from tests.factories.institutionalisation import LegalBasisFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def kl_world(seed: int) -> dict:
    """A ministry hub with two unit spokes (Aceh, Bali) and a head office that is not a spoke (created after
    the designation), a regency next to it; random innovations, proposals, awards, replications into and
    out of the units, continuity answers and protection; summaries refreshed."""
    rng = random.Random(seed)
    regency = AgencyFactory(region=RegencyFactory(parent=ProvinceFactory(code="35"), code="35.15"))
    ministry = AgencyFactory(
        name="Kementerian Contoh", slug="kementerian-contoh", type=Agency.Type.MINISTRY, region=None
    )
    aceh, bali = (ServiceUnitFactory(agency=ministry, name=f"Kantor Wilayah {n}") for n in ("Aceh", "Bali"))
    hub = create_hub(agency=ministry, cohort=CohortFactory(year=2023), designated_on=dt.date(2024, 1, 5))
    head_office = ServiceUnitFactory(agency=ministry, name="Kantor Pusat")
    units = [aceh, bali, head_office, ServiceUnitFactory(agency=regency)]
    innovations = [InnovationFactory(unit=u, start_date=dt.date(YEAR, 2, 1)) for u in units]  # one each, at least
    for _ in range(30):
        status = rng.choice(["published"] * 4 + ["draft", "withdrawn"])
        innovations.append(
            InnovationFactory(
                unit=rng.choice(units),
                status=status,
                published_at=timezone.now() if status == "published" else None,
                phase=rng.choice(Innovation.Phase.values),
                stage=rng.choice(Innovation.Stage.values),
                continuity=rng.choice(["", *CONT]),
                has_legal_basis=rng.random() < 0.4,
                replication_count=rng.choice([0, 0, 1, 3]),
                start_date=dt.date(rng.choice([2021, 2024, YEAR]), 5, 1),
                award_tier=rng.choice(["", "top99"]),
            )
        )
    published = [i for i in innovations if i.status == "published"]
    for inn in rng.sample(innovations, 12):
        ContinuityUpdate.objects.create(
            innovation=inn, year=rng.choice([YEAR, timezone.localdate().year]), status=rng.choice(CONT),
            reported_on=dt.date(YEAR, 11, 1),
        )  # fmt: skip
    for inn in rng.sample(innovations, 6):
        Award.objects.create(innovation=inn, year=rng.choice([2024, YEAR]), tier=rng.choice(["top99", "top45"]))
    from_regency = [i for i in published if i.agency_id == regency.pk]
    for _ in range(12):
        source = rng.choice(from_regency if rng.random() < 0.5 else published)
        adopter = rng.choice([u for u in units if u.agency_id != source.agency_id])  # never its own agency
        Replication.objects.create(
            primary_source=source,
            source_agency_id=source.agency_id,
            adopter_agency=adopter.agency,
            adopter_unit=adopter if rng.random() < 0.8 else None,
            status=rng.choice(Replication.Status.values),
            outcome=rng.choice(Replication.Outcome.values),
            is_successful=rng.random() < 0.4,
        )
    for inn in rng.sample(published, 8):
        LegalBasisFactory(innovation=inn)
    editions = [juklak_edition(YEAR), Edition.objects.get(year=YEAR)]
    for inn in rng.sample(published, 6):
        ProposalFactory(
            edition=rng.choice(editions), innovation=inn, forwarded_at=timezone.now() if rng.random() < 0.7 else None
        )
    refresh_protection()
    refresh_all()
    return {"hub": hub, "ministry": ministry, "aceh": aceh, "bali": bali, "head_office": head_office, "units": units}


def expected_row(expected: dict, unit_id: int, year: int) -> dict[str, int]:
    """What the table shows for a unit: the state now, and the yearly figures of `year` (0: all-time)."""
    row = dict(expected[(unit_id, 0)])
    if year:
        then = expected.get((unit_id, year), {})
        for name in YEARLY_FIGURES:
            row[name] = then.get(name, 0)
    return row


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_unit_row_equals_the_direct_count(seed):
    w = kl_world(seed)
    expected = direct(w["units"], by="unit", today=timezone.localdate())
    for year in (0, YEAR):
        rows = spoke_rows(w["hub"], year)
        assert [(r["name"], r["is_hub"]) for r in rows][0] == ("Kementerian Contoh", True)
        units = {r["spoke"].unit_id: r["row"] for r in rows if r["spoke"]}
        assert set(units) == {w["aceh"].pk, w["bali"].pk}  # not the head office: it is not a spoke
        for unit_id, row in units.items():
            assert row == expected_row(expected, unit_id, year)
    assert expected[(w["head_office"].pk, 0)]["innovations_created"] >= 1  # it had innovations, not counted


def test_a_unit_that_left_is_no_longer_a_row():
    w = kl_world(4)
    Spoke.objects.filter(unit=w["bali"]).update(left_on=dt.date(2026, 1, 1))
    assert [r["name"] for r in spoke_rows(w["hub"], 0) if r["spoke"]] == ["Kantor Wilayah Aceh"]


@pytest.fixture
def kl_admin_client(client):
    def make(world):
        admin = UserFactory(role=Role.HUB_ADMIN, agency=world["ministry"])
        world["hub"].admins.add(admin)
        client.force_login(admin)
        return client

    return make


def test_page_links_each_unit_to_its_progress_page(kl_admin_client):
    w = kl_world(5)
    client = kl_admin_client(w)
    response = client.get(reverse("dashboards:hub", args=[w["hub"].pk]), {"year": str(YEAR)})
    assert response.status_code == 200
    html = response.content.decode()
    for unit in (w["aceh"], w["bali"]):
        spoke = Spoke.objects.get(unit=unit)
        url = reverse("hubs:spoke", args=[w["hub"].pk, spoke.pk])
        assert f'<a href="{url}" title="{unit.name}">{unit.name}</a>' in html
        assert client.get(url).status_code == 200
    assert "Kantor Pusat" not in html
    assert response.context["spokes"][0]["url"] == reverse("registry:catalogue") + "?agency=kementerian-contoh"
    kpis = response.content.decode().split('class="kpi-value">', 2)[1]
    assert kpis.startswith("2<")  # two spokes
    listed = client.get(reverse("dashboards:hub_list")).content.decode()
    assert '<td class="text-end">2</td>' in listed.split("Kementerian Contoh", 1)[1]  # its spokes: the two units


def test_download_and_report_carry_the_unit_rows(kl_admin_client):
    w = kl_world(6)
    client = kl_admin_client(w)
    response = client.get(reverse("dashboards:hub", args=[w["hub"].pk]), {"year": str(YEAR), "format": "csv"})
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    expected = direct(w["units"], by="unit", today=timezone.localdate())
    got = {(r["kind"], r["name"]): r for r in table}
    assert set(got) == {
        ("agency", "Kementerian Contoh"),
        ("unit", "Kantor Wilayah Aceh"),
        ("unit", "Kantor Wilayah Bali"),
    }
    for unit in (w["aceh"], w["bali"]):
        row, want = got[("unit", unit.name)], expected_row(expected, unit.pk, YEAR)
        assert (row["agency"], row["unit"], row["is_hub"]) == ("kementerian-contoh", str(unit.pk), "0")
        assert int(row["innovations_published"]) == want["innovations_published"]
        assert int(row["replications_in"]) == want["replications_in"]
        assert int(row["proposals"]) == want["proposals"]
    xlsx = client.get(reverse("dashboards:hub", args=[w["hub"].pk]), {"year": str(YEAR), "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    report = collect_hub(hub=w["hub"], year=YEAR)
    spokes = next(t for t in report["tables"] if t["sheet"] == "Spokes")
    assert spokes["headers"][0] == "Agency, unit or field office"
    assert sorted(r[0] for r in spokes["rows"]) == ["Kantor Wilayah Aceh", "Kantor Wilayah Bali", "Kementerian Contoh"]


def test_api_carries_the_unit_rows(kl_admin_client):
    w = kl_world(7)
    client = kl_admin_client(w)
    data = client.get(f"/api/v1/dashboards/hubs/{w['hub'].pk}/", {"year": str(YEAR)}).json()
    expected = direct(w["units"], by="unit", today=timezone.localdate())
    assert data["year"] == YEAR
    units = {s["unit"]: s for s in data["spokes"] if s["kind"] == "unit"}
    assert set(units) == {w["aceh"].pk, w["bali"].pk}
    for unit_id, spoke in units.items():
        want = expected_row(expected, unit_id, YEAR)
        assert {k: spoke[k] for k in want} == want
    assert [s["name"] for s in data["spokes"] if s["is_hub"]] == ["Kementerian Contoh"]
    assert client.get(f"/api/v1/dashboards/hubs/{w['hub'].pk}/", {"year": "1999"}).status_code == 400


def _page_queries(client, hub) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboards:hub", args=[hub.pk]), {"year": str(YEAR)}).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_for_two_unit_spokes_as_for_six(kl_admin_client):
    w = kl_world(8)
    client = kl_admin_client(w)
    two = _page_queries(client, w["hub"])
    for n in range(4):
        unit = ServiceUnitFactory(agency=w["ministry"], name=f"Kantor Wilayah {n}")
        InnovationFactory(unit=unit, start_date=dt.date(YEAR, 3, 1))
        Spoke.objects.create(hub=w["hub"], agency=w["ministry"], unit=unit, kind="kl", joined_on=dt.date(2024, 2, 1))
    assert len([r for r in spoke_rows(w["hub"], YEAR) if r["spoke"]]) == 6
    assert _page_queries(client, w["hub"]) == two
