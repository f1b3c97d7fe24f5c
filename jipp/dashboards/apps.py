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
        from jipp.core.nav import NavItem

        items = [NavItem("dashboards:national", _("Dashboard"), 5)]
        if user.is_authenticated and user.agency_id and user.role in ("admin_lokal", "upp"):
            items.append(NavItem("dashboards:my_agency", _("My agency's dashboard"), 6))
        return items
