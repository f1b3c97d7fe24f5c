from django.urls import path

from jipp.registry import urls_data, views, views_search

app_name = "registry"

urlpatterns = [
    path("innovations/", views.catalogue, name="catalogue"),
    path("innovations/search/", views_search.search_innovations, name="search_innovations"),
    path("innovations/manage/", views.manage_list, name="manage_list"),
    path("innovations/new/", views.innovation_create, name="innovation_create"),
    path("innovations/<int:pk>/", views.innovation_detail, name="innovation_detail"),
    path("innovations/<int:pk>/edit/", views.innovation_edit, name="innovation_edit"),
    path("innovations/<int:pk>/status/", views.innovation_status, name="innovation_status"),
    path("innovations/<int:pk>/continuity/", views.continuity_add, name="continuity_add"),
    path("innovations/revisions/", views.revision_list, name="revision_list"),
    path("innovations/revisions/<int:pk>/", views.revision_detail, name="revision_detail"),
    path("innovations/revisions/<int:pk>/approve/", views.revision_approve, name="revision_approve"),
    path("innovations/revisions/<int:pk>/reject/", views.revision_reject, name="revision_reject"),
    path("agencies/<slug:slug>/innovations/", views.agency_innovations, name="agency_innovations"),
    path("regions/<str:code>/innovations/", views.region_innovations, name="region_innovations"),
]

# Import, export and attachments.
urlpatterns += urls_data.urlpatterns
