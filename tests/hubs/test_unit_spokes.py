"""A K/L hub's spokes are its own service units or field offices: by default all of them, editable, one
active hub of a kind per unit, history kept; their progress page counts the unit's own innovations."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from jipp.hubs import selectors
from jipp.hubs.models import HubKind, Spoke
from jipp.hubs.services.hubs import add_spoke, create_hub, end_spoke
from jipp.regions.models import Agency, ServiceUnit
from tests.factories import AgencyFactory, MinistryUserFactory, ServiceUnitFactory, UppFactory
from tests.factories.hubs import CohortFactory, HubAdminFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 1, 5)


def _ministry(name="Kementerian Contoh") -> Agency:
    return AgencyFactory(name=name, slug=name.lower().replace(" ", "-"), type=Agency.Type.MINISTRY, region=None)


@pytest.fixture
def kl():
    agency = _ministry()
    offices = [ServiceUnitFactory(agency=agency, name=f"Kantor Wilayah {n}") for n in ("Aceh", "Bali", "Papua")]
    ServiceUnit.objects.create(agency=agency, name="Unit tidak disebutkan", is_unspecified=True)
    hub = create_hub(agency=agency, cohort=CohortFactory(year=2023), designated_on=D)
    return hub, offices


def test_default_spokes_of_a_kl_hub_are_its_units(kl):
    hub, offices = kl
    spokes = list(hub.spokes.select_related("unit").order_by("unit__name"))
    assert [(s.unit_id, s.agency_id, s.kind, s.joined_on, s.name) for s in spokes] == [
        (o.pk, hub.agency_id, HubKind.KL, D, o.name) for o in offices
    ]
    assert list(selectors.default_spoke_units(hub)) == offices


def test_unit_spokes_are_editable_with_history_kept(kl):
    hub, offices = kl
    spoke = hub.spokes.get(unit=offices[0])
    end_spoke(spoke=spoke, left_on=dt.date(2026, 3, 1))
    rejoined = add_spoke(hub=hub, unit=offices[0], joined_on=dt.date(2026, 6, 1))
    new_office = ServiceUnitFactory(agency=hub.agency, name="Kantor Wilayah Riau")
    added = add_spoke(hub=hub, unit=new_office, joined_on=D)
    history = list(Spoke.objects.filter(unit=offices[0]).order_by("joined_on").values_list("joined_on", "left_on"))
    assert history == [(D, dt.date(2026, 3, 1)), (dt.date(2026, 6, 1), None)]
    assert (rejoined.unit, added.unit, added.agency) == (offices[0], new_office, hub.agency)


def test_one_active_hub_per_unit_and_only_the_hubs_own_units(kl):
    hub, offices = kl
    with pytest.raises(ValidationError) as exc:
        add_spoke(hub=hub, unit=offices[1], joined_on=D)
    assert exc.value.messages == ["Kantor Wilayah Bali is already a spoke of this hub."]
    with pytest.raises(ValidationError) as exc:
        add_spoke(hub=hub, unit=ServiceUnitFactory(), joined_on=D)
    assert exc.value.messages == ["A unit spoke is a unit or field office of the K/L hub's own agency."]
    with pytest.raises(ValidationError):
        add_spoke(hub=hub, unit=offices[1], agency=hub.agency, joined_on=D)
    # The database keeps one active membership per unit and kind even if the service is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Spoke.objects.create(hub=hub, agency=hub.agency, unit=offices[1], kind=HubKind.KL, joined_on=D)
    assert Spoke.objects.filter(unit=offices[1]).count() == 1


def test_unit_spoke_progress_counts_the_units_own_innovations(client, kl):
    hub, offices = kl
    InnovationFactory.create_batch(2, unit=offices[0], phase="creation")
    InnovationFactory(unit=offices[1], phase="institutionalisation")
    spoke = hub.spokes.get(unit=offices[0])
    progress = selectors.spoke_progress(spoke=spoke, year=2026)
    assert (progress.figures.innovations, progress.figures.by_phase, len(progress.innovations)) == (
        2,
        {"creation": 2},
        2,
    )
    work = selectors.hub_work(hub=hub, year=2026)
    assert {r.spoke.name: r.figures.innovations for r in work.rows} == {
        "Kantor Wilayah Aceh": 2,
        "Kantor Wilayah Bali": 1,
        "Kantor Wilayah Papua": 0,
    }
    client.force_login(HubAdminFactory(agency=hub.agency))
    response = client.get(reverse("hubs:spoke", args=[hub.pk, spoke.pk]) + "?year=2026")
    assert (response.status_code, response.context["p"].figures.innovations) == (200, 2)
    assert '<h1 class="h3">Kantor Wilayah Aceh</h1>' in response.content.decode()


def test_unit_spoke_progress_page_open_to_its_own_upp_only(client, kl):
    hub, offices = kl
    spoke = hub.spokes.get(unit=offices[0])
    url = reverse("hubs:spoke", args=[hub.pk, spoke.pk])
    client.force_login(UppFactory(unit=offices[0], agency=hub.agency))
    assert client.get(url).status_code == 200
    client.force_login(UppFactory(unit=offices[1], agency=hub.agency))
    assert client.get(url).status_code == 403


def test_spokes_page_adds_a_unit_and_refuses_both_choices_keeping_nothing(client, kl):
    hub, _offices = kl
    new_office = ServiceUnitFactory(agency=hub.agency, name="Kantor Wilayah Riau")
    client.force_login(HubAdminFactory(agency=hub.agency))
    url = reverse("hubs:spokes", args=[hub.pk])
    both = client.post(url, {"unit": new_office.pk, "agency": AgencyFactory().pk, "joined_on": "2026-02-01"})
    assert (both.status_code, Spoke.objects.filter(unit=new_office).count()) == (200, 0)
    assert both.context["form"].non_field_errors() == [
        "Pilih salah satu unit Anda atau sebuah instansi, tidak keduanya."
    ]
    response = client.post(url, {"unit": new_office.pk, "joined_on": "2026-02-01"})
    assert response.status_code == 302
    assert list(Spoke.objects.filter(unit=new_office).values_list("hub_id", "joined_on")) == [
        (hub.pk, dt.date(2026, 2, 1))
    ]
    export = client.get(url + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert sorted(r["unit"] for r in rows) == [
        "Kantor Wilayah Aceh",
        "Kantor Wilayah Bali",
        "Kantor Wilayah Papua",
        "Kantor Wilayah Riau",
    ]


def test_api_lists_unit_spokes(client, kl):
    hub, offices = kl
    client.force_login(MinistryUserFactory())
    body = client.get("/api/v1/hub-spokes/", {"hub": hub.pk}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert sorted((r["unit"], r["unit_name"], r["name"], r["agency"]) for r in rows) == [
        (o.pk, o.name, o.name, hub.agency.slug) for o in offices
    ]


def test_public_kl_hub_page_lists_its_unit_spokes(client, kl):
    hub, offices = kl
    response = client.get(reverse("hubs:detail", args=[hub.pk]))
    assert [s.name for s in response.context["spokes"]] == [o.name for o in offices]
    assert all(o.name in response.content.decode() for o in offices)
