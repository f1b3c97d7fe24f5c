from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.core.exports import export_response
from jipp.regions.models import Region
from jipp.registry.models import Innovation
from jipp.replication import selectors, services
from jipp.replication.forms import (
    DetailsForm,
    DocumentForm,
    FinderForm,
    OutcomeForm,
    RequestForm,
    RespondForm,
    StageForm,
    SupportForm,
)
from jipp.replication.models import Document, Replication

PUBLIC_DOCUMENT_KINDS = {
    Document.Kind.MOU,
    Document.Kind.PKS,
    Document.Kind.STATEMENT_LETTER,
    Document.Kind.IMPLEMENTATION_STATEMENT,
    Document.Kind.EVALUATION_REPORT,
}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def finder(request):
    """An agency describes a problem; ranked candidates with the reasons for each score."""
    form = FinderForm(request.GET or None)
    results, not_ready = None, False
    agency = request.user.agency if request.user.is_authenticated else None
    if form.is_bound and form.is_valid():
        try:
            results = selectors.rank_candidates(
                problem=form.cleaned_data["problem"],
                adopter_agency=agency,
                sector=form.cleaned_data["sector"] or None,
                region=form.cleaned_data["region"],
                limit=10,
            )
        except selectors.IndexNotReady:
            not_ready = True
    can_request = request.user.has_perm("replication.request_replication")
    return render(
        request,
        "replication/finder.html",
        {"form": form, "results": results, "not_ready": not_ready, "can_request": can_request, "agency": agency},
    )


