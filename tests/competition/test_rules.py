"""Permissions, checked on unsaved objects (no database)."""

import pytest

from jipp.accounts.models import Role, User
from jipp.competition.models import Proposal


def _user(role, *, agency_id=None, unit_id=None, superuser=False):
    return User(pk=1, role=role, agency_id=agency_id, unit_id=unit_id, is_active=True, is_superuser=superuser)


def _proposal(status="draft"):
    return Proposal(unit_id=10, agency_id=20, status=status)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (_user(Role.UPP, agency_id=20, unit_id=10), True),
        (_user(Role.UPP, agency_id=20, unit_id=11), False),
        (_user(Role.ADMIN_LOKAL, agency_id=20), True),
        (_user(Role.ADMIN_LOKAL, agency_id=21), False),
        (_user(Role.ADMIN_KEMENTERIAN), True),
        (_user(Role.EVALUATOR), False),
    ],
)
def test_view_proposal_scoped_to_unit_agency_or_ministry(user, expected):
    assert user.has_perm("competition.view_proposal", _proposal()) is expected


def test_change_proposal_only_own_unit_while_editable():
    upp = _user(Role.UPP, agency_id=20, unit_id=10)
    assert upp.has_perm("competition.change_proposal", _proposal("draft"))
    assert upp.has_perm("competition.change_proposal", _proposal("returned"))
    assert not upp.has_perm("competition.change_proposal", _proposal("with_admin_lokal"))
    assert not upp.has_perm("competition.change_proposal", _proposal("forwarded"))
    assert not _user(Role.ADMIN_LOKAL, agency_id=20).has_perm("competition.change_proposal", _proposal())


def test_forward_only_own_agency_admin_lokal_when_with_it():
    admin = _user(Role.ADMIN_LOKAL, agency_id=20)
    assert admin.has_perm("competition.forward_proposal", _proposal("with_admin_lokal"))
    assert not admin.has_perm("competition.forward_proposal", _proposal("draft"))
    assert not _user(Role.ADMIN_LOKAL, agency_id=21).has_perm(
        "competition.forward_proposal", _proposal("with_admin_lokal")
    )
    assert not _user(Role.UPP, agency_id=20, unit_id=10).has_perm(
        "competition.forward_proposal", _proposal("with_admin_lokal")
    )


@pytest.mark.django_db  # a refused permission without an object also asks the model backend
def test_decide_and_flags_ministry_only():
    ministry = _user(Role.ADMIN_KEMENTERIAN)
    assert ministry.has_perm("competition.decide_proposal", _proposal("forwarded"))
    assert not ministry.has_perm("competition.decide_proposal", _proposal("draft"))
    assert not _user(Role.ADMIN_LOKAL, agency_id=20).has_perm("competition.view_flags")
    assert ministry.has_perm("competition.view_flags")
