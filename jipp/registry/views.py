import functools
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from jipp.core import public_cache
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.registry import attachments, facet_index, revisions, selectors, services
from jipp.registry.awards import reassign_unit
from jipp.registry.filters import catalogue_filterset
from jipp.registry.forms import (
    ContinuityUpdateForm,
    InnovationForm,
    RevisionRejectForm,
    UnitChoiceForm,
)
from jipp.registry.models import Innovation, InnovationRevision
from jipp.registry.views_data import export_links

PAGE_SIZE = 20
FACET_TITLES = [
    ("province", _lazy("Province")),
    ("regency", _lazy("Regency or city")),
    ("agency_type", _lazy("Agency type")),
    ("category", _lazy("Category")),
    ("sdg", _lazy("SDG")),
    ("phase", _lazy("Policy phase")),
    ("phase_min", _lazy("Policy phase at least")),
    ("stage", _lazy("Stage")),
    ("digital", _lazy("Digital")),
    ("continuity", _lazy("Continuity")),
    ("award_year", _lazy("Award year")),
    ("award_tier", _lazy("Award tier")),
    ("award", _lazy("Best KIPP award")),
    ("year", _lazy("Year started")),
    ("replicated", _lazy("Replicated")),
    ("legal_basis", _lazy("Has a legal basis")),
]
YES_NO_LABELS = {"yes": _lazy("Yes"), "no": _lazy("No")}
FACET_TOP = 10  # values shown at once; the rest behind "show all" (a selected value is always shown)


def facet_groups(get_params, facets) -> list[dict]:
    """Each facet with, per value, its count and the address that toggles it (page reset)."""
    groups = []
    for name, title in FACET_TITLES:
        values = facets.get(name) or []
        current = get_params.get(name, "")
        links = []
        for value in values:
            params = get_params.copy()
            params.pop("page", None)
            if name == "province":
                params.pop("regency", None)
            if value.value == current:
                params.pop(name, None)
            else:
                params[name] = value.value
            links.append(
                {
                    "label": value.label or YES_NO_LABELS.get(value.value, value.value),
                    "count": value.count,
                    "url": "?" + params.urlencode(),
                    "selected": value.value == current,
                }
            )
        if links:
            top = links[:FACET_TOP]
            rest = links[FACET_TOP:]
            # A selected value beyond the top ones stays visible.
            top += [link for link in rest if link["selected"]]
            rest = [link for link in rest if not link["selected"]]
            groups.append({"name": name, "title": title, "links": top, "more": rest, "total": len(links)})
    return groups


