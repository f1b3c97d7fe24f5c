from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "jipp.replication"
    label = "replication"
    verbose_name = _("Replication")
    public_data = True  # shown on cached public pages (core.public_cache)
    guides = [
        ("replication-adopters", _("Replicating an innovation (adopting agencies)")),
        ("replication-sources", _("When others replicate your innovation (source agencies)")),
        ("replication-ministry", _("Following replication nationally (Ministry)")),
    ]
    notification_kinds = {
        "replication.requested": _("%(adopter)s asked to replicate “%(title)s” from %(source)s."),
        "replication.accepted": _("%(source)s accepted the request to replicate “%(title)s”."),
        "replication.declined": _("%(source)s declined the request to replicate “%(title)s”."),
        "replication.withdrawn": _("%(adopter)s withdrew the request to replicate “%(title)s”."),
        "replication.stage": _("A stage was recorded in the replication of “%(title)s” by %(adopter)s."),
        "replication.document": _("A document was added to the replication of “%(title)s” by %(adopter)s."),
        "replication.outcome": _("%(adopter)s stated the outcome of replicating “%(title)s”."),
    }

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("replication:stories", _("Replication stories"), 40, group="replication")]
        if user.is_authenticated and (user.agency_id or user.is_ministry):
            items.append(NavItem("replication:finder", _("Find an innovation to replicate"), 41, group="replication"))
            items.append(NavItem("replication:list", _("Replications"), 42, group="replication"))
        return items

    def on_legal_basis_changed(self, innovation_ids):
        """Institutionalisation calls this (by app config, no import): the ranking uses legal strength."""
        from jipp.replication.tasks import schedule_rebuild

        schedule_rebuild()

    def on_published_innovations_changed(self, innovation_ids):
        """The registry calls this when innovations are published, withdrawn or their text changes."""
        from jipp.replication.tasks import schedule_rebuild

        schedule_rebuild()

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.replication.home import home_items

        return home_items(user)
