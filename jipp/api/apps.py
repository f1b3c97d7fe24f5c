from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jipp.api"
    label = "api"
    verbose_name = "API"
