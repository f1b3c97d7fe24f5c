from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.core.nav import nav_groups
from jipp.core.timezones import abbreviation


def _breadcrumbs(request, groups, user) -> list[dict]:
    """Home › area › section for a page below a navigation item (none on the item's own page)."""
    path = request.path
    best = None
    for group in groups:
        for item in group.items:
            url = item.url
            if url != "/" and path.startswith(url) and (best is None or len(url) > len(best[1].url)):
                best = (group, item)
    if best is None or best[1].url == path:
        return []
    group, item = best
    home = reverse("core:my_home") if user is not None and user.is_authenticated else reverse("core:home")
    crumbs = [{"label": _("Home"), "url": home}, {"label": group.label, "url": ""}]
    if str(group.label) == str(item.label):  # "Hub › Hub" in Indonesian: the area and its list share a name
        crumbs.pop()
    return [*crumbs, {"label": item.label, "url": item.url}]


def site(request):
    user = getattr(request, "user", None)
    groups = nav_groups(user) if user is not None else []
    for group in groups:
        group.active = group.is_active(request.path)
    return {
        "nav_groups": groups,
        "breadcrumbs": _breadcrumbs(request, groups, user),
        "zone_abbreviation": abbreviation(timezone.get_current_timezone_name()),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
