"""Writes to replications. Every write checks the permission of the side it belongs to, validates,
runs in one transaction, adds a timeline entry, refreshes the derived columns and the registry's
replication counts, and notifies both sides (by a background task)."""

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.core.files import DOCUMENT_KINDS, generated_name, store_file, validate_upload
from jipp.institutionalisation.domain.protection import (
    ReplicationRecord,
    ReplicationStage,
    count_adopting_agencies,
    is_successful_replication,
)
from jipp.notifications.services import notify
from jipp.regions.models import ServiceUnit
from jipp.registry.models import Innovation
from jipp.registry.services import set_replication_count
from jipp.replication.models import Document, Replication, ReplicationSource, StageRecord, TimelineEntry
from jipp.replication.rules import agency_member

STAGE_ORDER = [s.value for s in Replication.Stage]
ADOPTER_KINDS = {
    Document.Kind.REQUEST_LETTER,
    Document.Kind.MOU,
    Document.Kind.PKS,
    Document.Kind.STATEMENT_LETTER,
    Document.Kind.IMPLEMENTATION_STATEMENT,
    Document.Kind.EVALUATION_REPORT,
    Document.Kind.OTHER,
}
SOURCE_KINDS = {Document.Kind.MOU, Document.Kind.PKS, Document.Kind.STATEMENT_LETTER, Document.Kind.OTHER}
SIDE_KINDS = {Document.Side.ADOPTER: ADOPTER_KINDS, Document.Side.SOURCE: SOURCE_KINDS}


def side_of(user, replication: Replication) -> str | None:
    """The side `user` acts for (an agency member of the adopter or the source agency), else None."""
    if not agency_member(user):
        return None
    if user.agency_id == replication.adopter_agency_id:
        return Document.Side.ADOPTER
    if user.agency_id == replication.source_agency_id:
        return Document.Side.SOURCE
    return None


def _entry(replication, *, kind, side, actor, text="") -> None:
    TimelineEntry.objects.create(
        replication=replication, at=timezone.now(), kind=kind, side=side, actor=actor, text=text[:2000]
    )


def _notify(replication: Replication, event: str, actor=None) -> None:
    """Tell both sides (in-app, and by e-mail as each prefers) through the platform's notifications."""
    from jipp.replication.tasks import recipient_users

    notify(recipient_users(replication), f"replication.{event}", replication, actor=actor, **_notice(replication))


def _notice(replication: Replication) -> dict:
    return {
        "url": reverse("replication:detail", args=[replication.public_id]),
        "title": replication.primary_source.title if replication.primary_source_id else "",
        "source": replication.source_agency,
        "adopter": replication.adopter_agency,
    }


@transaction.atomic
def request_replication(
    *,
    user,
    innovations: Iterable[Innovation],
    adopter_unit: ServiceUnit | None,
    mode: str,
    problem: str = "",
    request_note: str = "",
    request_letter=None,
) -> Replication:
    """The adopter asks a source agency to replicate one or more of its published innovations.

    Refused (nothing saved): not an agency member (PermissionDenied); no innovation, innovations of
    several agencies, an unpublished one, one of the adopter's own agency, or a unit of another agency
    (ValidationError). Returns the new replication in status "requested".
    """
    if not user.has_perm("replication.request_replication"):
        raise PermissionDenied(_("Only an agency's UPP or Admin Lokal can request a replication."))
    innovations = list(innovations)
    if not innovations:
        raise ValidationError({"sources": _("Choose at least one innovation to replicate.")})
    agencies = {i.agency_id for i in innovations}
    if len(agencies) > 1:
        raise ValidationError({"sources": _("All source innovations of one replication must belong to one agency.")})
    if any(i.status != Innovation.Status.PUBLISHED for i in innovations):
        raise ValidationError({"sources": _("Only published innovations can be replicated.")})
    source_agency_id = agencies.pop()
    if source_agency_id == user.agency_id:
        raise ValidationError(
            {"sources": _("This innovation belongs to your own agency: replication is between different agencies.")}
        )
    if user.unit_id:
        adopter_unit = user.unit  # a UPP always adopts for its own unit
    if adopter_unit is not None and adopter_unit.agency_id != user.agency_id:
        raise ValidationError({"adopter_unit": _("Choose a unit of your own agency.")})
    replication = Replication(
        source_agency_id=source_agency_id,
        adopter_agency_id=user.agency_id,
        adopter_unit=adopter_unit,
        primary_source=innovations[0],
        mode=mode,
        problem=problem,
        request_note=request_note,
        requested_by=user,
    )
    replication.full_clean()
    replication.save()
    ReplicationSource.objects.bulk_create(
        [ReplicationSource(replication=replication, innovation=i) for i in innovations]
    )
    _entry(replication, kind=TimelineEntry.Kind.REQUESTED, side=Document.Side.ADOPTER, actor=user, text=request_note)
    if request_letter is not None:
        _store_document(
            replication,
            user=user,
            side=Document.Side.ADOPTER,
            kind=Document.Kind.REQUEST_LETTER,
            uploaded=request_letter,
        )
    refresh_replication(replication)
    _notify(replication, "requested", actor=user)
    return replication


