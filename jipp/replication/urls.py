from django.urls import path

from jipp.replication import views

app_name = "replication"

urlpatterns = [
    path("", views.replication_list, name="list"),
    path("find/", views.finder, name="finder"),
    path("find/rebuild/", views.rebuild_index, name="rebuild_index"),
    path("request/<int:innovation_pk>/", views.request_create, name="request"),
    path("stories/", views.story_list, name="stories"),
    path("network/", views.network, name="network"),
    path("counts/", views.counts, name="counts"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<uuid:public_id>/", views.detail, name="detail"),
]
