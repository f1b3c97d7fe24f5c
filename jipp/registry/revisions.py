"""Edits that pass their gatekeeper: a UPP's change to a *published* innovation waits as a pending
revision for its agency's Admin Lokal (or the Ministry), and the public keeps seeing the published
version until it is approved.

Who goes through review: whoever may edit the innovation but not publish it (the unit's UPP). The
Admin Lokal and the Ministry are the gatekeepers; their own edits go live directly
(`services.update_innovation`). Drafts are not public, so their edits are never reviewed.

A revision stores only the fields that differ from the published version when it was last saved;
approving applies those fields (and nothing the gatekeeper changed meanwhile).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.notifications.services import notify
from jipp.registry.models import Attachment, Category, Innovation, InnovationRevision, Sdg
from jipp.registry.services import (
    EDITABLE_FIELDS,
    StaleVersionError,
    fill_derived,
    published_changed,
    set_tags,
)
from jipp.registry.tasks import schedule_similar_refresh

TAG_FIELDS = ("categories", "sdgs")
# New photos of a published innovation, by attachment id, wait in the revision under this key.
PHOTOS = "photos"
# Long texts are shown as a word-by-word diff; short values as before/after.
WORD_DIFF_FIELDS = ("title", "summary", "problem", "solution", "results", "innovators", "beneficiaries",
                    "prerequisites")  # fmt: skip


def needs_review(user, innovation: Innovation) -> bool:
    """True when `user`'s edit of `innovation` must wait for a gatekeeper (a UPP editing a published one)."""
    return innovation.status == Innovation.Status.PUBLISHED and not user.has_perm(
        "registry.publish_innovation", innovation
    )


def _to_json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(field: str, value):
    return Innovation._meta.get_field(field).to_python(value)


def published_values(innovation: Innovation) -> dict:
    """The reviewed fields of `innovation` as stored now, JSON-ready (tags as sorted id lists)."""
    values = {f: _to_json(getattr(innovation, f)) for f in EDITABLE_FIELDS}
    values["categories"] = sorted(innovation.categories.values_list("pk", flat=True))
    values["sdgs"] = sorted(innovation.sdgs.values_list("pk", flat=True))
    return values


def _proposed_values(data: dict, categories: Iterable | None, sdgs: Iterable | None) -> dict:
    values = {f: _to_json(v) for f, v in data.items() if f in EDITABLE_FIELDS}
    if categories is not None:
        values["categories"] = sorted(c.pk if hasattr(c, "pk") else int(c) for c in categories)
    if sdgs is not None:
        values["sdgs"] = sorted(s.pk if hasattr(s, "pk") else int(s) for s in sdgs)
    return values


def pending_revision(innovation: Innovation) -> InnovationRevision | None:
    return innovation.revisions.filter(status=InnovationRevision.Status.PENDING).first()


def form_initial(innovation: Innovation, revision: InnovationRevision | None) -> dict:
    """Initial values of the edit form: the published version overlaid with the pending changes."""
    if revision is None:
        return {}
    return dict(revision.changes)


def _apply(innovation: Innovation, changes: dict) -> None:
    for field, value in changes.items():
        if field in EDITABLE_FIELDS:
            setattr(innovation, field, _from_json(field, value))


@transaction.atomic
def propose_revision(
    *,
    user,
    innovation: Innovation,
    data: dict,
    expected_version: int,
    categories: Iterable[Category] | None = None,
    sdgs: Iterable[Sdg] | None = None,
) -> InnovationRevision | None:
    """Save `user`'s change to a published innovation as its pending revision (created or updated).

    Only the fields that differ from the published version are kept. Returns the pending revision,
    or None when nothing differs any more (a pending revision is then withdrawn). Raises
    PermissionDenied (may not edit), ValidationError (not published, or the values are invalid) or
    StaleVersionError (the published version changed since the form was opened); nothing is saved then.
    """
    if not user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied(_("You cannot edit this innovation."))
    current = Innovation.objects.select_for_update(of=("self",)).select_related("unit__agency").get(pk=innovation.pk)
    if current.status != Innovation.Status.PUBLISHED:
        raise ValidationError(_("Only changes to a published innovation wait for approval."))
    if current.version != expected_version:
        raise StaleVersionError(current)
    before = published_values(current)
    proposed = _proposed_values(data, categories, sdgs)
    changes = {field: value for field, value in proposed.items() if before.get(field) != value}
    pending = (
        InnovationRevision.objects.select_for_update()
        .filter(innovation=current, status=InnovationRevision.Status.PENDING)
        .first()
    )
    if pending is not None and pending.changes.get(PHOTOS):
        changes[PHOTOS] = pending.changes[PHOTOS]  # new photos wait in the same revision
    if not changes:
        if pending is not None:
            pending.delete()
        return None
    # Validate the whole record as it would be once approved, on a copy: the published row is untouched.
    candidate = Innovation.objects.select_related("unit__agency").get(pk=current.pk)
    _apply(candidate, changes)
    fill_derived(candidate, candidate.unit)
    candidate.full_clean()
    revision = pending or InnovationRevision(innovation=current)
    revision.changes = changes
    revision.base_version = expected_version
    revision.proposed_by = user
    revision.full_clean()
    revision.save()
    if pending is None:  # tell the gatekeepers once, not at every later save of the same change
        _tell_the_gatekeepers(revision, current, actor=user)
    return revision


