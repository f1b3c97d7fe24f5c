from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionalisationConfig(AppConfig):
    name = "jipp.institutionalisation"
    label = "institutionalisation"
    verbose_name = _("Institutionalisation")
    public_data = True  # shown on cached public pages (core.public_cache)
    guides = [
        ("institutionalisation-owners", _("Legal basis and sustainability (innovation owners)")),
        ("institutionalisation-ministry", _("Proven but unprotected innovations (Ministry and hubs)")),
    ]
    notification_kinds = {
        "continuity.requested": _("Please send the %(year)s continuity update for each of your published innovations."),
    }

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = []
        if user.is_authenticated and user.has_perm("institutionalisation.view_worklist"):
            items.append(
                NavItem("institutionalisation:worklist", _("Unprotected innovations"), 45, group="institutionalisation")
            )
            items.append(
                NavItem(
                    "institutionalisation:continuity_missing", _("Continuity updates"), 46, group="institutionalisation"
                )
            )
        return items

    def on_replication_counts_changed(self, innovation_ids):
        """Replication calls this (by app config, no import): being replicated makes an innovation proven."""
        from jipp.institutionalisation.services import refresh_protection

        refresh_protection(innovation_ids=innovation_ids)

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.institutionalisation.home import home_items

        return home_items(user)
