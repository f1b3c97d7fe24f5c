"""Hubs and their spokes: designation, default spokes, joining and leaving (history kept), status."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jipp.hubs.models import Cohort, Hub, HubKind, Spoke
from jipp.hubs.selectors import default_spoke_agencies, default_spoke_units
from jipp.regions.models import Agency, ServiceUnit


def _kind_for(agency: Agency) -> str:
    return HubKind.PROVINCE if agency.type == Agency.Type.PROVINCE else HubKind.KL


@transaction.atomic
def create_hub(
    *,
    agency: Agency,
    cohort: Cohort,
    designated_on: date | None,
    mentor_university: str = "",
    with_default_spokes: bool = True,
    is_real: bool = False,
) -> Hub:
    """Designate `agency` as a hub of `cohort`; a province hub gets its regencies and cities as spokes.

    Spokes already active in another hub of the same kind are skipped (they stay where they are).
    """
    kind = _kind_for(agency)
    hub = Hub(
        agency=agency,
        kind=kind,
        region=agency.region if kind == HubKind.PROVINCE else None,
        cohort=cohort,
        status=Hub.Status.ACTIVE,
        status_since=designated_on,
        designated_on=designated_on,
        mentor_university=mentor_university,
        is_real=is_real,
    )
    hub.full_clean()
    hub.save()
    if with_default_spokes:
        joined = designated_on or date(cohort.year, 1, 1)
        if kind == HubKind.PROVINCE:
            taken = set(
                Spoke.objects.filter(kind=kind, left_on__isnull=True, unit__isnull=True).values_list(
                    "agency_id", flat=True
                )
            )
            Spoke.objects.bulk_create(
                Spoke(hub=hub, agency=spoke, kind=kind, joined_on=joined)
                for spoke in default_spoke_agencies(hub)
                if spoke.pk not in taken
            )
        else:
            taken = set(
                Spoke.objects.filter(kind=kind, left_on__isnull=True, unit__isnull=False).values_list(
                    "unit_id", flat=True
                )
            )
            Spoke.objects.bulk_create(
                Spoke(hub=hub, agency_id=unit.agency_id, unit=unit, kind=kind, joined_on=joined)
                for unit in default_spoke_units(hub)
                if unit.pk not in taken
            )
    return hub


def active_hub_of(*, agency: Agency, kind: str, unit: ServiceUnit | None = None) -> Hub | None:
    """The active hub of `kind` that carries `unit` (a unit spoke) or else `agency` (an agency spoke)."""
    memberships = Spoke.objects.filter(kind=kind, left_on__isnull=True)
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    else:
        memberships = memberships.filter(agency=agency, unit__isnull=True)
    spoke = memberships.select_related("hub__agency").first()
    return spoke.hub if spoke else None


@transaction.atomic
def add_spoke(*, hub: Hub, joined_on: date, agency: Agency | None = None, unit: ServiceUnit | None = None) -> Spoke:
    """Add an active spoke to `hub`: an agency, or (for a K/L hub) one of its own units or field offices.

    Refused (ValidationError naming the other hub) while the agency or unit is an active spoke of another
    hub of the same kind; the agency row is locked so two admins cannot add it to two hubs at once, and the
    partial unique constraints back this up. A unit spoke must be a unit of the hub's own agency.
    """
    if (agency is None) == (unit is None):
        raise ValidationError(_("Choose an agency or a unit, not both."))
    if unit is not None:
        if hub.kind != HubKind.KL or unit.agency_id != hub.agency_id:
            raise ValidationError(_("A unit spoke is a unit or field office of the K/L hub's own agency."))
        agency = unit.agency
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    what = unit.display_name if unit is not None else agency
    other = active_hub_of(agency=agency, kind=hub.kind, unit=unit)
    if other is not None:
        if other.pk == hub.pk:
            raise ValidationError(_("%(agency)s is already a spoke of this hub.") % {"agency": what})
        raise ValidationError(
            _("%(agency)s is already a spoke of another active hub: %(hub)s.") % {"agency": what, "hub": other}
        )
    if unit is None and agency.pk == hub.agency_id:
        raise ValidationError(_("A hub cannot be its own spoke."))
    spoke = Spoke(hub=hub, agency=agency, unit=unit, kind=hub.kind, joined_on=joined_on)
    spoke.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            spoke.save()
    except IntegrityError:
        other = active_hub_of(agency=agency, kind=hub.kind, unit=unit)
        raise ValidationError(
            _("%(agency)s is already a spoke of another active hub: %(hub)s.") % {"agency": what, "hub": other}
        )
    return spoke


@transaction.atomic
def end_spoke(*, spoke: Spoke, left_on: date) -> Spoke:
    """Close an active membership (kept as history); refused if already closed or before it began."""
    locked = Spoke.objects.select_for_update().get(pk=spoke.pk)
    if locked.left_on is not None:
        raise ValidationError(_("This spoke already left the hub."))
    if left_on < locked.joined_on:
        raise ValidationError(_("A spoke cannot leave before it joined."))
    locked.left_on = left_on
    locked.save(update_fields=["left_on", "updated_at"])
    return locked


@transaction.atomic
def set_hub_status(*, hub: Hub, status: str, since: date) -> Hub:
    """Pause, graduate or reactivate a hub (its spokes stay; the date says since when)."""
    if status not in Hub.Status.values:
        raise ValidationError(_("Unknown status."))
    updated = Hub.objects.filter(pk=hub.pk).exclude(status=status).update(status=status, status_since=since)
    if not updated:
        raise ValidationError(_("The hub already has this status."))
    hub.refresh_from_db()
    return hub
