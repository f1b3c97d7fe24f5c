import datetime as dt

import pytest

from jipp.hubs.history import load_history
from jipp.hubs.services.maturity import save_self_assessment
from tests.factories import MinistryUserFactory
from tests.factories.hubs import (
    ActivityFactory,
    HubAdminFactory,
    HubFactory,
    MentorFactory,
    SpokeFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def test_hubs_contract_with_cohort_filter(client, reference_data):
    load_history()
    response = client.get("/api/v1/hubs/", {"cohort": "2020", "page_size": "100"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    jatim = next(h for h in body["results"] if h["region"] == "35")
    assert {k: jatim[k] for k in ("kind", "cohort", "status", "agency", "is_real")} == {
        "kind": "province",
        "cohort": 2020,
        "status": "active",
        "agency": "pemerintah-provinsi-jawa-timur",
        "is_real": True,
    }
    assert jatim["spokes"] == 38
    assert client.get("/api/v1/hubs/", {"cohort": "2021"}).json()["count"] == 4


def test_cohorts_contract(client, reference_data):
    load_history()
    body = client.get("/api/v1/hub-cohorts/").json()
    assert [(c["year"], c["decree_number"], c["hubs"]) for c in body["results"]] == [
        (2020, "KepmenPANRB 94/2020", 8),
        (2021, "KepmenPANRB 359/2021", 4),
    ]


def test_hubs_list_queries_constant(client, django_assert_num_queries):
    HubFactory()
    with django_assert_num_queries(2):
        client.get("/api/v1/hubs/")
    HubFactory.create_batch(2)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/hubs/").json()["count"] == 3


def test_activities_public_anonymously_all_for_the_hubs_people(client):
    hub = HubFactory()
    public = ActivityFactory(hub=hub, is_public=True)
    internal = ActivityFactory(hub=hub, is_public=False)
    ActivityFactory(is_public=False)
    assert [a["id"] for a in client.get("/api/v1/hub-activities/").json()["results"]] == [public.pk]
    mentor = MentorFactory()
    hub.mentors.add(mentor)
    client.force_login(mentor)
    ids = {a["id"] for a in client.get("/api/v1/hub-activities/").json()["results"]}
    assert ids == {public.pk, internal.pk}


def test_plans_and_maturity_need_login_and_are_scoped(client):
    hub = HubFactory()
    WorkPlanFactory(hub=hub, year=2026)
    other = HubFactory()
    WorkPlanFactory(hub=other, year=2026)
    save_self_assessment(
        hub=hub,
        year=2026,
        levels=dict.fromkeys(("planning", "institutionalisation", "dissemination", "evaluation"), (3, "")),
    )
    assert client.get("/api/v1/hub-plans/").status_code == 401  # anonymous API requests are asked to authenticate
    client.force_login(HubAdminFactory(agency=hub.agency))
    assert [p["hub"] for p in client.get("/api/v1/hub-plans/").json()["results"]] == [hub.pk]
    assessments = client.get("/api/v1/hub-maturity/").json()["results"]
    assert [(a["hub"], len(a["aspects"])) for a in assessments] == [(hub.pk, 4)]
    client.force_login(MinistryUserFactory())
    assert client.get("/api/v1/hub-plans/").json()["count"] == 2


def test_spokes_public_with_active_filter(client):
    spoke = SpokeFactory()
    SpokeFactory(hub=spoke.hub, left_on=dt.date(2025, 1, 1))
    body = client.get("/api/v1/hub-spokes/", {"hub": spoke.hub_id, "active": "true"}).json()
    assert [s["id"] for s in body["results"]] == [spoke.pk]


def test_rounds_only_for_ministry_and_ranking(client):
    from decimal import Decimal

    from jipp.hubs.history import GUIDE
    from jipp.hubs.services.selection import create_round

    create_round(year=2027, purpose="x", kind="province", criteria=[("a", Decimal(100), GUIDE)])
    client.force_login(HubAdminFactory())
    assert client.get("/api/v1/hub-rounds/").json()["count"] == 0
    client.force_login(MinistryUserFactory())
    rounds = client.get("/api/v1/hub-rounds/").json()["results"]
    assert [(r["year"], r["criteria"][0]["weight"]) for r in rounds] == [(2027, "100.00")]
    assert client.get(f"/api/v1/hub-rounds/{rounds[0]['id']}/ranking/").json() == []


def test_schema_lists_the_hub_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/hubs/",
        "/api/v1/hub-cohorts/",
        "/api/v1/hub-spokes/",
        "/api/v1/hub-activities/",
        "/api/v1/hub-plans/",
        "/api/v1/hub-maturity/",
        "/api/v1/hub-rounds/",
        "/api/v1/hub-rounds/{id}/ranking/",
    } <= paths
