from django.urls import path

from jipp.institutionalisation import views

app_name = "institutionalisation"

urlpatterns = [
    path("unprotected/", views.worklist, name="worklist"),
    path("unprotected/share/", views.shares, name="shares"),
    path("continuity/", views.continuity_missing, name="continuity_missing"),
    path("continuity/request/", views.continuity_request, name="continuity_request"),
    path("innovations/<int:pk>/", views.innovation_records, name="innovation"),
    path("legal-bases/<int:pk>/document/", views.legal_document, name="legal_document"),
]
