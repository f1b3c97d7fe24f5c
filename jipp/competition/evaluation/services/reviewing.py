"""Reviews: an evaluator's draft and submission (the total computed once, by domain.scoring), reopening
by the secretariat, and reminders."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import User
from jipp.competition.domain import scoring
from jipp.competition.evaluation import selectors
from jipp.competition.evaluation.common import (
    ScoreFormatError,
    guard_frozen,
    parse_score,
    rubric_of,
    rubric_weights_and_scales,
    settings_for,
)
from jipp.competition.evaluation.models import Assignment, Review
from jipp.competition.evaluation.services import ranking
from jipp.competition.evaluation.services._base import guard, require
from jipp.competition.models import Edition, RubricCriterion
from jipp.notifications.services import notify as notify_people


class ReviewError(ValidationError):
    """A review cannot be saved as typed; `field_errors` maps "score_<criterion id>" (or "comment_<id>",
    "blind_declared") to its message."""

    def __init__(self, field_errors: dict[str, str]):
        super().__init__(list(field_errors.values()))
        self.field_errors = field_errors


def check_scores(criteria: list[RubricCriterion], scores: dict, *, require_all: bool) -> tuple[dict, dict]:
    """(parsed scores as canonical strings, errors by field). "7,5" is read as 7.5."""
    errors, parsed = {}, {}
    for c in criteria:
        raw = scores.get(str(c.pk))
        try:
            value = parse_score(raw)
        except ScoreFormatError:
            value, ok = None, False
        else:
            ok = value is None or c.scale_min <= value <= c.scale_max
        if value is None and ok:
            if require_all and c.weight > 0:
                errors[f"score_{c.pk}"] = _("%(criterion)s: a score is required.") % {"criterion": c}
            continue
        if not ok:
            errors[f"score_{c.pk}"] = _("%(criterion)s: the score must be a number from %(low)d to %(high)d.") % {
                "criterion": c,
                "low": c.scale_min,
                "high": c.scale_max,
            }
            continue
        parsed[str(c.pk)] = str(value.normalize() if value == value.to_integral() else value)
    return parsed, errors


def review_score(criteria: list[RubricCriterion], scores: dict) -> scoring.ReviewScore:
    """The review's stored total and its parts (domain.scoring.review_score), each criterion on its own scale."""
    weights, scales = rubric_weights_and_scales(criteria)
    return scoring.review_score({k: Decimal(v) for k, v in scores.items()}, weights, scales)


def save_review(
    *, user, assignment: Assignment, scores: dict, comments: dict, submit: bool, blind_declared: bool = False,
    reason: str = "",
) -> Review:  # fmt: skip
    """Save a draft (scores may be incomplete) or submit (every weighted criterion scored, in scale; a
    comment on every criterion when the edition requires it; in blind mode, the declaration that the
    evaluator did not look for the proposer).

    Refused scores are named (ReviewError); the valid scores and all comments are still kept as the
    draft, so nothing typed is lost. A submitted review is locked.
    """
    if assignment.evaluator_id != user.pk:
        raise PermissionDenied(_("This proposal is not assigned to you."))
    edition = assignment.edition
    guard_frozen(edition)
    rules = settings_for(edition)
    criteria = rubric_of(assignment.proposal.group)
    known = {str(c.pk) for c in criteria}
    scores = {k: (str(v).strip() if v is not None else "") for k, v in scores.items() if k in known}
    comments = {k: str(v)[:5000] for k, v in comments.items() if k in known}
    parsed, errors = check_scores(criteria, scores, require_all=submit)
    if submit and rules.require_comments:
        for c in criteria:
            if c.weight > 0 and not comments.get(str(c.pk), "").strip():
                errors[f"comment_{c.pk}"] = _("%(criterion)s: a comment is required.") % {"criterion": c}
    if submit and rules.blind_desk and not blind_declared:
        errors["blind_declared"] = _("Confirm that you did not look for the proposer of this proposal.")
    with transaction.atomic():
        # The assignment's row first (the lock order of `reassign`): a reassignment racing this save either
        # lands before it (then this evaluator is told and nothing is saved) or waits for it (and then
        # sees the submitted review and refuses).
        current = Assignment.objects.select_for_update(of=("self",)).filter(pk=assignment.pk).first()
        if current is None or current.evaluator_id != user.pk:
            raise ValidationError(
                _("This proposal was already reassigned to another evaluator; nothing was saved."), code="already"
            )
        # A submission changes the ranking: lock its state next (every write to its inputs waits).
        state = ranking.lock_state(edition) if submit and not errors else None
        review, _created = Review.objects.select_for_update().get_or_create(
            assignment=assignment,
            defaults={"edition": edition, "proposal": assignment.proposal, "evaluator": assignment.evaluator},
        )
        if review.status == Review.Status.SUBMITTED:
            raise ValidationError(
                _("This review was submitted and is locked. Ask the secretariat to reopen it."),
                code="already",
            )
        guard(edition, user=user, what=f"review of proposal {assignment.proposal_id}")
        review.scores = parsed
        review.comments = comments
        review.blind_declared = bool(blind_declared)
        if not errors and submit:
            review.total = review_score(criteria, review.scores).total
            review.status = Review.Status.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
        if state is not None and review.status == Review.Status.SUBMITTED:
            ranking.after_review_change(
                edition=edition, proposal_id=review.proposal_id, evaluator_id=review.evaluator_id,
                version_before=state.ranked_version_if_current,
            )  # fmt: skip
    if errors:
        raise ReviewError(errors)
    return review


@transaction.atomic
def reopen_review(*, user, review: Review, reason: str) -> Review:
    require(user, "evaluation.manage_assignments", review.edition)
    guard_frozen(review.edition)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    guard(review.edition, user=user, what=f"reopen review {review.pk}")
    state = ranking.lock_state(review.edition)
    was_counted = review.status == Review.Status.SUBMITTED
    review.status = Review.Status.REOPENED
    review.reopen_reason = reason.strip()
    review.total = None
    review.save()
    if was_counted:
        ranking.after_review_change(
            edition=review.edition, proposal_id=review.proposal_id, evaluator_id=review.evaluator_id,
            version_before=state.ranked_version_if_current,
        )  # fmt: skip
    return review


def send_reminders(*, user, edition: Edition) -> int:
    """Remind every evaluator who still has unsubmitted reviews; returns how many were reminded.

    Through the platform's notifications (in-app, and by e-mail as each evaluator chose: at once,
    in the daily digest or never), read in the evaluator's language.
    """
    require(user, "evaluation.manage_assignments", edition)
    open_rows = [row for row in selectors.progress_by_evaluator(edition) if row["open"]]
    evaluators = {u.pk: u for u in User.objects.filter(pk__in=[row["id"] for row in open_rows], is_active=True)}
    url = reverse("evaluation:my_reviews")
    count = 0
    for row in open_rows:
        if row["id"] in evaluators:
            notify_people(
                [evaluators[row["id"]]], "kipp.review_reminder", edition, actor=user, url=url,
                year=edition.year, open=row["open"], total=row["assigned"],
            )  # fmt: skip
            count += 1
    return count
