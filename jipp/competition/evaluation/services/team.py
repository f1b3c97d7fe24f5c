"""Evaluators and panelists: invitations, membership and declarations of conflicts of interest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.accounts.services import create_account
from jipp.competition.evaluation.common import PROPOSAL_FIELDS, conflict_index, guard_frozen
from jipp.competition.evaluation.models import Member, Review
from jipp.competition.evaluation.services._base import guard, require
from jipp.competition.evaluation.services.ranking import schedule_refresh
from jipp.competition.models import Edition, Proposal


@transaction.atomic
def invite_member(
    *,
    user,
    edition: Edition,
    kind: str,
    username: str,
    email: str,
    full_name: str,
    affiliation: str = "",
    home_province=None,
    expertise=(),
    conflict_agencies=(),
    conflict_regions=(),
    capacity: int | None = None,
) -> Member:
    """Create an evaluator's or panelist's account (by the Ministry) and add it to the edition's team.

    The account gets a temporary password by email (accounts.create_account); the invitation names
    the edition and the team.
    """
    require(user, "evaluation.manage_team", edition)
    role = Role.EVALUATOR if kind == Member.Kind.EVALUATOR else Role.PANELIS
    account = create_account(
        created_by=user,
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        affiliation=affiliation,
        home_province=home_province,
    ).user
    member = add_member(
        user=user,
        edition=edition,
        account=account,
        kind=kind,
        expertise=expertise,
        conflict_agencies=conflict_agencies,
        conflict_regions=conflict_regions,
        capacity=capacity,
    )
    if account.email:
        subject = _("Invitation: %(team)s of %(edition)s") % {"team": member.get_kind_display(), "edition": edition}
        body = _(
            "You are invited to the %(team)s of %(edition)s on Hub JIPP. Your login details follow in a "
            "separate message. Please declare any conflict of interest (agencies or regions) before you start."
        ) % {"team": member.get_kind_display(), "edition": edition}
        transaction.on_commit(lambda: send_mail(subject, body, None, [account.email], fail_silently=True))
    Member.objects.filter(pk=member.pk).update(invited_at=timezone.now())
    return member


@transaction.atomic
def add_member(
    *, user, edition: Edition, account: User, kind: str, expertise=(), conflict_agencies=(), conflict_regions=(),
    capacity: int | None = None,
) -> Member:  # fmt: skip
    require(user, "evaluation.manage_team", edition)
    guard_frozen(edition)
    wanted = Role.EVALUATOR if kind == Member.Kind.EVALUATOR else Role.PANELIS
    if account.role != wanted:
        raise ValidationError({"account": _("This account does not have the role %(role)s.") % {"role": wanted.label}})
    member = Member(edition=edition, user=account, kind=kind, capacity=capacity)
    member.full_clean()
    member.save()
    member.expertise.set(expertise)
    member.conflict_agencies.set(conflict_agencies)
    member.conflict_regions.set(conflict_regions)
    return member


@transaction.atomic
def update_declarations(
    *, user, member: Member, conflict_agencies, conflict_regions, expertise=None, available_days=None
) -> Member:
    """A member declares conflicts (and expertise, and a panelist the days available) themselves; the
    secretariat may do it for them.

    A conflict declared after a review was submitted voids that review for the ranking (the review is
    kept for the audit, with the reason), and the proposal then lacks a review, so it is listed as
    incomplete until an extra evaluator reviews it.
    """
    if not (user.pk == member.user_id or user.has_perm("evaluation.manage_team", member.edition)):
        raise PermissionDenied(_("You are not allowed to do this."))
    guard(member.edition, user=user, what=f"declarations of {member.user}")
    if available_days is not None:
        member.available_days = list(available_days)
    member.save()  # updated_at moves: the ranking's inputs changed
    member.conflict_agencies.set(conflict_agencies)
    member.conflict_regions.set(conflict_regions)
    if expertise is not None:
        member.expertise.set(expertise)
    void_conflicted_reviews(edition=member.edition, members=[member])
    schedule_refresh(member.edition)  # the declarations bumped the ranking's version (signals)
    return member


def void_conflicted_reviews(*, edition: Edition, members: list[Member] | None = None) -> int:
    """Void (for the ranking, kept for the audit) every submitted review whose evaluator now has a conflict
    with the proposal, from any source. Returns how many were voided."""
    if members is None:
        members = list(Member.objects.filter(edition=edition, kind=Member.Kind.EVALUATOR).select_related("user"))
    users = [m.user_id for m in members]
    reviews = list(
        Review.objects.filter(
            edition=edition, evaluator_id__in=users, status=Review.Status.SUBMITTED, voided_at__isnull=True
        )
    )
    if not reviews:
        return 0
    rows = list(Proposal.objects.filter(pk__in={r.proposal_id for r in reviews}).values(*PROPOSAL_FIELDS))
    conflicts = conflict_index(edition, rows, members)
    now = timezone.now()
    voided = 0
    for review in reviews:
        if (review.proposal_id, review.evaluator_id) in conflicts.pairs:
            review.voided_at = now
            review.void_reason = _("Conflict of interest declared after the review (%(why)s).") % {
                "why": conflicts.reasons[(review.proposal_id, review.evaluator_id)]
            }
            review.save(update_fields=["voided_at", "void_reason", "updated_at"])
            voided += 1
    return voided