def _already_message(replication: Replication) -> str:
    """What the loser of a race (or a second click) is told: the state the request is already in."""
    known = {
        Replication.Status.ACCEPTED: _("This request was already accepted; nothing was changed."),
        Replication.Status.DECLINED: _("This request was already declined; nothing was changed."),
        Replication.Status.WITHDRAWN: _("This request was already withdrawn; nothing was changed."),
    }
    return known[replication.status]


def _lock_open_request(*, user, replication: Replication, perm: str, denied: str) -> Replication:
    """Re-read `replication` under lock and check it is still requested (not yet answered or withdrawn).

    Of two racing transitions (accept and decline, answer and withdraw) exactly one sees "requested";
    the other raises ValidationError (code "already") naming the state it found, if the user may see
    the request, else PermissionDenied(denied). Returns the locked row; call inside a transaction.
    """
    current = Replication.objects.select_for_update(of=("self",)).get(pk=replication.pk)
    if current.status != Replication.Status.REQUESTED:
        if user.has_perm("replication.view_replication", current):
            raise ValidationError(_already_message(current), code="already")
        raise PermissionDenied(denied)
    if not user.has_perm(perm, current):
        raise PermissionDenied(denied)
    return current


def _copy_state(current: Replication, *, to: Replication) -> None:
    """Keep the caller's instance in step with the row a transition re-read and changed under lock."""
    if to is not current:
        for field in ("status", "response_note", "responded_at", "responded_by_id", "updated_at"):
            setattr(to, field, getattr(current, field))


@transaction.atomic
def respond_to_request(*, user, replication: Replication, accept: bool, note: str) -> Replication:
    """The source agency accepts or declines a request; declining needs a note. 403 for anyone else.

    Under lock: of an accept and a decline (or a withdrawal) at the same moment, exactly one wins; the
    other is told "already ..." (ValidationError, code "already") and nothing else happens.
    """
    denied = _("Only the source agency can answer this request, and only while it is open.")
    if not user.has_perm("replication.respond_replication", replication) and not user.has_perm(
        "replication.view_replication", replication
    ):
        raise PermissionDenied(denied)
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why you decline, so the adopter can look elsewhere.")})
    original, replication = (
        replication,
        _lock_open_request(user=user, replication=replication, perm="replication.respond_replication", denied=denied),
    )
    replication.status = Replication.Status.ACCEPTED if accept else Replication.Status.DECLINED
    replication.response_note = note
    replication.responded_at = timezone.now()
    replication.responded_by = user
    replication.full_clean()
    replication.save()
    kind = TimelineEntry.Kind.ACCEPTED if accept else TimelineEntry.Kind.DECLINED
    _entry(replication, kind=kind, side=Document.Side.SOURCE, actor=user, text=note)
    _notify(replication, kind, actor=user)
    _copy_state(replication, to=original)
    return replication


