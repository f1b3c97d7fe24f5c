from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "jipp.replication"
    label = "replication"
    verbose_name = _("Replication")
    guides: list = []

    def nav_items(self, user):
        return []
