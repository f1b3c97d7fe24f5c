"""Reads for the competition: scoped proposal lists, deadlines per agency, completeness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from jipp.accounts.models import Role
from jipp.competition import checks
from jipp.competition.models import (
    Edition,
    Group,
    Proposal,
    ProposalAnswer,
    Quota,
    RequiredAttachment,
    ScreeningFlag,
    ScreeningRun,
    Section,
    Stage,
)


def visible_proposals(user) -> QuerySet[Proposal]:
    """The proposals `user` may see: all (Ministry), its agency's (Admin Lokal), its unit's (UPP), else none."""
    qs = Proposal.objects.select_related("edition", "group", "unit", "agency")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_ministry:
        return qs
    if user.role == Role.ADMIN_LOKAL and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    if user.role == Role.UPP and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def current_edition() -> Edition | None:
    """The latest published edition (or the latest at all when none is published)."""
    return Edition.objects.filter(is_published=True).first() or Edition.objects.first()


def stage(edition: Edition, kind: str) -> Stage | None:
    for item in edition.stages.all():
        if item.kind == kind:
            return item
    return None


def deadline_for(edition: Edition, agency) -> dt.datetime | None:
    """The submission deadline instant (UTC) for `agency`, per the edition's deadline mode."""
    submission = stage(edition, Stage.Kind.SUBMISSION)
    if submission is None:
        return None
    return checks.effective_deadline(
        submission.ends_at,
        mode=edition.deadline_mode,
        reference_zone=edition.reference_timezone,
        agency_zone=agency.timezone,
    )


@dataclass(frozen=True)
class SubmissionWindow:
    """Whether an agency may still start and send proposals in an edition, and until when (UTC)."""

    deadline: dt.datetime | None
    zone: str
    is_closed: bool


def submission_window(edition: Edition, agency, now: dt.datetime) -> SubmissionWindow:
    """The edition's submission stage as `agency` sees it at `now` (the same test the services apply).

    An unpublished edition counts as closed; without an agency the edition's reference zone applies.
    """
    if agency is not None:
        deadline, zone = deadline_for(edition, agency), agency.timezone
    else:
        submission = stage(edition, Stage.Kind.SUBMISSION)
        deadline, zone = (submission.ends_at if submission else None), edition.reference_timezone
    closed = not edition.is_published or not checks.is_before_deadline(now, deadline)
    return SubmissionWindow(deadline=deadline, zone=zone, is_closed=closed)


def quota_for(group: Group, agency) -> int | None:
    override = Quota.objects.filter(group=group, agency=agency).values_list("max_proposals", flat=True).first()
    return override if override is not None else group.default_quota


def forwarded_count(group: Group, agency) -> int:
    return Proposal.objects.filter(group=group, agency=agency, status__in=Proposal.SUBMITTED).count()


def sections_of(group: Group) -> list[Section]:
    return list(group.sections.all())


def attachments_of(group: Group) -> list[RequiredAttachment]:
    return list(group.required_attachments.all())


def proposal_gaps(proposal: Proposal) -> list[checks.Gap]:
    """What the proposal still lacks before it can be sent on (see `checks.gaps`)."""
    answers = {a.section_id: a for a in proposal.answers.all()}
    sections = sections_of(proposal.group)
    by_key = {s.key: answers.get(s.pk) for s in sections}
    draft = checks.Draft(
        answers={key: (a.text if a else "") for key, a in by_key.items()},
        counts={key: a.word_count for key, a in by_key.items() if a},
        attachment_keys={a.requirement.key for a in proposal.attachments.all()},
        video_url=proposal.video_url,
        sdg_count=proposal.sdgs.count(),
        category_count=proposal.categories.count(),
        source_count=proposal.source_innovations.count(),
        needs_sources=proposal.group.kind == Group.Kind.REPLIKASI,
    )
    return checks.gaps(
        draft,
        [checks.SectionSpec(s.key, s.display_title, s.max_words) for s in sections],
        [checks.AttachmentSpec(a.key, a.display_title, a.kind, a.is_required) for a in attachments_of(proposal.group)],
    )


def proposal_for_detail(pk: int, user) -> Proposal:
    return (
        visible_proposals(user)
        .select_related("innovation", "province", "forwarded_by", "created_by")
        .prefetch_related(
            Prefetch("answers", queryset=ProposalAnswer.objects.select_related("section")),
            "attachments__requirement",
            "categories",
            "sdgs",
            "source_innovations",
            "events__actor",
            "decisions__decided_by",
        )
        .get(pk=pk)
    )


def editions_with_counts() -> QuerySet[Edition]:
    return Edition.objects.annotate(
        proposal_total=Count("proposals", distinct=True),
        forwarded_total=Count("proposals", filter=Q(proposals__status__in=Proposal.SUBMITTED), distinct=True),
    )


def screening_queryset(edition: Edition, *, status: str = "", group: str = "", flag: str = "", query: str = ""):
    """The edition's submitted proposals for the secretariat, filtered; flags prefetched."""
    qs = (
        Proposal.objects.filter(edition=edition, status__in=Proposal.SUBMITTED)
        .select_related("group", "agency", "unit")
        .prefetch_related(Prefetch("flags", queryset=ScreeningFlag.objects.only("id", "proposal_id", "kind")))
        .order_by("agency__name", "pk")
    )
    if status in Proposal.Status.values:
        qs = qs.filter(status=status)
    if group in Group.Kind.values:
        qs = qs.filter(group__kind=group)
    if flag == "clean":
        qs = qs.filter(flag_count=0)
    elif flag == "flagged":
        qs = qs.filter(flag_count__gt=0)
    elif flag in ScreeningFlag.Kind.values:
        qs = qs.filter(flags__kind=flag).distinct()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(agency__name__icontains=query) | Q(unit__name__icontains=query))
    return qs


def latest_run(edition: Edition) -> ScreeningRun | None:
    return edition.screening_runs.first()


def flag_summary(edition: Edition) -> dict[str, int]:
    rows = (
        ScreeningFlag.objects.filter(proposal__edition=edition)
        .values("kind")
        .annotate(n=Count("proposal", distinct=True))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}
