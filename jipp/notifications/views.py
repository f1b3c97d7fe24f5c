from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.notifications.forms import PreferenceForm
from jipp.notifications.kinds import AREAS
from jipp.notifications.models import Notification
from jipp.notifications.services import mark_read, preference_for, set_preference


@login_required
def notification_list(request):
    rows = Notification.objects.filter(recipient=request.user).select_related("actor")
    show = request.GET.get("show", "")
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    area = request.GET.get("area", "")
    if area in AREAS:
        rows = rows.filter(kind__startswith=f"{area}.") if area != "generic" else rows.filter(kind="generic")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    areas = [(key, label) for key, label in AREAS.items()]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "show": show, "area": area, "areas": areas},
    )


@login_required
def notification_open(request, pk: int):
    """Mark the notification read and go to its object."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id")
    count = mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    if count:
        messages.success(request, _("Marked as read."))
    return redirect(request.POST.get("next") if _safe(request, request.POST.get("next")) else "notifications:list")


def _safe(request, url) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})


@login_required
def preferences(request):
    preference = preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial={"email": preference.email, "language": preference.language})
    if request.method == "POST" and form.is_valid():
        set_preference(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "preference": preference})
