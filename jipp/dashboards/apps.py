from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "jipp.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    guides = [
        ("dashboards", _("Dashboards, the map and reports")),
    ]

    def ready(self):
        from jipp.dashboards import signals

        signals.connect()

    def nav_items(self, user):
        """One entry: the national dashboard, which links to the agency's and the hubs' own dashboards
        (the bar is already full for some roles)."""
        from jipp.core.nav import NavItem

        return [NavItem("dashboards:national", _("Dashboard"), 5, group="dashboards")]
