from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jipp.registry"
    label = "registry"
    verbose_name = _("Innovation registry")
    public_data = True  # shown on cached public pages (core.public_cache)
    guides = [
        ("registry", _("The innovation registry and catalogue")),
        ("registry-data", _("Importing, exporting and attachments")),
    ]
    audit_urls = {"innovation": "registry:innovation_detail"}
    notification_kinds = {
        "registry.published": _("Your innovation “%(title)s” was published in the catalogue."),
        "registry.withdrawn": _("Your innovation “%(title)s” was withdrawn from the catalogue."),
        "registry.draft": _("Your innovation “%(title)s” was set back to draft."),
        "registry.revision_submitted": _("%(unit)s changed the published innovation “%(title)s”: review the change."),
        "registry.revision_approved": _("Your change to “%(title)s” was approved and is now published."),
        "registry.revision_rejected": _("Your change to “%(title)s” was not approved: %(note)s"),
    }

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("registry:catalogue", _("Innovation catalogue"), order=10, group="registry")]
        if user.is_authenticated and (user.is_ministry or user.role in ("upp", "admin_lokal")):
            items.append(NavItem("registry:manage_list", _("My innovations"), order=11, group="registry"))
        if user.is_authenticated and (user.is_ministry or user.role == "admin_lokal"):
            items.append(NavItem("registry:revision_list", _("Changes to approve"), order=12, group="registry"))
        return items

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.registry.home import home_items

        return home_items(user)
