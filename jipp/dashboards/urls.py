from django.urls import path

from jipp.dashboards import views, views_hubs, views_reports

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("agency/", views.my_agency, name="my_agency"),
    path("agencies/<slug:slug>/", views.agency, name="agency"),
    path("hubs/", views_hubs.hub_list, name="hub_list"),
    path("hubs/<int:pk>/", views_hubs.hub_dashboard, name="hub"),
    path("open-data/", views.open_data, name="open_data"),
    path("reports/", views_reports.report_list, name="reports"),
    path("reports/new/", views_reports.report_request, name="report_request"),
    path("reports/<uuid:public_id>/", views_reports.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/report.<str:fmt>", views_reports.report_download, name="report_download"),
]
