"""The unread notifications line on everyone's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.core.nav import HomeItem
from jipp.notifications.services import unread_count


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    count = unread_count(user)
    return [
        HomeItem(
            _("Unread notifications"),
            reverse("notifications:list") + "?show=unread",
            count=count,
            hint=_("What happened on your proposals, innovations and replications."),
            tone="todo" if count else "info",
            order=95,
            section=_("Notifications"),
        )
    ]
