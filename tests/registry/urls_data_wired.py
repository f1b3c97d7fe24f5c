"""The project's URLs with the data views (import, export, attachments) in the "registry" namespace,
whether or not the lead has included urls_data in jipp/registry/urls.py yet."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from jipp.registry import urls as registry_urls
from jipp.registry import urls_data

_names = {p.name for p in registry_urls.urlpatterns}
_registry = list(registry_urls.urlpatterns) + [p for p in urls_data.urlpatterns if p.name not in _names]

urlpatterns = [path("", include((_registry, "registry")))] + [
    p for p in project_urlpatterns if getattr(p, "namespace", None) != "registry"
]
