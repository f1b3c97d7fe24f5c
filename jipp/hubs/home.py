"""What hubs put on a hub admin's or mentor's home page (AppConfig.home_items)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.core.nav import HomeItem
from jipp.hubs.models import Activity
from jipp.hubs.selectors import hubs_for_user


def home_items(user) -> list[HomeItem]:
    if not user.is_authenticated or user.is_ministry or not user.has_perm("hubs.view_my_hubs"):
        return []
    hubs = list(hubs_for_user(user).select_related("agency")[:5])
    today = timezone.localdate()
    items = []
    for n, hub in enumerate(hubs):
        upcoming = Activity.objects.filter(hub=hub, starts_on__gte=today).order_by("starts_on")
        spokes = hub.spokes.filter(left_on__isnull=True).count()
        first = upcoming.first()
        items.append(
            HomeItem(
                _("Work of %(hub)s") % {"hub": hub},
                reverse("hubs:work", args=[hub.pk]),
                count=upcoming.count(),
                hint=_("Coming activities; %(spokes)d spokes in the network.") % {"spokes": spokes},
                deadline=timezone.make_aware(timezone.datetime.combine(first.starts_on, timezone.datetime.min.time()))
                if first
                else None,
                tone="todo" if first else "info",
                order=50 + n,
                section=_("Hubs"),
            )
        )
    return items
