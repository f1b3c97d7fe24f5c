"""What the registry puts on a person's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role
from jipp.core.nav import HomeItem
from jipp.registry.models import ContinuityUpdate, Innovation
from jipp.registry.revisions import revisions_to_review

SECTION = _("Innovation registry")


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated:
        return []
    manage = reverse("registry:manage_list")
    if user.role == Role.UPP and user.unit_id:
        own = Innovation.objects.filter(unit_id=user.unit_id)
    elif user.role == Role.ADMIN_LOKAL and user.agency_id:
        own = Innovation.objects.filter(agency_id=user.agency_id)
    else:
        return []
    year = timezone.localdate().year
    answered = ContinuityUpdate.objects.filter(reported_on__year__gte=year).values("innovation_id")
    drafts = own.filter(status=Innovation.Status.DRAFT).count()
    due = own.filter(status=Innovation.Status.PUBLISHED).exclude(pk__in=answered).count()
    if user.role == Role.UPP:
        draft_label = _("Innovation drafts to finish")
        draft_hint = _("Send them to your Admin Lokal to publish.")
    else:
        draft_label = _("Innovations waiting to be published")
        draft_hint = _("Drafts of your agency's units: check and publish them.")
    items = []
    if user.role == Role.ADMIN_LOKAL:
        edits = revisions_to_review(user).count()  # the same rows as the review page lists
        items.append(
            HomeItem(
                _("Changes to published innovations to approve"),
                reverse("registry:revision_list"),
                count=edits,
                hint=_("The published version stays until you approve the change."),
                tone="todo" if edits else "info",
                order=21,
                section=SECTION,
            )
        )
    return items + [
        HomeItem(draft_label, f"{manage}?status=draft", count=drafts, hint=draft_hint, order=20, section=SECTION),
        HomeItem(
            _("Continuity updates due for %(year)d") % {"year": year},
            f"{manage}?status=published",
            count=due,
            hint=_("Published innovations without this year's continuity statement."),
            tone="urgent" if due and timezone.localdate().month >= 10 else "todo",
            order=25,
            section=SECTION,
        ),
    ]
