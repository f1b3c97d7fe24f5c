"""Who may do what with hubs. Object: the hub (or the round for selection rules).

Hub admins and mentors work on their own hub only; the Ministry on every hub; the Ministry alone runs
selection rounds and verifies maturity, with the members of a round's scoring team scoring it.
"""

import rules

from jipp.accounts.models import Role
from jipp.accounts.rules import is_admin_lokal, is_upp
from jipp.core.rules import is_ministry
from jipp.hubs.models import Hub


@rules.predicate
def is_hub_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.HUB_ADMIN


@rules.predicate
def is_mentor(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.MENTOR


@rules.predicate
def administers(user, hub) -> bool:
    if hub is None or not is_hub_admin(user):
        return False
    if user.agency_id and user.agency_id == hub.agency_id:
        return True
    return hub.pk is not None and hub.admins.filter(pk=user.pk).exists()


def organises_editions_of(user, agency) -> bool:
    """competition's organiser check (registered in HubsConfig.ready): `user` is an admin of the hub whose
    agency is `agency`, so acts as the secretariat of that hub's provincial editions, and of no other."""
    if agency is None or not is_hub_admin(user):
        return False
    hub = Hub.objects.filter(agency_id=agency.pk).only("pk", "agency_id").first()
    return hub is not None and administers(user, hub)


@rules.predicate
def mentors(user, hub) -> bool:
    return hub is not None and hub.pk is not None and is_mentor(user) and hub.mentors.filter(pk=user.pk).exists()


@rules.predicate
def on_scoring_team(user, round_) -> bool:
    return round_ is not None and round_.pk is not None and round_.members.filter(pk=user.pk).exists()


@rules.predicate
def is_own_spoke(user, spoke) -> bool:
    """The Admin Lokal of the spoke's agency sees its own progress page; for a unit spoke (a K/L's unit or
    field office) also the unit's own UPP operators."""
    if spoke is None:
        return False
    if is_admin_lokal(user) and spoke.agency_id == user.agency_id:
        return True
    return bool(spoke.unit_id) and is_upp(user) and spoke.unit_id == user.unit_id


rules.add_perm("hubs.view_work", is_ministry | administers | mentors)
rules.add_perm("hubs.change_hub", is_ministry | administers)
rules.add_perm("hubs.record_activity", is_ministry | administers | mentors)
rules.add_perm("hubs.self_assess", administers)
rules.add_perm("hubs.verify_maturity", is_ministry)
rules.add_perm("hubs.manage_rounds", is_ministry)
rules.add_perm("hubs.view_round", is_ministry | on_scoring_team)
rules.add_perm("hubs.score_round", on_scoring_team)
rules.add_perm("hubs.view_my_hubs", is_ministry | is_hub_admin | is_mentor)
# Object: the spoke.
rules.add_perm("hubs.view_spoke", is_own_spoke)
