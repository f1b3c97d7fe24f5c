"""Scoping by hub, walked URL by URL (pages and API): hub admins and mentors of hub X reach X's objects and
not hub Y's, and the reverse; the Ministry reaches both; a unit operator (UPP) neither. Complements the
anonymous rows of tests/security/matrix.py (which this file does not change).

Every case is written for hub X's objects; the same case is checked again on hub Y's objects with the
roles of X and Y swapped. POSTs carry no valid data (they write nothing: an error message or a refusal).
"""

import pytest
from django.urls import reverse

from jipp.hubs.models import Activity, MaturityAssessment, WorkPlan
from jipp.hubs.services.competition import open_provincial_edition
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.competition import juklak_edition
from tests.factories.hubs import ActivityFactory, HubAdminFactory, HubFactory, MentorFactory, SpokeFactory

pytestmark = pytest.mark.django_db

ROLES = ("admin_x", "admin_y", "mentor_x", "mentor_y", "ministry", "upp")

# Expected statuses per role, for hub X's objects.
WORK = {"admin_x": 200, "mentor_x": 200, "ministry": 200, "admin_y": 403, "mentor_y": 403, "upp": 403}
CHANGE_POST = {"admin_x": 302, "mentor_x": 403, "ministry": 302, "admin_y": 403, "mentor_y": 403, "upp": 403}
SECRETARIAT = {"admin_x": 200, "mentor_x": 403, "ministry": 200, "admin_y": 403, "mentor_y": 403, "upp": 403}
SECRETARIAT_POST = {k: 302 if v == 200 else v for k, v in SECRETARIAT.items()}
PUBLIC = dict.fromkeys(ROLES, 200)
MINISTRY_ONLY = {"admin_x": 403, "mentor_x": 403, "ministry": 200, "admin_y": 403, "mentor_y": 403, "upp": 403}
MINISTRY_POST = {k: 302 if v == 200 else v for k, v in MINISTRY_ONLY.items()}
NOT_PUBLISHED = dict.fromkeys(ROLES, 404)
API_SCOPED = {"admin_x": 200, "mentor_x": 200, "ministry": 200, "admin_y": 404, "mentor_y": 404, "upp": 404}

# (method, url template on hub X's objects, expected). Keys in braces come from the world.
CASES = [
    ("get", "hubs:detail {hub}", PUBLIC),
    ("get", "hubs:activities {hub}", PUBLIC),
    ("get", "hubs:work {hub}", WORK),
    ("get", "hubs:spokes {hub}", WORK),
    ("get", "hubs:spoke {hub} {spoke}", WORK),
    ("get", "hubs:plan {hub} 2026", WORK),
    ("get", "hubs:maturity {hub} 2026", WORK),
    ("get", "hubs:competitions {hub}", WORK),
    ("get", "hubs:activity_new {hub}", WORK),
    ("get", "hubs:activity_edit {hub} {activity}", WORK),
    ("get", "hubs:edition {hub} {edition}", SECRETARIAT),
    ("post", "hubs:edition_screen {hub} {edition}", SECRETARIAT_POST),
    ("post", "hubs:edition_assign {hub} {edition}", SECRETARIAT_POST),
    # The edition's evaluation: KIPP's own pages mounted for the hub's edition (jipp/hubs/edition_pages.py).
    ("get", "hubs:edition_overview {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_team {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_assignments {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_assignments_csv {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_ranking {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_explain {hub} {edition} 999999", {**SECRETARIAT, "admin_x": 404, "ministry": 404}),
    ("get", "hubs:edition_nomination {hub} {edition}", SECRETARIAT),
    ("post", "hubs:edition_nomination {hub} {edition}", SECRETARIAT),  # nothing posted: the page again
    ("get", "hubs:edition_scrutiny {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_presentations {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_verification {hub} {edition}", SECRETARIAT),
    ("get", "hubs:edition_results {hub} {edition}", SECRETARIAT),
    ("post", "hubs:edition_results {hub} {edition}", SECRETARIAT_POST),
    ("get", "hubs:edition_public_finalists {hub} {edition}", NOT_PUBLISHED),
    ("get", "hubs:edition_public_results {hub} {edition}", NOT_PUBLISHED),
    ("post", "hubs:spoke_end {hub} {spoke}", CHANGE_POST),
    ("post", "hubs:plan_new {hub}", CHANGE_POST),
    ("post", "hubs:status {hub}", MINISTRY_POST),
    # An entry that does not exist: the hub's own people get 404, everyone else the refusal first.
    ("post", "hubs:carry {hub} 999999", {**CHANGE_POST, "admin_x": 404, "ministry": 404}),
    ("post", "hubs:edition_decide {hub} {edition} 999999", {**SECRETARIAT_POST, "admin_x": 404, "ministry": 404}),
    ("get", "/api/v1/hubs/{hub}/", PUBLIC),
    ("get", "/api/v1/hub-spokes/{spoke}/", PUBLIC),
    ("get", "/api/v1/hub-activities/{activity}/", API_SCOPED),
    ("get", "/api/v1/hub-plans/{plan}/", API_SCOPED),
    ("get", "/api/v1/hub-maturity/{assessment}/", API_SCOPED),
]

