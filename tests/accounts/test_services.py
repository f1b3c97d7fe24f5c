import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from jipp.accounts.models import Role, User
from jipp.accounts.services import create_account
from tests.factories import AdminLokalFactory, AgencyFactory, MinistryUserFactory, ServiceUnitFactory, UppFactory

pytestmark = pytest.mark.django_db


def test_ministry_creates_admin_lokal_with_temporary_password(django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    with django_capture_on_commit_callbacks(execute=True):
        new = create_account(
            created_by=MinistryUserFactory(),
            username="lokal.baru",
            email="lokal@x.go.id",
            full_name="Rina Wulandari",
            role=Role.ADMIN_LOKAL,
            agency=agency,
        )
    assert new.user.must_change_password
    assert new.user.check_password(new.temporary_password)
    assert (new.user.first_name, new.user.last_name, new.user.agency) == ("Rina", "Wulandari", agency)
    assert len(mail.outbox) == 1
    assert new.temporary_password in mail.outbox[0].body


def test_admin_lokal_creates_upp_for_own_unit():
    admin = AdminLokalFactory()
    unit = ServiceUnitFactory(agency=admin.agency)
    new = create_account(created_by=admin, username="upp.baru", email="", full_name="Dewi", role=Role.UPP, unit=unit)
    assert (new.user.unit, new.user.agency, new.user.created_by) == (unit, admin.agency, admin)


def test_admin_lokal_cannot_create_upp_for_other_agency_unit():
    admin = AdminLokalFactory()
    with pytest.raises(PermissionDenied):
        create_account(
            created_by=admin, username="x", email="", full_name="X", role=Role.UPP, unit=ServiceUnitFactory()
        )
    assert not User.objects.filter(username="x").exists()


def test_admin_lokal_cannot_create_admin_lokal():
    admin = AdminLokalFactory()
    with pytest.raises(PermissionDenied):
        create_account(
            created_by=admin, username="x", email="", full_name="X", role=Role.ADMIN_LOKAL, agency=admin.agency
        )


def test_upp_cannot_create_accounts():
    upp = UppFactory()
    with pytest.raises(PermissionDenied):
        create_account(created_by=upp, username="x", email="", full_name="X", role=Role.UPP, unit=upp.unit)


def test_admin_lokal_needs_an_agency():
    with pytest.raises(ValidationError) as exc:
        create_account(created_by=MinistryUserFactory(), username="x", email="", full_name="X", role=Role.ADMIN_LOKAL)
    assert "agency" in exc.value.message_dict
    assert not User.objects.filter(username="x").exists()
