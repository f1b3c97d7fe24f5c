"""Who may do what in the competition. A UPP writes its unit's proposals, the Admin Lokal checks and
forwards its agency's, the Ministry's secretariat screens and decides; nobody sees another agency's."""

import rules

from jipp.accounts.rules import is_admin_lokal, is_upp, same_agency
from jipp.core.rules import is_ministry


@rules.predicate
def same_unit(user, obj) -> bool:
    """`obj` is anything with a `unit_id` (a proposal or an innovation)."""
    if obj is None or not user.is_authenticated:
        return False
    unit_id = getattr(obj, "unit_id", None)
    return unit_id is not None and unit_id == user.unit_id


@rules.predicate
def is_editable(user, obj) -> bool:
    return obj is not None and obj.status in ("draft", "returned")


@rules.predicate
def is_with_admin_lokal(user, obj) -> bool:
    return obj is not None and obj.status == "with_admin_lokal"


@rules.predicate
def is_submitted(user, obj) -> bool:
    return obj is not None and getattr(obj, "is_submitted", False)


# Object: the registry innovation the proposal starts from.
rules.add_perm("competition.add_proposal", is_upp & same_unit)
rules.add_perm("competition.view_proposal", is_ministry | (is_upp & same_unit) | (is_admin_lokal & same_agency))
rules.add_perm("competition.change_proposal", is_upp & same_unit & is_editable)
rules.add_perm("competition.submit_proposal", is_upp & same_unit & is_editable)
rules.add_perm("competition.forward_proposal", is_admin_lokal & same_agency & is_with_admin_lokal)
rules.add_perm("competition.return_proposal", is_admin_lokal & same_agency & is_with_admin_lokal)
rules.add_perm("competition.decide_proposal", is_ministry & is_submitted)
rules.add_perm("competition.view_flags", is_ministry)
rules.add_perm("competition.screen_edition", is_ministry)
rules.add_perm("competition.manage_edition", is_ministry)


@rules.predicate
def is_hub_admin_of(user, agency) -> bool:
    """A hub admin of `agency` (the organiser of a provincial edition run on this engine)."""
    return agency is not None and user.is_authenticated and user.role == "hub_admin" and user.agency_id == agency.pk


# Object: the organiser agency of a provincial edition.
rules.add_perm("competition.organise_edition", is_ministry | is_hub_admin_of)
rules.add_perm("competition.list_proposals", is_ministry | is_admin_lokal | is_upp)
