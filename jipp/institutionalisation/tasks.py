"""Background work of institutionalisation (django-tasks)."""

from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def refresh_protection_task(innovation_ids: list[int] | None = None) -> int:
    """Recompute the protection status (all innovations when None: run nightly, since age changes)."""
    from jipp.institutionalisation.services import refresh_protection

    return refresh_protection(innovation_ids=innovation_ids)


@task()
def request_continuity_updates(year: int) -> int:
    """E-mail the owners (UPP of the unit, Admin Lokal of the agency) of every published innovation with no
    continuity update for `year`; returns the number of e-mails."""
    from django.db.models import Q
    from django.urls import reverse

    from jipp.accounts.models import Role, User
    from jipp.institutionalisation.services import owners_to_ask
    from jipp.notifications.services import notify

    pending = owners_to_ask(year)
    units = set(pending.values_list("unit_id", flat=True))
    agencies = set(pending.values_list("agency_id", flat=True))
    owners = User.objects.filter(
        Q(role=Role.UPP, unit_id__in=units) | Q(role=Role.ADMIN_LOKAL, agency_id__in=agencies), is_active=True
    )
    link = reverse("registry:manage_list") + "?status=published"
    notify(owners, "continuity.requested", None, url=link, email=False, year=year)
    users = owners.exclude(email="")
    subject = _("[Hub JIPP] Yearly continuity update %(year)d") % {"year": year}
    body = _(
        "Please state for each of your innovations whether it is continuing, growing, stopped or dormant in "
        '%(year)d, with the reason. Open the innovation and choose "Continuity update".'
    ) % {"year": year}
    messages = [(subject, body, None, [u.email]) for u in users]
    send_mass_mail(messages, fail_silently=True)
    return len(messages)
