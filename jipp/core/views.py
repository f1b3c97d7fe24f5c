import csv

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jipp.core.audit import describe
from jipp.core.exports import safe_cell
from jipp.core.formatting import format_moment
from jipp.core.nav import guides, home_items_for


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


@login_required
def my_home(request):
    """What this person must do now: the items every installed app offers for the user's role."""
    items = home_items_for(request.user)
    sections: dict[str, list] = {}
    for item in items:
        sections.setdefault(str(item.section), []).append(item)
    return render(
        request,
        "core/my_home.html",
        {"sections": sections, "todo_total": sum(item.count or 0 for item in items if item.tone != "info")},
    )


def permission_denied(request, exception=None):
    return _error_page(request, 403, _("You cannot open this page"), _error_reason(exception))


def page_not_found(request, exception=None):
    return _error_page(request, 404, _("Page not found"), "")


def server_error(request):
    """The 500 page: rendered without context processors or the database, which may be what failed."""
    try:
        from django.template.loader import get_template

        body = get_template("core/error.html").render(
            {"status": 500, "title": _("Something went wrong on our side"), "reason": ""}
        )
    except Exception:  # even the template failed: a plain page, never a second error
        body = (
            "<!doctype html><html lang='id'><head><meta charset='utf-8'><title>500 · Hub JIPP</title></head>"
            "<body><h1>500</h1><p>Terjadi kesalahan. / Something went wrong.</p><p><a href='/'>Hub JIPP</a></p>"
            "</body></html>"
        )
    return HttpResponse(body, status=500)


def _error_reason(exception) -> str:
    message = str(exception or "").strip()
    # PermissionDenied raised with a user-facing sentence (services do) is worth showing.
    return message if message and not message.startswith("<") and len(message) < 300 else ""


def _error_page(request, status: int, title: str, reason: str):
    try:
        return render(request, "core/error.html", {"status": status, "title": title, "reason": reason}, status=status)
    except Exception:  # the context failed (a broken database, say): render without it
        from django.template.loader import get_template

        body = get_template("core/error.html").render({"status": status, "title": title, "reason": reason})
        return HttpResponse(body, status=status)


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
    entries = LogEntry.objects.select_related("actor__agency", "content_type").order_by("-timestamp", "-pk")
    model = request.GET.get("model", "")
    if model:
        app_label, _dot, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(
            Q(actor__username__iexact=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
        )
    agency = request.GET.get("agency", "").strip()
    if agency:
        entries = entries.filter(Q(actor__agency__name__icontains=agency) | Q(actor__agency__short_name__iexact=agency))
    subject = request.GET.get("object", "").strip()
    if subject:
        entries = entries.filter(Q(object_repr__icontains=subject) | Q(object_pk=subject))
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
    page.object_list = [describe(entry) for entry in page.object_list]
    models = ContentType.objects.filter(pk__in=LogEntry.objects.values("content_type").distinct()).order_by(
        "app_label", "model"
    )
    return render(request, "core/audit_log.html", {"page": page, "models": models, "filters": request.GET})


def _audit_csv(entries) -> StreamingHttpResponse:
    """Every matching entry, streamed (no cap): times in the reader's zone, cells safe for spreadsheets."""
    headers = [
        _("Time"),
        _("Person"),
        _("Agency"),
        _("Action"),
        _("What happened"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Changes"),
    ]
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(headers)
        for entry in entries.iterator(chunk_size=2000):
            item = describe(entry)
            changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in item.changes)
            cells = [
                format_moment(item.when),
                item.actor,
                item.actor_agency,
                item.action,
                item.sentence,
                item.model_label,
                item.object_id,
                item.object_name,
                changes,
            ]
            yield writer.writerow([safe_cell(str(cell)) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


class _Echo:
    def write(self, value):
        return value


class ReauthForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False, widget=forms.PasswordInput)


@login_required
def reauth(request):
    """Type the password again for a sensitive action, then go back to it (the kept form is replayed).

    Five wrong passwords in ten minutes log the person out (the login page's own lockout then applies)."""
    from django.contrib.auth import logout

    from jipp.core import ratelimit
    from jipp.core import reauth as recent

    next_url = recent.safe_next(request, request.GET.get("next") or request.POST.get("next"))
    kept = request.GET.get("kept") or request.POST.get("kept") or ""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            recent.mark(request)
            if kept:
                separator = "&" if "?" in next_url else "?"
                next_url = f"{next_url}{separator}resume={kept}"
            return redirect(next_url)
        allowed, _wait = ratelimit.hit("reauth", str(request.user.pk), limit=4, window=600)  # the 5th logs out
        if not allowed:
            logout(request)
            return redirect("accounts:login")
        form.add_error("password", _("That is not your password."))
    return render(
        request,
        "core/reauth.html",
        {"form": form, "next": next_url, "kept": kept, "minutes": recent.max_age() // 60},
        status=400 if request.method == "POST" else 200,
    )
