from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "jipp.replication"
    label = "replication"
    verbose_name = _("Replication")
    guides = [
        ("replication-adopters", _("Replicating an innovation (adopting agencies)")),
        ("replication-sources", _("When others replicate your innovation (source agencies)")),
        ("replication-ministry", _("Following replication nationally (Ministry)")),
    ]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("replication:stories", _("Replication stories"), 40)]
        if user.is_authenticated and (user.agency_id or user.is_ministry):
            items.append(NavItem("replication:finder", _("Find an innovation to replicate"), 41))
            items.append(NavItem("replication:list", _("Replications"), 42))
        return items

    def on_legal_basis_changed(self, innovation_ids):
        """Institutionalisation calls this (by app config, no import): the ranking uses legal strength."""
        from jipp.replication.tasks import schedule_rebuild

        schedule_rebuild()

    def on_published_innovations_changed(self, innovation_ids):
        """The registry calls this when innovations are published, withdrawn or their text changes."""
        from jipp.replication.tasks import schedule_rebuild

        schedule_rebuild()
