"""Import, export and attachment URLs. Include in jipp/registry/urls.py (namespace "registry"):

from jipp.registry import urls_data
urlpatterns += urls_data.urlpatterns
"""

from django.urls import path, re_path

from jipp.registry import views_data

urlpatterns = [
    path("innovations/import/", views_data.data_import, name="data_import"),
    re_path(
        r"^innovations/import/template\.(?P<fmt>csv|xlsx)$",
        views_data.data_import_template,
        name="data_import_template",
    ),
    re_path(r"^innovations/import/(?P<token>[0-9a-f]{32})/$", views_data.data_import_status, name="data_import_status"),
    re_path(
        r"^innovations/import/(?P<token>[0-9a-f]{32})/decide/$",
        views_data.data_import_decide,
        name="data_import_decide",
    ),
    re_path(r"^innovations/import/(?P<token>[0-9a-f]{32})/run/$", views_data.data_import_run, name="data_import_run"),
    re_path(
        r"^innovations/import/(?P<token>[0-9a-f]{32})/publish/$",
        views_data.data_import_publish,
        name="data_import_publish",
    ),
    re_path(
        r"^innovations/import/(?P<token>[0-9a-f]{32})/report\.csv$",
        views_data.data_import_report,
        name="data_import_report",
    ),
    re_path(r"^innovations/export\.(?P<fmt>csv|xlsx|json)$", views_data.data_export, name="data_export"),
    path("innovations/<int:pk>/attachments/", views_data.attachments, name="attachments"),
    path("attachments/<int:pk>/", views_data.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/image/", views_data.attachment_image, name="attachment_image"),
    path("attachments/<int:pk>/thumbnail/", views_data.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", views_data.attachment_delete, name="attachment_delete"),
]
