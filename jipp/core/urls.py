from django.urls import path

from jipp.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.my_home, name="my_home"),
    path("about/data/", views.about_data, name="about_data"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<slug:slug>/", views.guide_page, name="guide_page"),
    path("audit/", views.audit_log, name="audit_log"),
    path("reauth/", views.reauth, name="reauth"),
]
