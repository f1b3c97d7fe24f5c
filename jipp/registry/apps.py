from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jipp.registry"
    label = "registry"
    verbose_name = _("Innovation registry")
    guides = [
        ("registry", _("The innovation registry and catalogue")),
        ("registry-data", _("Importing, exporting and attachments")),
    ]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("registry:catalogue", _("Innovations"), order=10)]
        if user.is_authenticated and (user.is_ministry or user.role in ("upp", "admin_lokal")):
            items.append(NavItem("registry:manage_list", _("My innovations"), order=11))
        if user.is_authenticated and (user.is_ministry or user.role == "admin_lokal"):
            items.append(NavItem("registry:revision_list", _("Changes to approve"), order=12))
        return items
