"""One declared year bound (jipp/registry/bounds.py) for every form, filter, URL and service.

The columns' own ranges differ between engines (SQLite keeps any 64-bit number in a small-integer
column; PostgreSQL refuses past 32767), so these answers are asserted identically on both: CI runs
this file on SQLite and on PostgreSQL.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jipp.hubs.domain.maturity import ASPECTS
from jipp.hubs.models import MaturityAssessment, WorkPlan
from jipp.hubs.services.maturity import save_self_assessment
from jipp.hubs.services.work import create_plan
from jipp.registry.bounds import EARLIEST_YEAR, latest_year, parse_year
from tests.factories import MinistryUserFactory
from tests.factories.hubs import HubFactory

NEXT = timezone.localdate().year + 1
MESSAGE = f"Give a year from 1990 to {NEXT}."


def test_the_bounds_are_1990_to_next_year():
    assert (EARLIEST_YEAR, latest_year()) == (1990, NEXT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2024", 2024), (" 2024 ", 2024), ("1990", 1990), (str(NEXT), NEXT), ("1989", None), (str(NEXT + 1), None),
     ("0", None), ("40000", None), ("99999999999999999999", None), ("20x4", None), ("-2024", None), ("", None),
     (None, None), ("2024.0", None)],
)  # fmt: skip
def test_parse_year(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "param"),
    [("/api/v1/hub-activities/", "year"), ("/api/v1/hub-plans/", "year"), ("/api/v1/hub-maturity/", "year"),
     ("/api/v1/hub-rounds/", "year"), ("/api/v1/hub-cohorts/", "year"), ("/api/v1/hubs/", "cohort"),
     ("/api/v1/awards/", "year"), ("/api/v1/innovations/", "year"), ("/api/v1/innovations/", "award_year"),
     ("/api/v1/legal-bases/", "year")],
)  # fmt: skip
@pytest.mark.parametrize("value", ["0", "1989", "40000", "2147483653", "99999999999999999999"])
def test_api_year_filters_out_of_bounds_are_a_400_naming_the_bounds(client, url, param, value):
    client.force_login(MinistryUserFactory())
    response = client.get(url, {param: value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {param: [MESSAGE]}


@pytest.mark.django_db
def test_api_year_filter_within_bounds_filters(client):
    client.force_login(MinistryUserFactory())
    hub = HubFactory()
    WorkPlan.objects.create(hub=hub, year=2024)
    response = client.get("/api/v1/hub-plans/", {"year": "2024"})
    assert [row["year"] for row in response.json()["results"]] == [2024]
    assert client.get("/api/v1/hub-plans/", {"year": "2025"}).json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["plans", "maturity"])
@pytest.mark.parametrize("year", [1989, 40000, 70000])
def test_a_year_page_out_of_bounds_is_404_and_saves_nothing(client, page, year):
    client.force_login(MinistryUserFactory())
    hub = HubFactory()
    assert client.get(f"/hubs/{hub.pk}/{page}/{year}/").status_code == 404
    assert client.post(f"/hubs/{hub.pk}/{page}/{year}/", {"notes": "x", "action": "save"}).status_code == 404
    assert WorkPlan.objects.count() == 0
    assert MaturityAssessment.objects.count() == 0


@pytest.mark.django_db
def test_services_refuse_years_out_of_bounds_on_every_engine():
    hub = HubFactory()
    with pytest.raises(ValidationError) as plan_error:
        create_plan(hub=hub, year=40000)
    assert plan_error.value.messages == [MESSAGE]
    levels = dict.fromkeys(ASPECTS, (3, "evidence"))
    with pytest.raises(ValidationError) as assessment_error:
        save_self_assessment(hub=hub, year=40000, levels=levels)
    assert assessment_error.value.messages == [MESSAGE]
    assert (WorkPlan.objects.count(), MaturityAssessment.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_form_year_out_of_bounds_names_the_bounds():
    from jipp.competition.forms import CopyEditionForm

    form = CopyEditionForm(data={"year": "2100", "name": ""})
    assert form.is_valid() is False
    assert form.errors["year"] == [MESSAGE]


# --- the three API answers the fuzzer found failing (its exclusion is gone) ---------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/awards/abc/", "/api/v1/kipp/my-assignments/abc/", "/api/v1/awards/1e3/"])
def test_a_non_numeric_id_is_a_404(client, url):
    from tests.factories.evaluation import EvaluatorUserFactory

    client.force_login(EvaluatorUserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_hub_activities_year_zero_is_a_400(client):
    response = client.get("/api/v1/hub-activities/", {"year": "0"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"year": [MESSAGE]}
