"""Who may do what with innovations. UPP operators draft their unit's, Admin Lokal publishes its agency's,
the Ministry corrects any; nobody touches another agency's records."""

import rules

from jipp.accounts.rules import is_admin_lokal, is_upp, same_agency
from jipp.core.rules import is_ministry


@rules.predicate
def same_unit(user, obj) -> bool:
    """`obj` is a ServiceUnit or anything with a `unit_id` (an innovation)."""
    if obj is None or not user.is_authenticated:
        return False
    unit_id = obj.pk if obj.__class__.__name__ == "ServiceUnit" else getattr(obj, "unit_id", None)
    return unit_id is not None and unit_id == user.unit_id


@rules.predicate
def is_published(user, obj) -> bool:
    return obj is not None and obj.status == "published"


# Object: the service unit the new innovation belongs to.
rules.add_perm("registry.add_innovation", is_ministry | (is_upp & same_unit) | (is_admin_lokal & same_agency))
rules.add_perm("registry.change_innovation", is_ministry | (is_upp & same_unit) | (is_admin_lokal & same_agency))
rules.add_perm("registry.publish_innovation", is_ministry | (is_admin_lokal & same_agency))
rules.add_perm(
    "registry.view_innovation", is_published | is_ministry | (is_upp & same_unit) | (is_admin_lokal & same_agency)
)
rules.add_perm("registry.import_innovations", is_ministry | is_admin_lokal | is_upp)
rules.add_perm("registry.manage_awards", is_ministry)
