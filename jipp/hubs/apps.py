from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "jipp.hubs"
    label = "hubs"
    verbose_name = _("Hubs")
    guides: list = []

    def nav_items(self, user):
        return []
