"""Re-authentication for sensitive actions (jipp/core/reauth.py): a password no older than REAUTH_MAX_AGE."""

import pytest
from django.urls import reverse

from jipp.accounts.models import Role, User
from jipp.accounts.tokens import issue_token
from tests.factories import AdminLokalFactory, MinistryUserFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Password-9"


def _stale(client):
    session = client.session
    session["_reauth_at"] = 0
    session.save()


@pytest.fixture
def admin(client):
    admin = AdminLokalFactory()
    admin.set_password(PASSWORD)
    admin.save()
    client.force_login(admin)  # a login counts as a recent password
    return admin


def _new_account(admin):
    unit = ServiceUnitFactory(agency=admin.agency)
    return {"username": "upp.dukcapil", "full_name": "Dewi Lestari", "email": "", "role": Role.UPP, "unit": unit.pk}


def test_just_after_login_the_action_runs(client, admin):
    response = client.post(reverse("accounts:user_create"), _new_account(admin))
    assert response.status_code == 200
    assert User.objects.filter(username="upp.dukcapil").count() == 1


def test_stale_password_asks_again_then_runs_the_kept_form(client, admin):
    _stale(client)
    response = client.post(reverse("accounts:user_create"), _new_account(admin))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:reauth") + "?next=%2Faccounts%2Fusers%2Fnew%2F&kept=")
    assert User.objects.filter(username="upp.dukcapil").count() == 0
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "What you filled in is kept" in page.content.decode()
    kept = response.url.split("kept=")[1]
    wrong = client.post(reverse("core:reauth"), {"password": "nope", "next": "/accounts/users/new/", "kept": kept})
    assert wrong.status_code == 400
    assert User.objects.filter(username="upp.dukcapil").count() == 0
    right = client.post(reverse("core:reauth"), {"password": PASSWORD, "next": "/accounts/users/new/", "kept": kept})
    assert right.url == f"/accounts/users/new/?resume={kept}"
    done = client.get(right.url)
    assert done.status_code == 200
    assert User.objects.get(username="upp.dukcapil").get_full_name() == "Dewi Lestari"
    # The kept form is used once: the same link again creates nothing more.
    client.get(right.url)
    assert User.objects.filter(username__startswith="upp.dukcapil").count() == 1


def test_reauth_never_sends_elsewhere(client, admin):
    response = client.post(reverse("core:reauth"), {"password": PASSWORD, "next": "https://evil.example/x"})
    assert response.url == reverse("core:my_home")


def test_five_wrong_passwords_log_out(client, admin):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        last = client.post(reverse("core:reauth"), {"password": "nope", "next": "/"})
    assert last.status_code == 302
    assert last.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_token_creation_needs_a_recent_password_but_revoking_does_not(client, admin):
    token, _key = issue_token(user=admin, name="old")
    _stale(client)
    made = client.post(reverse("accounts:api_tokens"), {"name": "laptop"})
    assert made.url.startswith(reverse("core:reauth"))
    assert admin.api_tokens.count() == 1
    revoked = client.post(reverse("accounts:api_tokens"), {"action": "revoke", "token": token.pk})
    assert revoked.url == reverse("accounts:api_tokens")
    assert admin.api_tokens.get().revoked_at is not None


def test_publishing_results_needs_a_recent_password(client):
    from tests.factories.competition import juklak_edition

    edition = juklak_edition(2026)
    ministry = MinistryUserFactory()
    client.force_login(ministry)
    _stale(client)
    url = reverse("evaluation:results", kwargs={"year": edition.year})
    for action in ("publish", "revise"):
        response = client.post(url, {"action": action, "reason": "Salah ketik"})
        assert response.url.startswith(reverse("core:reauth") + "?next=")
    # Other actions of the page (the decree, the winners) do not ask.
    assert not client.post(url, {"action": "winners"}).url.startswith(reverse("core:reauth"))


def test_api_on_a_session_answers_403_with_a_code_and_a_token_passes(client, admin):
    from rest_framework.test import APIClient

    data = _new_account(admin) | {"username": "upp.api"}
    _stale(client)
    response = client.post("/api/v1/users/", data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["code"] == "reauth_required"
    assert User.objects.filter(username="upp.api").count() == 0
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=admin, name='script')[1]}")
    assert api.post("/api/v1/users/", data, format="json").status_code == 201
