"""What replication puts on a person's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role
from jipp.core.nav import HomeItem
from jipp.replication.models import Replication


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated or user.role not in (Role.ADMIN_LOKAL, Role.UPP) or not user.agency_id:
        return []
    base = reverse("replication:list")
    to_answer = Replication.objects.filter(source_agency_id=user.agency_id, status=Replication.Status.REQUESTED)
    ongoing = Replication.objects.filter(
        adopter_agency_id=user.agency_id, status=Replication.Status.ACCEPTED, outcome=""
    )
    section = _("Replication")
    return [
        HomeItem(
            _("Replication requests to answer"),
            f"{base}?status=requested&side=source&agency_id={user.agency_id}",
            count=to_answer.count(),
            hint=_("Other agencies asked to replicate your innovations."),
            tone="urgent" if to_answer.exists() else "info",
            order=40,
            section=section,
        ),
        HomeItem(
            _("Replications you are carrying out"),
            f"{base}?status=accepted&side=adopter&agency_id={user.agency_id}",
            count=ongoing.count(),
            hint=_("Record each stage as it is done."),
            tone="todo" if ongoing.exists() else "info",
            order=41,
            section=section,
        ),
    ]
