"""Hub pages. Public: the list of hubs and cohorts, a hub's page with its public activities. For the
hub's admins and mentors (their own hub only) and the Ministry: the work, spokes, plans, activities
and maturity. For the Ministry and its scoring team: selection rounds."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.competition import services as kipp_services
from jipp.competition.evaluation.models import AssignmentRun, EvaluationSettings
from jipp.competition.evaluation.services import assignment as assignment_services
from jipp.competition.models import Edition, Proposal
from jipp.core.exports import export_response
from jipp.hubs import selectors
from jipp.hubs.domain.maturity import ASPECTS
from jipp.hubs.forms import (
    ActivityForm,
    CandidateForm,
    DecisionForm,
    DeclarationForm,
    EndSpokeForm,
    EvidenceForm,
    HubStatusForm,
    PlanForm,
    ProvincialEditionForm,
    RoundForm,
    ScoreForm,
    SelfAssessmentForm,
    SpokeForm,
    TargetsForm,
    VerifyForm,
    WeightsForm,
)
from jipp.hubs.models import (
    Activity,
    Candidate,
    Cohort,
    ConflictDeclaration,
    Hub,
    MaturityAssessment,
    Measure,
    Score,
    SelectionRound,
    Spoke,
    WorkPlan,
)
from jipp.hubs.services import competition as competition_services
from jipp.hubs.services import hubs as hub_services
from jipp.hubs.services import maturity as maturity_services
from jipp.hubs.services import selection as selection_services
from jipp.hubs.services import work as work_services
from jipp.registry.bounds import in_bounds, parse_year

EXPORT_FORMATS = ("csv", "xlsx")


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _hub(request, pk: int, perm: str) -> Hub:
    """The hub, if the user holds `perm` on it (403 otherwise: another hub's admin or mentor)."""
    hub = get_object_or_404(Hub.objects.select_related("agency", "region", "cohort"), pk=pk)
    if not request.user.has_perm(perm, hub):
        raise PermissionDenied
    return hub


def _year(request) -> int:
    return parse_year(request.GET.get("year")) or timezone.localdate().year


def _bounded(year: int) -> int:
    """A year from the URL: within the declared bounds, else 404 (the same on SQLite and PostgreSQL)."""
    if not in_bounds(year):
        raise Http404
    return year


# Public ----------------------------------------------------------------------------------------

HUB_HEADERS = ["id", "agency", "kind", "province_code", "cohort", "decree_number", "status", "spokes", "real"]


def hub_list(request):
    qs = selectors.public_hubs()
    cohort = request.GET.get("cohort", "")
    if cohort.isdigit():
        qs = qs.filter(cohort__year=int(cohort))
    kind = request.GET.get("kind", "")
    if kind in Hub.Kind.values:
        qs = qs.filter(kind=kind)
    qs = qs.order_by("cohort__year", "agency__name")
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [
                h.pk,
                h.agency.name,
                h.kind,
                h.region.code if h.region else "",
                h.cohort.year,
                h.cohort.decree_number,
                h.status,
                h.active_spokes,
                "yes" if h.is_real else "demo",
            ]
            for h in qs
        )
        return export_response(request.GET["format"], rows, HUB_HEADERS, "hubs")
    page = Paginator(qs, 60).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/hub_list.html",
        {
            "page": page,
            "cohorts": Cohort.objects.order_by("year"),
            "filters": request.GET,
            "kinds": Hub.Kind.choices,
            # The Ministry works on every hub: "your hub" marks a hub admin's or mentor's own.
            "mine": set()
            if request.user.has_perm("hubs.manage_rounds")
            else set(selectors.hubs_for_user(request.user).values_list("pk", flat=True)),
        },
    )


def cohort_list(request):
    cohorts = Cohort.objects.annotate(n=Count("hubs")).order_by("year")
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [c.year, c.name, c.decree_number, c.decree_date or "", c.n, "yes" if c.is_real else "demo"] for c in cohorts
        )
        return export_response(
            request.GET["format"], rows, ["year", "name", "decree_number", "decree_date", "hubs", "real"], "hub-cohorts"
        )
    return render(request, "hubs/cohort_list.html", {"cohorts": cohorts})


