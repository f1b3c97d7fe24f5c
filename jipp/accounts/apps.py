from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jipp.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    audit_urls = {"user": "accounts:user_detail"}
    guides = [("accounts", _("Accounts and roles"))]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = []
        if user.is_authenticated and user.has_perm("accounts.list_users"):
            items.append(NavItem("accounts:user_list", _("Users"), order=80, group="admin"))
        return items

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.accounts.home import home_items

        return home_items(user)
