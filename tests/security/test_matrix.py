"""The authorization matrix (tests/security/matrix.py) checked against the running URL configuration."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.security.matrix import FORM, OBJECT_CASES, PUBLIC, REFUSED, ROUTES, all_routes, sample_path

pytestmark = pytest.mark.django_db


def test_every_url_has_an_entry_in_the_matrix():
    missing = [r for r in all_routes() if r not in ROUTES]
    assert missing == [], (
        "These URLs have no entry in tests/security/matrix.py ROUTES; add one line each "
        "(PUBLIC, REFUSED or FORM; `python -m tests.security.matrix` prints stubs):\n"
        + "\n".join(f"    {r!r}: REFUSED," for r in missing)
    )


def test_matrix_names_no_url_that_is_gone():
    assert sorted(set(ROUTES) - set(all_routes())) == []


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_anonymous_get_matches_matrix_and_never_fails(anonymous, route):
    response = anonymous.get(sample_path(route))
    assert response.status_code < 500, f"{route}: {response.status_code}"
    if ROUTES[route] == REFUSED:
        assert _refused(response), f"{route}: anonymous GET answered {response.status_code}, expected refused"
    elif ROUTES[route] in (PUBLIC, FORM):
        login = response.status_code == 302 and "/accounts/login/" in response.url
        assert not login, f"{route}: a public page sent the visitor to the login page"


@pytest.mark.parametrize("route", sorted(r for r, kind in ROUTES.items() if kind != FORM))
def test_anonymous_post_writes_nothing(anonymous, route):
    before = LogEntry.objects.count()
    response = anonymous.post(sample_path(route), {"title": "x", "note": "x", "section_ringkasan": "x"})
    assert response.status_code < 500, f"{route}: {response.status_code}"
    assert LogEntry.objects.count() == before, f"{route}: an anonymous POST wrote something"


# --- object-level rows ---------------------------------------------------------------------------


@pytest.fixture
def world():
    from jipp.competition import services
    from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory, UserFactory
    from tests.factories.competition import ProposalFactory, complete_proposal, juklak_edition
    from tests.factories.hubs import HubFactory

    edition = juklak_edition(2026)
    draft = ProposalFactory(edition=edition)
    agency_a = draft.agency
    forwarded = complete_proposal(ProposalFactory(edition=edition, innovation__unit=draft.unit))
    upp_a = UppFactory(unit=draft.unit)
    admin_a = AdminLokalFactory(agency=agency_a)
    services.submit_to_admin_lokal(user=upp_a, proposal=forwarded)
    services.forward_proposal(user=admin_a, proposal=forwarded)
    other = ProposalFactory(edition=edition)
    people = {
        "upp_a": upp_a,
        "upp_b": UppFactory(unit=other.unit),
        "admin_lokal_a": admin_a,
        "admin_lokal_b": AdminLokalFactory(agency=other.agency),
        "evaluator": UserFactory(role="evaluator"),
        "panelist": UserFactory(role="panelis"),
        # Hub people whose account carries agency A: never its members (issue #14, finding 3).
        "hub_admin": UserFactory(role="hub_admin", agency=agency_a),
        "mentor": UserFactory(role="mentor", agency=agency_a),
        "ministry": MinistryUserFactory(),
    }
    # Hub X is hosted by another agency than A: a hub admin is hub X's by being named on it or by carrying
    # its host agency on the account (jipp/hubs/rules.py `administers`); "hub_admin" carries A, so neither.
    hub_x, hub_y = HubFactory(), HubFactory()
    for hub, tag in ((hub_x, "x"), (hub_y, "y")):
        people[f"hub_admin_{tag}"] = UserFactory(role="hub_admin", agency=hub.agency)
        people[f"mentor_{tag}"] = UserFactory(role="mentor")
        hub.admins.add(people[f"hub_admin_{tag}"])
        hub.mentors.add(people[f"mentor_{tag}"])
    objects = {"draft_a": draft, "forwarded_a": forwarded, "upp_a_account": upp_a, "agency_a": agency_a, "hub_x": hub_x}
    return people, objects


@pytest.mark.parametrize(("name", "key", "expected"), OBJECT_CASES, ids=[f"{n}-{k}" for n, k, _e in OBJECT_CASES])
def test_object_level_matrix(world, name, key, expected):
    people, objects = world
    obj = objects[key]
    arg = obj.slug if key.startswith("agency") else obj.pk
    url = name.format(arg) if name.startswith("/") else reverse(name, args=[arg])
    observed = {}
    for role in expected:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(people[role])
        observed[role] = client.get(url).status_code
    assert observed == expected