def hub_detail(request, pk: int):
    hub = get_object_or_404(Hub.objects.select_related("agency", "region", "cohort"), pk=pk)
    can_work = request.user.has_perm("hubs.view_work", hub)
    spokes = (
        Spoke.objects.filter(hub=hub, left_on__isnull=True)
        .select_related("agency", "unit")
        .order_by("agency__name", "unit__name")
    )
    activities = selectors.activities_for(hub=hub, public_only=not can_work)[:10]
    decision = hub.cohort.decisions.order_by("-decree_date").first()
    # The hub's competitions whose results are published (their public winners page, for everyone).
    winners_editions = competition_services.provincial_editions(hub).filter(
        evaluation_settings__results_published_at__isnull=False
    )
    return render(
        request,
        "hubs/hub_detail.html",
        {
            "hub": hub,
            "spokes": spokes,
            "activities": activities,
            "mentors": hub.mentors.order_by("last_name"),
            "can_work": can_work,
            "decision": decision,
            "winners_editions": winners_editions,
            "year": timezone.localdate().year,
            "status_form": HubStatusForm(initial={"status": hub.status})
            if request.user.has_perm("hubs.verify_maturity")
            else None,
        },
    )


@login_required
def my_hubs(request):
    """Where a hub admin or mentor starts: their hub's work page, or the list of their hubs."""
    if not request.user.has_perm("hubs.view_my_hubs"):
        raise PermissionDenied
    hubs = list(selectors.hubs_for_user(request.user).select_related("agency", "cohort")[:100])
    if len(hubs) == 1 and not request.user.is_ministry:
        return redirect("hubs:work", hubs[0].pk)
    return render(request, "hubs/my_hubs.html", {"hubs": hubs})


# The hub's work --------------------------------------------------------------------------------

SPOKE_HEADERS = (
    ["spoke", "agency", "unit", "joined_on", "left_on", "innovations", "proven", "with_legal_basis"]
    + [f"{m}_actual" for m in Measure.values]
    + [f"{m}_target" for m in Measure.values]
)


@login_required
def work(request, pk: int):
    hub = _hub(request, pk, "hubs.view_work")
    year = _year(request)
    data = selectors.hub_work(hub=hub, year=year)
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [
                r.spoke.pk,
                r.spoke.agency.name,
                r.spoke.unit.display_name if r.spoke.unit_id else "",
                r.spoke.joined_on,
                r.spoke.left_on or "",
                r.figures.innovations,
                r.figures.proven,
                r.figures.protected,
                *[r.actuals[m] for m in Measure.values],
                *[r.targets.get(m, "") for m in Measure.values],
            ]
            for r in data.rows
        )
        return export_response(request.GET["format"], rows, SPOKE_HEADERS, f"hub-{hub.pk}-spokes-{year}")
    _prepare_work_rows(data, spokes_url=reverse("hubs:spokes", args=[hub.pk]), year=year)
    return render(
        request,
        "hubs/work.html",
        {
            "hub": hub,
            "data": data,
            "year": year,
            "measures": Measure.choices,
            "can_change": request.user.has_perm("hubs.change_hub", hub),
            "can_record": request.user.has_perm("hubs.record_activity", hub),
            "plans": WorkPlan.objects.filter(hub=hub).order_by("-year"),
            "assessments": MaturityAssessment.objects.filter(hub=hub).order_by("-year"),
        },
    )


def _count(value: int) -> str:
    return str(value) if value < 1000 else formats.number_format(value, force_grouping=True)


def _prepare_work_rows(data, *, spokes_url: str, year: int) -> None:
    """Each spoke row's link and cells as text, built once here: 38 spokes x 8 figures rendered through
    template variables and `{% url %}` were most of the work page's time (profiled)."""
    for row in data.rows:
        row.url = f"{spokes_url}{row.spoke.pk}/?year={year}"
        row.figure_cells = [_count(row.figures.innovations), _count(row.figures.proven), _count(row.figures.protected)]
        row.plan_cells = [_count(actual) + (f" / {_count(target)}" if target else "") for actual, target in row.cells]


