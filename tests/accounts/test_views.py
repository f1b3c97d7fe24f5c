import pytest
from django.urls import reverse

from jipp.accounts.models import Role, User
from tests.factories import (
    PASSWORD,
    AdminLokalFactory,
    MinistryUserFactory,
    ServiceUnitFactory,
    UppFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_first_login_forces_a_password_change(client):
    user = UppFactory(must_change_password=True)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Layanan-Publik-2026", "new_password2": "Layanan-Publik-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_weak_new_password_is_refused_with_reason(client):
    user = UppFactory(must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.must_change_password


def test_account_locks_after_repeated_failures(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, mailoutbox):
    user = UserFactory(email="siti@example.go.id")
    response = client.post(reverse("accounts:password_reset"), {"email": "siti@example.go.id"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert user.username in mailoutbox[0].body
    assert "/accounts/password/reset/" in mailoutbox[0].body


def test_admin_lokal_sees_only_own_agency_users(client):
    admin = AdminLokalFactory()
    own = UppFactory(unit=ServiceUnitFactory(agency=admin.agency))
    other = UppFactory()
    client.force_login(admin)
    page = client.get(reverse("accounts:user_list")).context["page"]
    assert {u.username for u in page} == {admin.username, own.username}
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[own.pk])).status_code == 200


def test_user_list_has_constant_queries(client, django_assert_max_num_queries):
    ministry = MinistryUserFactory()
    UppFactory.create_batch(3)
    client.force_login(ministry)
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:user_list"))


def test_admin_lokal_creates_upp_account_in_ui(client):
    admin = AdminLokalFactory()
    unit = ServiceUnitFactory(agency=admin.agency)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "upp.dukcapil", "full_name": "Dewi Lestari", "email": "", "role": Role.UPP, "unit": unit.pk},
    )
    assert response.status_code == 200
    created = User.objects.get(username="upp.dukcapil")
    assert response.context["password"]
    assert created.unit == unit
    assert created.must_change_password


def test_admin_lokal_forging_other_agency_unit_gets_403(client):
    admin = AdminLokalFactory()
    foreign = ServiceUnitFactory()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "upp.palsu", "full_name": "X", "role": Role.UPP, "unit": foreign.pk},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="upp.palsu").exists()


def test_invalid_account_form_keeps_typed_text(client):
    admin = AdminLokalFactory()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_create"), {"username": "upp baru!", "full_name": "Nama Lengkap Saya", "role": Role.UPP}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Nama Lengkap Saya"' in body
    assert response.context["form"].errors.keys() == {"username", "unit"}


def test_upp_cannot_open_user_management(client):
    client.force_login(UppFactory())
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_admin_lokal_disables_own_agency_account(client):
    admin = AdminLokalFactory()
    own = UppFactory(unit=ServiceUnitFactory(agency=admin.agency))
    client.force_login(admin)
    client.post(reverse("accounts:user_toggle_active", args=[own.pk]))
    own.refresh_from_db()
    assert not own.is_active