@login_required
def request_create(request, innovation_pk: int):
    innovation = get_object_or_404(
        Innovation.objects.select_related("agency", "unit"), pk=innovation_pk, status=Innovation.Status.PUBLISHED
    )
    if not request.user.has_perm("replication.request_replication"):
        raise PermissionDenied
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"problem": request.GET.get("problem", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            replication = services.request_replication(
                user=request.user,
                innovations=[innovation],
                adopter_unit=form.cleaned_data.get("adopter_unit"),
                mode=form.cleaned_data["mode"],
                problem=form.cleaned_data["problem"],
                request_note=form.cleaned_data["request_note"],
                request_letter=form.cleaned_data["request_letter"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to %(agency)s.") % {"agency": innovation.agency})
            return redirect("replication:detail", replication.public_id)
    return render(request, "replication/request_form.html", {"form": form, "innovation": innovation})


ACTIONS = {
    "respond": RespondForm,
    "stage": StageForm,
    "details": DetailsForm,
    "support": SupportForm,
    "outcome": OutcomeForm,
    "document": DocumentForm,
    "withdraw": None,
}


def _get_replication(request, public_id) -> Replication:
    replication = get_object_or_404(
        Replication.objects.select_related(
            "primary_source__agency", "source_agency", "adopter_agency__region", "adopter_unit"
        ),
        public_id=public_id,
    )
    if not request.user.has_perm("replication.view_replication", replication):
        if not request.user.is_authenticated:
            raise Http404
        raise PermissionDenied
    return replication


def _forms(request, replication, bound_action=None):
    user = request.user
    side = services.side_of(user, replication)
    kinds = services.SIDE_KINDS.get(side, set())
    data = request.POST if bound_action else None
    files = request.FILES if bound_action else None

    def make(action, **kwargs):
        cls = ACTIONS[action]
        if action == bound_action:
            return cls(data, files, **kwargs) if action == "document" else cls(data, **kwargs)
        return cls(**kwargs)

    forms = {}
    if user.has_perm("replication.respond_replication", replication):
        forms["respond"] = make("respond")
    if user.has_perm("replication.change_adopter_part", replication):
        forms["stage"] = make("stage", earliest=services.earliest_stage_date(replication), latest=timezone.localdate())
        forms["details"] = make(
            "details",
            initial={
                "differences": replication.differences,
                "results": replication.results,
                "progress": replication.progress,
            },
        )
        forms["outcome"] = make("outcome", initial={"outcome": replication.outcome or None})
    if user.has_perm("replication.change_source_part", replication):
        forms["support"] = make("support", initial={"support_notes": replication.support_notes})
    if user.has_perm("replication.upload_document", replication):
        forms["document"] = make("document", kinds=kinds)
    return forms


def detail(request, public_id):
    """One replication as both sides see it; each side's forms post back here with an `action`."""
    replication = _get_replication(request, public_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        raise Http404
    if action == "withdraw":
        try:
            services.withdraw_request(user=request.user, replication=replication)
        except ValidationError as error:  # answered meanwhile: "already accepted", nothing changed
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect("replication:detail", replication.public_id)
    forms = _forms(request, replication, action)
    if action is not None:
        form = forms.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                _apply(request, replication, action, form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("replication:detail", replication.public_id)
        messages.error(request, _("Please correct the errors below; your text is kept."))
    stages = {s.stage: s for s in replication.stages.all()}
    stage_rows = []
    reached = True
    for value, label in Replication.Stage.choices:
        record = stages.get(value)
        state = "is-done" if record and record.completed_on else ("is-current" if record else "is-upcoming")
        stage_rows.append({"value": value, "label": label, "record": record, "state": state})
        reached = reached and record is not None
    user = request.user
    side = services.side_of(user, replication)
    documents = list(replication.documents.all())
    if not (side or user.has_perm("replication.list_all")):
        documents = [d for d in documents if d.kind in PUBLIC_DOCUMENT_KINDS]
    context = {
        "replication": replication,
        "sources": list(replication.sources.select_related("agency")),
        "stage_rows": stage_rows,
        "documents": documents,
        "timeline": replication.timeline.select_related("actor")
        if side or user.has_perm("replication.list_all")
        else [],
        "forms": forms,
        "side": side,
        "can_withdraw": user.has_perm("replication.withdraw_replication", replication),
    }
    return render(request, "replication/replication_detail.html", context, status=400 if action else 200)


def _apply(request, replication, action, data) -> None:
    user = request.user
    if action == "respond":
        services.respond_to_request(
            user=user, replication=replication, accept=data["decision"] == "accept", note=data["note"]
        )
    elif action == "stage":
        services.record_stage(
            user=user,
            replication=replication,
            stage=data["stage"],
            started_on=data["started_on"],
            completed_on=data["completed_on"],
            notes=data["notes"],
        )
    elif action == "details":
        services.update_adopter_details(
            user=user,
            replication=replication,
            differences=data["differences"],
            results=data["results"],
            progress=data["progress"],
        )
    elif action == "support":
        services.update_support(user=user, replication=replication, support_notes=data["support_notes"])
    elif action == "outcome":
        services.set_outcome(user=user, replication=replication, outcome=data["outcome"], reason=data["reason"])
    elif action == "document":
        services.add_document(user=user, replication=replication, kind=data["kind"], uploaded=data["file"])


def document_download(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("replication"), pk=pk)
    replication = document.replication
    user = request.user
    allowed = services.side_of(user, replication) or user.has_perm("replication.list_all")
    if not allowed and not (replication.is_successful and document.kind in PUBLIC_DOCUMENT_KINDS):
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def _replication_rows(qs):
    for r in qs.iterator(chunk_size=2000):
        yield [
            str(r.public_id),
            r.primary_source.title,
            r.source_agency.name,
            r.adopter_agency.name,
            r.adopter_unit.name if r.adopter_unit else "",
            r.get_mode_display(),
            r.get_status_display(),
            r.get_stage_display(),
            r.progress,
            r.progress_label,
            "yes" if r.is_successful else "no",
            r.created_at.date().isoformat(),
            r.completed_on.isoformat() if r.completed_on else "",
        ]


REPLICATION_HEADERS = [
    "public_id",
    "innovation",
    "source_agency",
    "adopting_agency",
    "adopting_unit",
    "mode",
    "status",
    "stage",
    "progress",
    "outcome",
    "successful",
    "requested",
    "completed",
]


@login_required
def replication_list(request):
    """Replications the user may see (own agency on either side; everything for the Ministry)."""
    qs = selectors.filter_replications(selectors.visible_replications(request.user), request.GET)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(request.GET["format"], _replication_rows(qs), REPLICATION_HEADERS, "replications")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return render(
        request,
        "replication/replication_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": Replication.Status.choices,
            "outcomes": Replication.Outcome.choices[1:],
            "provinces": provinces,
        },
    )


def story_list(request):
    """The public page of successful replications, told as stories."""
    qs = selectors.stories()
    province = request.GET.get("province", "")
    if province:
        qs = qs.filter(adopter_province__code=province)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(request.GET["format"], _replication_rows(qs), REPLICATION_HEADERS, "replication-stories")
    page = Paginator(qs, 12).get_page(request.GET.get("page"))
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return render(request, "replication/story_list.html", {"page": page, "province": province, "provinces": provinces})


def network(request):
    """Who replicated from whom: a graph of agencies and a map of arcs between provinces."""
    code = request.GET.get("province", "")
    province = Region.objects.filter(level=Region.Level.PROVINCE, code=code).first() if code else None
    include_all = request.GET.get("all") == "1"
    data = selectors.network_data(province=province, successful_only=not include_all)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = ([a["source"].name, a["adopter"].name, a["count"]] for a in data["arcs"])
        rows = list(rows) + [[w["province"].name, w["province"].name, w["count"]] for w in data["within"]]
        return export_response(
            request.GET["format"], rows, ["source_province", "adopting_province", "replications"], "replication-network"
        )
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return render(
        request,
        "replication/network.html",
        {"data": data, "province": province, "provinces": provinces, "include_all": include_all},
    )


def counts(request):
    """Per province: replications adopted, distinct adopting agencies, replications given."""
    rows = selectors.counts_by_province()
    if request.GET.get("format") in ("csv", "xlsx"):
        data = (
            [r["province"].code, r["province"].name, r["adopted"], r["adopting_agencies"], r["given"]] for r in rows
        )
        return export_response(
            request.GET["format"],
            data,
            ["code", "province", "adopted", "adopting_agencies", "given"],
            "replication-counts",
        )
    return render(request, "replication/counts.html", {"rows": rows})


@require_POST
@login_required
def rebuild_index(request):
    """The Ministry asks for the candidate index to be rebuilt (runs in the background)."""
    if not request.user.has_perm("replication.list_all"):
        raise PermissionDenied
    from jipp.replication.tasks import schedule_rebuild

    schedule_rebuild()  # one rebuild at a time, however many servers are asked (jipp.core.taskruns)
    messages.success(request, _("The candidate index is being rebuilt in the background."))
    return redirect("replication:finder")
