"""Shared pieces of the evaluation's writes: the permission check, the freeze, the record of a change
made inside an open revision, and a step on a proposal's timeline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.competition.evaluation.common import FrozenError, settings_for
from jipp.competition.evaluation.models import EvaluationSettings, ResultChange
from jipp.competition.evaluation.services.ranking import lock_state
from jipp.competition.models import Edition, Proposal, ProposalEvent


def require(user, perm: str, obj=None) -> None:
    """The one permission check of the services: the rule named in `rules.py` (views check the same)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def lock_settings(edition: Edition) -> EvaluationSettings:
    """The edition's evaluation settings, re-read under lock: publishing, opening a revision and every
    guarded change queue on this row, so a change racing a publication either lands before it (and is
    published) or is refused as frozen; it never lands after it unseen.

    Lock order (no deadlock between a submission and a publication): the ranking state first (as
    `save_review` takes it before the review), then these settings."""
    lock_state(edition)
    settings_for(edition)
    return EvaluationSettings.objects.select_for_update().get(edition=edition)


def guard(edition: Edition, *, user, what: str) -> None:
    """Refuse a change after publication (FrozenError); inside an open revision, record it. Call inside
    a transaction: it takes the settings' lock (see `lock_settings`)."""
    rules = lock_settings(edition)
    if rules.is_frozen:
        raise FrozenError()
    if rules.revision_open_at is not None:
        ResultChange.objects.create(
            edition=edition, what=what[:300], reason=rules.revision_reason, changed_by=_account(user)
        )


def _account(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def event(proposal: Proposal, *, actor, note="", **params) -> None:
    """A step on the proposal's timeline, and a notification to its unit and its Admin Lokal.

    `note` is a lazily translated sentence with %(name)s placeholders filled from `params`: the
    notification keeps it untranslated so each recipient reads it in their own language.
    """
    ProposalEvent.objects.create(
        proposal=proposal, status=proposal.status, note=str(note) % params if params else str(note),
        actor=_account(actor), at=timezone.now(),
    )  # fmt: skip
    from jipp.competition.services import notify

    participants = User.objects.filter(is_active=True).filter(
        Q(role=Role.UPP, unit_id=proposal.unit_id) | Q(role=Role.ADMIN_LOKAL, agency_id=proposal.agency_id)
    )
    notify(proposal=proposal, message=note, users=list(participants), **params)
