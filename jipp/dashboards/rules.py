"""Who sees what on the dashboards: everyone sees the public figures; the Ministry sees all of them;
an agency's Admin Lokal and UPP operators see their agency's dashboard; reports are the Ministry's."""

import rules

from jipp.accounts.rules import is_admin_lokal, is_upp, same_agency
from jipp.core.rules import is_ministry

rules.add_perm("dashboards.view_full", is_ministry)
# Object: the agency.
rules.add_perm("dashboards.view_agency", is_ministry | ((is_admin_lokal | is_upp) & same_agency))
rules.add_perm("dashboards.make_report", is_ministry)
