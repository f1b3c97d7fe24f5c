import zoneinfo

from django.utils import timezone

from jipp.core.timezones import WIB


class UserTimezoneMiddleware:
    """Show times in the user's zone: their own choice, else their agency's province, else WIB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone_name = WIB
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            zone_name = user.effective_timezone
        timezone.activate(zoneinfo.ZoneInfo(zone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
