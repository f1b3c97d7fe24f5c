from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "jipp.regions"
    label = "regions"
    verbose_name = _("Regions and agencies")
    public_data = True  # shown on cached public pages (core.public_cache)
    guides = [("agencies", _("Regions, agencies and service units"))]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        return [
            NavItem("regions:region_list", _("Regions"), order=20, group="registry"),
            NavItem("regions:agency_list", _("Agencies"), order=21, group="registry"),
        ]
