"""Who may do what with accounts, agencies and units (object-level, `rules` predicates)."""

import rules

from jipp.accounts.models import Role
from jipp.core.rules import is_ministry


@rules.predicate
def is_admin_lokal(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.ADMIN_LOKAL and user.agency_id is not None


@rules.predicate
def is_upp(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.UPP and user.unit_id is not None


def _agency_id_of(obj) -> int | None:
    """The agency an object belongs to: an Agency itself, or anything with an `agency_id`."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Agency":
        return obj.pk
    return getattr(obj, "agency_id", None)


@rules.predicate
def same_agency(user, obj) -> bool:
    agency_id = _agency_id_of(obj)
    return agency_id is not None and user.is_authenticated and agency_id == user.agency_id


@rules.predicate
def is_self(user, obj) -> bool:
    return obj is not None and obj.pk == user.pk


rules.add_perm("accounts.list_users", is_ministry | is_admin_lokal)
rules.add_perm("accounts.create_admin_lokal", is_ministry)
# Object: the unit the account is for. An Admin Lokal provisions only its own agency's units.
rules.add_perm("accounts.create_upp", is_ministry | (is_admin_lokal & same_agency))
rules.add_perm("accounts.view_user", is_ministry | is_self | (is_admin_lokal & same_agency))
rules.add_perm("accounts.change_user_status", is_ministry | (is_admin_lokal & same_agency))

rules.add_perm("regions.add_agency", is_ministry)
# Object: the agency. Its Admin Lokal manages its units.
rules.add_perm("regions.manage_units", is_ministry | (is_admin_lokal & same_agency))
