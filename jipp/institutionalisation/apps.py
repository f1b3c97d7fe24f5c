from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionalisationConfig(AppConfig):
    name = "jipp.institutionalisation"
    label = "institutionalisation"
    verbose_name = _("Institutionalisation")
    guides: list = []

    def nav_items(self, user):
        return []
