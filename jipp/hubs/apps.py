from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "jipp.hubs"
    label = "hubs"
    verbose_name = _("Hubs")
    guides = [
        ("hubs", _("Hubs: selection, spokes, work plans, activities and maturity")),
    ]

    def ready(self):
        # Fill competition's hook: a hub's admins run their own hub's provincial editions (screening,
        # assignment, nomination, results) on the KIPP engine; competition does not import hubs.
        from jipp.competition.rules import register_organiser_check
        from jipp.hubs.rules import organises_editions_of

        register_organiser_check(organises_editions_of)

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("hubs:list", _("Hubs"), 60, group="hubs")]
        if user is None or not user.is_authenticated:
            return items
        if user.has_perm("hubs.view_my_hubs") and not user.is_ministry:
            items.append(NavItem("hubs:mine", _("My hub"), 61, group="hubs"))
        if user.has_perm("hubs.manage_rounds"):
            items.append(NavItem("hubs:rounds", _("Hub selection"), 62, group="hubs"))
            items.append(NavItem("hubs:maturity_queue", _("Hub maturity"), 63, group="hubs"))
        return items

    def home_items(self, user):
        """Lines on the person's home page (/home/): their hub's work."""
        from jipp.hubs.home import home_items

        return home_items(user)

    def agency_scope(self, user):
        """The agencies a hub admin or mentor works on (core.scoping): their hubs' active spokes and the
        hubs' own agencies. None (no narrowing) for everyone else."""
        from jipp.hubs.selectors import scope_agency_ids

        return scope_agency_ids(user)
