import csv
from datetime import UTC

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jipp.core.nav import guides


def home(request):
    from django.apps import apps

    region_model = apps.get_model("regions", "Region")
    agency_model = apps.get_model("regions", "Agency")
    stats = {
        "provinces": region_model.objects.filter(level="province").count(),
        "regencies_cities": region_model.objects.exclude(level="province").count(),
        "agencies": agency_model.objects.count(),
    }
    return render(request, "core/home.html", {"stats": stats})


def about_data(request):
    return render(request, "core/about_data.html")


def guide_index(request):
    return render(request, "core/guide_index.html", {"guides": guides()})


def guide_page(request, slug: str):
    titles = dict(guides())
    if slug not in titles:
        raise Http404
    language = (get_language() or "id")[:2]
    try:
        template = select_template([f"guide/{slug}.{language}.html", f"guide/{slug}.id.html"])
    except TemplateDoesNotExist:
        raise Http404 from None
    return render(request, "core/guide_page.html", {"title": titles[slug], "body_template": template.template.name})


def _audit_entries(request):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    model = request.GET.get("model", "")
    if model:
        app_label, _dot, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor__username__iexact=actor)
    start = parse_date(request.GET.get("from", "") or "")
    if start:
        entries = entries.filter(timestamp__date__gte=start)
    end = parse_date(request.GET.get("to", "") or "")
    if end:
        entries = entries.filter(timestamp__date__lte=end)
    return entries


@login_required
def audit_log(request):
    if not request.user.has_perm("core.view_audit_log"):
        raise PermissionDenied
    entries = _audit_entries(request)
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    models = ContentType.objects.filter(pk__in=LogEntry.objects.values("content_type").distinct()).order_by(
        "app_label", "model"
    )
    return render(request, "core/audit_log.html", {"page": page, "models": models, "filters": request.GET})


def _audit_csv(entries) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Time (UTC)"), _("User"), _("Action"), _("Object type"), _("Object"), _("Changes")])
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.timestamp.astimezone(UTC).isoformat(),
                entry.actor.username if entry.actor else "",
                entry.get_action_display(),
                f"{entry.content_type.app_label}.{entry.content_type.model}",
                entry.object_repr,
                entry.changes_str if hasattr(entry, "changes_str") else entry.changes,
            ]
        )
    return response
