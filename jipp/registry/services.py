"""Writes to the registry. Every write validates first, runs in one transaction, and keeps the
denormalised columns (agency, region, masks, search text, version) consistent."""

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.notifications.services import notify
from jipp.regions.models import ServiceUnit
from jipp.registry.models import Category, ContinuityUpdate, Innovation, Sdg
from jipp.registry.search import search_columns
from jipp.registry.tasks import schedule_similar_refresh

TEXT_FIELDS = ("summary", "problem", "solution", "results", "beneficiaries")
EDITABLE_FIELDS = (
    "title", "summary", "problem", "solution", "results", "innovator_type", "innovators", "start_date",
    "rollout_date", "stage", "phase", "form", "is_digital", "initiator", "sector", "beneficiaries",
    "budget_source", "contact_name", "contact_email", "contact_phone", "website", "video_url", "readiness",
    "prerequisites",
)  # fmt: skip


class StaleVersionError(ValidationError):
    """Someone else saved the record since it was opened; carries the current version."""

    def __init__(self, current: Innovation):
        self.current = current
        super().__init__(
            _(
                "Someone else saved this innovation while you were editing it (now version %(version)d). "
                "Your text is kept below; compare it with the saved version and save again."
            )
            % {"version": current.version},
            code="stale",
        )


def published_changed(innovation_ids: list[int]) -> None:
    """Tell the apps above (by an AppConfig hook, no import) that published innovations changed.

    Called when an innovation is published, withdrawn or its published text changes; replication
    rebuilds its finder index from it, so an innovation published today is found today.
    """
    for config in apps.get_app_configs():
        hook = getattr(config, "on_published_innovations_changed", None)
        if hook:
            hook(innovation_ids)


def fill_derived(innovation: Innovation, unit: ServiceUnit, *, search: bool = True) -> None:
    """Fill the columns derived from the unit and the texts (agency, region, year, search text).

    `search=False` leaves the search columns to the caller (an import fills them only for the rows it saves).
    """
    agency = unit.agency
    innovation.unit = unit
    innovation.agency = agency
    innovation.agency_type = agency.type
    innovation.region = agency.region
    innovation.province = agency.province
    innovation.year_started = innovation.start_date.year if innovation.start_date else None
    if search:
        fill_search_columns(innovation)


def fill_search_columns(innovation: Innovation) -> None:
    innovation.__dict__.update(
        search_columns(title=innovation.title, texts=[getattr(innovation, f) for f in TEXT_FIELDS])
    )


def set_tags(innovation: Innovation, categories: Iterable[Category] | None, sdgs: Iterable[Sdg] | None) -> None:
    if categories is not None:
        categories = list(categories)
        innovation.categories.set(categories)
        innovation.category_mask = sum(1 << c.bit for c in categories)
    if sdgs is not None:
        sdgs = list(sdgs)
        innovation.sdgs.set(sdgs)
        innovation.sdg_mask = sum(1 << s.number for s in sdgs)
    Innovation.objects.filter(pk=innovation.pk).update(
        category_mask=innovation.category_mask, sdg_mask=innovation.sdg_mask, updated_at=timezone.now()
    )


