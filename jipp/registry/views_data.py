"""Views for moving data in and out of the registry: import, export, attachments.

URL names (see urls_data.py, included in the registry namespace):
registry:data_import, registry:data_import_template (fmt csv|xlsx, ?kind=awards), registry:data_import_status,
registry:data_import_decide, registry:data_import_run, registry:data_import_publish, registry:data_import_report
(token of the batch),
registry:data_export (fmt csv|xlsx|json, the catalogue's GET parameters),
registry:attachments (pk of the innovation; GET page, POST upload), registry:attachment_download,
registry:attachment_image, registry:attachment_thumbnail, registry:attachment_delete (pk of the attachment).
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
from jipp.regions.models import Agency, ServiceUnit
from jipp.regions.services import save_alias
from jipp.registry import exporting, importing
from jipp.registry.attachments import add_attachment, delete_attachment, may_preview, may_show_inline, thumbnail_of
from jipp.registry.models import Attachment, ImportBatch, Innovation

# Import --------------------------------------------------------------------------------------


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Use a template. You see a preview of every row before anything is saved; one refused row and "
            "nothing is imported."
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
            del self.fields["unit"]  # the Ministry names the agency per row (the `agency` column)
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


PREVIEW_ROWS = 300  # rows listed on the preview page; the downloadable report has every row


@login_required
def data_import(request):
    """Upload a file: it becomes an import batch, checked at once (small) or in the background (big)."""
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        unit = form.cleaned_data.get("unit")
        if not isinstance(unit, ServiceUnit) or request.user.unit_id and request.user.role == Role.UPP:
            unit = None  # a UPP operator's own unit is chosen by the importer
        batch = importing.create_batch(
            user=request.user, uploaded=uploaded, filename=uploaded.name, default_unit=unit, language=get_language()
        )
        _start(batch, "check")
        return redirect("registry:data_import_status", token=batch.token)
    batches = ImportBatch.objects.filter(created_by=request.user).order_by("-created_at")[:10]
    return render(request, "registry/data/import.html", {"form": form, "batches": batches})


def _start(batch: ImportBatch, step: str) -> None:
    """Check or import now (small files) or enqueue the background task (big files)."""
    if (batch.total or 0) > importing.BACKGROUND_ROWS:
        from jipp.registry.tasks import import_batch_task

        expected = [ImportBatch.State.CHECKED] if step == "import" else list(ImportBatch.State.values)
        queued = ImportBatch.objects.filter(pk=batch.pk, state__in=expected).update(
            state=ImportBatch.State.QUEUED, processed=0
        )
        if not queued:
            raise ValidationError(_("Check the file (preview) before importing it; an import runs once."))
        import_batch_task.enqueue(batch.pk, step)
    elif step == "check":
        importing.check_batch(batch=batch)
    else:
        importing.import_batch(user=batch.created_by, batch=batch)


def _own_batch(request, token: str) -> ImportBatch:
    batch = ImportBatch.objects.select_related("created_by").filter(token=token).first()
    if batch is None or (batch.created_by_id != request.user.pk and not request.user.is_ministry):
        raise Http404
    return batch


def _attention(plans: list[dict]) -> list[dict]:
    """Rows that need a decision: an uncertain agency (with candidates) or a duplicate."""
    return [p for p in plans if (p["action"] == "refuse" and p.get("candidates")) or p.get("duplicate")]


@login_required
def data_import_status(request, token: str):
    """The batch: progress while busy (htmx polls the fragment), then the preview, the import and publishing."""
    batch = _own_batch(request, token)
    plans = batch.report.get("plans", [])
    context = {
        "batch": batch,
        "report": importing.ImportReport.from_dict(batch.report) if batch.report else None,
        "attention": _attention(plans)[:PREVIEW_ROWS],
        "plans": plans[:PREVIEW_ROWS],
        "more_rows": max(0, len(plans) - PREVIEW_ROWS),
        "can_save_alias": request.user.is_ministry,
        "duplicate_choices": DUPLICATE_CHOICES,
    }
    if request.headers.get("HX-Request"):
        return render(request, "registry/data/_import_status.html", context)
    return render(request, "registry/data/import_status.html", context)


DUPLICATE_CHOICES = [
    ("merge", gettext_lazy("Merge: add its award to the existing innovation")),
    ("skip", gettext_lazy("Skip this row")),
    ("create", gettext_lazy("Create a new innovation anyway")),
]


@login_required
@require_POST
def data_import_decide(request, token: str):
    """Save the choices for uncertain agencies and duplicates (optionally as aliases), then check again."""
    batch = _own_batch(request, token)
    if batch.state not in (ImportBatch.State.CHECKED, ImportBatch.State.REFUSED):
        messages.error(request, _("This import can no longer be changed."))
        return redirect("registry:data_import_status", token=batch.token)
    plans = {str(p["row"]): p for p in batch.report.get("plans", [])}
    decisions = dict(batch.decisions)
    for row, plan in plans.items():
        choice = dict(decisions.get(row) or {})
        agency_value = request.POST.get(f"agency-{row}", "")
        allowed = {str(c[0]) for c in plan.get("candidates", [])}
        if agency_value and agency_value in allowed:
            choice["agency"] = int(agency_value)
            if request.POST.get(f"alias-{row}") and request.user.is_ministry and plan.get("agency_text"):
                save_alias(alias=plan["agency_text"], agency=Agency.objects.get(pk=int(agency_value)),
                           user=request.user)  # fmt: skip
        duplicate = request.POST.get(f"duplicate-{row}", "")
        if duplicate in dict(DUPLICATE_CHOICES):
            choice["duplicate"] = duplicate
        if choice:
            decisions[row] = choice
    batch.decisions = decisions
    batch.save(update_fields=["decisions", "updated_at"])
    _start(batch, "check")
    return redirect("registry:data_import_status", token=batch.token)


@login_required
@require_POST
def data_import_run(request, token: str):
    """Import the checked batch (all rows or none): the same check as the preview, then saved."""
    batch = _own_batch(request, token)
    try:
        _start(batch, "import")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        batch.refresh_from_db()
        if batch.state == ImportBatch.State.IMPORTED:
            messages.success(
                request, _("%(count)d innovations were imported as drafts.") % {"count": len(batch.created_ids)}
            )
    return redirect("registry:data_import_status", token=batch.token)


@login_required
@require_POST
def data_import_publish(request, token: str):
    """Publish every innovation of the import in one action."""
    batch = _own_batch(request, token)
    try:
        count = importing.publish_batch(user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)d innovations were published.") % {"count": count})
    return redirect("registry:data_import_status", token=batch.token)


@login_required
@require_GET
def data_import_report(request, token: str):
    """The kept row report of the import as CSV."""
    batch = _own_batch(request, token)
    response = HttpResponse(importing.report_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{batch.token[:8]}.csv"'
    return response


@login_required
@require_GET
def data_import_template(request, fmt: str):
    kind = "awards" if request.GET.get("kind") == "awards" else "innovations"
    if fmt == "xlsx":
        response = HttpResponse(importing.template_xlsx(kind=kind), content_type=exporting_content_types["xlsx"])
    else:
        response = HttpResponse(importing.template_csv(kind=kind), content_type="text/csv; charset=utf-8")
    name = "template-impor-penghargaan" if kind == "awards" else "template-impor-inovasi"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
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
    alt_text = forms.CharField(
        label=gettext_lazy("Alternative text (for photos)"),
        required=False,
        max_length=250,
        help_text=gettext_lazy(
            "Required for a photo: say what it shows, e.g. “Officers serving residents at the village hall”."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Attachment.Kind.PHOTO and not (data.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                _("Describe what the photo shows, for people who cannot see it (alternative text)."),
            )
        return data


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
                    alt_text=form.cleaned_data.get("alt_text", ""),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if attachment.awaiting_review:
                    added = _("“%(name)s” was added. It is shown once your Admin Lokal approves it.")
                else:
                    added = _("“%(name)s” was added.")
                messages.success(request, added % {"name": attachment.original_name})
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
    if attachment.awaiting_review and not request.user.has_perm("registry.change_innovation", attachment.innovation):
        raise Http404  # a photo waiting for approval is not published yet
    return _file_response(attachment, inline=False)


@require_GET
def attachment_image(request, pk: int):
    """A published innovation's JPEG/PNG photo, inline for <img>; anything else is a 404 here."""
    attachment = get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk)
    if not (may_show_inline(attachment) or may_preview(request.user, attachment)):
        raise Http404
    response = _file_response(attachment, inline=True)
    if attachment.awaiting_review:
        response["Cache-Control"] = "private, max-age=0"
    return response


@require_GET
def attachment_thumbnail(request, pk: int):
    """The small JPEG of a published innovation's photo (made server-side, kept once made)."""
    attachment = get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk)
    if not (may_show_inline(attachment) or may_preview(request.user, attachment)):
        raise Http404
    thumbnail = thumbnail_of(attachment)
    if thumbnail is None:
        raise Http404
    try:
        handle = thumbnail.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=0" if attachment.awaiting_review else "public, max-age=86400"
    return response


def export_links(request) -> list[tuple[str, str]]:
    """(label, url) of the export formats for the current catalogue query string (for the lead's catalogue page)."""
    query = request.GET.urlencode()
    return [
        (label, reverse("registry:data_export", kwargs={"fmt": fmt}) + (f"?{query}" if query else ""))
        for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"))
    ]
