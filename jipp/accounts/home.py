"""What accounts put on a person's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role, User
from jipp.core.nav import HomeItem
from jipp.regions.models import ServiceUnit


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated or user.role != Role.ADMIN_LOKAL or not user.agency_id:
        return []
    staffed = User.objects.filter(role=Role.UPP, is_active=True, unit__agency_id=user.agency_id).values("unit_id")
    missing = ServiceUnit.objects.filter(agency_id=user.agency_id).exclude(pk__in=staffed).count()
    return [
        HomeItem(
            _("Service units without an account"),
            reverse("accounts:user_create"),
            count=missing,
            hint=_("Create a UPP operator account for each unit that writes innovations."),
            tone="todo" if missing else "info",
            order=80,
            section=_("Your agency"),
        )
    ]
