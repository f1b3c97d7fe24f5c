"""Who may do what with replications. The adopting agency owns the request, stages and outcome; the
source agency owns its answer and support notes; the Ministry sees everything; the public sees the
successful ones (the stories)."""

import rules

from jipp.accounts.rules import is_admin_lokal, is_upp
from jipp.core.rules import is_ministry


def _agency_member(user) -> bool:
    """Only UPP operators and Admin Lokal act for their agency in replication. Hub admins and mentors
    may carry an agency on their account, but they are not its members here (issue #14, finding 3)."""
    return is_upp(user) or is_admin_lokal(user)


agency_member = _agency_member


@rules.predicate
def on_adopter_side(user, replication) -> bool:
    return replication is not None and _agency_member(user) and user.agency_id == replication.adopter_agency_id


@rules.predicate
def on_source_side(user, replication) -> bool:
    return replication is not None and _agency_member(user) and user.agency_id == replication.source_agency_id


@rules.predicate
def is_public_story(user, replication) -> bool:
    return replication is not None and replication.is_successful


@rules.predicate
def is_open(user, replication) -> bool:
    return replication is not None and replication.status == "accepted" and not replication.outcome


@rules.predicate
def is_accepted(user, replication) -> bool:
    return replication is not None and replication.status == "accepted"


@rules.predicate
def is_requested(user, replication) -> bool:
    return replication is not None and replication.status == "requested"


@rules.predicate
def can_request(user) -> bool:
    """An agency member (UPP or Admin Lokal) may ask to replicate another agency's innovation."""
    return _agency_member(user)


rules.add_perm("replication.request_replication", can_request)
rules.add_perm("replication.view_replication", is_ministry | on_adopter_side | on_source_side | is_public_story)
rules.add_perm("replication.respond_replication", on_source_side & is_requested)
rules.add_perm("replication.withdraw_replication", on_adopter_side & is_requested)
rules.add_perm("replication.change_adopter_part", on_adopter_side & is_accepted)
rules.add_perm("replication.change_source_part", on_source_side & (is_open | is_requested))
rules.add_perm("replication.upload_document", (on_adopter_side | on_source_side) & (is_accepted | is_requested))
rules.add_perm("replication.list_all", is_ministry)
