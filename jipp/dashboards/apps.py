from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "jipp.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    guides: list = []

    def nav_items(self, user):
        return []