@transaction.atomic
def create_innovation(
    *, user, unit: ServiceUnit, data: dict, categories: Iterable[Category] = (), sdgs: Iterable[Sdg] = ()
) -> Innovation:
    """Create a draft innovation for `unit`. Raises PermissionDenied or ValidationError (nothing saved)."""
    if not user.has_perm("registry.add_innovation", unit):
        raise PermissionDenied(_("You can only add innovations for your own unit or agency."))
    innovation = Innovation(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    innovation.created_by = user if user.is_authenticated else None
    fill_derived(innovation, unit)
    innovation.full_clean()
    innovation.save()
    set_tags(innovation, categories, sdgs)
    schedule_similar_refresh(innovation.pk)
    return innovation


@transaction.atomic
def update_innovation(
    *,
    user,
    innovation: Innovation,
    data: dict,
    expected_version: int,
    categories: Iterable[Category] | None = None,
    sdgs: Iterable[Sdg] | None = None,
) -> Innovation:
    """Save changes if nobody saved since `expected_version` was read (optimistic locking).

    Raises PermissionDenied, ValidationError, or StaleVersionError carrying the current record;
    in every case nothing is saved. Returns the saved innovation with its version increased.
    """
    if not user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied(_("You cannot edit this innovation."))
    # Lock the row (SQLite: the IMMEDIATE transaction already holds the write lock) and edit the
    # fresh copy, so the audit log compares the stored values with the new ones.
    current = Innovation.objects.select_for_update(of=("self",)).select_related("unit__agency").get(pk=innovation.pk)
    if current.status == Innovation.Status.PUBLISHED and not user.has_perm("registry.publish_innovation", current):
        # A UPP's change to a published innovation waits for its Admin Lokal (jipp.registry.revisions).
        raise ValidationError(
            _("This innovation is published: your change must be approved by your Admin Lokal first."),
            code="needs_review",
        )
    if current.version != expected_version:
        raise StaleVersionError(current)
    for field, value in data.items():
        if field in EDITABLE_FIELDS:
            setattr(current, field, value)
    fill_derived(current, current.unit)
    current.full_clean()
    current.version += 1
    current.save()
    set_tags(current, categories, sdgs)
    schedule_similar_refresh(current.pk)
    if current.status == Innovation.Status.PUBLISHED:
        published_changed([current.pk])
    return current


@transaction.atomic
def set_status(*, user, innovation: Innovation, status: str) -> Innovation:
    """Publish or withdraw (Admin Lokal of the agency, or the Ministry); back to draft likewise."""
    if not user.has_perm("registry.publish_innovation", innovation):
        raise PermissionDenied(_("Only the agency's Admin Lokal or the Ministry can publish or withdraw."))
    if status not in Innovation.Status.values:
        raise ValidationError({"status": _("Unknown publication state.")})
    innovation.status = status
    if status == Innovation.Status.PUBLISHED and innovation.published_at is None:
        innovation.published_at = timezone.now()
    innovation.version += 1
    innovation.save(update_fields=["status", "published_at", "version", "updated_at"])
    schedule_similar_refresh(innovation.pk)
    published_changed([innovation.pk])
    owners = User.objects.filter(role=Role.UPP, unit_id=innovation.unit_id)
    url = reverse("registry:innovation_detail", args=[innovation.pk])
    notify(owners, f"registry.{status}", innovation, actor=user, url=url, title=innovation.title)
    return innovation


@transaction.atomic
def add_continuity_update(
    *, user, innovation: Innovation, year: int, status: str, reason: str, reported_on: date
) -> ContinuityUpdate:
    """Record the yearly continuity statement; the latest year's status becomes the innovation's."""
    if not user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied(_("You cannot update this innovation."))
    if status in (Innovation.Continuity.STOPPED, Innovation.Continuity.DORMANT) and not reason.strip():
        raise ValidationError({"reason": _("Say why the innovation stopped or is dormant.")})
    update = ContinuityUpdate(
        innovation=innovation, year=year, status=status, reason=reason, reported_on=reported_on, reported_by=user
    )
    update.full_clean()
    update.save()
    latest = innovation.continuity_updates.order_by("-year", "-reported_on").first()
    Innovation.objects.filter(pk=innovation.pk).update(continuity=latest.status, updated_at=timezone.now())
    innovation.continuity = latest.status
    return update


# Denormalised facts written by later apps (competition, replication, institutionalisation).
# Each also moves `updated_at`, which tells the catalogue's facet index to reload.


def set_award_tier(*, innovation_id: int, tier: str) -> None:
    Innovation.objects.filter(pk=innovation_id).update(award_tier=tier, updated_at=timezone.now())


def set_replication_count(*, innovation_id: int, count: int) -> None:
    Innovation.objects.filter(pk=innovation_id).update(replication_count=count, updated_at=timezone.now())


def set_has_legal_basis(*, innovation_id: int, value: bool) -> None:
    Innovation.objects.filter(pk=innovation_id).update(has_legal_basis=value, updated_at=timezone.now())
