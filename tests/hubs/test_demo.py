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
    # One active hub of each kind per spoke agency, also across the demo's K/L hubs.
    assert Spoke.objects.filter(left_on__isnull=True).values("agency", "kind").distinct().count() == (
        Spoke.objects.filter(left_on__isnull=True).count()
    )
    assert Activity.objects.exists() is True
    assert MaturityAssessment.objects.filter(status="verified").exists() is True
