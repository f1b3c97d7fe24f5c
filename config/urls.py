from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from jipp.core.health import healthz
from jipp.dashboards.views import portal

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The public portal (dashboards) answers `/`; `core:home` still reverses to it.
    path("", portal, name="portal"),
    path("", include("jipp.core.urls")),
    path("notifications/", include("jipp.notifications.urls")),
    path("", include("jipp.regions.urls")),
    path("accounts/", include("jipp.accounts.urls")),
    path("", include("jipp.registry.urls")),
    path("kipp/evaluation/", include("jipp.competition.evaluation.urls")),
    path("kipp/", include("jipp.competition.urls")),
    path("replication/", include("jipp.replication.urls")),
    path("institutionalisation/", include("jipp.institutionalisation.urls")),
    path("hubs/", include("jipp.hubs.urls")),
    path("dashboards/", include("jipp.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include("jipp.api.urls")),
    path("admin/", admin.site.urls),
]

# Faults with their own clear answer (database unavailable: 503; number out of range: 400),
# anything else the styled 500 page.
handler403 = "jipp.core.views.permission_denied"
handler404 = "jipp.core.views.page_not_found"
handler500 = "jipp.core.reliability.server_error"
