from django.urls import path
from django.views.generic import RedirectView

from jipp.competition import views

app_name = "competition"

urlpatterns = [
    path("", views.edition_list, name="edition_list"),
    path("editions/<int:year>/", views.edition_detail, name="edition_detail"),
    path("editions/<int:year>/copy/", views.edition_copy, name="edition_copy"),
    path("editions/<int:year>/screening/", views.screening, name="screening"),
    path("editions/<int:year>/screening/progress/", views.screening_progress, name="screening_progress"),
    path("editions/<int:year>/screening/start/", views.screening_start, name="screening_start"),
    path("editions/<int:year>/screening/pass/", views.screening_bulk_pass, name="screening_bulk_pass"),
    path("editions/<int:year>/export.<str:fmt>", views.export, name="export"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_start, name="proposal_start"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/autosave/", views.proposal_autosave, name="proposal_autosave"),
    path("proposals/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("proposals/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"
    ),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/forward/", views.proposal_forward, name="proposal_forward"),
    path("proposals/<int:pk>/return/", views.proposal_return, name="proposal_return"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("proposals/<int:pk>/pdf/", views.proposal_pdf, name="proposal_pdf"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    # The KIPP-only notification page became the platform's /notifications/ (every workflow).
    path(
        "notifications/",
        RedirectView.as_view(url="/notifications/?area=kipp", permanent=True),
        name="notifications",
    ),
]
