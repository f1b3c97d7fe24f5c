"""What institutionalisation puts on a person's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jipp.core.nav import HomeItem


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated or not user.has_perm("institutionalisation.view_worklist"):
        return []
    return [
        HomeItem(
            _("Proven innovations without a legal basis"),
            reverse("institutionalisation:worklist"),
            hint=_("Replicated or awarded, but not yet protected by a regulation."),
            tone="info",
            order=60,
            section=_("Institutionalisation"),
        ),
        HomeItem(
            _("Innovations missing this year's continuity update"),
            reverse("institutionalisation:continuity_missing"),
            hint=_("Ask their owners for the yearly statement."),
            tone="info",
            order=61,
            section=_("Institutionalisation"),
        ),
    ]
