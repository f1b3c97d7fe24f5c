import io
import random

from jipp.hubs import demo
from jipp.hubs.models import Activity, Cohort, Hub, MaturityAssessment, Spoke


def test_demo_grows_to_54_hubs_marking_real_and_demo(reference_data):
    demo.seed(scale="small", rng=random.Random(1), stdout=io.StringIO())
    assert Hub.objects.count() == 54
    assert (Hub.objects.filter(kind="province").count(), Hub.objects.filter(kind="kl").count()) == (36, 18)
    assert Hub.objects.filter(is_real=True).count() == 12
    assert list(Cohort.objects.order_by("year").values_list("year", "is_real")) == [
        (2020, True),
        (2021, True),
        (2023, False),
        (2025, False),
    ]
    # One active hub of each kind per spoke: per agency for agency spokes, per unit for unit spokes.
    active = Spoke.objects.filter(left_on__isnull=True)
    agency_spokes, unit_spokes = active.filter(unit__isnull=True), active.filter(unit__isnull=False)
    assert agency_spokes.values("agency", "kind").distinct().count() == agency_spokes.count()
    assert unit_spokes.values("unit", "kind").distinct().count() == unit_spokes.count()
    # A K/L hub's spokes are its own units or field offices, all of them by default.
    for hub in Hub.objects.filter(kind="kl"):
        spokes = list(hub.spokes.filter(left_on__isnull=True).values_list("unit__agency_id", flat=True))
        assert (len(spokes) > 0, set(spokes)) == (True, {hub.agency_id})
        assert len(spokes) == hub.agency.units.filter(is_unspecified=False).count()
    assert Activity.objects.exists() is True
    assert MaturityAssessment.objects.filter(status="verified").exists() is True
