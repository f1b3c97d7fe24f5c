"""Writes for the competition: editions, proposals through their agency, and the administrative selection.

Every service takes keyword-only arguments, checks permission, validates before saving, runs in one
transaction and leaves nothing half-saved: it raises PermissionDenied or ValidationError instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.accounts.models import Role, User
from jipp.competition import checks, juklak, selectors
from jipp.competition.domain import similarity
from jipp.competition.models import (
    NONSENSE_CHECKS,
    Edition,
    Group,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ProposalEvent,
    ProposalSnapshot,
    Quota,
    RequiredAttachment,
    RubricCriterion,
    ScreeningDecision,
    ScreeningFlag,
    ScreeningRun,
    Section,
    Stage,
    UnsavedDraft,
)
from jipp.core import taskruns
from jipp.core.files import DOCUMENT_KINDS, IMAGE_KINDS, generated_name, store_file, validate_upload
from jipp.core.text import word_count
from jipp.notifications.services import notify as notify_people
from jipp.regions.models import Agency
from jipp.registry.models import Award, Category, Innovation, Sdg

logger = logging.getLogger(__name__)

# A near-duplicate is flagged when the texts share one long passage (a copied paragraph: at least
# MIN_LONGEST_PASSAGE content tokens, about 70 words) or when the shared passages cover at least
# STRONG_SCORE of the shorter text (many copied sentences, reordered). Several short shared sentences
# below that share are stock phrasing, common in proposals about the same service: measured on the
# national demo, true copies had a longest passage >= 42 tokens or a score >= 0.25, and coincidences
# a longest passage <= 31 tokens and a score <= 0.2 (bench/bench_screening_db.py).
MIN_LONGEST_PASSAGE = 40
STRONG_SCORE = 0.25
PASSAGES_KEPT = 8  # passages stored per near-duplicate flag (the strongest evidence is enough)
PASSAGE_CHARS = 700


class StaleProposalError(ValidationError):
    """Someone else saved the proposal since it was opened; carries the current proposal."""

    def __init__(self, current: Proposal):
        self.current = current
        who = current.last_saved_by.get_full_name() if current.last_saved_by else ""
        super().__init__(
            _(
                "Someone else (%(who)s) saved this proposal while you were editing it (now version %(version)d). "
                "Your text was NOT saved and is kept below; the other version is shown beside it. "
                "Merge what you need and save again."
            )
            % {"who": who or _("another user"), "version": current.version},
            code="stale",
        )


# ---------------------------------------------------------------------------------------
# Editions
# ---------------------------------------------------------------------------------------


def _aware(local_iso: str, zone: str) -> dt.datetime:
    import zoneinfo

    return dt.datetime.fromisoformat(local_iso).replace(tzinfo=zoneinfo.ZoneInfo(zone))


def create_juklak_edition(*, year: int = 2021, name: str = "", is_published: bool = True) -> Edition:
    """Create an edition from the 2021 guide (`jipp.competition.juklak`), with dates moved to `year`."""
    with transaction.atomic():
        edition = Edition(year=year, name=name or f"KIPP {year}", decree_number=juklak.DECREE_2021,
                          is_published=is_published)  # fmt: skip
        edition.full_clean()
        edition.save()
        edition.categories.set(Category.objects.filter(code__in=juklak.CATEGORIES_2021))
        shift = year - 2021
        for kind, start, end in juklak.STAGES_2021:
            starts = _aware(start, edition.reference_timezone)
            ends = _aware(end, edition.reference_timezone)
            Stage.objects.create(
                edition=edition,
                kind=kind,
                starts_at=_shift(starts, shift),
                ends_at=_shift(ends, shift),
            )
        for order, (kind, group_name, min_age, invitation, quota, sections) in enumerate(juklak.GROUPS):
            group = Group.objects.create(
                edition=edition, kind=kind, name=group_name, min_age_years=min_age, invitation_only=invitation,
                default_quota=quota, order=order,
            )  # fmt: skip
            for n, (key, title, title_en, max_words, weight, public) in enumerate(sections):
                section = Section.objects.create(
                    group=group, key=key, title=title, title_en=title_en, max_words=max_words, weight=weight,
                    weight_is_public=public, order=n,
                )  # fmt: skip
                RubricCriterion.objects.create(
                    group=group, section=section, name=title, name_en=title_en, weight=weight,
                    scale_min=juklak.RUBRIC_SCALE[0], scale_max=juklak.RUBRIC_SCALE[1], order=n,
                )  # fmt: skip
            attachments = juklak.ATTACHMENTS + (juklak.REPLIKASI_EXTRA_ATTACHMENTS if kind == "replikasi" else [])
            for n, (key, title, title_en, att_kind, required) in enumerate(attachments):
                RequiredAttachment.objects.create(
                    group=group, key=key, title=title, title_en=title_en, kind=att_kind, is_required=required, order=n
                )
    return edition


@transaction.atomic
def copy_edition(*, user, source: Edition, year: int, name: str = "", organiser: Agency | None = None) -> Edition:
    """Copy `source`'s whole configuration into a new edition for `year`, dates moved by the year difference.

    The copy is unpublished, so the secretariat can change it before opening it. Raises
    ValidationError if `year` already has an edition. With `organiser` (a hub's agency) the copy is a
    provincial edition of that organiser, run on this same engine; its hub admin may create it.
    """
    if organiser is None and not user.has_perm("competition.manage_edition"):
        raise PermissionDenied(_("Only the Ministry's secretariat manages editions."))
    if organiser is not None and not user.has_perm("competition.organise_edition", organiser):
        raise PermissionDenied(_("Only the organiser's hub admin or the Ministry creates its editions."))
    if Edition.all_editions.filter(year=year, organiser=organiser).exists():
        raise ValidationError({"year": _("An edition for %(year)d already exists.") % {"year": year}})
    shift = year - source.year
    edition = Edition(
        year=year, name=name or source.name.replace(str(source.year), str(year)), decree_number="",
        deadline_mode=source.deadline_mode, reference_timezone=source.reference_timezone, is_published=False,
        copied_from=source, organiser=organiser,
        level=Edition.Level.PROVINCIAL if organiser is not None else Edition.Level.NATIONAL,
    )  # fmt: skip
    if edition.name == source.name:
        edition.name = f"KIPP {year}"
    edition.full_clean()
    edition.save()
    edition.categories.set(source.categories.all())
    for item in source.stages.all():
        Stage.objects.create(
            edition=edition,
            kind=item.kind,
            starts_at=_shift(item.starts_at, shift),
            ends_at=_shift(item.ends_at, shift),
        )
    for group in source.groups.all():
        old_pk = group.pk
        invited = list(group.invited_agencies.all())
        sections = list(Section.objects.filter(group_id=old_pk))
        attachments = list(RequiredAttachment.objects.filter(group_id=old_pk))
        rubric = list(RubricCriterion.objects.filter(group_id=old_pk))
        quotas = list(Quota.objects.filter(group_id=old_pk))
        group.pk = None
        group.edition = edition
        group.save()
        group.invited_agencies.set(invited)
        section_map = {}
        for section in sections:
            old = section.pk
            section.pk, section.group = None, group
            section.save()
            section_map[old] = section
        for item in attachments:
            item.pk, item.group = None, group
            item.save()
        for item in rubric:
            item.pk, item.group = None, group
            item.section = section_map.get(item.section_id)
            item.save()
        for item in quotas:
            item.pk, item.group = None, group
            item.save()
    return edition


def _shift(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


# ---------------------------------------------------------------------------------------
# Notifications and the timeline
# ---------------------------------------------------------------------------------------


def _recipients(proposal: Proposal, *, unit: bool = True, agency: bool = True) -> list[User]:
    users = User.objects.filter(is_active=True)
    wanted = []
    if unit:
        wanted += list(users.filter(role=Role.UPP, unit_id=proposal.unit_id))
    if agency:
        wanted += list(users.filter(role=Role.ADMIN_LOKAL, agency_id=proposal.agency_id))
    return wanted


def notify(*, proposal: Proposal, message, users: Iterable[User], **params) -> None:
    """Tell each user about the proposal: in-app, and by e-mail as each prefers (the platform's notifications).

    `message` is a lazily translated sentence (gettext_lazy) with %(name)s placeholders filled from
    `params`: it is stored untranslated and read in each recipient's language, never the actor's.
    """
    users = [u for u in users if u is not None]
    url = reverse("competition:proposal_detail", args=[proposal.pk])
    notify_people(users, "kipp.proposal", proposal, url=url, message=message, year=proposal.edition.year, **params)


def _event(proposal: Proposal, *, actor, note: str = "", at: dt.datetime | None = None) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        status=proposal.status,
        note=note,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=at or timezone.now(),
    )


# ---------------------------------------------------------------------------------------
# Writing a proposal
# ---------------------------------------------------------------------------------------


@transaction.atomic
def start_proposal(*, user, edition: Edition, group: Group, innovation: Innovation, now=None) -> Proposal:
    """Open a draft proposal for one of the unit's registry innovations in `group` of `edition`.

    Raises PermissionDenied (not the innovation's unit) or ValidationError (closed edition, group of
    another edition, not invited, innovation already entered).
    """
    if not user.has_perm("competition.add_proposal", innovation):
        raise PermissionDenied(_("You can only enter your own unit's innovations."))
    if group.edition_id != edition.pk:
        raise ValidationError({"group": _("This group belongs to another edition.")})
    if not edition.is_published:
        raise ValidationError(_("This edition is not open for proposals."))
    if innovation.status != Innovation.Status.PUBLISHED:
        # The proposal copies the innovation: only a version the Admin Lokal has published may compete.
        raise ValidationError(
            {"innovation": _("Only a published innovation can be entered: ask your Admin Lokal to publish it first.")}
        )
    now = now or timezone.now()
    if not checks.is_before_deadline(now, selectors.deadline_for(edition, innovation.agency)):
        raise ValidationError(_("The submission deadline of this edition has passed."))
    if group.invitation_only and not group.invited_agencies.filter(pk=innovation.agency_id).exists():
        raise ValidationError({"group": _("The %(group)s group is by invitation only.") % {"group": group.name}})
    if Proposal.objects.filter(edition=edition, innovation=innovation).exists():
        raise ValidationError({"innovation": _("This innovation already has a proposal in this edition.")})
    proposal = Proposal(
        edition=edition, group=group, innovation=innovation, unit=innovation.unit, agency=innovation.agency,
        province=innovation.province, title=innovation.title, video_url=innovation.video_url, created_by=user,
        last_saved_by=user,
    )  # fmt: skip
    proposal.full_clean()
    proposal.save()
    proposal.categories.set(edition.categories.filter(pk__in=innovation.categories.values("pk")))
    proposal.sdgs.set(innovation.sdgs.all())
    ProposalAnswer.objects.bulk_create(
        [ProposalAnswer(proposal=proposal, section=s, text="", word_count=0) for s in proposal.group.sections.all()]
    )
    _event(proposal, actor=user, at=now)
    return proposal


@transaction.atomic
def save_draft(
    *,
    user,
    proposal: Proposal,
    expected_version: int,
    answers: dict[str, str],
    title: str | None = None,
    video_url: str | None = None,
    categories: Iterable[Category] | None = None,
    sdgs: Iterable[Sdg] | None = None,
    source_innovations: Iterable[Innovation] | None = None,
) -> Proposal:
    """Save the draft if nobody saved it since `expected_version` (optimistic locking).

    `answers` maps section keys to text; text over a word limit is saved (it only blocks sending on).
    Raises PermissionDenied, ValidationError, or StaleProposalError carrying the current proposal;
    nothing is saved in those cases. Returns the proposal with its version increased.
    """
    if not user.has_perm("competition.change_proposal", proposal):
        raise PermissionDenied(_("This proposal can no longer be edited here."))
    current = (
        Proposal.objects.select_for_update(of=("self",)).select_related("last_saved_by", "edition").get(pk=proposal.pk)
    )
    if current.version != expected_version:
        raise StaleProposalError(current)
    if not current.is_editable:
        raise PermissionDenied(_("This proposal can no longer be edited here."))
    if title is not None:
        current.title = title.strip() or current.title
    if video_url is not None:
        current.video_url = video_url.strip()
    current.version += 1
    current.last_saved_by = user
    current.full_clean()
    current.save()
    sections = {s.key: s for s in current.group.sections.all()}
    stored = {a.section_id: a for a in current.answers.all()}
    for key, text in answers.items():
        section = sections.get(key)
        if section is None:
            continue
        answer = stored.get(section.pk) or ProposalAnswer(proposal=current, section=section)
        answer.text = text
        answer.word_count = word_count(text)
        answer.save()
    if categories is not None:
        current.categories.set(categories)
    if sdgs is not None:
        current.sdgs.set(sdgs)
    if source_innovations is not None:
        current.source_innovations.set(source_innovations)
    return current


ALLOWED_KINDS = DOCUMENT_KINDS + IMAGE_KINDS


@transaction.atomic
def add_attachment(*, user, proposal: Proposal, requirement: RequiredAttachment, uploaded) -> ProposalAttachment:
    """Attach a content-checked file for `requirement` (replacing an earlier file for it)."""
    if not user.has_perm("competition.change_proposal", proposal):
        raise PermissionDenied(_("This proposal can no longer be edited here."))
    if requirement.group_id != proposal.group_id or requirement.kind != RequiredAttachment.Kind.FILE:
        raise ValidationError({"requirement": _("This attachment is not part of this group's form.")})
    kind = validate_upload(uploaded, allowed=ALLOWED_KINDS)
    proposal.attachments.filter(requirement=requirement).delete()
    attachment = ProposalAttachment(
        proposal=proposal, requirement=requirement, original_name=(uploaded.name or "")[:200] or kind.label,
        content_type=kind.content_type, size=uploaded.size, uploaded_by=user,
    )  # fmt: skip
    uploaded.seek(0)
    store_file(attachment.file, generated_name(kind), ContentFile(uploaded.read()))
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, user, attachment: ProposalAttachment) -> None:
    if not user.has_perm("competition.change_proposal", attachment.proposal):
        raise PermissionDenied(_("This proposal can no longer be edited here."))
    attachment.delete()


def keep_unsaved_draft(*, proposal: Proposal, data: dict, token: str | None = None) -> str:
    """Keep text posted without a valid session; return the claim token to store in the browser's session."""
    token = token or secrets.token_urlsafe(24)
    clean = {str(k)[:60]: str(v)[:50_000] for k, v in data.items() if isinstance(v, str)}
    UnsavedDraft.objects.update_or_create(proposal=proposal, claim_token=token, defaults={"data": clean})
    return token


def claim_unsaved_draft(*, user, proposal: Proposal, tokens: Iterable[str]) -> UnsavedDraft | None:
    """The latest text kept for `proposal` from this browser, once its user may edit the proposal."""
    if not user.has_perm("competition.change_proposal", proposal):
        return None
    draft = UnsavedDraft.objects.filter(proposal=proposal, claim_token__in=list(tokens)).first()
    if draft is not None and draft.user_id is None:
        draft.user = user
        draft.save(update_fields=["user", "updated_at"])
    return draft


def discard_unsaved_drafts(*, proposal: Proposal, tokens: Iterable[str]) -> None:
    UnsavedDraft.objects.filter(proposal=proposal, claim_token__in=list(tokens)).delete()


# ---------------------------------------------------------------------------------------
# Submission: UPP -> Admin Lokal -> Ministry
# ---------------------------------------------------------------------------------------


def _require_complete(proposal: Proposal) -> None:
    found = selectors.proposal_gaps(proposal)
    if not found:
        return
    over = [g for g in found if g.code == "over_word_limit"]
    if over:
        raise ValidationError(
            _("These sections are over their word limit: %(sections)s. Shorten them first.")
            % {"sections": "; ".join(f"{g.subject} ({g.detail})" for g in over)},
            code="over_word_limit",
        )
    raise ValidationError(
        _("The proposal is not complete yet (%(n)d items missing): see the checklist.") % {"n": len(found)},
        code="incomplete",
    )


def _require_open(proposal: Proposal, now: dt.datetime) -> None:
    deadline = selectors.deadline_for(proposal.edition, proposal.agency)
    if not checks.is_before_deadline(now, deadline):
        raise ValidationError(
            _("The submission deadline (%(deadline)s) has passed: the proposal can no longer be sent.")
            % {"deadline": format_in_zone(deadline, proposal.agency.timezone)},
            code="deadline",
        )


def format_in_zone(moment: dt.datetime | None, zone: str) -> str:
    """`moment` as "15 Mar 2021, 23.59 WIB" in `zone` (an IANA name)."""
    import zoneinfo

    from jipp.core.formatting import format_moment

    if moment is None:
        return ""
    return format_moment(moment, zone=zoneinfo.ZoneInfo(zone))  # the platform's one format


def _already_message(proposal: Proposal) -> str:
    """What the loser of a race (or a second click) is told: the state the proposal is already in."""
    known = {
        Proposal.Status.WITH_ADMIN_LOKAL: _("This proposal was already sent to the Admin Lokal; nothing was changed."),
        Proposal.Status.RETURNED: _("This proposal was already returned to the unit; nothing was changed."),
        Proposal.Status.FORWARDED: _("This proposal was already forwarded to the Ministry; nothing was changed."),
    }
    return known.get(proposal.status) or _(
        'This proposal is already at the step "%(status)s"; nothing was changed.'
    ) % {"status": proposal.get_status_display()}


def _lock_for_transition(*, user, proposal: Proposal, expected: Iterable[str], perm: str, denied: str) -> Proposal:
    """Re-read `proposal` under lock and check it is still in one of the `expected` statuses.

    Every transition of the submission path takes the same locks in the same order (the agency's
    row, then the proposal's), so of two racing transitions exactly one sees the expected status;
    the other raises ValidationError (code "already") naming the status it found. Raises
    PermissionDenied when `user` lacks `perm` on the locked proposal. Call inside a transaction.
    """
    Agency.objects.select_for_update().filter(pk=proposal.agency_id).first()
    current = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("edition", "group", "agency", "unit")
        .get(pk=proposal.pk)
    )
    if current.status not in tuple(expected):
        if user.has_perm("competition.view_proposal", current):
            raise ValidationError(_already_message(current), code="already")
        raise PermissionDenied(denied)
    if not user.has_perm(perm, current):
        raise PermissionDenied(denied)
    return current


def _copy_state(proposal: Proposal, *, to: Proposal) -> None:
    """Keep the caller's instance in step with the row a transition re-read and changed under lock."""
    if to is not proposal:
        for field in ("status", "submitted_at", "return_note", "version", "updated_at"):
            setattr(to, field, getattr(proposal, field))


@transaction.atomic
def submit_to_admin_lokal(*, user, proposal: Proposal, now: dt.datetime | None = None) -> Proposal:
    """The UPP sends its complete draft to its agency's Admin Lokal (before the deadline)."""
    caller = proposal
    proposal = _lock_for_transition(
        user=user, proposal=proposal, expected=Proposal.EDITABLE, perm="competition.submit_proposal",
        denied=_("Only the unit's operator can send this draft."),
    )  # fmt: skip
    now = now or timezone.now()
    _require_open(proposal, now)
    _require_complete(proposal)
    proposal.status = Proposal.Status.WITH_ADMIN_LOKAL
    proposal.submitted_at = now
    proposal.version += 1
    proposal.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    _copy_state(proposal, to=caller)
    _event(proposal, actor=user, at=now)
    notify(
        proposal=proposal,
        message=gettext_lazy('%(unit)s sent the proposal "%(title)s" for checking.'),
        users=_recipients(proposal, unit=False),
        unit=proposal.unit.name,
        title=proposal.title,
    )
    return proposal


@transaction.atomic
def return_to_unit(*, user, proposal: Proposal, note: str, now: dt.datetime | None = None) -> Proposal:
    """The Admin Lokal sends the proposal back to its unit with a note (required).

    Conditional on the proposal still being with the Admin Lokal (under the same locks as forwarding):
    of a return and a forward at the same moment exactly one wins, the other is told "already ...".
    """
    if not note.strip():
        raise ValidationError({"note": _("Say what the unit should change.")})
    caller = proposal
    proposal = _lock_for_transition(
        user=user, proposal=proposal, expected=[Proposal.Status.WITH_ADMIN_LOKAL],
        perm="competition.return_proposal", denied=_("Only the agency's Admin Lokal can return this proposal."),
    )  # fmt: skip
    proposal.status = Proposal.Status.RETURNED
    proposal.return_note = note.strip()
    proposal.version += 1
    proposal.save(update_fields=["status", "return_note", "version", "updated_at"])
    _copy_state(proposal, to=caller)
    _event(proposal, actor=user, note=proposal.return_note, at=now)
    notify(
        proposal=proposal,
        message=gettext_lazy('Your proposal "%(title)s" was returned by the Admin Lokal: %(note)s'),
        users=_recipients(proposal, agency=False),
        title=proposal.title,
        note=proposal.return_note,
    )
    return proposal


def build_snapshot(proposal: Proposal) -> dict:
    """Everything the Ministry receives, as plain JSON: kept as it is, whatever changes later."""
    answers = {a.section_id: a for a in proposal.answers.all()}
    innovation = proposal.innovation
    return {
        "edition": {"year": proposal.edition.year, "name": proposal.edition.name},
        "group": {"kind": proposal.group.kind, "name": proposal.group.name},
        "title": proposal.title,
        "unit": proposal.unit.name,
        "agency": proposal.agency.name,
        "innovation": {
            "id": innovation.pk,
            "title": innovation.title,
            "start_date": innovation.start_date.isoformat() if innovation.start_date else None,
            "stage": innovation.stage,
            "award_tier": innovation.award_tier,
            "summary": innovation.summary,
        },
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "title_en": s.title_en,
                "max_words": s.max_words,
                "text": answers[s.pk].text if s.pk in answers else "",
                "words": answers[s.pk].word_count if s.pk in answers else 0,
            }
            for s in proposal.group.sections.all()
        ],
        "attachments": [
            {
                "key": a.requirement.key,
                "title": a.requirement.title,
                "file": a.file.name,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in proposal.attachments.select_related("requirement")
        ],
        "video_url": proposal.video_url,
        "categories": [{"code": c.code, "name_id": c.name_id, "name_en": c.name_en} for c in proposal.categories.all()],
        "sdgs": [{"number": s.number, "name_id": s.name_id, "name_en": s.name_en} for s in proposal.sdgs.all()],
        "source_innovations": [{"id": i.pk, "title": i.title} for i in proposal.source_innovations.all()],
        "version": proposal.version,
    }


