from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from jipp.api import (
    competition,
    dashboards,
    evaluation,
    hubs,
    institutionalisation,
    regions,
    registry,
    replication,
)

router = DefaultRouter()
router.register("regions", regions.RegionViewSet, basename="region")
router.register("agencies", regions.AgencyViewSet, basename="agency")
router.register("units", regions.ServiceUnitViewSet, basename="unit")
router.register("users", regions.UserViewSet, basename="user")
# Each app's API module adds its own viewsets, so parallel work never edits the same lines.
for module in (registry, competition, evaluation, replication, institutionalisation, hubs, dashboards):
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script (Content-Security-Policy).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