def _tell_the_gatekeepers(revision: InnovationRevision, innovation: Innovation, *, actor) -> None:
    gatekeepers = User.objects.filter(role=Role.ADMIN_LOKAL, agency_id=innovation.agency_id)
    notify(
        gatekeepers, "registry.revision_submitted", revision, actor=actor,
        url=reverse("registry:revision_detail", args=[revision.pk]), unit=innovation.unit.name, title=innovation.title,
    )  # fmt: skip


@transaction.atomic
def propose_photo(*, user, attachment: Attachment) -> InnovationRevision:
    """Hold `user`'s new photo of a published innovation for its gatekeeper, in the pending revision.

    Called by `attachments.add_attachment` when `needs_review`: the photo is stored but marked
    `awaiting_review` (shown only to the innovation's editors) and its id joins the innovation's
    pending revision (created when there is none; the gatekeepers are told then). Approving the
    revision shows the photo; rejecting it removes the photo.
    """
    current = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("unit__agency")
        .get(pk=attachment.innovation_id)
    )
    Attachment.objects.filter(pk=attachment.pk).update(awaiting_review=True)
    attachment.awaiting_review = True
    pending = (
        InnovationRevision.objects.select_for_update()
        .filter(innovation=current, status=InnovationRevision.Status.PENDING)
        .first()
    )
    revision = pending or InnovationRevision(innovation=current, base_version=current.version, changes={})
    revision.changes = {**revision.changes, PHOTOS: sorted({*revision.changes.get(PHOTOS, []), attachment.pk})}
    revision.proposed_by = user
    revision.full_clean()
    revision.save()
    if pending is None:
        _tell_the_gatekeepers(revision, current, actor=user)
    return revision


def pending_photos(revision: InnovationRevision) -> list[Attachment]:
    """The new photos waiting in `revision` (those still stored), in upload order."""
    ids = revision.changes.get(PHOTOS) or []
    if not ids:
        return []
    return list(Attachment.objects.filter(pk__in=ids, innovation_id=revision.innovation_id).order_by("pk"))


def _discard_photos(revision: InnovationRevision) -> None:
    """Remove the photos a rejected revision held, and their files once the transaction commits."""
    for photo in pending_photos(revision):
        names = [f.name for f in (photo.file, photo.thumbnail) if f]
        storage = photo.file.storage
        photo.delete()
        for name in names:
            if not Attachment.objects.filter(file=name).exists():
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def _tell_the_unit(revision: InnovationRevision, kind: str, *, actor, **params) -> None:
    owners = list(User.objects.filter(role=Role.UPP, unit_id=revision.innovation.unit_id))
    if revision.proposed_by is not None:
        owners.append(revision.proposed_by)
    url = reverse("registry:revision_detail", args=[revision.pk])
    notify(owners, kind, revision, actor=actor, url=url, title=revision.innovation.title, **params)


def _locked_pending(revision: InnovationRevision) -> InnovationRevision:
    locked = InnovationRevision.objects.select_for_update().select_related("innovation").get(pk=revision.pk)
    if locked.status != InnovationRevision.Status.PENDING:
        raise ValidationError(
            _("This change was already %(state)s.") % {"state": locked.get_status_display().lower()},
            code="decided",
        )
    return locked


