from django.urls import path

from jipp.hubs import edition_pages, views

app_name = "hubs"

urlpatterns = [
    path("", views.hub_list, name="list"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("mine/", views.my_hubs, name="mine"),
    path("maturity/", views.maturity_queue, name="maturity_queue"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/weights/", views.round_weights, name="round_weights"),
    path("rounds/<int:pk>/candidates/add/", views.round_candidate_add, name="round_candidate_add"),
    path("rounds/<int:pk>/candidates/<int:candidate_pk>/", views.candidate, name="candidate"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/declare/", views.round_declare, name="round_declare"),
    path("rounds/<int:pk>/decide/", views.round_decide, name="round_decide"),
    path("<int:pk>/", views.hub_detail, name="detail"),
    path("<int:pk>/work/", views.work, name="work"),
    path("<int:pk>/status/", views.hub_status, name="status"),
    path("<int:pk>/spokes/", views.spokes, name="spokes"),
    path("<int:pk>/spokes/<int:spoke_pk>/", views.spoke_progress, name="spoke"),
    path("<int:pk>/spokes/<int:spoke_pk>/end/", views.spoke_end, name="spoke_end"),
    path("<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("<int:pk>/plans/<int:year>/", views.plan, name="plan"),
    path("<int:pk>/activities/", views.activities, name="activities"),
    path("<int:pk>/activities/new/", views.activity_form, name="activity_new"),
    path("<int:pk>/activities/<int:activity_pk>/edit/", views.activity_form, name="activity_edit"),
    path("<int:pk>/maturity/<int:year>/", views.maturity, name="maturity"),
    path("<int:pk>/competitions/", views.competitions, name="competitions"),
    path("<int:pk>/competitions/<int:edition_pk>/", views.edition_secretariat, name="edition"),
    path("<int:pk>/competitions/<int:edition_pk>/screen/", views.edition_screen, name="edition_screen"),
    path("<int:pk>/competitions/<int:edition_pk>/assign/", views.edition_assign, name="edition_assign"),
    path(
        "<int:pk>/competitions/<int:edition_pk>/entries/<int:proposal_pk>/decide/",
        views.edition_decide,
        name="edition_decide",
    ),
    path("<int:pk>/competitions/entries/<int:proposal_pk>/carry/", views.carry, name="carry"),
    # The edition's evaluation: KIPP's own pages, mounted for the hub's edition.
    *edition_pages.urlpatterns,
]
