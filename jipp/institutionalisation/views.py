from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.core.domain.geo_svg import choropleth_classes, class_ranges
from jipp.core.exports import export_response
from jipp.core.maps import province_shapes
from jipp.institutionalisation import selectors, services
from jipp.institutionalisation.forms import LegalBasisForm, SustainabilityForm
from jipp.institutionalisation.models import SHORT_LABELS, LegalBasis
from jipp.regions.models import Region
from jipp.registry.bounds import parse_year
from jipp.registry.models import Innovation


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _int(raw) -> int | None:
    return int(raw) if str(raw or "").isdigit() and len(str(raw)) < 19 else None


def innovation_records(request, pk: int):
    """An innovation's legal bases and sustainability checklists; its owners add to them here."""
    innovation = get_object_or_404(Innovation.objects.select_related("agency", "unit"), pk=pk)
    if not request.user.has_perm("registry.view_innovation", innovation):
        raise Http404
    can_edit = request.user.has_perm("institutionalisation.change_records", innovation)
    action = request.POST.get("action") if request.method == "POST" else None
    legal_form = LegalBasisForm(
        request.POST if action == "legal" else None, request.FILES if action == "legal" else None
    )
    check_form = SustainabilityForm(
        request.POST if action == "check" else None, initial={"checked_on": timezone.localdate()}
    )
    if action is not None:
        if not can_edit:
            raise PermissionDenied
        try:
            if action == "legal" and legal_form.is_valid():
                data = legal_form.cleaned_data
                services.add_legal_basis(
                    user=request.user,
                    innovation=innovation,
                    type=data["type"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    title=data["title"],
                    issued_by=data["issued_by"],
                    document=data["document"],
                )
                messages.success(request, _("The legal basis was recorded."))
                return redirect("institutionalisation:innovation", innovation.pk)
            if action == "check" and check_form.is_valid():
                services.add_sustainability_check(user=request.user, innovation=innovation, **check_form.cleaned_data)
                messages.success(request, _("The checklist was recorded."))
                return redirect("institutionalisation:innovation", innovation.pk)
            if action == "delete":
                basis = LegalBasis.objects.filter(pk=_int(request.POST.get("basis")), innovation=innovation).first()
                try:
                    if basis is None:  # removed meanwhile (another tab, another person)
                        raise ValidationError(_("This legal basis was already removed; nothing was changed."))
                    services.delete_legal_basis(user=request.user, legal_basis=basis)
                except ValidationError as error:
                    messages.warning(request, " ".join(error.messages))
                else:
                    messages.success(request, _("The legal basis was removed."))
                return redirect("institutionalisation:innovation", innovation.pk)
        except ValidationError as error:
            _add_errors(legal_form if action == "legal" else check_form, error)
        messages.error(request, _("Please correct the errors below; your text is kept."))
    status = selectors.legal_status_for(innovation)
    return render(
        request,
        "institutionalisation/innovation_records.html",
        {
            "innovation": innovation,
            "status": status,
            "checks": innovation.sustainability_checks.all()[:10],
            "can_edit": can_edit,
            "legal_form": legal_form,
            "check_form": check_form,
        },
        status=400 if action else 200,
    )


def legal_document(request, pk: int):
    basis = get_object_or_404(LegalBasis.objects.select_related("innovation"), pk=pk)
    if not basis.file or not request.user.has_perm("registry.view_innovation", basis.innovation):
        raise Http404
    return FileResponse(
        basis.file.open("rb"),
        as_attachment=True,
        filename=basis.original_name or "legal-basis",
        content_type=basis.content_type or "application/octet-stream",
    )


WORKLIST_HEADERS = [
    "innovation_id",
    "title",
    "agency",
    "province",
    "region",
    "strongest_legal_basis",
    "budget_line",
    "proven_by_kipp",
    "proven_by_replication",
    "proven_by_two_years",
    "gaps",
]


def _worklist_rows(qs):
    for s in qs.iterator(chunk_size=2000):
        yield [
            s.innovation_id,
            s.innovation.title,
            s.agency.name,
            s.province.name if s.province else "",
            s.region.name if s.region else "",
            SHORT_LABELS.get(s.strongest_type, ""),
            "yes" if s.has_budget_line else "no",
            "yes" if s.by_kipp_tier else "no",
            "yes" if s.by_replication else "no",
            "yes" if s.by_operation else "no",
            " ".join(s.gaps),
        ]


@login_required
def worklist(request):
    """Proven but unprotected: a work list per agency, region or province (hub), with export."""
    if not request.user.has_perm("institutionalisation.view_worklist"):
        raise PermissionDenied
    qs = selectors.worklist(user=request.user, params=request.GET)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(request.GET["format"], _worklist_rows(qs), WORKLIST_HEADERS, "unprotected-innovations")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return render(
        request,
        "institutionalisation/worklist.html",
        {
            "page": page,
            "filters": request.GET,
            "provinces": provinces,
            "national": request.user.has_perm("institutionalisation.view_national"),
        },
    )


def shares(request):
    """The share of proven innovations that are unprotected, per province (map and table)."""
    rows = selectors.unprotected_share_by_province()
    if request.GET.get("format") in ("csv", "xlsx"):
        data = (
            [
                r["province"].code,
                r["province"].name,
                r["proven"],
                r["unprotected"],
                round(r["share"], 4) if r["share"] is not None else "",
            ]
            for r in rows
        )
        return export_response(
            request.GET["format"], data, ["code", "province", "proven", "unprotected", "share"], "unprotected-share"
        )
    values = {r["province"].code: r["share"] for r in rows}
    classes = choropleth_classes(values)
    paths, view_box = province_shapes()
    by_code = {r["province"].code: r for r in rows}
    shapes = [
        {
            "path": p,
            "cls": f"q{classes[p.code]}" if classes.get(p.code) is not None else "no-data",
            "row": by_code.get(p.code),
        }
        for p in paths
    ]
    legend = [
        {"cls": f"q{cls}", "low": round(low * 100), "high": round(high * 100)}
        for cls, (low, high) in sorted(class_ranges(values, classes).items())
    ]
    return render(
        request,
        "institutionalisation/shares.html",
        {"rows": rows, "shapes": shapes, "view_box": view_box, "legend": legend},
    )


@login_required
def continuity_missing(request):
    """Owners who have not answered the yearly continuity question; the Ministry can send the request."""
    if not request.user.has_perm("institutionalisation.view_worklist"):
        raise PermissionDenied
    year = parse_year(request.GET.get("year")) or timezone.localdate().year
    qs = selectors.missing_continuity(user=request.user, year=year, params=request.GET)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = (
            [
                i.pk,
                i.title,
                i.unit.name,
                i.agency.name,
                i.province.name if i.province else "",
                i.get_continuity_display(),
            ]
            for i in qs.iterator(chunk_size=2000)
        )
        return export_response(
            request.GET["format"],
            rows,
            ["innovation_id", "title", "unit", "agency", "province", "last_status"],
            f"continuity-missing-{year}",
        )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")
    return render(
        request,
        "institutionalisation/continuity_missing.html",
        {"page": page, "year": year, "filters": request.GET, "provinces": provinces},
    )


@require_POST
@login_required
def continuity_request(request):
    if not request.user.has_perm("institutionalisation.request_continuity"):
        raise PermissionDenied
    from jipp.institutionalisation.tasks import request_continuity_updates

    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    request_continuity_updates.enqueue(year)
    messages.success(request, _("The request is being sent to every owner who has not answered."))
    return redirect(f"{reverse('institutionalisation:continuity_missing')}?year={year}")