@transaction.atomic
def forward_proposal(*, user, proposal: Proposal, now: dt.datetime | None = None) -> Proposal:
    """The Admin Lokal forwards a complete proposal to the Ministry: within the quota, before the deadline.

    Freezes a snapshot of exactly what was submitted. Raises ValidationError naming the reason
    (deadline, quota, incomplete or over a word limit); nothing changes then.
    """
    now = now or timezone.now()
    # The agency's row is locked first, so two forwards of the same agency (two tabs, two Admin Lokal) are
    # counted one after the other and cannot both take the last quota place (PostgreSQL; SQLite's
    # IMMEDIATE transactions already serialise writers); the status is re-checked under that lock.
    proposal = _lock_for_transition(
        user=user, proposal=proposal, expected=[Proposal.Status.WITH_ADMIN_LOKAL],
        perm="competition.forward_proposal", denied=_("Only the agency's Admin Lokal can forward this proposal."),
    )  # fmt: skip
    _require_open(proposal, now)
    quota = selectors.quota_for(proposal.group, proposal.agency)
    used = selectors.forwarded_count(proposal.group, proposal.agency)
    if quota is not None and used >= quota:
        raise ValidationError(
            _("The quota for the %(group)s group is used up: %(used)d of %(quota)d proposals already forwarded.")
            % {"group": proposal.group.name, "used": used, "quota": quota},
            code="quota",
        )
    _require_complete(proposal)
    proposal.status = Proposal.Status.FORWARDED
    proposal.forwarded_at = now
    proposal.forwarded_by = user
    proposal.version += 1
    proposal.save(update_fields=["status", "forwarded_at", "forwarded_by", "version", "updated_at"])
    ProposalSnapshot.objects.update_or_create(
        proposal=proposal, defaults={"data": build_snapshot(proposal), "taken_at": now, "taken_by": user}
    )
    _event(proposal, actor=user, at=now)
    notify(
        proposal=proposal,
        message=gettext_lazy('The proposal "%(title)s" was forwarded to the Ministry.'),
        users=_recipients(proposal),
        title=proposal.title,
    )
    return proposal


