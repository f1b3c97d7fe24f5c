"""Background work of institutionalisation (django-tasks)."""

from django_tasks import task


@task()
def refresh_protection_task(innovation_ids: list[int] | None = None) -> int:
    """Recompute the protection status (all innovations when None: run nightly, since age changes)."""
    from jipp.institutionalisation.services import refresh_protection

    return refresh_protection(innovation_ids=innovation_ids)


@task()
def request_continuity_updates(year: int) -> int:
    """Ask the owners (UPP of the unit, Admin Lokal of the agency) of every published innovation with no
    continuity update for `year`, through the platform's notifications (in-app, and by e-mail as each
    prefers: immediately, in the daily digest or not at all); returns the number of people asked."""
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
    return len(notify(owners, "continuity.requested", None, url=link, year=year))
