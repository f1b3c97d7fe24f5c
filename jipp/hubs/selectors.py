"""Reads for the hubs app (and for the apps above it: dashboards)."""

from django.db.models import Q, QuerySet

from jipp.accounts.models import Role
from jipp.hubs.models import Hub, Spoke
from jipp.regions.models import Agency


def spoke_agency_ids(hub: Hub) -> set[int]:
    """Ids of the agencies that are active spokes of `hub` today."""
    return set(Spoke.objects.filter(hub=hub, left_on__isnull=True).values_list("agency_id", flat=True))


def hubs_for_user(user) -> QuerySet[Hub]:
    """The hubs a user may work on: all for the Ministry, their own for hub admins and mentors, none otherwise."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Hub.objects.none()
    if user.is_ministry:
        return Hub.objects.all()
    if user.role == Role.HUB_ADMIN:
        condition = Q(admins=user)
        if user.agency_id:
            condition |= Q(agency_id=user.agency_id)
        return Hub.objects.filter(condition).distinct()
    if user.role == Role.MENTOR:
        return Hub.objects.filter(mentors=user).distinct()
    return Hub.objects.none()


def default_spoke_agencies(hub: Hub) -> QuerySet[Agency]:
    """The agencies a hub carries by default: a province's regency and city governments; none for a K/L.

    A K/L hub's units or field offices are added by hand (they are not agencies in the reference data).
    """
    if hub.kind != Hub.Kind.PROVINCE or hub.region_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(
        type__in=(Agency.Type.REGENCY, Agency.Type.CITY), region__parent_id=hub.region_id
    ).order_by("name")
