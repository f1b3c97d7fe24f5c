"""A provincial edition's evaluation pages: KIPP's own views and templates (jipp.competition.evaluation),
mounted under `/hubs/<hub>/competitions/<edition>/...` as `hubs:edition_<name>`, not a copy of them.

Here the edition is resolved from the hub and the edition in the URL (it must be organised by the hub's
agency), the hub's people are checked as on the hub's other secretariat pages, and the views get a
`Place` so that every link and redirect stays in the hub's URL space. The views then check their own
rule on the edition (`evaluation.view_ranking`, `evaluation.manage_results`, ...), which admits the
Ministry and the hub's admins (competition's organiser hook, filled in HubsConfig.ready), and write
through the same services as KIPP. The public pages (finalists, winners, method) answer only once
published, as KIPP's do.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from jipp.competition.evaluation import views as evaluation
from jipp.competition.evaluation.places import Place
from jipp.competition.models import Edition
from jipp.hubs.models import Hub

PREFIX = "<int:hub_pk>/competitions/<int:edition_pk>/"

# (route under the edition, KIPP's view, its name in `evaluation:`): the secretariat's pages.
SECRETARIAT_PAGES = [
    ("evaluation/", evaluation.overview, "overview"),
    ("team/", evaluation.team, "team"),
    ("assignments/", evaluation.assignments, "assignments"),
    ("assignments/run/", evaluation.assignment_start, "assignment_start"),
    ("assignments/run/status/", evaluation.assignment_run_status, "assignment_run_status"),
    ("assignments/<int:pk>/reassign/", evaluation.reassign, "reassign"),
    ("assignments.csv", evaluation.assignments_csv, "assignments_csv"),
    ("assignments/import/", evaluation.assignments_import, "assignments_import"),
    ("assignments/reminders/", evaluation.reminders, "reminders"),
    ("reviews/<int:pk>/reopen/", evaluation.review_reopen, "review_reopen"),
    ("ranking/", evaluation.ranking, "ranking"),
    ("ranking/<int:pk>/", evaluation.explain, "explain"),
    ("ranking/<int:pk>/extra-review/", evaluation.extra_review, "extra_review"),
    ("nomination/", evaluation.nomination, "nomination"),
    ("scrutiny/", evaluation.scrutiny, "scrutiny"),
    ("objections/<int:pk>/file/", evaluation.objection_file, "objection_file"),
    ("presentations/", evaluation.presentations, "presentations"),
    ("verification/", evaluation.verification, "verification"),
    ("results/", evaluation.results, "results"),
    ("report.<str:fmt>", evaluation.report, "report"),
]
# Public once published (the views answer 404 before), for everyone.
PUBLIC_PAGES = [
    ("finalists/", evaluation.public_finalists, "public_finalists"),
    ("winners/", evaluation.public_results, "public_results"),
    ("method/", evaluation.method, "method"),
]


def place(hub: Hub, edition: Edition) -> Place:
    return Place(
        edition=edition,
        namespace="hubs",
        prefix="edition_",
        args=(hub.pk, edition.pk),
        home_url=reverse("hubs:edition", args=[hub.pk, edition.pk]),
        home_label=edition.name,
    )


def resolve(request, hub_pk: int, edition_pk: int, *, public: bool) -> Edition:
    """The hub's provincial edition named in the URL, kept on the request as its `Place`.

    Secretariat pages: another hub's admin or mentor, a UPP, ... 403 (the hub's own rule, then the
    edition's secretariat rule, as on the hub's screening page); an edition not organised by this hub
    (KIPP's, another hub's) 404 for those who pass. Public pages: 404 unless the edition is the hub's."""
    hub = get_object_or_404(Hub.objects.select_related("agency"), pk=hub_pk)
    edition = get_object_or_404(Edition.all_editions, pk=edition_pk)
    if not public and not (
        request.user.has_perm("hubs.view_work", hub) and request.user.has_perm("competition.screen_edition", edition)
    ):
        raise PermissionDenied
    if edition.organiser_id is None or edition.organiser_id != hub.agency_id:
        raise Http404
    request.edition_place = place(hub, edition)
    return edition


def mounted(view, *, public: bool = False):
    """KIPP's `view` for the hub's edition: resolved here, then called as KIPP calls it (by year)."""

    @wraps(view)
    def wrapped(request, hub_pk: int, edition_pk: int, **kwargs):
        edition = resolve(request, hub_pk, edition_pk, public=public)
        return view(request, year=edition.year, **kwargs)

    return wrapped if public else login_required(wrapped)


urlpatterns = [
    path(PREFIX + route, mounted(view), name=f"edition_{name}") for route, view, name in SECRETARIAT_PAGES
] + [path(PREFIX + route, mounted(view, public=True), name=f"edition_{name}") for route, view, name in PUBLIC_PAGES]
