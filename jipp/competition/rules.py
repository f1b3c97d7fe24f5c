"""Who may do what in the competition. A UPP writes its unit's proposals, the Admin Lokal checks and
forwards its agency's, the Ministry's secretariat screens and decides; nobody sees another agency's."""

from collections.abc import Callable

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
rules.add_perm("competition.view_flags", is_ministry)
rules.add_perm("competition.manage_edition", is_ministry)


# Organisers of provincial editions ---------------------------------------------------------------
# A provincial edition (Edition.organiser set: a hub's agency) runs on this same engine, and the people
# who organise it act as the secretariat of that edition only. Who they are is not this app's business
# (competition sits below hubs and never imports it): an upper app registers a check
# `check(user, organiser_agency) -> bool` from its AppConfig.ready(); jipp.hubs registers "an admin of
# the hub whose agency this is". With no check registered, only the Ministry acts on any edition.
_ORGANISER_CHECKS: list[Callable] = []


def register_organiser_check(check: Callable) -> None:
    """Add `check(user, agency) -> bool`: True when `user` organises the editions of `agency` (idempotent)."""
    if check not in _ORGANISER_CHECKS:
        _ORGANISER_CHECKS.append(check)


def edition_of(obj):
    """The edition `obj` belongs to: `obj` itself if it is an edition, else its `edition` (a proposal, an
    assignment, a review, a run). None when there is none."""
    if obj is None:
        return None
    if hasattr(obj, "organiser_id"):
        return obj
    return getattr(obj, "edition", None)


@rules.predicate
def is_organiser_of(user, agency) -> bool:
    """`user` organises the provincial editions of `agency`, by one of the registered checks."""
    if agency is None or not user.is_authenticated or not user.is_active:
        return False
    return any(check(user, agency) for check in _ORGANISER_CHECKS)


@rules.predicate
def runs_edition(user, obj) -> bool:
    """`obj`'s edition is a provincial edition that `user` organises; never a national (KIPP) edition."""
    edition = edition_of(obj)
    if edition is None or edition.organiser_id is None:
        return False
    return is_organiser_of(user, edition.organiser)


# Object: the proposal (its edition decides who may act besides the Ministry).
rules.add_perm("competition.decide_proposal", (is_ministry | runs_edition) & is_submitted)
# Object: the edition (none: the Ministry's national screening pages).
rules.add_perm("competition.screen_edition", is_ministry | runs_edition)
# Object: the organiser agency of a provincial edition.
rules.add_perm("competition.organise_edition", is_ministry | is_organiser_of)
rules.add_perm("competition.list_proposals", is_ministry | is_admin_lokal | is_upp)
