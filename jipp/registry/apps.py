from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jipp.registry"
    label = "registry"
    verbose_name = _("Innovation registry")
    guides: list = []

    def nav_items(self, user):
        return []