@transaction.atomic
def approve_revision(*, user, revision: InnovationRevision) -> Innovation:
    """The gatekeeper approves: the changed fields go live, the version increases, the finder and
    similarity indexes are refreshed. Raises PermissionDenied or ValidationError (already decided,
    or the values are no longer valid); nothing changes then."""
    if not user.has_perm("registry.publish_innovation", revision.innovation):
        raise PermissionDenied(_("Only the agency's Admin Lokal or the Ministry can approve changes."))
    revision = _locked_pending(revision)
    current = (
        Innovation.objects.select_for_update(of=("self",)).select_related("unit__agency").get(pk=revision.innovation_id)
    )
    _apply(current, revision.changes)
    fill_derived(current, current.unit)
    current.full_clean()
    current.version += 1
    current.save()
    tags = {
        name: model.objects.filter(pk__in=revision.changes[name])
        for name, model in (("categories", Category), ("sdgs", Sdg))
        if name in revision.changes
    }
    set_tags(current, tags.get("categories"), tags.get("sdgs"))
    Attachment.objects.filter(pk__in=revision.changes.get(PHOTOS) or [], innovation=current).update(
        awaiting_review=False
    )
    revision.status = InnovationRevision.Status.APPROVED
    revision.reviewed_by = user
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    schedule_similar_refresh(current.pk)
    published_changed([current.pk])
    revision.innovation = current
    _tell_the_unit(revision, "registry.revision_approved", actor=user)
    return current


@transaction.atomic
def reject_revision(*, user, revision: InnovationRevision, reason: str) -> InnovationRevision:
    """The gatekeeper rejects with a reason (required); the published version stays as it is."""
    if not user.has_perm("registry.publish_innovation", revision.innovation):
        raise PermissionDenied(_("Only the agency's Admin Lokal or the Ministry can reject changes."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the unit knows what to change.")})
    revision = _locked_pending(revision)
    revision.status = InnovationRevision.Status.REJECTED
    revision.reason = reason.strip()
    revision.reviewed_by = user
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "updated_at"])
    _discard_photos(revision)
    _tell_the_unit(revision, "registry.revision_rejected", actor=user, note=revision.reason)
    return revision


# Reads -------------------------------------------------------------------------------------------


def revisions_to_review(user) -> QuerySet[InnovationRevision]:
    """Pending revisions `user` may decide: its agency's (Admin Lokal), all (Ministry), else none."""
    qs = InnovationRevision.objects.filter(status=InnovationRevision.Status.PENDING).select_related(
        "innovation__agency", "innovation__unit", "proposed_by"
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_ministry:
        return qs
    if user.role == "admin_lokal" and user.agency_id:
        return qs.filter(innovation__agency_id=user.agency_id)
    return qs.none()


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    # For long texts: (op, text) runs where op is "equal", "delete" or "insert"; empty otherwise.
    words: tuple[tuple[str, str], ...] = ()


def _display(field: str, value) -> str:
    if field in TAG_FIELDS:
        model = Category if field == "categories" else Sdg
        return ", ".join(str(obj) for obj in model.objects.filter(pk__in=value or [])) or "—"
    model_field = Innovation._meta.get_field(field)
    value = _from_json(field, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)) or "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value) if value not in (None, "") else "—"


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Runs of equal, deleted and inserted words (spaces are tokens of their own, so an added word
    at the end does not mark the last old word as changed)."""
    a, b = re.findall(r"\s+|\S+", before or ""), re.findall(r"\s+|\S+", after or "")
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                runs.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                runs.append(("insert", "".join(b[j1:j2])))
    return tuple(runs)


def revision_diff(revision: InnovationRevision) -> list[FieldChange]:
    """Field by field, in the form's order: the published value and the proposed one."""
    innovation = revision.innovation
    published = published_values(innovation)
    order = [*EDITABLE_FIELDS, *TAG_FIELDS]
    rows = []
    for field in sorted(revision.changes, key=lambda f: order.index(f) if f in order else len(order)):
        if field not in order:
            continue
        label = str(Innovation._meta.get_field(field).verbose_name)
        old, new = published.get(field), revision.changes[field]
        words = word_diff(str(old or ""), str(new or "")) if field in WORD_DIFF_FIELDS else ()
        rows.append(
            FieldChange(
                name=field,
                label=label[:1].upper() + label[1:],
                before=_display(field, old),
                after=_display(field, new),
                words=words,
            )  # fmt: skip
        )
    return rows