# Not tied to one hub.
GLOBAL_CASES = [
    ("get", "hubs:list", PUBLIC),
    ("get", "hubs:cohorts", PUBLIC),
    (
        "get",
        "hubs:mine",
        {"admin_x": 302, "admin_y": 302, "mentor_x": 302, "mentor_y": 302, "ministry": 200, "upp": 403},
    ),  # fmt: skip
    ("get", "hubs:rounds", MINISTRY_ONLY),
    ("get", "hubs:round_new", MINISTRY_ONLY),
    ("get", "hubs:maturity_queue", MINISTRY_ONLY),
    ("get", "/api/v1/hubs/", PUBLIC),
    ("get", "/api/v1/hub-cohorts/", PUBLIC),
]


def _swap(expected: dict[str, int]) -> dict[str, int]:
    """The expectation on hub Y's objects: X's people and Y's people trade places."""
    swap = {"admin_x": "admin_y", "admin_y": "admin_x", "mentor_x": "mentor_y", "mentor_y": "mentor_x"}
    return {swap.get(role, role): status for role, status in expected.items()}


def _objects(label: str) -> dict:
    hub = HubFactory()
    spoke = SpokeFactory(hub=hub)
    admin = HubAdminFactory(agency=hub.agency)
    mentor = MentorFactory()
    hub.mentors.add(mentor)
    plan = WorkPlan.objects.create(hub=hub, year=2026)
    activity = ActivityFactory(hub=hub, plan=plan, title=f"Klinik tertutup {label}", is_public=False)
    assessment = MaturityAssessment.objects.create(hub=hub, year=2026)
    edition = open_provincial_edition(user=admin, hub=hub, year=2026, name=f"Kompetisi {label} 2026")
    return {
        "admin": admin,
        "mentor": mentor,
        "ids": {
            "hub": hub.pk,
            "spoke": spoke.pk,
            "plan": plan.pk,
            "activity": activity.pk,
            "assessment": assessment.pk,
            "edition": edition.pk,
        },
    }


@pytest.fixture
def world():
    juklak_edition(2026)
    x, y = _objects("X"), _objects("Y")
    users = {
        "admin_x": x["admin"],
        "admin_y": y["admin"],
        "mentor_x": x["mentor"],
        "mentor_y": y["mentor"],
        "ministry": MinistryUserFactory(),
        "upp": UppFactory(),
    }
    return users, x["ids"], y["ids"]


def _url(template: str, ids: dict) -> str:
    filled = template.format(**ids)
    if filled.startswith("/"):
        return filled
    name, *args = filled.split()
    return reverse(name, args=args)


def _walk(client, cases, ids) -> list[tuple[str, str, int]]:
    got = []
    for method, template, _expected in cases:
        url = _url(template, ids)
        got.append((method, url, getattr(client, method)(url).status_code))
    return got


@pytest.mark.parametrize("role", ROLES)
def test_every_hub_url_scoped_to_the_roles_own_hub(client, world, role):
    users, x_ids, y_ids = world
    client.force_login(users[role])
    got = _walk(client, CASES, x_ids) + _walk(client, CASES, y_ids) + _walk(client, GLOBAL_CASES, x_ids)
    expected = (
        [(m, _url(t, x_ids), e[role]) for m, t, e in CASES]
        + [(m, _url(t, y_ids), _swap(e)[role]) for m, t, e in CASES]
        + [(m, _url(t, x_ids), e[role]) for m, t, e in GLOBAL_CASES]
    )
    assert got == expected


@pytest.mark.parametrize("role", ["admin_x", "mentor_x", "ministry"])
def test_hub_x_urls_do_not_reach_hub_y_objects(client, world, role):
    """Hub X's own URLs with Y's spoke, activity or edition in them: not found, or refused for the edition."""
    users, x_ids, y_ids = world
    client.force_login(users[role])
    mixed = {**x_ids, "spoke": y_ids["spoke"], "activity": y_ids["activity"], "edition": y_ids["edition"]}
    cases = [
        ("get", "hubs:spoke {hub} {spoke}"),
        ("get", "hubs:activity_edit {hub} {activity}"),
        ("get", "hubs:edition {hub} {edition}"),
        ("get", "hubs:edition_ranking {hub} {edition}"),
        ("get", "hubs:edition_results {hub} {edition}"),
    ]
    got = [(t, getattr(client, m)(_url(t, mixed)).status_code) for m, t in cases]
    edition = 404 if role == "ministry" else 403  # the Ministry may run Y's edition, but not under X's URL
    assert got == [
        ("hubs:spoke {hub} {spoke}", 404),
        ("hubs:activity_edit {hub} {activity}", 404),
        ("hubs:edition {hub} {edition}", edition),
        ("hubs:edition_ranking {hub} {edition}", edition),
        ("hubs:edition_results {hub} {edition}", edition),
    ]


def test_private_activities_listed_only_to_their_hubs_people(client, world):
    users, x_ids, _y_ids = world
    seen = {}
    for role in ROLES:
        client.force_login(users[role])
        body = client.get(reverse("hubs:activities", args=[x_ids["hub"]])).content.decode()
        api = client.get("/api/v1/hub-activities/").json()
        titles = sorted(a["title"] for a in (api["results"] if isinstance(api, dict) else api))
        seen[role] = ("Klinik tertutup X" in body, titles)
    assert seen == {
        "admin_x": (True, ["Klinik tertutup X"]),
        "admin_y": (False, ["Klinik tertutup Y"]),
        "mentor_x": (True, ["Klinik tertutup X"]),
        "mentor_y": (False, ["Klinik tertutup Y"]),
        "ministry": (True, ["Klinik tertutup X", "Klinik tertutup Y"]),
        "upp": (False, []),
    }
    assert Activity.objects.count() == 2
