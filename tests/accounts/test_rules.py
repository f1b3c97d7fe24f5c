from rules import has_perm

from jipp.accounts.models import Role, User
from jipp.regions.models import Agency, ServiceUnit


def _user(role, agency_id=None, unit_id=None, pk=1):
    return User(pk=pk, role=role, agency_id=agency_id, unit_id=unit_id, is_active=True)


def test_admin_lokal_creates_upp_only_for_own_agency_units():
    admin = _user(Role.ADMIN_LOKAL, agency_id=7)
    assert has_perm("accounts.create_upp", admin, ServiceUnit(agency_id=7))
    assert not has_perm("accounts.create_upp", admin, ServiceUnit(agency_id=8))


def test_ministry_creates_any_account():
    ministry = _user(Role.ADMIN_KEMENTERIAN)
    assert has_perm("accounts.create_upp", ministry, ServiceUnit(agency_id=8))
    assert has_perm("accounts.create_admin_lokal", ministry)


def test_only_ministry_creates_admin_lokal():
    for role in (Role.ADMIN_LOKAL, Role.UPP, Role.EVALUATOR, Role.HUB_ADMIN):
        assert not has_perm("accounts.create_admin_lokal", _user(role, agency_id=7, unit_id=3))


def test_upp_cannot_list_or_create_accounts():
    upp = _user(Role.UPP, agency_id=7, unit_id=3)
    assert not has_perm("accounts.list_users", upp)
    assert not has_perm("accounts.create_upp", upp, ServiceUnit(agency_id=7))


def test_admin_lokal_views_own_agency_users_only():
    admin = _user(Role.ADMIN_LOKAL, agency_id=7)
    assert has_perm("accounts.view_user", admin, User(pk=5, agency_id=7))
    assert not has_perm("accounts.view_user", admin, User(pk=6, agency_id=8))


def test_admin_lokal_manages_units_of_own_agency_only():
    admin = _user(Role.ADMIN_LOKAL, agency_id=7)
    assert has_perm("regions.manage_units", admin, Agency(pk=7))
    assert not has_perm("regions.manage_units", admin, Agency(pk=8))


def test_inactive_admin_has_no_rights():
    admin = _user(Role.ADMIN_LOKAL, agency_id=7)
    admin.is_active = False
    assert not has_perm("accounts.list_users", admin)