@transaction.atomic
def withdraw_request(*, user, replication: Replication) -> Replication:
    """The adopter withdraws a request not yet answered (under lock, like `respond_to_request`)."""
    original, replication = (
        replication,
        _lock_open_request(
            user=user,
            replication=replication,
            perm="replication.withdraw_replication",
            denied=_("Only the adopter can withdraw a request that has not been answered."),
        ),
    )
    replication.status = Replication.Status.WITHDRAWN
    replication.save(update_fields=["status", "updated_at"])
    _entry(replication, kind=TimelineEntry.Kind.WITHDRAWN, side=Document.Side.ADOPTER, actor=user)
    _notify(replication, "withdrawn", actor=user)
    _copy_state(replication, to=original)
    return replication


def earliest_stage_date(replication: Replication) -> date:
    """The request's day in the adopter's own zone: no stage can have begun before it was asked for."""
    return timezone.localtime(replication.created_at, ZoneInfo(replication.adopter_agency.timezone)).date()


def _check_stage_dates(replication, stage: str, started_on: date, completed_on: date | None, today: date) -> None:
    label = Replication.Stage(stage).label
    if completed_on is not None and completed_on < started_on:
        raise ValidationError(
            {"completed_on": _("%(stage)s: the end date is before the start date.") % {"stage": label}}
        )
    if started_on > today or (completed_on is not None and completed_on > today):
        raise ValidationError({"started_on": _("%(stage)s: dates cannot be in the future.") % {"stage": label}})
    asked_on = earliest_stage_date(replication)
    if started_on < asked_on:
        raise ValidationError(
            {
                "started_on": _("%(stage)s cannot start before the request was made (%(date)s).")
                % {"stage": label, "date": asked_on.isoformat()}
            }
        )
    position = STAGE_ORDER.index(stage)
    for other in replication.stages.exclude(stage=stage):
        other_position = STAGE_ORDER.index(other.stage)
        other_label = Replication.Stage(other.stage).label
        if other_position < position and other.started_on > started_on:
            raise ValidationError(
                {
                    "started_on": _("%(stage)s cannot start before %(other)s started (%(date)s).")
                    % {"stage": label, "other": other_label, "date": other.started_on.isoformat()}
                }
            )
        if other_position > position and other.started_on < started_on:
            raise ValidationError(
                {
                    "started_on": _("%(stage)s cannot start after %(other)s started (%(date)s).")
                    % {"stage": label, "other": other_label, "date": other.started_on.isoformat()}
                }
            )


@transaction.atomic
def record_stage(
    *,
    user,
    replication: Replication,
    stage: str,
    started_on: date,
    completed_on: date | None = None,
    notes: str = "",
    today: date | None = None,
) -> StageRecord:
    """The adopter records (or corrects) one stage. Dates out of order are refused naming the stage."""
    if not user.has_perm("replication.change_adopter_part", replication):
        raise PermissionDenied(_("Only the adopting agency records the stages, once the request is accepted."))
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Unknown stage.")})
    # Two saves of the stages at once queue on the request's row: the second sees the first's record
    # (no duplicate-key error, dates checked against what is stored).
    Replication.objects.select_for_update(of=("self",)).filter(pk=replication.pk).first()
    _check_stage_dates(replication, stage, started_on, completed_on, today or timezone.localdate())
    record, _created = StageRecord.objects.get_or_create(
        replication=replication, stage=stage, defaults={"started_on": started_on}
    )
    record.started_on, record.completed_on, record.notes = started_on, completed_on, notes
    record.full_clean()
    record.save()
    text = f"{Replication.Stage(stage).label}: {notes}".strip().rstrip(":")
    _entry(replication, kind=TimelineEntry.Kind.STAGE, side=Document.Side.ADOPTER, actor=user, text=text)
    refresh_replication(replication)
    _notify(replication, "stage", actor=user)
    return record