@login_required
def spokes(request, pk: int):
    """Manage the spokes: add one (refused if in another active hub of the kind), end one; history shown."""
    hub = _hub(request, pk, "hubs.view_work")
    can_change = request.user.has_perm("hubs.change_hub", hub)
    form = SpokeForm(request.POST or None, hub=hub)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                hub_services.add_spoke(
                    hub=hub,
                    agency=form.cleaned_data.get("agency"),
                    unit=form.cleaned_data.get("unit"),
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Spoke added."))
                return redirect("hubs:spokes", hub.pk)
    history = (
        Spoke.objects.filter(hub=hub)
        .select_related("agency", "unit__region")
        .order_by("left_on", "agency__name", "unit__name")
    )
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [s.pk, s.agency.name, s.unit.display_name if s.unit_id else "", s.agency.type, s.joined_on, s.left_on or ""]
            for s in history
        )
        return export_response(
            request.GET["format"],
            rows,
            ["id", "agency", "unit", "type", "joined_on", "left_on"],
            f"hub-{hub.pk}-spokes",
        )
    return render(
        request,
        "hubs/spokes.html",
        {
            "hub": hub,
            "form": form,
            "history": history,
            "can_change": can_change,
            "year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def spoke_end(request, pk: int, spoke_pk: int):
    hub = _hub(request, pk, "hubs.change_hub")
    spoke = get_object_or_404(Spoke.objects.select_related("agency", "unit"), pk=spoke_pk, hub=hub)
    form = EndSpokeForm(request.POST)
    if form.is_valid():
        try:
            hub_services.end_spoke(spoke=spoke, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(agency)s left the hub.") % {"agency": spoke.name})
    else:
        messages.error(request, _("Give the date it left."))
    return redirect("hubs:spokes", hub.pk)


@login_required
def spoke_progress(request, pk: int, spoke_pk: int):
    hub = get_object_or_404(Hub.objects.select_related("agency", "cohort"), pk=pk)
    spoke = get_object_or_404(Spoke.objects.select_related("agency", "unit"), pk=spoke_pk, hub=hub)
    if not (request.user.has_perm("hubs.view_work", hub) or request.user.has_perm("hubs.view_spoke", spoke)):
        raise PermissionDenied
    year = _year(request)
    progress = selectors.spoke_progress(spoke=spoke, year=year)
    return render(
        request,
        "hubs/spoke_progress.html",
        {"hub": hub, "spoke": spoke, "p": progress, "year": year, "measures": dict(Measure.choices)},
    )


@login_required
def plan(request, pk: int, year: int):
    """The year's work plan: targets per spoke and in total; created on first save."""
    hub = _hub(request, pk, "hubs.view_work")
    year = _bounded(year)
    can_change = request.user.has_perm("hubs.change_hub", hub)
    plan_obj = WorkPlan.objects.filter(hub=hub, year=year).first()
    spokes_list = list(Spoke.objects.filter(hub=hub, left_on__isnull=True).select_related("agency", "unit"))
    current = {}
    if plan_obj:
        current = {(t.spoke_id, t.measure): t.target for t in plan_obj.targets.all()}
    form = TargetsForm(request.POST or None, spokes=spokes_list, current=current)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    if plan_obj is None:
                        plan_obj = work_services.create_plan(hub=hub, year=year, notes=request.POST.get("notes", ""))
                    work_services.set_targets(plan=plan_obj, targets=form.targets())
            except ValidationError as exc:
                plan_obj = WorkPlan.objects.filter(hub=hub, year=year).first()
                _add_errors(form, exc)
            else:
                messages.success(request, _("Work plan %(year)s saved.") % {"year": year})
                return redirect("hubs:plan", hub.pk, year)
    if request.GET.get("format") in EXPORT_FORMATS and plan_obj:
        rows = (
            [t.spoke.name if t.spoke_id else "total", t.measure, t.target]
            for t in plan_obj.targets.select_related("spoke__agency", "spoke__unit")
        )
        return export_response(request.GET["format"], rows, ["spoke", "measure", "target"], f"hub-{hub.pk}-plan-{year}")
    return render(
        request,
        "hubs/plan.html",
        {
            "hub": hub,
            "year": year,
            "plan": plan_obj,
            "form": form,
            "measures": Measure.choices,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def plan_new(request, pk: int):
    hub = _hub(request, pk, "hubs.change_hub")
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the plan's year."))
        return redirect("hubs:work", hub.pk)
    return redirect("hubs:plan", hub.pk, form.cleaned_data["year"])


ACTIVITY_HEADERS = [
    "id",
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "spokes",
    "mentors",
    "attendance",
    "outputs",
    "follow_ups",
    "public",
]


def activities(request, pk: int):
    """A hub's activities: all for its people and the Ministry, the public ones for everyone else."""
    hub = get_object_or_404(Hub.objects.select_related("agency", "cohort"), pk=pk)
    can_work = request.user.has_perm("hubs.view_work", hub)
    qs = selectors.activities_for(hub=hub, public_only=not can_work)
    kind = request.GET.get("kind", "")
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [
                a.pk,
                a.kind,
                a.title,
                a.starts_on,
                a.ends_on,
                "; ".join(s.name for s in a.spokes.all()),
                "; ".join(m.get_full_name() or m.username for m in a.mentors.all()),
                a.attendance,
                a.outputs,
                a.follow_ups,
                "yes" if a.is_public else "no",
            ]
            for a in qs
        )
        return export_response(request.GET["format"], rows, ACTIVITY_HEADERS, f"hub-{hub.pk}-activities")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/activity_list.html",
        {
            "hub": hub,
            "page": page,
            "kinds": Activity.Kind.choices,
            "filters": request.GET,
            "can_record": request.user.has_perm("hubs.record_activity", hub),
            "year": timezone.localdate().year,
        },
    )


@login_required
def activity_form(request, pk: int, activity_pk: int | None = None):
    """Record or edit an activity; a mentor's session is an activity they record. Dates outside the plan's
    year ask for confirmation (the form comes back with the typed values and a confirmation box)."""
    hub = _hub(request, pk, "hubs.record_activity")
    activity = get_object_or_404(Activity, pk=activity_pk, hub=hub) if activity_pk else None
    initial = {}
    if activity is None and request.user.role == "mentor":
        initial = {"kind": Activity.Kind.MENTORING}
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        hub=hub,
        initial=initial,
        ask_confirmation=bool(request.POST.get("confirm_outside_year_asked")),
    )
    ask = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = work_services.record_activity(
                hub=hub,
                recorded_by=request.user,
                kind=data["kind"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                spokes=data["spokes"],
                mentors=data["mentors"],
                attendance=data["attendance"],
                outputs=data["outputs"],
                follow_ups=data["follow_ups"],
                is_public=data["is_public"],
                document=data.get("document"),
                confirm_outside_year=bool(data.get("confirm_outside_year")),
                activity=activity,
            )
        except work_services.OutsidePlanYear as exc:
            ask = True
            form = ActivityForm(request.POST, request.FILES, instance=activity, hub=hub, ask_confirmation=True)
            form.is_valid()
            form.add_error("confirm_outside_year", exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Activity recorded: %(title)s.") % {"title": saved.title})
            return redirect("hubs:activities", hub.pk)
    return render(request, "hubs/activity_form.html", {"hub": hub, "form": form, "activity": activity, "ask": ask})


# Maturity --------------------------------------------------------------------------------------


@login_required
def maturity(request, pk: int, year: int):
    """The year's self-assessment (hub admin), the flags beside it, and the Ministry's verification."""
    hub = _hub(request, pk, "hubs.view_work")
    year = _bounded(year)
    assessment = MaturityAssessment.objects.filter(hub=hub, year=year).first()
    can_assess = request.user.has_perm("hubs.self_assess", hub) and (
        assessment is None or assessment.status == MaturityAssessment.Status.DRAFT
    )
    can_verify = (
        request.user.has_perm("hubs.verify_maturity", hub)
        and assessment is not None
        and assessment.status == MaturityAssessment.Status.SUBMITTED
    )
    current = {a.aspect: a for a in assessment.aspects.all()} if assessment else {}
    form = SelfAssessmentForm(current=current)
    verify_form = VerifyForm(aspects=list(current.values())) if can_verify else None
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("save", "submit") and can_assess:
            form = SelfAssessmentForm(request.POST, current=current)
            if form.is_valid():
                try:
                    maturity_services.save_self_assessment(
                        hub=hub, year=year, levels=form.levels(), submit=action == "submit"
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(
                        request, _("Assessment submitted to the Ministry.") if action == "submit" else _("Draft saved.")
                    )
                    return redirect("hubs:maturity", hub.pk, year)
        elif action == "verify" and can_verify:
            verify_form = VerifyForm(request.POST, aspects=list(current.values()))
            if verify_form.is_valid():
                try:
                    maturity_services.verify_assessment(
                        assessment=assessment, verified=verify_form.verified(), by=request.user
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for aspect, errors in exc.error_dict.items():
                            verify_form.add_error(f"{aspect}_reason", errors)
                    else:
                        verify_form.add_error(None, exc)
                else:
                    messages.success(request, _("Assessment verified."))
                    return redirect("hubs:maturity", hub.pk, year)
        else:
            raise PermissionDenied
    view = selectors.maturity_view(assessment=assessment) if assessment else None
    return render(
        request,
        "hubs/maturity.html",
        {
            "hub": hub,
            "year": year,
            "assessment": assessment,
            "view": view,
            "form": form if can_assess else None,
            "verify_form": verify_form,
            "trend": selectors.maturity_trend(hub=hub),
            "aspects": ASPECTS,
        },
    )


@login_required
def maturity_queue(request):
    """The Ministry's list of submitted assessments to verify, and all assessments for export."""
    if not request.user.has_perm("hubs.verify_maturity"):
        raise PermissionDenied
    qs = (
        MaturityAssessment.objects.select_related("hub__agency").prefetch_related("aspects").order_by("status", "-year")
    )
    status = request.GET.get("status", "submitted")
    if status in MaturityAssessment.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = []
        for a in qs:
            by = {r.aspect: r for r in a.aspects.all()}
            rows.append(
                [a.hub.agency.name, a.year, a.status]
                + [by[x].declared_level if x in by else "" for x in ASPECTS]
                + [by[x].verified_level if x in by and by[x].verified_level else "" for x in ASPECTS]
            )
        headers = ["hub", "year", "status"] + [f"{x}_declared" for x in ASPECTS] + [f"{x}_verified" for x in ASPECTS]
        return export_response(request.GET["format"], rows, headers, "hub-maturity")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/maturity_queue.html",
        {"page": page, "status": status, "statuses": MaturityAssessment.Status.choices},
    )


# Selection -------------------------------------------------------------------------------------


def _round(request, pk: int, perm: str = "hubs.view_round") -> SelectionRound:
    round_ = get_object_or_404(SelectionRound, pk=pk)
    if not request.user.has_perm(perm, round_):
        raise PermissionDenied
    return round_


@login_required
def round_list(request):
    qs = selectors.rounds_for_user(request.user)
    if not (request.user.has_perm("hubs.manage_rounds") or qs.exists()):
        raise PermissionDenied
    qs = qs.annotate(n=Count("candidates", distinct=True))
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = ([r.pk, r.year, r.purpose, r.kind, r.status, r.n] for r in qs)
        return export_response(
            request.GET["format"], rows, ["id", "year", "purpose", "kind", "status", "candidates"], "selection-rounds"
        )
    return render(
        request,
        "hubs/round_list.html",
        {"rounds": qs, "can_manage": request.user.has_perm("hubs.manage_rounds")},
    )


@login_required
def round_new(request):
    if not request.user.has_perm("hubs.manage_rounds"):
        raise PermissionDenied
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year, "members": [request.user]})
    if request.method == "POST" and form.is_valid():
        try:
            round_ = selection_services.create_round(
                year=form.cleaned_data["year"],
                purpose=form.cleaned_data["purpose"],
                kind=form.cleaned_data["kind"],
                criteria=form.criteria(),
                members=form.cleaned_data["members"],
                with_all_provinces=form.cleaned_data["with_all_provinces"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Round created."))
            return redirect("hubs:round", round_.pk)
    criterion_rows = [(form[f"criterion_{i}"], form[f"weight_{i}"]) for i in range(6)]
    return render(request, "hubs/round_new.html", {"form": form, "criterion_rows": criterion_rows})


RANKING_HEADERS = ["rank", "candidate", "total", "spread", "complete", "tie"]


@login_required
def round_detail(request, pk: int):
    """The round: criteria and weights, candidates, the ranking with each criterion's contribution and the
    spread between scorers, a what-if on weights (GET), and the Ministry's actions."""
    round_ = _round(request, pk)
    criteria = list(round_.criteria.all())
    can_manage = request.user.has_perm("hubs.manage_rounds")
    what_if_form = WeightsForm(
        request.GET if any(k.startswith("w") and k[1:].isdigit() for k in request.GET) else None, criteria=criteria
    )
    weights = None
    what_if_error = None
    if what_if_form.is_bound and what_if_form.is_valid():
        weights = what_if_form.weights()
        total = sum(weights.values(), Decimal(0))
        if total != 100:
            what_if_error = selection_services.weights_error(total).messages[0]
            weights = None
    ranking = selectors.round_ranking(round_=round_, weights=weights)
    if request.GET.get("format") in EXPORT_FORMATS:
        headers = RANKING_HEADERS + [f"{c.name} (points)" for c in criteria] + [f"{c.name} (spread)" for c in criteria]
        rows = (
            [
                r.rank,
                r.name,
                r.total,
                r.spread,
                "yes" if r.complete else "no",
                r.tie.other_name if r.tie else "",
                *[r.contributions[c.pk].points for c in criteria],
                *[r.contributions[c.pk].spread if r.contributions[c.pk].spread is not None else "" for c in criteria],
            ]
            for r in ranking.rows
        )
        return export_response(request.GET["format"], rows, headers, f"round-{round_.pk}-ranking")
    _prepare_cells(ranking)
    declaration = ConflictDeclaration.objects.filter(round=round_, member=request.user).first()
    my_scored = set(Score.objects.filter(round=round_, member=request.user).values_list("candidate_id", flat=True))
    return render(
        request,
        "hubs/round_detail.html",
        {
            "round": round_,
            "criteria": criteria,
            "ranking": ranking,
            "what_if_form": what_if_form,
            "what_if_error": what_if_error,
            "weights_form": WeightsForm(criteria=criteria),
            "candidate_form": CandidateForm(round_=round_) if can_manage else None,
            "decision_form": DecisionForm(round_=round_) if can_manage else None,
            "can_manage": can_manage,
            "is_member": round_.members.filter(pk=request.user.pk).exists(),
            "declaration": declaration,
            "declaration_form": DeclarationForm(round_=round_),
            "my_scored": my_scored,
            "members": round_.members.order_by("username"),
        },
    )


@dataclass
class _Cell:
    points: str
    detail: str


def _prepare_cells(ranking) -> None:
    """Per row, the criterion cells in column order and the figures line, formatted here once.

    The round page shows 38 candidates x (5 criteria x 4 numbers + figures): formatting ~900 numbers
    through template variables and filters took most of the page's time (profiled: 265 ms at p95)."""
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def fmt(value) -> str:
        # Points, means and spreads are below 1,000 with two decimals: only the separator is localised.
        return str(value).replace(".", separator)

    for row in ranking.rows:
        cells = []
        for c in ranking.criteria:
            k = row.contributions[c.pk]
            detail = f"{fmt(k.mean_level)} · {k.scorers} · ±{k.spread}" if k.mean_level else ""
            cells.append(_Cell(fmt(k.points), detail))
        row.cells = cells
        row.total_text = fmt(row.total)
        row.spread_text = fmt(row.spread)
        f = ranking.figures.get(row.candidate)
        row.figures = f
        row.figures_text = _figures_line(f) if f is not None else ""


def _figures_line(f) -> str:
    line = _("%(n)s innovations · %(k)s KIPP proposals · replications %(rin)s in / %(rout)s out") % {
        "n": f.innovations,
        "k": f.kipp_total,
        "rin": f.replications_in,
        "rout": f.replications_out,
    }
    if f.legal_coverage is not None:
        line += " · " + _("legal basis %(cov)s%%") % {"cov": round(f.legal_coverage * 100)}
    return line


def _back_to_round(round_, anchor=""):
    return redirect(reverse("hubs:round", args=[round_.pk]) + anchor)


@login_required
@require_POST
def round_weights(request, pk: int):
    round_ = _round(request, pk, "hubs.manage_rounds")
    form = WeightsForm(request.POST, criteria=list(round_.criteria.all()))
    if form.is_valid():
        try:
            selection_services.set_weights(round_=round_, weights=form.weights())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Weights saved."))
    else:
        messages.error(request, _("Each weight is a number between 0 and 100."))
    return _back_to_round(round_, "#weights")


@login_required
@require_POST
def round_candidate_add(request, pk: int):
    round_ = _round(request, pk, "hubs.manage_rounds")
    form = CandidateForm(request.POST, round_=round_)
    if form.is_valid():
        try:
            selection_services.add_candidate(round_=round_, agency=form.cleaned_data["agency"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Candidate added."))
    else:
        messages.error(request, _("Choose an agency that is not yet a candidate."))
    return _back_to_round(round_, "#candidates")


@login_required
@require_POST
def round_open(request, pk: int):
    round_ = _round(request, pk, "hubs.manage_rounds")
    try:
        selection_services.open_scoring(round_=round_)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Scoring is open."))
    return _back_to_round(round_)


@login_required
@require_POST
def round_declare(request, pk: int):
    round_ = _round(request, pk)
    form = DeclarationForm(request.POST, round_=round_)
    if form.is_valid():
        try:
            selection_services.declare_conflicts(
                round_=round_,
                member=request.user,
                conflicted=form.cleaned_data["conflicted"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Declaration recorded."))
    else:
        messages.error(request, _("Tick the declaration to confirm it."))
    return _back_to_round(round_, "#declaration")


@login_required
def candidate(request, pk: int, candidate_pk: int):
    """A candidate: the platform's figures, the evidence per criterion, and the member's score form."""
    round_ = _round(request, pk)
    cand = get_object_or_404(Candidate.objects.select_related("agency", "region"), pk=candidate_pk, round=round_)
    criteria = list(round_.criteria.all())
    mine = {s.criterion_id: s.level for s in Score.objects.filter(round=round_, member=request.user, candidate=cand)}
    score_form = ScoreForm(criteria=criteria, initial={f"c{k}": v for k, v in mine.items()})
    evidence_form = EvidenceForm(round_=round_)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "score":
            score_form = ScoreForm(request.POST, criteria=criteria)
            if score_form.is_valid():
                try:
                    selection_services.record_scores(
                        round_=round_, member=request.user, candidate=cand, levels=score_form.levels()
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for key, errors in exc.error_dict.items():
                            score_form.add_error(f"c{key}" if f"c{key}" in score_form.fields else None, errors)
                    else:
                        score_form.add_error(None, exc)
                else:
                    messages.success(request, _("Scores saved for %(candidate)s.") % {"candidate": cand.agency})
                    return redirect("hubs:round", round_.pk)
        elif action == "evidence" and request.user.has_perm("hubs.manage_rounds"):
            evidence_form = EvidenceForm(request.POST, request.FILES, round_=round_)
            if evidence_form.is_valid():
                try:
                    selection_services.add_evidence(
                        candidate=cand,
                        criterion=evidence_form.cleaned_data["criterion"],
                        note=evidence_form.cleaned_data["note"],
                        document=evidence_form.cleaned_data["document"],
                    )
                except ValidationError as exc:
                    _add_errors(evidence_form, exc)
                else:
                    messages.success(request, _("Evidence added."))
                    return redirect("hubs:candidate", round_.pk, cand.pk)
        else:
            raise PermissionDenied
    ranking = selectors.round_ranking(round_=round_)
    row = next(r for r in ranking.rows if r.candidate == cand.pk)
    declaration = ConflictDeclaration.objects.filter(round=round_, member=request.user).first()
    conflicted = declaration is not None and declaration.conflicted.filter(pk=cand.pk).exists()
    return render(
        request,
        "hubs/candidate.html",
        {
            "round": round_,
            "candidate": cand,
            "criteria": criteria,
            "figures": ranking.figures[cand.pk],
            "row": row,
            "evidence": cand.evidence.select_related("criterion"),
            "score_form": score_form,
            "evidence_form": evidence_form,
            "can_score": round_.status == SelectionRound.Status.SCORING
            and request.user.has_perm("hubs.score_round", round_)
            and declaration is not None
            and not conflicted,
            "needs_declaration": declaration is None and request.user.has_perm("hubs.score_round", round_),
            "conflicted": conflicted,
            "can_manage": request.user.has_perm("hubs.manage_rounds"),
        },
    )


@login_required
@require_POST
def round_decide(request, pk: int):
    round_ = _round(request, pk, "hubs.manage_rounds")
    form = DecisionForm(request.POST, request.FILES, round_=round_)
    if form.is_valid():
        try:
            decision = selection_services.decide_round(
                round_=round_,
                chosen=form.cleaned_data["chosen"],
                decree_number=form.cleaned_data["decree_number"],
                decree_date=form.cleaned_data["decree_date"],
                decree_document=form.cleaned_data["decree_document"],
                notes=form.cleaned_data["notes"],
                decided_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Decision recorded: %(n)s hub(s) designated in cohort %(year)s.")
                % {"n": len(form.cleaned_data["chosen"]), "year": decision.cohort.year},
            )
            return redirect("hubs:round", round_.pk)
    # Show the round again with the typed decision and its errors.
    criteria = list(round_.criteria.all())
    ranking = selectors.round_ranking(round_=round_)
    _prepare_cells(ranking)
    return render(
        request,
        "hubs/round_detail.html",
        {
            "round": round_,
            "criteria": criteria,
            "ranking": ranking,
            "what_if_form": WeightsForm(criteria=criteria),
            "weights_form": WeightsForm(criteria=criteria),
            "candidate_form": CandidateForm(round_=round_),
            "decision_form": form,
            "can_manage": True,
            "is_member": round_.members.filter(pk=request.user.pk).exists(),
            "declaration": ConflictDeclaration.objects.filter(round=round_, member=request.user).first(),
            "declaration_form": DeclarationForm(round_=round_),
            "my_scored": set(),
            "members": round_.members.order_by("username"),
        },
        status=400,
    )


# Provincial competitions ---------------------------------------------------------------------


@login_required
def competitions(request, pk: int):
    """The hub's provincial editions (on the KIPP engine), their entries sent on, and the carry action."""
    hub = _hub(request, pk, "hubs.view_work")
    can_change = request.user.has_perm("hubs.change_hub", hub)
    form = ProvincialEditionForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                edition = competition_services.open_provincial_edition(
                    user=request.user, hub=hub, year=form.cleaned_data["year"], name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Edition created: %(name)s.") % {"name": edition.name})
                return redirect("hubs:competitions", hub.pk)
    editions = list(competition_services.provincial_editions(hub))
    entries = (
        Proposal.objects.filter(edition__in=editions, status__in=Proposal.SUBMITTED)
        .select_related("edition", "agency", "group", "carried_into")
        .order_by("-edition__year", "title")
    )
    if request.GET.get("format") in EXPORT_FORMATS:
        rows = (
            [
                p.pk,
                p.edition.year,
                p.title,
                p.agency.name,
                p.group.name,
                p.status,
                p.carried_into_id or "",
            ]
            for p in entries
        )
        return export_response(
            request.GET["format"],
            rows,
            ["id", "year", "title", "agency", "group", "status", "national_proposal"],
            f"hub-{hub.pk}-competition-entries",
        )
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/competitions.html",
        {
            "hub": hub,
            "editions": editions,
            "page": page,
            "form": form,
            "can_change": can_change,
            "national": Edition.objects.order_by("-year").first(),
            "year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def carry(request, pk: int, proposal_pk: int):
    hub = _hub(request, pk, "hubs.change_hub")
    entry = get_object_or_404(Proposal.objects.select_related("edition"), pk=proposal_pk, edition__organiser=hub.agency)
    national = Edition.objects.order_by("-year").first()
    if national is None:
        messages.error(request, _("There is no national edition to carry entries into."))
        return redirect("hubs:competitions", hub.pk)
    try:
        draft = competition_services.carry_to_national(user=request.user, entry=entry, national=national)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Carried into %(edition)s as a draft of the unit: %(title)s.")
            % {"edition": national.name, "title": draft.title},
        )
    return redirect("hubs:competitions", hub.pk)


@login_required
@require_POST
def hub_status(request, pk: int):
    """The Ministry pauses, graduates or reactivates a hub, from a date."""
    hub = get_object_or_404(Hub, pk=pk)
    if not request.user.has_perm("hubs.verify_maturity", hub):
        raise PermissionDenied
    form = HubStatusForm(request.POST)
    if form.is_valid():
        try:
            hub_services.set_hub_status(hub=hub, status=form.cleaned_data["status"], since=form.cleaned_data["since"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed: %(status)s.") % {"status": hub.get_status_display()})
    else:
        messages.error(request, _("Choose a status and its date."))
    return redirect("hubs:detail", hub.pk)


# A provincial edition's secretariat -----------------------------------------------------------
# The hub's admins act as the secretariat of their own hub's edition only, through the KIPP services
# themselves (competition.services.start_screening and decide, evaluation's start_assignment): the rules
# `competition.screen_edition` and `evaluation.manage_assignments` admit them on that edition because the
# hubs app fills competition's organiser hook (HubsConfig.ready). Another hub's edition and KIPP: 403.


def _edition(request, hub: Hub, edition_pk: int, perm: str) -> Edition:
    """The edition if the user holds `perm` on it (403 otherwise), and it is this hub's (404 otherwise)."""
    edition = get_object_or_404(Edition.all_editions, pk=edition_pk)
    if not request.user.has_perm(perm, edition):
        raise PermissionDenied
    if edition.organiser_id != hub.agency_id:
        raise Http404
    return edition


@login_required
def edition_secretariat(request, pk: int, edition_pk: int):
    """A provincial edition run by the hub: its entries, the screening and assignment runs, and the
    administrative decision on each entry sent on."""
    hub = _hub(request, pk, "hubs.view_work")
    edition = _edition(request, hub, edition_pk, "competition.screen_edition")
    entries = (
        Proposal.objects.filter(edition=edition, status__in=Proposal.SUBMITTED)
        .select_related("agency", "group")
        .order_by("title")
    )
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "hubs/edition_secretariat.html",
        {
            "hub": hub,
            "edition": edition,
            "page": page,
            "screening_run": edition.screening_runs.order_by("-pk").first(),
            "assignment_run": AssignmentRun.objects.filter(edition=edition).order_by("-pk").first(),
            "can_assign": request.user.has_perm("evaluation.manage_assignments", edition),
            "published": EvaluationSettings.objects.filter(
                edition=edition, results_published_at__isnull=False
            ).exists(),
            "year": timezone.localdate().year,
            "decidable": {
                Proposal.Status.FORWARDED,
                Proposal.Status.PASSED_ADMINISTRATION,
                Proposal.Status.FAILED_ADMINISTRATION,
            },  # fmt: skip
        },
    )


@login_required
@require_POST
def edition_screen(request, pk: int, edition_pk: int):
    hub = _hub(request, pk, "hubs.view_work")
    edition = _edition(request, hub, edition_pk, "competition.screen_edition")
    try:
        kipp_services.start_screening(user=request.user, edition=edition)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The screening has started; this page shows its result when it is done."))
    return redirect("hubs:edition", hub.pk, edition.pk)


@login_required
@require_POST
def edition_assign(request, pk: int, edition_pk: int):
    hub = _hub(request, pk, "hubs.view_work")
    edition = _edition(request, hub, edition_pk, "evaluation.manage_assignments")
    try:
        assignment_services.start_assignment(user=request.user, edition=edition)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assignment of evaluators has started."))
    return redirect("hubs:edition", hub.pk, edition.pk)


@login_required
@require_POST
def edition_decide(request, pk: int, edition_pk: int, proposal_pk: int):
    hub = _hub(request, pk, "hubs.view_work")
    edition = _edition(request, hub, edition_pk, "competition.screen_edition")
    entry = get_object_or_404(Proposal, pk=proposal_pk, edition=edition)
    try:
        kipp_services.decide(
            user=request.user,
            proposal=entry,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded for %(title)s.") % {"title": entry.title})
    return redirect("hubs:edition", hub.pk, edition.pk)
