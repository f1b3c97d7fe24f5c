from django.urls import path

from jipp.competition.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    # Evaluators and panelists.
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/autosave/", views.review_autosave, name="review_autosave"),
    path("reviews/<int:pk>/attachments/<int:index>/", views.review_attachment, name="review_attachment"),
    path("panel/", views.panel, name="panel"),
    path("panel/<int:pk>/", views.panel_score, name="panel_score"),
    path("<int:year>/declarations/", views.declarations, name="declarations"),
    path("editions/<int:edition_pk>/declarations/", views.declarations, name="edition_declarations"),
    # Secretariat.
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/team/", views.team, name="team"),
    path("<int:year>/assignments/", views.assignments, name="assignments"),
    path("<int:year>/assignments/run/", views.assignment_start, name="assignment_start"),
    path("<int:year>/assignments/run/status/", views.assignment_run_status, name="assignment_run_status"),
    path("<int:year>/assignments/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:year>/assignments.csv", views.assignments_csv, name="assignments_csv"),
    path("<int:year>/assignments/import/", views.assignments_import, name="assignments_import"),
    path("<int:year>/assignments/reminders/", views.reminders, name="reminders"),
    path("<int:year>/reviews/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("<int:year>/ranking/", views.ranking, name="ranking"),
    path("<int:year>/ranking/<int:pk>/", views.explain, name="explain"),
    path("<int:year>/ranking/<int:pk>/extra-review/", views.extra_review, name="extra_review"),
    path("<int:year>/nomination/", views.nomination, name="nomination"),
    path("<int:year>/scrutiny/", views.scrutiny, name="scrutiny"),
    path("<int:year>/objections/<int:pk>/file/", views.objection_file, name="objection_file"),
    path("<int:year>/presentations/", views.presentations, name="presentations"),
    path("<int:year>/verification/", views.verification, name="verification"),
    path("<int:year>/results/", views.results, name="results"),
    path("<int:year>/report.<str:fmt>", views.report, name="report"),
    # Public.
    path("public/", views.public_index, name="public_index"),
    path("<int:year>/finalists/", views.public_finalists, name="public_finalists"),
    path("<int:year>/winners/", views.public_results, name="public_results"),
    path("<int:year>/method/", views.method, name="method"),
    path("certificates/<str:code>.pdf", views.certificate, name="certificate"),
    path("verify/", views.verify_certificate, name="verify"),
]