@transaction.atomic
def update_adopter_details(*, user, replication: Replication, differences: str, results: str, progress: int):
    if not user.has_perm("replication.change_adopter_part", replication):
        raise PermissionDenied(_("Only the adopting agency edits these parts."))
    replication.differences, replication.results, replication.progress = differences, results, progress
    replication.full_clean()
    replication.save()
    _entry(replication, kind=TimelineEntry.Kind.DETAILS, side=Document.Side.ADOPTER, actor=user)
    return replication


@transaction.atomic
def update_support(*, user, replication: Replication, support_notes: str) -> Replication:
    if not user.has_perm("replication.change_source_part", replication):
        raise PermissionDenied(_("Only the source agency edits its support notes."))
    replication.support_notes = support_notes
    replication.full_clean()
    replication.save()
    _entry(replication, kind=TimelineEntry.Kind.SUPPORT, side=Document.Side.SOURCE, actor=user, text=support_notes)
    return replication


@transaction.atomic
def set_outcome(*, user, replication: Replication, outcome: str, reason: str = "") -> Replication:
    """The adopter states the outcome. Success needs the implementation stage and the signed statement."""
    if not user.has_perm("replication.change_adopter_part", replication):
        raise PermissionDenied(_("Only the adopting agency states the outcome."))
    if outcome not in Replication.Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if outcome in (Replication.Outcome.ABANDONED, Replication.Outcome.SUCCEEDED_STOPPED) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason: it helps the next agency that tries.")})
    if outcome in (Replication.Outcome.SUCCEEDED_CONTINUING, Replication.Outcome.SUCCEEDED_STOPPED):
        reached = set(replication.stages.values_list("stage", flat=True))
        if not reached & {Replication.Stage.IMPLEMENTATION, Replication.Stage.EVALUATION}:
            raise ValidationError({"outcome": _("Record the implementation stage before declaring success.")})
        if not replication.documents.filter(kind=Document.Kind.IMPLEMENTATION_STATEMENT).exists():
            raise ValidationError(
                {"outcome": _("Upload the adopter's implementation statement before declaring success.")}
            )
    replication.outcome, replication.outcome_reason = outcome, reason
    replication.full_clean()
    replication.save()
    text = f"{Replication.Outcome(outcome).label}. {reason}".strip()
    _entry(replication, kind=TimelineEntry.Kind.OUTCOME, side=Document.Side.ADOPTER, actor=user, text=text)
    refresh_replication(replication)
    _notify(replication, "outcome", actor=user)
    return replication


