"""Personal API tokens: made and revoked on the user's own page, shown once, stored hashed."""

import re

import pytest
from django.urls import reverse

from jipp.accounts.models import ApiToken
from jipp.accounts.tokens import digest, issue_token
from tests.factories import UppFactory

pytestmark = pytest.mark.django_db


def test_token_made_on_own_page_shown_once_and_stored_hashed(client):
    user = UppFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"action": "create", "name": "Sistem daerah"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = re.search(r'<code id="new-token"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.name == "Sistem daerah"
    assert token.key_hash == digest(key)
    assert key not in str(list(ApiToken.objects.values_list()))
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert key not in again
    assert token.prefix in again


def test_token_authenticates_api_until_revoked(client):
    user = UppFactory()
    token, key = issue_token(user=user, name="x")
    api = client.get("/api/v1/kipp/my-proposals/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(user)
    client.post(reverse("accounts:api_tokens"), {"action": "revoke", "token": token.pk})
    client.logout()
    refused = client.get("/api/v1/kipp/my-proposals/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401


def test_user_cannot_revoke_someone_elses_token(client):
    token, key = issue_token(user=UppFactory(), name="x")
    client.force_login(UppFactory())
    client.post(reverse("accounts:api_tokens"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is None


def test_wrong_token_is_401(client):
    assert client.get("/api/v1/kipp/my-proposals/", HTTP_AUTHORIZATION="Token jipp_nope").status_code == 401


def test_anonymous_cannot_open_token_page(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
