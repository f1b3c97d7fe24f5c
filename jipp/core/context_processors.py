from django.utils import timezone

from jipp.core.nav import nav_for
from jipp.core.timezones import abbreviation


def site(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": nav_for(user) if user is not None else [],
        "zone_abbreviation": abbreviation(timezone.get_current_timezone_name()),
    }
