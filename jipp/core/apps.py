from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jipp.core"
    label = "core"
    verbose_name = _("Core")
    guides = [("about", _("About Hub JIPP"))]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = []
        if user.is_authenticated and user.has_perm("core.view_audit_log"):
            items.append(NavItem("core:audit_log", _("Audit log"), order=90, group="admin"))
        return items
