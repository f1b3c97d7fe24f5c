from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionConfig(AppConfig):
    name = "jipp.competition"
    label = "competition"
    verbose_name = _("KIPP competition")
    guides: list = []

    def nav_items(self, user):
        return []
