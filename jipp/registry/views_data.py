"""Views for moving data in and out of the registry: import, export, attachments.

URL names (see urls_data.py, included in the registry namespace):
registry:data_import, registry:data_import_template (fmt csv|xlsx), registry:data_import_status (token),
registry:data_export (fmt csv|xlsx|json, the catalogue's GET parameters),
registry:attachments (pk of the innovation; GET page, POST upload), registry:attachment_download,
registry:attachment_image, registry:attachment_delete (pk of the attachment).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jipp.accounts.models import Role
from jipp.core.forms import StyledFormMixin
from jipp.regions.models import ServiceUnit
from jipp.registry import exporting, importing
from jipp.registry.attachments import add_attachment, delete_attachment, may_show_inline
from jipp.registry.models import Attachment, Innovation

# Import --------------------------------------------------------------------------------------


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Use the template. One bad row and nothing is imported: you get a list of every problem."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    unit = forms.ModelChoiceField(
        queryset=ServiceUnit.objects.none(),
        required=False,
        label=gettext_lazy("Default service unit"),
        help_text=gettext_lazy("For rows whose “unit” column is empty."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_ministry:
            self.fields["unit"] = forms.IntegerField(
                required=False,
                min_value=1,
                label=gettext_lazy("Default service unit (id)"),
                help_text=gettext_lazy("For rows whose “unit” column is empty."),
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
        elif user.role == Role.ADMIN_LOKAL and user.agency_id:
            self.fields["unit"].queryset = ServiceUnit.objects.filter(agency_id=user.agency_id).order_by("name")
        else:
            del self.fields["unit"]

    def clean_unit(self):
        value = self.cleaned_data.get("unit")
        if isinstance(value, int):
            unit = ServiceUnit.objects.filter(pk=value).first()
            if unit is None:
                raise ValidationError(_("No service unit with this id."))
            return unit
        return value


def _require_importer(request) -> None:
    if not request.user.has_perm("registry.import_innovations"):
        raise PermissionDenied(_("You cannot import innovations."))


@login_required
def data_import(request):
    """Upload a file: small files are imported at once, big ones by a background task."""
    _require_importer(request)
    report = None
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        unit = form.cleaned_data.get("unit")
        if isinstance(unit, ServiceUnit):
            unit = ServiceUnit.objects.select_related("agency__region__parent").get(pk=unit.pk)
        elif request.user.unit_id:
            unit = None  # a UPP operator's own unit is chosen by the importer
        rows = importing.count_data_rows(uploaded, filename=uploaded.name)
        if rows > importing.BACKGROUND_ROWS:
            from jipp.registry.tasks import import_innovations_task

            job = importing.ImportJob.create(user=request.user, uploaded=uploaded, filename=uploaded.name, total=rows)
            import_innovations_task.enqueue(job.token, request.user.pk, unit.pk if unit else None, get_language())
            return redirect("registry:data_import_status", token=job.token)
        report = importing.import_innovations(
            user=request.user, uploaded=uploaded, filename=uploaded.name, default_unit=unit
        )
        if report.ok:
            messages.success(request, _("%(count)d innovations were imported as drafts.") % {"count": report.created})
    return render(request, "registry/data/import.html", {"form": form, "report": report})


@login_required
@require_GET
def data_import_status(request, token: str):
    """The progress and report of a background import (htmx polls the fragment until it is finished)."""
    job = importing.ImportJob.load(token)
    if job is None or job.user_id != request.user.pk:
        raise Http404
    report = importing.ImportReport.from_dict(job.report) if job.report else None
    context = {"job": job, "report": report}
    if request.headers.get("HX-Request"):
        return render(request, "registry/data/_import_status.html", context)
    return render(request, "registry/data/import_status.html", context)


@login_required
@require_GET
def data_import_template(request, fmt: str):
    if fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(), content_type=exporting_content_types["xlsx"])
    else:
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="template-impor-inovasi.{fmt}"'
    return response


# Export --------------------------------------------------------------------------------------

exporting_content_types = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def data_export(request, fmt: str):
    """The current catalogue search (same GET parameters) as CSV, XLSX or JSON, at most 100,000 rows."""
    try:
        query = exporting.parse_catalogue_params(request.GET)
    except ValidationError as exc:
        if fmt == "json":
            return JsonResponse({"errors": exc.message_dict}, status=400)
        return render(request, "registry/data/export_error.html", {"errors": exc.message_dict}, status=400)
    filename = f"inovasi-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exporting.csv_chunks(query), content_type=exporting_content_types["csv"])
    elif fmt == "json":
        response = StreamingHttpResponse(exporting.json_chunks(query), content_type=exporting_content_types["json"])
    else:
        return FileResponse(
            exporting.xlsx_file(query),
            as_attachment=True,
            filename=filename,
            content_type=exporting_content_types["xlsx"],
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Attachments ---------------------------------------------------------------------------------


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, JPEG, PNG, DOCX or XLSX; photos JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )


def _viewable_innovation(request, pk: int) -> Innovation:
    innovation = get_object_or_404(Innovation.objects.select_related("agency"), pk=pk)
    if not request.user.has_perm("registry.view_innovation", innovation):
        raise Http404  # a draft does not exist for those who may not see it
    return innovation


def _back(request, innovation: Innovation):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("registry:attachments", pk=innovation.pk)


def attachments_context(innovation: Innovation, user, form=None) -> dict:
    """Context for registry/data/_attachments.html (the lead's manage page passes `innovation`, `can_edit`)."""
    return {
        "innovation": innovation,
        "can_edit": user.has_perm("registry.change_innovation", innovation),
        "attachment_form": form or AttachmentForm(),
    }


def attachments(request, pk: int):
    """GET: the innovation's files; POST: upload one (editors of the innovation only)."""
    innovation = _viewable_innovation(request, pk)
    form = None
    if request.method == "POST":
        if not request.user.has_perm("registry.change_innovation", innovation):
            raise PermissionDenied(_("You cannot add files to this innovation."))
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = add_attachment(
                    user=request.user,
                    innovation=innovation,
                    uploaded=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("“%(name)s” was added.") % {"name": attachment.original_name})
                return _back(request, innovation)
    context = attachments_context(innovation, request.user, form)
    status = 400 if form is not None and form.errors else 200
    return render(request, "registry/data/attachments.html", context, status=status)


@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk)
    innovation = _viewable_innovation(request, attachment.innovation_id)
    delete_attachment(user=request.user, attachment=attachment)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return _back(request, innovation)


def _file_response(attachment: Attachment, *, inline: bool) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser tried to render it, nothing in it may run.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=0" if not inline else "public, max-age=3600"
    return response


@require_GET
def attachment_download(request, pk: int):
    """Always a download (never rendered inline), only for those who may view the innovation."""
    attachment = get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk)
    if not request.user.has_perm("registry.view_innovation", attachment.innovation):
        raise Http404
    return _file_response(attachment, inline=False)


@require_GET
def attachment_image(request, pk: int):
    """A published innovation's JPEG/PNG photo, inline for <img>; anything else is a 404 here."""
    attachment = get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk)
    if not may_show_inline(attachment):
        raise Http404
    return _file_response(attachment, inline=True)


def export_links(request) -> list[tuple[str, str]]:
    """(label, url) of the export formats for the current catalogue query string (for the lead's catalogue page)."""
    query = request.GET.urlencode()
    return [
        (label, reverse("registry:data_export", kwargs={"fmt": fmt}) + (f"?{query}" if query else ""))
        for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"))
    ]
