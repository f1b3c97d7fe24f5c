import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_password_error_names_the_username_once_in_indonesian(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    errors = response.context["form"].non_field_errors()
    assert list(errors) == ["Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil pada keduanya."]
    assert "nama pengguna nama pengguna" not in response.content.decode().lower()


def test_wrong_password_error_in_english(client):
    user = UserFactory()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert list(response.context["form"].non_field_errors()) == ["Wrong username or password. Both are case-sensitive."]
