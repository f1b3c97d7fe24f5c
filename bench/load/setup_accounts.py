"""Run inside `manage.py shell`: load-test accounts for the seeded demo; prints {role: [usernames]} as JSON.

One UPP operator per draft (or returned) proposal of the open edition, one Admin Lokal per agency
with proposals waiting to be forwarded, and the demo evaluators; all with the demo password.
"""

import json

from jipp.accounts.demo import DEMO_PASSWORD
from jipp.accounts.models import Role, User
from jipp.competition.models import Proposal

probe = User()
probe.set_password(DEMO_PASSWORD)
accounts: dict[str, list[str]] = {"upp": [], "admin_lokal": [], "evaluator": []}
new = []
drafts = Proposal.objects.filter(status__in=["draft", "returned"]).select_related("unit").order_by("pk")[:80]
for i, proposal in enumerate(drafts):
    name = f"load.upp{i}"
    accounts["upp"].append(name)
    new.append(User(username=name, role=Role.UPP, agency_id=proposal.agency_id, unit_id=proposal.unit_id))
waiting = Proposal.objects.filter(status="with_admin_lokal").values_list("agency_id", flat=True).distinct()
for i, agency_id in enumerate(sorted(set(waiting))[:40]):
    name = f"load.lokal{i}"
    accounts["admin_lokal"].append(name)
    new.append(User(username=name, role=Role.ADMIN_LOKAL, agency_id=agency_id))
for user in new:
    user.password = probe.password
User.objects.filter(username__startswith="load.").delete()
User.objects.bulk_create(new)
accounts["evaluator"] = list(User.objects.filter(role=Role.EVALUATOR).order_by("pk").values_list("username", flat=True))
print(json.dumps(accounts))
