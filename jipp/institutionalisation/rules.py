"""Who may record legal bases and sustainability checks (the innovation's owners and the Ministry) and
who sees the work lists (the Ministry and hub admins nationally; agency members for their own agency)."""

import rules

from jipp.accounts.models import Role
from jipp.accounts.rules import is_admin_lokal, is_upp, same_agency
from jipp.core.rules import is_ministry
from jipp.registry.rules import same_unit


@rules.predicate
def is_hub_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.HUB_ADMIN


# Object: the innovation.
owner = is_ministry | (is_upp & same_unit) | (is_admin_lokal & same_agency)
rules.add_perm("institutionalisation.change_records", owner)
rules.add_perm("institutionalisation.view_worklist", is_ministry | is_hub_admin | is_admin_lokal | is_upp)
rules.add_perm("institutionalisation.view_national", is_ministry | is_hub_admin)
rules.add_perm("institutionalisation.request_continuity", is_ministry)