def _store_document(replication, *, user, side: str, kind: str, uploaded) -> Document:
    if kind not in SIDE_KINDS[side]:
        raise ValidationError({"kind": _("This kind of document is uploaded by the other side.")})
    try:
        file_kind = validate_upload(uploaded, allowed=DOCUMENT_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    document = Document(
        replication=replication,
        kind=kind,
        side=side,
        original_name=(getattr(uploaded, "name", "") or "document")[:200],
        content_type=file_kind.content_type,
        size=uploaded.size,
        uploaded_by=user,
    )
    store_file(document.file, generated_name(file_kind), uploaded)
    document.full_clean()
    document.save()
    _entry(
        replication,
        kind=TimelineEntry.Kind.DOCUMENT,
        side=side,
        actor=user,
        text=f"{Document.Kind(kind).label}: {document.original_name}",
    )
    return document


@transaction.atomic
def add_document(*, user, replication: Replication, kind: str, uploaded) -> Document:
    """Either side uploads evidence of its own kinds (PDF/DOCX/XLSX, checked by content)."""
    if not user.has_perm("replication.upload_document", replication):
        raise PermissionDenied(_("You cannot add documents to this replication."))
    document = _store_document(replication, user=user, side=side_of(user, replication), kind=kind, uploaded=uploaded)
    refresh_replication(replication)
    _notify(replication, "document", actor=user)
    return document


def as_record(replication: Replication) -> ReplicationRecord:
    return ReplicationRecord(
        adopter_agency_id=replication.adopter_agency_id,
        stage=ReplicationStage(replication.stage) if replication.stage else ReplicationStage.PREPARATION,
        has_implementation_statement=replication.has_implementation_statement,
        cancelled=replication.status != Replication.Status.ACCEPTED
        or replication.outcome == Replication.Outcome.ABANDONED,
    )


def refresh_replication(replication: Replication) -> None:
    """Recompute the derived columns from the stages and documents, then the sources' counts."""
    stages = list(replication.stages.all())
    reached = max((STAGE_ORDER.index(s.stage) for s in stages), default=-1)
    replication.stage = STAGE_ORDER[reached] if reached >= 0 else ""
    replication.has_implementation_statement = replication.documents.filter(
        kind=Document.Kind.IMPLEMENTATION_STATEMENT
    ).exists()
    replication.is_successful = is_successful_replication(as_record(replication)) and replication.outcome in (
        Replication.Outcome.SUCCEEDED_CONTINUING,
        Replication.Outcome.SUCCEEDED_STOPPED,
    )
    ends = [s.completed_on or s.started_on for s in stages]
    replication.completed_on = max(ends) if replication.is_successful and ends else None
    source = replication.primary_source
    replication.source_province_id = source.province_id
    replication.adopter_province_id = _province_id(replication.adopter_agency)
    Replication.objects.filter(pk=replication.pk).update(
        stage=replication.stage,
        has_implementation_statement=replication.has_implementation_statement,
        is_successful=replication.is_successful,
        completed_on=replication.completed_on,
        source_province=replication.source_province_id,
        adopter_province=replication.adopter_province_id,
    )
    sync_replication_counts(innovation_ids=list(replication.source_links.values_list("innovation_id", flat=True)))


def _province_id(agency) -> int | None:
    if agency.region_id is None:
        return None
    region = agency.region
    return region.pk if region.parent_id is None else region.parent_id


def sync_replication_counts(*, innovation_ids: list[int]) -> dict[int, int]:
    """Write each innovation's distinct successful adopting agencies to the registry (as the Home Affairs
    index counts them, see protection.count_adopting_agencies) and tell interested apps. Returns the counts."""
    counts: dict[int, int] = {}
    innovations = Innovation.objects.filter(pk__in=innovation_ids).only("pk", "agency_id", "replication_count")
    links = (
        ReplicationSource.objects.filter(innovation_id__in=innovation_ids)
        .select_related("replication")
        .only("innovation_id", "replication")
    )
    records: dict[int, list[ReplicationRecord]] = {}
    for link in links:
        rep = link.replication
        record = as_record(rep)
        if not rep.is_successful:  # an outcome other than success does not count
            record = ReplicationRecord(
                record.adopter_agency_id, record.stage, record.has_implementation_statement, True
            )
        records.setdefault(link.innovation_id, []).append(record)
    changed = []
    for innovation in innovations:
        count = count_adopting_agencies(records.get(innovation.pk, []), source_agency_id=innovation.agency_id)
        counts[innovation.pk] = count
        if count != innovation.replication_count:
            set_replication_count(innovation_id=innovation.pk, count=count)
            changed.append(innovation.pk)
    if changed:
        transaction.on_commit(lambda: counts_changed(changed))
    return counts


def counts_changed(innovation_ids: list[int]) -> None:
    """Tell other apps (e.g. institutionalisation's protection status) and rebuild the matcher index.

    Apps subscribe by a method `on_replication_counts_changed(ids)` on their AppConfig, so replication
    imports none of its sibling apps.
    """
    from jipp.replication.tasks import schedule_rebuild

    for config in apps.get_app_configs():
        hook = getattr(config, "on_replication_counts_changed", None)
        if hook:
            hook(innovation_ids)
    schedule_rebuild()
