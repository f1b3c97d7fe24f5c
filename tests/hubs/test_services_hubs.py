import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jipp.hubs.models import Hub, Spoke
from jipp.hubs.selectors import default_spoke_agencies, spoke_agency_ids
from jipp.hubs.services.hubs import add_spoke, create_hub, end_spoke, set_hub_status
from jipp.regions.models import Agency
from tests.factories import AgencyFactory, RegencyFactory
from tests.factories.hubs import CohortFactory, HubFactory, ProvinceAgencyFactory, SpokeFactory

D = dt.date(2026, 1, 5)


def test_default_spokes_equal_the_province_regencies_and_cities(reference_data):
    jatim = Agency.objects.get(type="province", region__code="35")
    hub = create_hub(agency=jatim, cohort=CohortFactory(year=2020), designated_on=dt.date(2020, 6, 1))
    expected = set(Agency.objects.filter(region__parent__code="35").values_list("pk", flat=True))
    assert len(expected) == 38  # 29 regencies and 9 cities
    assert set(default_spoke_agencies(hub).values_list("pk", flat=True)) == expected
    assert spoke_agency_ids(hub) == expected
    assert hub.kind == Hub.Kind.PROVINCE
    assert hub.region.code == "35"


def test_create_hub_for_kl_without_units_has_no_spokes_yet(reference_data):
    kemenkes = Agency.objects.filter(type="ministry").first()
    hub = create_hub(agency=kemenkes, cohort=CohortFactory(year=2023), designated_on=D)
    assert (hub.kind, hub.region, hub.spokes.count()) == ("kl", None, 0)


def test_spoke_in_another_active_hub_of_the_same_kind_refused_naming_it(db):
    spoke = SpokeFactory()
    other_hub = HubFactory()
    with pytest.raises(ValidationError) as exc:
        add_spoke(hub=other_hub, agency=spoke.agency, joined_on=D)
    assert str(spoke.hub) in exc.value.messages[0]
    assert Spoke.objects.filter(agency=spoke.agency).count() == 1


def test_spoke_may_join_a_hub_of_the_other_kind(db):
    spoke = SpokeFactory()
    kl_hub = HubFactory(kind="kl", region=None, agency=AgencyFactory(type="ministry", region=None))
    joined = add_spoke(hub=kl_hub, agency=spoke.agency, joined_on=D)
    assert joined.kind == "kl"


def test_spoke_can_move_after_leaving_and_history_is_kept(db):
    spoke = SpokeFactory()
    end_spoke(spoke=spoke, left_on=D)
    other_hub = HubFactory()
    moved = add_spoke(hub=other_hub, agency=spoke.agency, joined_on=D)
    assert moved.is_active is True
    assert list(Spoke.objects.filter(agency=spoke.agency).order_by("pk").values_list("hub_id", "left_on")) == [
        (spoke.hub_id, D),
        (other_hub.pk, None),
    ]
    assert spoke_agency_ids(spoke.hub) == set()


def test_db_constraint_backs_one_active_hub_per_kind(db):
    from django.db import IntegrityError

    spoke = SpokeFactory()
    with pytest.raises(IntegrityError):
        Spoke.objects.create(hub=HubFactory(), agency=spoke.agency, kind=spoke.kind, joined_on=D)


def test_end_spoke_twice_refused(db):
    spoke = SpokeFactory()
    end_spoke(spoke=spoke, left_on=D)
    with pytest.raises(ValidationError):
        end_spoke(spoke=spoke, left_on=D)


def test_set_hub_status(db):
    hub = HubFactory()
    set_hub_status(hub=hub, status=Hub.Status.PAUSED, since=D)
    assert (hub.status, hub.status_since) == ("paused", D)
    with pytest.raises(ValidationError):
        set_hub_status(hub=hub, status=Hub.Status.PAUSED, since=D)


def test_create_hub_skips_spokes_taken_by_another_hub(db):
    province_agency = ProvinceAgencyFactory()
    free = AgencyFactory(region=RegencyFactory(parent=province_agency.region))
    taken = AgencyFactory(region=RegencyFactory(parent=province_agency.region))
    Spoke.objects.create(hub=HubFactory(), agency=taken, kind="province", joined_on=D)
    hub = create_hub(agency=province_agency, cohort=CohortFactory(year=2024), designated_on=D)
    assert spoke_agency_ids(hub) == {free.pk}