# ---------------------------------------------------------------------------------------
# Administrative selection
# ---------------------------------------------------------------------------------------


@transaction.atomic
def decide(*, user, proposal: Proposal, outcome: str, reason: str, now=None) -> ScreeningDecision:
    """Pass or fail a forwarded proposal with a reason; the unit and agency are told."""
    if not user.has_perm("competition.decide_proposal", proposal):
        raise PermissionDenied(_("Only the Ministry's secretariat decides the administrative selection."))
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("edition").get(pk=proposal.pk)
    if proposal.status not in (
        Proposal.Status.FORWARDED,
        Proposal.Status.PASSED_ADMINISTRATION,
        Proposal.Status.FAILED_ADMINISTRATION,
    ):
        raise ValidationError(_("This proposal is past the administrative selection."), code="already")
    if outcome not in ScreeningDecision.Outcome.values:
        raise ValidationError({"outcome": _("Choose pass or fail.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    now = now or timezone.now()
    decision = ScreeningDecision(proposal=proposal, outcome=outcome, reason=reason.strip(), decided_by=user,
                                 decided_at=now)  # fmt: skip
    decision.full_clean()
    decision.save()
    proposal.status = (
        Proposal.Status.PASSED_ADMINISTRATION if outcome == "pass" else Proposal.Status.FAILED_ADMINISTRATION
    )
    proposal.decision_reason = decision.reason
    proposal.save(update_fields=["status", "decision_reason", "updated_at"])
    _event(proposal, actor=user, note=decision.reason, at=now)
    notify(
        proposal=proposal,
        message=gettext_lazy('Administrative selection of "%(title)s": %(status)s. Reason: %(reason)s'),
        users=_recipients(proposal),
        title=proposal.title,
        status=Proposal.Status(proposal.status).label,
        reason=decision.reason,
    )
    return decision


def bulk_pass(*, user, proposals: Iterable[Proposal], reason: str) -> tuple[int, list[Proposal]]:
    """Pass every given proposal that has no flag and was screened; return (passed, skipped)."""
    passed, skipped = 0, []
    wanted = [p.pk for p in proposals]
    fresh = Proposal.objects.select_related("edition", "unit", "agency").in_bulk(wanted)
    for proposal in (fresh[pk] for pk in wanted if pk in fresh):
        if proposal.flag_count or proposal.screened_at is None or proposal.status != Proposal.Status.FORWARDED:
            skipped.append(proposal)
            continue
        decide(user=user, proposal=proposal, outcome="pass", reason=reason)
        passed += 1
    return passed, skipped


def start_screening(*, user, edition: Edition) -> ScreeningRun:
    """Queue a screening run of `edition` as a background task; return the run to follow its progress.

    One screening per edition at a time (`jipp.core.taskruns`): while one is queued or running, a
    second request joins it and gets its run."""
    from jipp.competition.tasks import SCREEN, active_screening, scope_of, screen_edition_task

    if not user.has_perm("competition.screen_edition", edition):
        raise PermissionDenied(_("Only the Ministry's secretariat runs the screening."))
    with transaction.atomic():
        taskruns.enqueue_once(screen_edition_task, name=SCREEN, scope=scope_of(edition.pk), edition_id=edition.pk)
        run = active_screening(edition)
        if run is None:
            run = ScreeningRun.objects.create(edition=edition, started_by=user, phase=_("Queued"))
    return run


def _text_of(sections: list[dict]) -> str:
    return "\n\n".join(s.get("text", "") for s in sections)


def _proposal_content(proposal: Proposal, live_answers: dict[int, list[dict]]) -> dict:
    snapshot = getattr(proposal, "snapshot", None)
    if snapshot is not None:
        return snapshot.data
    return {"title": proposal.title, "sections": live_answers.get(proposal.pk, []), "attachments": [],
            "sdgs": [], "video_url": proposal.video_url}  # fmt: skip


def _shorten(passage: similarity.Passage) -> dict:
    return {
        "query": passage.query_text[:PASSAGE_CHARS],
        "source": passage.source_text[:PASSAGE_CHARS],
        "tokens": passage.tokens,
    }


def screen_edition(
    *,
    edition: Edition,
    run: ScreeningRun | None = None,
    progress: Callable[[int, str], None] | None = None,
    workers: int = 2,
    include_registry: bool = True,
    registry_limit: int | None = None,
) -> ScreeningRun:
    """Run every automatic check on the edition's submitted proposals and replace their flags.

    Checks: minimum age, missing sections/attachments/SDG, word limits, nonsense answers, same titles,
    near-duplicates (against each other, earlier editions' proposals and registry texts), Umum
    eligibility (already a Top winner or twice Top 99) and invitations. Reads what was submitted (the
    snapshot). `registry_limit` keeps only the most recently published registry texts (None: all).
    Reports `progress(percent, phase)`; returns the finished run. Flags inform: no status
    changes here.
    """
    started = time.perf_counter()
    run = run or ScreeningRun.objects.create(edition=edition)

    def report(percent: int, phase: str) -> None:
        ScreeningRun.objects.filter(pk=run.pk).update(
            status=ScreeningRun.Status.RUNNING, progress=percent, phase=phase[:100]
        )
        if progress:
            progress(percent, phase)

    report(1, _("Reading the proposals"))
    proposals = list(
        Proposal.objects.filter(edition=edition, status__in=Proposal.SUBMITTED)
        .select_related("group", "agency__region", "innovation", "snapshot")
        .order_by("pk")
    )
    live: dict[int, list[dict]] = defaultdict(list)
    no_snapshot = [p.pk for p in proposals if not hasattr(p, "snapshot")]
    for answer in ProposalAnswer.objects.filter(proposal_id__in=no_snapshot).select_related("section"):
        live[answer.proposal_id].append(
            {"key": answer.section.key, "title": answer.section.title, "max_words": answer.section.max_words,
             "text": answer.text, "words": answer.word_count}
        )  # fmt: skip
    contents = {p.pk: _proposal_content(p, live) for p in proposals}
    groups = {g.pk: g for g in edition.groups.all()}
    sections = {g: list(g.sections.all()) for g in groups.values()}
    attachments = {g: [a for a in g.required_attachments.all() if a.is_required] for g in groups.values()}
    invited = {g.pk: set(g.invited_agencies.values_list("pk", flat=True)) for g in groups.values()}
    innovation_ids = [p.innovation_id for p in proposals]
    top99_counts = dict(
        Award.objects.filter(innovation_id__in=innovation_ids, tier=Innovation.AwardTier.TOP99)
        .values("innovation_id")
        .annotate(n=Count("pk"))
        .values_list("innovation_id", "n")
    )
    flags: list[ScreeningFlag] = []
    # The age is counted to the submission deadline, as a date in the agency's zone (one per zone).
    edition = Edition.all_editions.prefetch_related("stages").get(pk=edition.pk)
    reference_dates = _ReferenceDates(edition)

    report(5, _("Checking ages, completeness and answers"))
    limits = {(g.pk, sec.key): max(sec.max_words // 10, 5) for g, secs in sections.items() for sec in secs}
    answers = [
        (p.pk, a.get("key"), a.get("text", ""), limits[(p.group_id, a.get("key"))])
        for p in proposals
        for a in contents[p.pk].get("sections", [])
        if (p.group_id, a.get("key")) in limits and a.get("text", "").strip()
    ]
    found = _nonsense_checks([(text, minimum) for _pk, _key, text, minimum in answers], workers)
    nonsense = {(pk, key): result for (pk, key, _text, _min), result in zip(answers, found, strict=True)}
    for proposal in proposals:
        content = contents[proposal.pk]
        group = groups[proposal.group_id]
        flags += _structural_flags(proposal, content, group, sections[group], attachments[group], invited[group.pk],
                                   top99_counts.get(proposal.innovation_id, 0), run, reference_dates,
                                   nonsense)  # fmt: skip

    report(10, _("Comparing titles"))
    for match in similarity.similar_titles([(p.pk, contents[p.pk].get("title", p.title)) for p in proposals]):
        for this, other, this_title, other_title in (
            (match.first_key, match.second_key, match.first_title, match.second_title),
            (match.second_key, match.first_key, match.second_title, match.first_title),
        ):
            flags.append(ScreeningFlag(
                proposal_id=this, run=run, kind=ScreeningFlag.Kind.SAME_TITLE, score=match.score,
                other_proposal_id=other,
                message=(_("Same title as \"%(other)s\".") if match.same else
                         _("Nearly the same title as \"%(other)s\" (%(score)d%%).")) % {
                    "other": other_title[:200], "score": round(match.score * 100)},
                evidence={"title": this_title, "other_title": other_title, "score": round(match.score, 3)},
            ))  # fmt: skip

    report(15, _("Reading earlier proposals and registry texts"))
    corpus: list[tuple[str, str]] = []
    titles: dict[str, str] = {}
    earlier = (
        ProposalSnapshot.objects.filter(proposal__edition__year__lt=edition.year)
        .values_list("proposal_id", "proposal__edition__year", "proposal__innovation_id", "data")
        .iterator(chunk_size=1000)
    )
    earlier_innovation: dict[str, int] = {}
    for pk, year, innovation_id, data in earlier:
        key = f"proposal:{pk}"
        corpus.append((key, _text_of(data.get("sections", []))))
        titles[key] = f"{data.get('title', '')} (KIPP {year}, {data.get('agency', '')})"
        earlier_innovation[key] = innovation_id
    if include_registry:
        published = Innovation.objects.filter(status=Innovation.Status.PUBLISHED).order_by("-published_at", "-pk")
        if registry_limit is not None:
            published = published[:registry_limit]
        registry = published.values_list("pk", "title", "summary", "problem", "solution", "results").iterator(
            chunk_size=2000
        )
        for pk, title, *texts in registry:
            key = f"innovation:{pk}"
            corpus.append((key, "\n\n".join(t for t in texts if t)))
            titles[key] = title
    report(25, _("Indexing %(n)d earlier texts") % {"n": len(corpus)})
    index = similarity.build_index(corpus, workers=workers)

    report(55, _("Looking for near-duplicate texts"))
    queries = [(p.pk, _text_of(contents[p.pk].get("sections", []))) for p in proposals]
    by_pk = {p.pk: p for p in proposals}
    matches = similarity.find_near_duplicates(index, queries, workers=workers)

    report(85, _("Saving the flags"))
    for match in matches:
        if match.score < STRONG_SCORE and max((p.tokens for p in match.passages), default=0) < MIN_LONGEST_PASSAGE:
            continue
        query = by_pk[match.query_key]
        source = match.source_key
        if isinstance(source, str) and source == f"innovation:{query.innovation_id}":
            continue  # a proposal may of course reuse its own registry description
        passages = [_shorten(p) for p in match.passages[:PASSAGES_KEPT]]
        if isinstance(source, str):
            kind, _sep, source_id = source.partition(":")
            same = earlier_innovation.get(source) == query.innovation_id
            flags.append(ScreeningFlag(
                proposal=query, run=run, kind=ScreeningFlag.Kind.NEAR_DUPLICATE, score=match.score,
                message=_("%(score)d%% of the text overlaps with %(what)s \"%(title)s\".") % {
                    "score": round(match.score * 100),
                    "what": _("an earlier proposal") if kind == "proposal" else _("the registry innovation"),
                    "title": titles.get(source, "")[:200]},
                evidence={"source_kind": kind, "source_id": int(source_id), "source_title": titles.get(source, ""),
                          "same_innovation": same, "score": round(match.score, 3),
                          "query_coverage": round(match.query_coverage, 3),
                          "source_coverage": round(match.source_coverage, 3), "passages": passages},
            ))  # fmt: skip
            continue
        other = by_pk[source]
        for this, that, swap in ((query, other, False), (other, query, True)):
            shown = (
                [{"query": p["source"], "source": p["query"], "tokens": p["tokens"]} for p in passages]
                if swap
                else passages
            )
            flags.append(ScreeningFlag(
                proposal=this, run=run, kind=ScreeningFlag.Kind.NEAR_DUPLICATE, score=match.score,
                other_proposal=that,
                message=_("%(score)d%% of the text overlaps with \"%(title)s\" (%(agency)s) in this edition.") % {
                    "score": round(match.score * 100), "title": that.title[:200], "agency": that.agency.name},
                evidence={"source_kind": "edition", "source_id": that.pk, "source_title": that.title,
                          "score": round(match.score, 3),
                          "query_coverage": round(match.source_coverage if swap else match.query_coverage, 3),
                          "source_coverage": round(match.query_coverage if swap else match.source_coverage, 3),
                          "passages": shown},
            ))  # fmt: skip

    now = timezone.now()
    with transaction.atomic():
        ScreeningFlag.objects.filter(proposal__in=proposals).delete()
        ScreeningFlag.objects.bulk_create(flags, batch_size=1000)
        counts = defaultdict(int)
        for flag in flags:
            counts[flag.proposal_id] += 1
        for proposal in proposals:
            proposal.flag_count = min(counts.get(proposal.pk, 0), 32767)
            proposal.screened_at = now
        Proposal.objects.bulk_update(proposals, ["flag_count", "screened_at"], batch_size=1000)
        run.status = ScreeningRun.Status.DONE
        run.progress = 100
        run.phase = _("Done")
        run.proposals = len(proposals)
        run.corpus = len(corpus)
        run.flags = len(flags)
        run.seconds = round(time.perf_counter() - started, 1)
        run.finished_at = now
        run.save()
    if progress:
        progress(100, run.phase)
    return run


class _ReferenceDates(dict):
    """Zone name -> the submission deadline's date there (today when the edition has no deadline)."""

    def __init__(self, edition: Edition):
        super().__init__()
        self.edition = edition

    def __missing__(self, zone: str) -> dt.date:
        import zoneinfo

        submission = selectors.stage(self.edition, Stage.Kind.SUBMISSION)
        deadline = None
        if submission is not None:
            deadline = checks.effective_deadline(
                submission.ends_at,
                mode=self.edition.deadline_mode,
                reference_zone=self.edition.reference_timezone,
                agency_zone=zone,
            )
        value = (deadline or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone)).date()
        self[zone] = value
        return value


def _nonsense_batch(items: list[tuple[str, int]]) -> list[list[similarity.Flag]]:
    return [similarity.check_section(text, min_words=minimum) for text, minimum in items]


def _nonsense_checks(items: list[tuple[str, int]], workers: int) -> list[list[similarity.Flag]]:
    """`check_section` on every answer; split across processes for a whole edition (pure, per text)."""
    if workers <= 1 or len(items) < 2000:
        return _nonsense_batch(items)
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(items) // (workers * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [flags for part in pool.map(_nonsense_batch, chunks) for flags in part]


def _structural_flags(proposal, content, group, sections, attachments, invited, top99_count, run, reference_dates,
                      nonsense_found):  # fmt: skip
    """Flags about one proposal alone: age, completeness, word limits, nonsense, eligibility."""
    found: list[ScreeningFlag] = []

    def flag(kind, message, **evidence):
        found.append(ScreeningFlag(proposal=proposal, run=run, kind=kind, message=message[:400], evidence=evidence))

    reference = reference_dates[proposal.agency.timezone]
    start_iso = (content.get("innovation") or {}).get("start_date")
    start = dt.date.fromisoformat(start_iso) if start_iso else proposal.innovation.start_date
    if not checks.is_old_enough(start, reference, group.min_age_years):
        flag(ScreeningFlag.Kind.TOO_YOUNG,
             _("Started %(start)s: younger than %(years)d year(s) on %(reference)s.") % {
                 "start": start.isoformat() if start else _("(no start date)"), "years": group.min_age_years,
                 "reference": reference.isoformat()},
             start_date=start.isoformat() if start else None, reference_date=reference.isoformat(),
             min_age_years=group.min_age_years)  # fmt: skip
    answers = {s.get("key"): s for s in content.get("sections", [])}
    for section in sections:
        answer = answers.get(section.key, {})
        text = answer.get("text", "")
        if not text.strip():
            flag(
                ScreeningFlag.Kind.MISSING_SECTION,
                _('Section "%(s)s" is empty.') % {"s": section.title},
                section=section.key,
            )
            continue
        words = word_count(text)
        if words > section.max_words:
            flag(ScreeningFlag.Kind.OVER_WORD_LIMIT,
                 _("Section \"%(s)s\" has %(n)d words (limit %(max)d).") % {
                     "s": section.title, "n": words, "max": section.max_words},
                 section=section.key, words=words, max_words=section.max_words)  # fmt: skip
        nonsense = nonsense_found.get((proposal.pk, section.key), [])
        if nonsense:
            flag(ScreeningFlag.Kind.NONSENSE,
                 _("Section \"%(s)s\" looks like a nonsense answer (%(why)s).") % {
                     "s": section.title, "why": ", ".join(str(NONSENSE_CHECKS[f.code]) for f in nonsense)},
                 section=section.key, section_title=section.title,
                 checks=[{"code": f.code, "reason": f.reason, "evidence": f.evidence} for f in nonsense])  # fmt: skip
    attached = {a.get("key") for a in content.get("attachments", [])}
    for requirement in attachments:
        if requirement.kind == RequiredAttachment.Kind.LINK:
            if not (content.get("video_url") or "").strip():
                flag(ScreeningFlag.Kind.MISSING_ATTACHMENT, _("No video link."), attachment=requirement.key)
        elif requirement.key not in attached:
            flag(
                ScreeningFlag.Kind.MISSING_ATTACHMENT,
                _("Attachment missing: %(a)s.") % {"a": requirement.title},
                attachment=requirement.key,
            )
    if not content.get("sdgs"):
        flag(ScreeningFlag.Kind.MISSING_SDG, _("No Sustainable Development Goal is linked."))
    if group.kind == Group.Kind.UMUM:
        tier = (content.get("innovation") or {}).get("award_tier", proposal.innovation.award_tier)
        if tier in (Innovation.AwardTier.TOP45, Innovation.AwardTier.OUTSTANDING):
            flag(ScreeningFlag.Kind.ALREADY_WON,
                 _("The innovation already won %(tier)s: not eligible for the Umum group.") % {
                     "tier": Innovation.AwardTier(tier).label}, award_tier=tier)  # fmt: skip
        elif top99_count >= 2:
            flag(ScreeningFlag.Kind.ALREADY_WON,
                 _("The innovation was Top 99 %(n)d times: not eligible for the Umum group.") % {"n": top99_count},
                 top99_count=top99_count)  # fmt: skip
    if group.invitation_only and proposal.agency_id not in invited:
        flag(ScreeningFlag.Kind.NOT_INVITED, _("The agency was not invited to the %(g)s group.") % {"g": group.name})
    return found