def catalogue(request):
    filterset = catalogue_filterset(request.GET)
    context = {"form": filterset.form}
    if not filterset.is_valid():
        # A hand-edited address: say which parameter is wrong (as the API and the exports do).
        context.update(page=None, result=None, query=None)
        return render(request, "registry/catalogue.html", context, status=400)
    query = filterset.to_query()

    @functools.cache
    def results() -> dict:
        result = selectors.search_catalogue(query)
        page = Paginator(result.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        attachments.attach_covers(page.object_list)
        return {"result": result, "page": page, "facet_groups": facet_groups(request.GET, result.facets)}

    params = request.GET.copy()
    params.pop("page", None)
    # The results and facets are computed only when the template renders them: for an anonymous
    # visitor they usually come rendered from the shared cache (core.public_cache).
    context.update(
        {name: SimpleLazyObject(lambda name=name: results()[name]) for name in ("result", "page", "facet_groups")},
        query=query,
        params=params.urlencode(),
        export_links=export_links(request),
        sort_choices=filterset.filters["sort"].extra["choices"],
        results_key=public_cache.entry_for(request, "catalogue", facet_index.replica_version),
    )
    return render(request, "registry/catalogue.html", context)


def _viewable(request, pk: int) -> Innovation:
    innovation = get_object_or_404(Innovation.objects.select_related("unit", "agency", "region", "province"), pk=pk)
    if not request.user.has_perm("registry.view_innovation", innovation):
        raise Http404  # a draft of another agency does not exist for this user
    return innovation


def innovation_detail(request, pk: int):
    innovation = _viewable(request, pk)
    can_edit = request.user.is_authenticated and request.user.has_perm("registry.change_innovation", innovation)
    pending = last_rejected = None
    if can_edit:
        pending = revisions.pending_revision(innovation)
        latest = None if pending else innovation.revisions.order_by("-updated_at", "-pk").first()
        if latest is not None and latest.status == InnovationRevision.Status.REJECTED:
            last_rejected = latest
    context = {
        "innovation": innovation,
        "pending_revision": pending,
        "last_rejected": last_rejected,
        "can_edit": can_edit,
        "can_publish": request.user.is_authenticated
        and request.user.has_perm("registry.publish_innovation", innovation),
        "categories": innovation.categories.all(),
        "sdgs": innovation.sdgs.all(),
        "updates": innovation.continuity_updates.all(),
        "awards": innovation.awards.all(),
        "unit_choices": (
            ServiceUnit.objects.filter(agency_id=innovation.agency_id, is_unspecified=False).order_by("name")
            if innovation.unit.is_unspecified
            and request.user.is_authenticated
            and request.user.has_perm("registry.publish_innovation", innovation)
            else None
        ),
        # Computed only when the page is rendered: an anonymous visitor's usually comes from the shared
        # cache (core.public_cache), under the version of every app's public data.
        "similar": SimpleLazyObject(lambda: selectors.similar_innovations(innovation)),
        "photos": SimpleLazyObject(lambda: attachments.photos_of(innovation)),
        "video_host": urlsplit(innovation.video_url).hostname.removeprefix("www.") if innovation.video_url else "",
        "continuity_form": ContinuityUpdateForm(initial={"year": timezone.localdate().year}) if can_edit else None,
        "page_key": public_cache.entry_for(request, "innovation", facet_index.replica_version),
    }
    return render(request, "registry/innovation_detail.html", context)


@login_required
@require_POST
def innovation_unit(request, pk: int):
    """Move the innovation from "unit not specified" to a unit of its agency."""
    innovation = get_object_or_404(Innovation.objects.select_related("unit", "agency"), pk=pk)
    unit = ServiceUnit.objects.filter(pk=request.POST.get("unit") or 0).first()
    if unit is None:
        messages.error(request, _("Choose a unit."))
    else:
        try:
            reassign_unit(user=request.user, innovation=innovation, unit=unit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The innovation now belongs to %(unit)s.") % {"unit": unit.name})
    return redirect("registry:innovation_detail", pk=innovation.pk)


def _editable_units(user):
    units = ServiceUnit.objects.select_related("agency").order_by("agency__name", "name")
    if user.is_ministry:
        return units
    if user.unit_id and user.role == "upp":
        return units.filter(pk=user.unit_id)
    if user.agency_id and user.role == "admin_lokal":
        return units.filter(agency_id=user.agency_id)
    return units.none()


def _manageable(user):
    qs = Innovation.objects.select_related("unit", "agency")
    if user.is_ministry:
        return qs
    if user.role == "upp" and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    if user.role == "admin_lokal" and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


@login_required
def manage_list(request):
    units = _editable_units(request.user)
    if not units.exists() and not request.user.is_ministry:
        raise PermissionDenied
    qs = _manageable(request.user).order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    if status in Innovation.Status.values:
        qs = qs.filter(status=status)
    text = request.GET.get("q", "").strip()
    if text:
        qs = qs.filter(title__icontains=text)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/manage_list.html",
        {"page": page, "status": status, "statuses": Innovation.Status.choices, "q": text},
    )


def _save_tags_kwargs(form):
    return {"categories": form.cleaned_data.get("categories", []), "sdgs": form.cleaned_data.get("sdgs", [])}


@login_required
def innovation_create(request):
    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    unit_form = UnitChoiceForm(
        request.POST or None,
        units=units,
        initial={"unit": units.first()},
        agency_id=None if request.user.is_ministry else request.user.agency_id,
    )
    form = InnovationForm(request.POST or None)
    if request.method == "POST" and unit_form.is_valid() and form.is_valid():
        try:
            innovation = services.create_innovation(
                user=request.user,
                unit=unit_form.cleaned_data["unit"],
                data=form.cleaned_data,
                **_save_tags_kwargs(form),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The innovation was saved as a draft."))
            return redirect("registry:innovation_detail", pk=innovation.pk)
    return render(request, "registry/innovation_form.html", {"form": form, "unit_form": unit_form, "innovation": None})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def innovation_edit(request, pk: int):
    innovation = get_object_or_404(Innovation.objects.select_related("unit__agency"), pk=pk)
    if not request.user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied
    reviewed = revisions.needs_review(request.user, innovation)
    pending = revisions.pending_revision(innovation) if reviewed else None
    initial = {**revisions.form_initial(innovation, pending), "version": innovation.version}
    form = InnovationForm(request.POST or None, instance=innovation, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid() and reviewed:
        try:
            revision = revisions.propose_revision(
                user=request.user,
                innovation=innovation,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version") or 0,
                **_save_tags_kwargs(form),
            )
        except services.StaleVersionError as exc:
            conflict = exc.current
            form.add_error(None, exc.messages)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if revision is None:
                messages.info(request, _("Nothing differs from the published version: no change waits for approval."))
                return redirect("registry:innovation_detail", pk=innovation.pk)
            sent = _("Your change was sent to your Admin Lokal. The published version stays until it is approved.")
            messages.success(request, sent)
            return redirect("registry:revision_detail", pk=revision.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            services.update_innovation(
                user=request.user,
                innovation=innovation,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version") or 0,
                **_save_tags_kwargs(form),
            )
        except services.StaleVersionError as exc:
            conflict = exc.current
            form.add_error(None, exc.messages)
            # Keep the user's text; the next save is against the version they have now seen.
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:innovation_detail", pk=innovation.pk)
    return render(
        request,
        "registry/innovation_form.html",
        {
            "form": form,
            "innovation": innovation,
            "conflict": conflict,
            "unit_form": None,
            "reviewed": reviewed,
            "pending_revision": pending,
        },
    )


# Pending revisions ------------------------------------------------------------------------------


@login_required
def revision_list(request):
    """The changes waiting for this gatekeeper (Admin Lokal: its agency's; Ministry: all)."""
    if not (request.user.is_ministry or request.user.role == "admin_lokal"):
        raise PermissionDenied
    page = Paginator(revisions.revisions_to_review(request.user).order_by("created_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "registry/revision_list.html", {"page": page})


def _revision_or_404(request, pk: int) -> InnovationRevision:
    revision = get_object_or_404(
        InnovationRevision.objects.select_related("innovation__agency", "innovation__unit", "proposed_by",
                                                  "reviewed_by"),
        pk=pk,
    )  # fmt: skip
    if not request.user.has_perm("registry.change_innovation", revision.innovation):
        raise Http404  # another agency's changes do not exist for this user
    return revision


@login_required
def revision_detail(request, pk: int):
    """The field-by-field diff; the gatekeeper approves or rejects, the UPP sees the state and edits on."""
    revision = _revision_or_404(request, pk)
    innovation = revision.innovation
    can_review = revision.is_pending and request.user.has_perm("registry.publish_innovation", innovation)
    form = RevisionRejectForm(request.POST or None) if can_review else None
    return render(
        request,
        "registry/revision_detail.html",
        {
            "revision": revision,
            "innovation": innovation,
            "changes": revisions.revision_diff(revision),
            "photos": revisions.pending_photos(revision),
            "can_review": can_review,
            "can_edit": revision.is_pending and revisions.needs_review(request.user, innovation),
            "reject_form": form,
        },
    )


@login_required
@require_POST
def revision_approve(request, pk: int):
    revision = _revision_or_404(request, pk)
    try:
        revisions.approve_revision(user=request.user, revision=revision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:revision_detail", pk=revision.pk)
    messages.success(request, _("Change approved: the published innovation now shows it."))
    return redirect("registry:innovation_detail", pk=revision.innovation_id)


@login_required
@require_POST
def revision_reject(request, pk: int):
    revision = _revision_or_404(request, pk)
    if not request.user.has_perm("registry.publish_innovation", revision.innovation):
        raise PermissionDenied
    form = RevisionRejectForm(request.POST)
    if form.is_valid():
        try:
            revisions.reject_revision(user=request.user, revision=revision, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Change rejected; the unit sees your reason."))
            return redirect("registry:revision_list")
        return redirect("registry:revision_detail", pk=revision.pk)
    # Keep what was typed; say what is missing.
    return render(
        request,
        "registry/revision_detail.html",
        {
            "revision": revision,
            "innovation": revision.innovation,
            "changes": revisions.revision_diff(revision),
            "can_review": revision.is_pending,
            "can_edit": False,
            "reject_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def innovation_status(request, pk: int):
    innovation = get_object_or_404(Innovation.objects.select_related("agency"), pk=pk)
    status = request.POST.get("status", "")
    try:
        services.set_status(user=request.user, innovation=innovation, status=status)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Publication state: %(state)s.") % {"state": innovation.get_status_display()})
    return redirect("registry:innovation_detail", pk=innovation.pk)


@login_required
def continuity_add(request, pk: int):
    """GET: the yearly continuity form (linked from reminders); POST: record it."""
    innovation = _viewable(request, pk)
    if not request.user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied
    if request.method != "POST":
        form = ContinuityUpdateForm(initial={"year": timezone.localdate().year})
        return render(request, "registry/continuity_form.html", {"innovation": innovation, "continuity_form": form})
    form = ContinuityUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.add_continuity_update(
                user=request.user,
                innovation=innovation,
                year=form.cleaned_data["year"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                reported_on=timezone.localdate(),
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Continuity update recorded."))
            return redirect("registry:innovation_detail", pk=innovation.pk)
    return render(
        request,
        "registry/continuity_form.html",
        {"innovation": innovation, "continuity_form": form},
        status=200,
    )


def _owner_page(request, *, title, base_filter, owner, awards=None):
    qs = Innovation.objects.filter(status=Innovation.Status.PUBLISHED, **base_filter)
    counts = qs.aggregate(
        total=Count("pk"),
        in_operation=Count("pk", filter=Q(stage=Innovation.Stage.IN_OPERATION)),
        digital=Count("pk", filter=Q(is_digital=True)),
        replicated=Count("pk", filter=Q(replication_count__gt=0)),
        awarded=Count("pk", filter=~Q(award_tier="")),
        protected=Count("pk", filter=Q(has_legal_basis=True)),
    )
    by_phase = {row["phase"]: row["n"] for row in qs.values("phase").annotate(n=Count("pk")).order_by()}
    page = Paginator(qs.select_related("agency", "region").order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    attachments.attach_covers(page.object_list)
    return render(
        request,
        "registry/owner_innovations.html",
        {
            "title": title,
            "owner": owner,
            "counts": counts,
            "by_phase": [(label, by_phase.get(value, 0)) for value, label in Innovation.Phase.choices],
            "page": page,
            "awards": awards or [],
        },
    )


def agency_innovations(request, slug: str):
    agency = get_object_or_404(Agency, slug=slug)
    return _owner_page(
        request, title=agency.name, base_filter={"agency": agency}, owner=agency,
        awards=selectors.award_history(agency=agency),
    )  # fmt: skip


def award_years(request):
    """KIPP results by year, including past editions whose award lists were imported."""
    years = selectors.award_years()
    pages = selectors.edition_results_pages(year for year, _n, _imported in years)
    rows = [(year, n, imported, pages.get(year, "")) for year, n, imported in years]
    return render(request, "registry/award_years.html", {"years": rows})


def award_year(request, year: int):
    """One edition's results: the awards of published innovations by tier (imported lists marked, with source)."""
    history = selectors.award_history(year=year)
    if not history:
        raise Http404
    results_url = selectors.edition_results_pages([year]).get(year, "")
    return render(
        request, "registry/award_year.html", {"year": year, "groups": history[0][1], "results_url": results_url}
    )


def region_innovations(request, code: str):
    region = get_object_or_404(Region, code=code)
    field = "province" if region.level == Region.Level.PROVINCE else "region"
    return _owner_page(request, title=region.name, base_filter={field: region}, owner=region)
