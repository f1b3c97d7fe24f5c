"""Writes for KIPP part 2. Keyword-only arguments; permission checks first; nothing half-saved.

Every number that decides is computed by `jipp.competition.domain` (scoring, normalisation,
assignment, nomination); these functions gather their inputs, check the rules and store decisions.
After the results are published (`EvaluationSettings.results_published_at`) the edition is frozen:
a change needs a `reason`, and the reason is kept in `ResultChange`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Avg, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.accounts.services import create_account
from jipp.competition.domain import assignment as assignment_domain
from jipp.competition.domain import nomination as nomination_domain
from jipp.competition.domain import scoring
from jipp.competition.evaluation.models import (
    Assignment,
    AssignmentRun,
    EvaluationSettings,
    Finalist,
    Member,
    Nomination,
    Objection,
    PanelScore,
    ResultChange,
    Review,
    Slot,
    Winner,
)
from jipp.competition.models import Edition, Group, Proposal, ProposalEvent, RubricCriterion
from jipp.regions.models import Agency, Region
from jipp.registry import services as registry_services
from jipp.registry.models import Award, Category, Innovation

logger = logging.getLogger(__name__)

# Proposals that enter the desk evaluation.
EVALUABLE = (Proposal.Status.PASSED_ADMINISTRATION, Proposal.Status.IN_EVALUATION)


class StaleAssignmentError(ValidationError):
    """Someone else changed the assignment since the form was opened."""


def settings_for(edition: Edition) -> EvaluationSettings:
    found, _created = EvaluationSettings.objects.get_or_create(edition=edition)
    return found


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _check_frozen(edition: Edition, *, user, reason: str, what: str) -> None:
    """After publication a change needs a reason, recorded with what changed; before, nothing."""
    if not settings_for(edition).is_frozen:
        return
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("The results of this edition are published and frozen: give the reason for this change.")}
        )
    ResultChange.objects.create(edition=edition, what=what[:300], reason=reason.strip(), changed_by=user)


def _event(proposal: Proposal, *, actor, note: str = "") -> None:
    """A step on the proposal's timeline, and a notification to its unit and its Admin Lokal."""
    ProposalEvent.objects.create(
        proposal=proposal,
        status=proposal.status,
        note=note,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
    )
    from jipp.competition.services import notify

    participants = User.objects.filter(is_active=True).filter(
        Q(role=Role.UPP, unit_id=proposal.unit_id) | Q(role=Role.ADMIN_LOKAL, agency_id=proposal.agency_id)
    )
    notify(proposal=proposal, message=note, users=list(participants))


# ---------------------------------------------------------------------------------------
# Evaluators and panelists
# ---------------------------------------------------------------------------------------


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
    _require(user, "evaluation.manage_team", edition)
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
    _require(user, "evaluation.manage_team", edition)
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
    secretariat may do it for them."""
    if not (user.pk == member.user_id or user.has_perm("evaluation.manage_team", member.edition)):
        raise PermissionDenied(_("You are not allowed to do this."))
    if available_days is not None:
        member.available_days = list(available_days)
        member.save(update_fields=["available_days", "updated_at"])
    member.conflict_agencies.set(conflict_agencies)
    member.conflict_regions.set(conflict_regions)
    if expertise is not None:
        member.expertise.set(expertise)
    return member


# ---------------------------------------------------------------------------------------
# Conflicts of interest
# ---------------------------------------------------------------------------------------


@dataclass
class ConflictIndex:
    """Which proposals conflict with which users, per the edition's rules (computed and declared)."""

    pairs: set[tuple[int, int]] = field(default_factory=set)
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)


def member_rows(edition: Edition, kind: str | None = None):
    members = Member.objects.filter(edition=edition).select_related("user")
    if kind:
        members = members.filter(kind=kind)
    members = list(members.prefetch_related("expertise", "conflict_agencies", "conflict_regions"))
    return members


def conflict_index(edition: Edition, proposals: list[dict], members: list[Member]) -> ConflictIndex:
    """`proposals` are dicts with id, agency_id, agency__type, province_id, agency__region_id.

    Rules (each switchable per edition): the evaluator's own agency; the regional governments of the
    evaluator's home province; the agencies and regions (a region covers its regencies) they declared.
    """
    rules = settings_for(edition)
    by_agency: dict[int, list[int]] = defaultdict(list)
    regional_by_province: dict[int, list[int]] = defaultdict(list)
    by_region: dict[int, list[int]] = defaultdict(list)
    for p in proposals:
        by_agency[p["agency_id"]].append(p["id"])
        if p["province_id"]:
            by_region[p["province_id"]].append(p["id"])
            if p["agency__type"] in Agency.REGIONAL_TYPES:
                regional_by_province[p["province_id"]].append(p["id"])
        if p["agency__region_id"] and p["agency__region_id"] != p["province_id"]:
            by_region[p["agency__region_id"]].append(p["id"])
    index = ConflictIndex()

    def add(pids, uid, reason):
        for pid in pids:
            if (pid, uid) not in index.pairs:
                index.pairs.add((pid, uid))
                index.reasons[(pid, uid)] = reason

    for member in members:
        uid, account = member.user_id, member.user
        if rules.conflict_own_agency and account.agency_id:
            add(by_agency.get(account.agency_id, ()), uid, "own_agency")
        if rules.conflict_home_province and account.home_province_id:
            add(regional_by_province.get(account.home_province_id, ()), uid, "home_province")
        if rules.conflict_declared:
            for agency in member.conflict_agencies.all():
                add(by_agency.get(agency.pk, ()), uid, "declared_agency")
            for region in member.conflict_regions.all():
                add(by_region.get(region.pk, ()), uid, "declared_region")
    return index


PROPOSAL_FIELDS = ("id", "agency_id", "agency__type", "province_id", "agency__region_id")


def conflict_reason(edition: Edition, proposal: Proposal, account: User) -> str | None:
    """Why `account` may not evaluate `proposal`, or None (one pair; same rules as `conflict_index`)."""
    member = Member.objects.filter(edition=edition, user=account).first()
    if member is None:
        return None
    row = Proposal.objects.filter(pk=proposal.pk).values(*PROPOSAL_FIELDS).first()
    index = conflict_index(edition, [row], [member])
    return index.reasons.get((proposal.pk, account.pk))


# ---------------------------------------------------------------------------------------
# Automatic assignment
# ---------------------------------------------------------------------------------------


def start_assignment(*, user, edition: Edition) -> AssignmentRun:
    """Queue the automatic assignment (a background task); the run keeps its progress and result."""
    _require(user, "evaluation.manage_assignments", edition)
    if settings_for(edition).is_frozen:
        raise ValidationError(_("The results of this edition are published and frozen."))
    run = AssignmentRun.objects.create(edition=edition, started_by=user)
    from jipp.competition.evaluation.tasks import assign_task

    transaction.on_commit(lambda: assign_task.enqueue(run_id=run.pk))
    return run


def run_assignment(*, edition: Edition, run: AssignmentRun | None = None) -> AssignmentRun:
    """Assign every evaluable proposal to k evaluators, optimally (see domain.assignment).

    Assignments that already have a review or were made by hand are kept (fixed pairs); the other
    automatic ones are recomputed. Raises AssignmentInfeasibleError with the reasons.
    """
    started = time.perf_counter()
    run = run or AssignmentRun.objects.create(edition=edition)
    AssignmentRun.objects.filter(pk=run.pk).update(status=AssignmentRun.Status.RUNNING)
    rules = settings_for(edition)
    proposals = list(Proposal.objects.filter(edition=edition, status__in=EVALUABLE).values(*PROPOSAL_FIELDS))
    cat_rows = Proposal.categories.through.objects.filter(proposal__edition=edition).values_list(
        "proposal_id", "category_id"
    )
    categories: dict[int, set[int]] = defaultdict(set)
    for pid, cid in cat_rows:
        categories[pid].add(cid)
    members = member_rows(edition, Member.Kind.EVALUATOR)
    conflicts = conflict_index(edition, proposals, members)
    keep = Assignment.objects.filter(edition=edition).filter(
        Q(source__in=[Assignment.Source.MANUAL, Assignment.Source.IMPORT]) | Q(review__isnull=False)
    )
    evaluator_ids = {m.user_id for m in members}
    proposal_ids = {p["id"] for p in proposals}
    fixed = [
        (pid, uid)
        for pid, uid in keep.values_list("proposal_id", "evaluator_id")
        if pid in proposal_ids and uid in evaluator_ids and (pid, uid) not in conflicts.pairs
    ]
    result = assignment_domain.assign_evaluators(
        [assignment_domain.ProposalSpec(p["id"], frozenset(categories.get(p["id"], ()))) for p in proposals],
        [
            assignment_domain.EvaluatorSpec(m.user_id, m.capacity, frozenset(c.pk for c in m.expertise.all()))
            for m in members
        ],
        k=rules.reviews_per_proposal,
        conflicts=conflicts.pairs,
        fixed=fixed,
    )
    fixed_set = set(fixed)
    with transaction.atomic():
        Assignment.objects.filter(edition=edition, source=Assignment.Source.AUTO, review__isnull=True).delete()
        Assignment.objects.bulk_create(
            [
                Assignment(
                    edition=edition,
                    proposal_id=pid,
                    evaluator_id=uid,
                    source=Assignment.Source.AUTO,
                    mismatch_cost=result.pair_costs.get((pid, uid), 0.0),
                )
                for pid, uids in result.assignment.items()
                for uid in uids
                if (pid, uid) not in fixed_set
            ],
            batch_size=2000,
        )
        Proposal.objects.filter(pk__in=proposal_ids, status=Proposal.Status.PASSED_ADMINISTRATION).update(
            status=Proposal.Status.IN_EVALUATION
        )
        AssignmentRun.objects.filter(pk=run.pk).update(
            status=AssignmentRun.Status.DONE,
            proposals=len(proposals),
            evaluators=len(members),
            total_cost=result.total_cost,
            optimal_cost=result.optimal_cost,
            min_load=result.min_load,
            max_load=result.max_load,
            balance_slack=result.balance_slack,
            conflicts=len(conflicts.pairs),
            seconds=time.perf_counter() - started,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


@transaction.atomic
def reassign(*, user, assignment: Assignment, evaluator: User, expected_version: int, reason: str = "") -> Assignment:
    """Give an assignment to another evaluator. Refused when someone changed it meanwhile (version),
    when the new evaluator has a conflict or already has the proposal, or when a review was submitted."""
    _require(user, "evaluation.manage_assignments", assignment.edition)
    if assignment.version != expected_version:
        raise StaleAssignmentError(
            _("Someone else changed this assignment meanwhile (it is now with %(name)s). Reload and try again.")
            % {"name": assignment.evaluator.get_full_name() or assignment.evaluator.username}
        )
    if not Member.objects.filter(edition=assignment.edition, user=evaluator, kind=Member.Kind.EVALUATOR).exists():
        raise ValidationError({"evaluator": _("This person is not an evaluator of this edition.")})
    reason_code = conflict_reason(assignment.edition, assignment.proposal, evaluator)
    if reason_code:
        raise ValidationError(
            {"evaluator": _("%(name)s has a conflict of interest with this proposal (%(why)s).")
             % {"name": evaluator.get_full_name() or evaluator.username, "why": CONFLICT_LABELS()[reason_code]}}
        )  # fmt: skip
    if Assignment.objects.filter(proposal=assignment.proposal, evaluator=evaluator).exists():
        raise ValidationError({"evaluator": _("This evaluator already has this proposal.")})
    review = Review.objects.filter(assignment=assignment).first()
    if review and review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("This review was already submitted; reopen it before reassigning."))
    _check_frozen(assignment.edition, user=user, reason=reason, what=f"reassign assignment {assignment.pk}")
    updated = Assignment.objects.filter(pk=assignment.pk, version=expected_version).update(
        evaluator=evaluator, version=expected_version + 1, source=Assignment.Source.MANUAL, updated_at=timezone.now()
    )
    if not updated:
        raise StaleAssignmentError(_("Someone else changed this assignment meanwhile. Reload and try again."))
    if review:
        review.delete()
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def add_extra_review(*, user, proposal: Proposal) -> Assignment:
    """One more evaluator for a proposal whose reviews disagree: the eligible evaluator (no conflict,
    not yet on it, capacity left) with the lowest load, preferring matching expertise."""
    edition = proposal.edition
    _require(user, "evaluation.manage_assignments", edition)
    if settings_for(edition).is_frozen:
        raise ValidationError(_("The results of this edition are published and frozen."))
    members = member_rows(edition, Member.Kind.EVALUATOR)
    row = Proposal.objects.filter(pk=proposal.pk).values(*PROPOSAL_FIELDS).first()
    conflicts = conflict_index(edition, [row], members).pairs
    taken = set(Assignment.objects.filter(proposal=proposal).values_list("evaluator_id", flat=True))
    loads = defaultdict(int)
    for uid in Assignment.objects.filter(edition=edition).values_list("evaluator_id", flat=True):
        loads[uid] += 1
    categories = set(proposal.categories.values_list("pk", flat=True))
    candidates = [
        m
        for m in members
        if m.user_id not in taken
        and (proposal.pk, m.user_id) not in conflicts
        and (m.capacity is None or loads[m.user_id] < m.capacity)
    ]
    if not candidates:
        raise ValidationError(_("No other evaluator can take this proposal without a conflict of interest."))
    best = min(
        candidates,
        key=lambda m: (
            assignment_domain.mismatch_cost(categories, {c.pk for c in m.expertise.all()}),
            loads[m.user_id],
            m.user_id,
        ),
    )
    return Assignment.objects.create(
        edition=edition,
        proposal=proposal,
        evaluator=best.user,
        source=Assignment.Source.MANUAL,
        mismatch_cost=assignment_domain.mismatch_cost(categories, {c.pk for c in best.expertise.all()}),
    )


def CONFLICT_LABELS() -> dict[str, str]:  # noqa: N802 (a constant, translated at call time)
    return {
        "own_agency": _("own agency"),
        "home_province": _("a government of the home province"),
        "declared_agency": _("declared agency"),
        "declared_region": _("declared region"),
    }


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_assignments_csv(edition: Edition) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["proposal_id", "proposal_title", "evaluator", "source", "review_status"])
    rows = (
        Assignment.objects.filter(edition=edition)
        .select_related("proposal", "evaluator")
        .order_by("proposal_id", "evaluator__username")
        .values_list("proposal_id", "proposal__title", "evaluator__username", "source", "review__status")
    )
    for pid, title, username, source, status in rows.iterator():
        writer.writerow([pid, spreadsheet_safe(title), username, source, status or ""])
    return out.getvalue()


@transaction.atomic
def import_assignments_csv(*, user, edition: Edition, text: str) -> int:
    """Replace the evaluators of every proposal named in the file with those listed (all or nothing).

    Columns: proposal_id, evaluator (username); other columns are ignored. An assignment with a
    submitted review cannot be removed. Raises ValidationError listing every bad line.
    """
    _require(user, "evaluation.manage_assignments", edition)
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"proposal_id", "evaluator"} <= set(reader.fieldnames):
        raise ValidationError(_("The file needs the columns proposal_id and evaluator."))
    members = {m.user.username: m for m in member_rows(edition, Member.Kind.EVALUATOR)}
    wanted: dict[int, set[int]] = defaultdict(set)
    errors = []
    rows = list(reader)
    pids = set()
    for line, row in enumerate(rows, start=2):
        try:
            pids.add(int((row.get("proposal_id") or "").strip()))
        except ValueError:
            errors.append(_("Line %(line)d: proposal_id is not a number.") % {"line": line})
    proposals = {
        p["id"]: p
        for p in Proposal.objects.filter(edition=edition, pk__in=pids, status__in=EVALUABLE).values(*PROPOSAL_FIELDS)
    }  # fmt: skip
    conflicts = conflict_index(edition, list(proposals.values()), list(members.values()))
    for line, row in enumerate(rows, start=2):
        try:
            pid = int((row.get("proposal_id") or "").strip())
        except ValueError:
            continue
        username = (row.get("evaluator") or "").strip()
        if pid not in proposals:
            errors.append(
                _("Line %(line)d: proposal %(pid)d is not in this edition's evaluation.") % {"line": line, "pid": pid}
            )
            continue  # fmt: skip
        member = members.get(username)
        if member is None:
            errors.append(
                _("Line %(line)d: %(name)s is not an evaluator of this edition.") % {"line": line, "name": username}
            )
            continue  # fmt: skip
        if (pid, member.user_id) in conflicts.pairs:
            errors.append(
                _("Line %(line)d: %(name)s has a conflict of interest with proposal %(pid)d.")
                % {"line": line, "name": username, "pid": pid}
            )
            continue
        wanted[pid].add(member.user_id)
    existing = defaultdict(dict)
    for a in Assignment.objects.filter(edition=edition, proposal_id__in=wanted).select_related("review"):
        existing[a.proposal_id][a.evaluator_id] = a
    for pid, uids in wanted.items():
        for uid, a in existing[pid].items():
            review = getattr(a, "review", None)
            if uid not in uids and review is not None and review.status == Review.Status.SUBMITTED:
                errors.append(
                    _("Proposal %(pid)d: the submitted review by %(name)s cannot be removed.")
                    % {"pid": pid, "name": a.evaluator.username}
                )
    if errors:
        raise ValidationError(errors)
    _check_frozen(edition, user=user, reason="", what="import assignments")
    changed = 0
    for pid, uids in wanted.items():
        for uid, a in existing[pid].items():
            if uid not in uids:
                a.delete()
                changed += 1
        for uid in uids - set(existing[pid]):
            Assignment.objects.create(
                edition=edition, proposal_id=pid, evaluator_id=uid, source=Assignment.Source.IMPORT
            )
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------------------


def rubric_of(group: Group) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(group=group).order_by("order", "pk"))


class ReviewError(ValidationError):
    """A review cannot be saved as typed; `field_errors` maps "score_<criterion id>" to its message."""

    def __init__(self, field_errors: dict[str, str]):
        super().__init__(list(field_errors.values()))
        self.field_errors = field_errors


def _check_scores(criteria: list[RubricCriterion], scores: dict, *, require_all: bool) -> dict[str, str]:
    errors = {}
    for c in criteria:
        raw = scores.get(str(c.pk))
        if raw in (None, ""):
            if require_all and c.weight > 0:
                errors[f"score_{c.pk}"] = _("%(criterion)s: a score is required.") % {"criterion": c}
            continue
        try:
            value = Decimal(str(raw).replace(",", "."))
            ok = value.is_finite() and c.scale_min <= value <= c.scale_max
        except ArithmeticError:
            ok = False
        if not ok:
            errors[f"score_{c.pk}"] = _("%(criterion)s: the score must be a number from %(low)d to %(high)d.") % {
                "criterion": c,
                "low": c.scale_min,
                "high": c.scale_max,
            }
    return errors


def weighted_total(criteria: list[RubricCriterion], scores: dict) -> Decimal:
    """The review's total on 0..100 (domain.scoring), every criterion rescaled from its own scale."""
    weights = {str(c.pk): c.weight for c in criteria}
    # Criteria may have different scales: map each to 0..1 first, then use one 0..1 scale.
    unit = {
        str(c.pk): (Decimal(str(scores[str(c.pk)]).replace(",", ".")) - c.scale_min) / (c.scale_max - c.scale_min)
        for c in criteria
        if scores.get(str(c.pk)) not in (None, "")
    }
    return scoring.weighted_total(unit, weights, scoring.Scale(0, 1))


def save_review(
    *, user, assignment: Assignment, scores: dict, comments: dict, submit: bool, reason: str = ""
) -> Review:
    """Save a draft (scores may be incomplete) or submit (every weighted criterion scored, in scale).

    Out-of-scale scores are refused with the criterion named (ReviewError); the valid scores and all
    comments are still kept as the draft, so nothing typed is lost. A submitted review is locked.
    """
    if assignment.evaluator_id != user.pk:
        raise PermissionDenied(_("This proposal is not assigned to you."))
    edition = assignment.edition
    criteria = rubric_of(assignment.proposal.group)
    known = {str(c.pk) for c in criteria}
    scores = {k: (str(v).strip() if v is not None else "") for k, v in scores.items() if k in known}
    comments = {k: str(v)[:5000] for k, v in comments.items() if k in known}
    errors = _check_scores(criteria, scores, require_all=submit)
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            assignment=assignment,
            defaults={"edition": edition, "proposal": assignment.proposal, "evaluator": assignment.evaluator},
        )
        if review.status == Review.Status.SUBMITTED:
            raise ValidationError(_("This review was submitted and is locked. Ask the secretariat to reopen it."))
        _check_frozen(edition, user=user, reason=reason, what=f"review of proposal {assignment.proposal_id}")
        bad = {key.removeprefix("score_") for key in errors}
        review.scores = {k: v for k, v in scores.items() if k not in bad and v != ""}
        review.comments = comments
        if not errors and submit:
            review.total = weighted_total(criteria, review.scores)
            review.status = Review.Status.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
    if errors:
        raise ReviewError(errors)
    return review


@transaction.atomic
def reopen_review(*, user, review: Review, reason: str) -> Review:
    _require(user, "evaluation.manage_assignments", review.edition)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    _check_frozen(review.edition, user=user, reason=reason, what=f"reopen review {review.pk}")
    review.status = Review.Status.REOPENED
    review.reopen_reason = reason.strip()
    review.total = None
    review.save()
    return review


def send_reminders(*, user, edition: Edition) -> int:
    """Email every evaluator who still has unsubmitted reviews; returns how many were reminded."""
    _require(user, "evaluation.manage_assignments", edition)
    from jipp.competition.evaluation.selectors import progress_by_evaluator

    count = 0
    for row in progress_by_evaluator(edition):
        if row["open"] and row["email"]:
            send_mail(
                _("KIPP %(year)d: %(n)d reviews still open") % {"year": edition.year, "n": row["open"]},
                _("You still have %(n)d of %(total)d reviews to submit for %(edition)s.")
                % {"n": row["open"], "total": row["assigned"], "edition": edition},
                None,
                [row["email"]],
                fail_silently=True,
            )
            count += 1
    return count


# ---------------------------------------------------------------------------------------
# Nomination
# ---------------------------------------------------------------------------------------


def _candidates(edition: Edition):
    from jipp.competition.evaluation.selectors import ranking

    rows = ranking(edition)
    return rows


@transaction.atomic
def run_nomination(*, user, edition: Edition) -> Nomination:
    """Choose the finalists with the required mix (domain.nomination) and record the result.

    Raises ValidationError with the domain's reasons when the targets and quotas cannot all be met.
    """
    _require(user, "evaluation.nominate", edition)
    rules = settings_for(edition)
    if rules.is_frozen:
        raise ValidationError(_("The results of this edition are published and frozen."))
    rows = _candidates(edition)
    method = rules.deciding_method
    candidates = [
        nomination_domain.Candidate(
            r["id"],
            r["scores"][method],
            {
                "group": r["group"],
                "category": r["category"],
                "province": r["province"],
                "agency_kind": r["agency_kind"],
                "3t": r["is_3t"],
            },
        )
        for r in rows
    ]
    targets = {
        kind: n
        for kind, n in (
            (Group.Kind.UMUM.value, rules.finalists_umum),
            (Group.Kind.REPLIKASI.value, rules.finalists_replikasi),
            (Group.Kind.KHUSUS.value, rules.finalists_khusus),
        )
        if n
    }
    quotas = []
    if rules.min_3t:
        quotas.append(nomination_domain.Quota("3t", True, min_count=rules.min_3t, label="3T"))
    if rules.max_category_share < 1:
        names = {c.code: str(c) for c in Category.objects.all()}
        for code in sorted({r["category"] for r in rows if r["category"]}):
            quotas.append(
                nomination_domain.Quota(
                    "category", code, max_share=rules.max_category_share, label=names.get(code, code)
                )
            )
    if rules.max_province_share < 1:
        names = dict(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name"))
        for code in sorted({r["province"] for r in rows if r["province"]}):
            quotas.append(
                nomination_domain.Quota(
                    "province", code, max_share=rules.max_province_share, label=names.get(code, code)
                )
            )
    if rules.min_ministry_share:
        quotas.append(nomination_domain.Quota("agency_kind", "central", min_share=rules.min_ministry_share))
    try:
        result = nomination_domain.nominate(
            candidates, group_targets=targets, quotas=quotas, passing_grade=rules.passing_grade
        )
    except nomination_domain.NominationInfeasibleError as exc:
        raise ValidationError([_("The nomination is not possible:")] + list(exc.reasons)) from exc
    nomination = Nomination.objects.create(
        edition=edition,
        method=method,
        parameters={
            "targets": targets,
            "passing_grade": rules.passing_grade,
            "min_3t": rules.min_3t,
            "max_category_share": rules.max_category_share,
            "max_province_share": rules.max_province_share,
            "min_ministry_share": rules.min_ministry_share,
        },
        chosen=list(result.chosen),
        plain=list(result.plain),
        swaps={
            "in": [
                {"id": s.candidate, "score": s.score, "position": s.plain_position, "reason": s.reason}
                for s in result.swapped_in
            ],
            "out": [
                {"id": s.candidate, "score": s.score, "position": s.plain_position, "reason": s.reason}
                for s in result.swapped_out
            ],
        },  # fmt: skip
        quota_checks=[
            {
                "name": q.quota.describe(),
                "min": q.min_count,
                "max": None if q.max_count == float("inf") else q.max_count,
                "eligible": q.eligible,
                "plain": q.plain,
                "chosen": q.chosen,
            }
            for q in result.quotas
            if q.plain != q.chosen or q.min_count or q.quota.attribute == "3t"
        ],
        total_score=result.total_score,
        plain_total_score=result.plain_total_score,
        created_by=user,
    )
    Proposal.objects.filter(edition=edition, status=Proposal.Status.NOMINATED).update(
        status=Proposal.Status.IN_EVALUATION
    )
    Proposal.objects.filter(pk__in=result.chosen).update(status=Proposal.Status.NOMINATED)
    return nomination


@transaction.atomic
def confirm_nomination(
    *, user, nomination: Nomination, add: list[int] = (), remove: list[int] = (), plenary_record: str
) -> list[Finalist]:
    """The panel confirms the nomination, possibly adding or removing proposals, and records its plenary."""
    edition = nomination.edition
    _require(user, "evaluation.confirm_nomination", edition)
    if not plenary_record.strip():
        raise ValidationError({"plenary_record": _("Record the plenary decision.")})
    if nomination.confirmed_at:
        raise ValidationError(_("This nomination is already confirmed."))
    from jipp.competition.evaluation.selectors import ranking

    scores = {r["id"]: r["scores"][nomination.method] for r in ranking(edition)}
    unknown = [pid for pid in add if pid not in scores]
    if unknown:
        raise ValidationError(
            {"add": _("Not evaluated in this edition: %(ids)s") % {"ids": ", ".join(map(str, unknown))}}
        )
    chosen = [pid for pid in nomination.chosen if pid not in set(remove)] + [
        pid for pid in add if pid not in nomination.chosen
    ]
    Finalist.objects.filter(edition=edition).delete()
    finalists = Finalist.objects.bulk_create(
        [
            Finalist(
                edition=edition,
                proposal_id=pid,
                nomination=nomination,
                desk_score=scores[pid],
                added_by_panel=pid not in nomination.chosen,
            )
            for pid in chosen
        ]
    )
    nomination.confirmed_at = timezone.now()
    nomination.confirmed_by = user
    nomination.plenary_record = plenary_record.strip()
    nomination.save()
    Proposal.objects.filter(edition=edition, status__in=[Proposal.Status.NOMINATED, Proposal.Status.FINALIST]).update(
        status=Proposal.Status.IN_EVALUATION
    )
    Proposal.objects.filter(pk__in=chosen).update(status=Proposal.Status.FINALIST)
    for proposal in Proposal.objects.filter(pk__in=chosen):
        _event(proposal, actor=user, note=_("Chosen as a finalist by the independent panel."))
    return finalists


# ---------------------------------------------------------------------------------------
# Public scrutiny
# ---------------------------------------------------------------------------------------


@transaction.atomic
def publish_finalists(*, user, edition: Edition, now: dt.datetime | None = None) -> EvaluationSettings:
    _require(user, "evaluation.manage_results", edition)
    if not Finalist.objects.filter(edition=edition).exists():
        raise ValidationError(_("There are no confirmed finalists yet."))
    now = now or timezone.now()
    rules = settings_for(edition)
    rules.finalists_published_at = now
    rules.scrutiny_closes_at = now + dt.timedelta(days=rules.scrutiny_days)
    rules.save()
    return rules


OBJECTIONS_PER_HOUR = 3


def client_key(ip: str, user_agent: str) -> str:
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()


@transaction.atomic
def file_objection(
    *, edition: Edition, finalist: Finalist, name: str, contact: str, grounds: str, file=None, key: str = "",
    now: dt.datetime | None = None,
) -> Objection:  # fmt: skip
    """Anyone may object to a finalist while the public scrutiny is open (at most 3 an hour per client)."""
    now = now or timezone.now()
    rules = settings_for(edition)
    if (
        not rules.finalists_published_at
        or not rules.scrutiny_closes_at
        or not (rules.finalists_published_at <= now <= rules.scrutiny_closes_at)
    ):
        raise ValidationError(_("The public scrutiny is not open."))
    if finalist.edition_id != edition.pk:
        raise ValidationError({"finalist": _("Choose a finalist of this edition.")})
    if key and Objection.objects.filter(client_key=key, created_at__gte=now - dt.timedelta(hours=1)).count() >= (
        OBJECTIONS_PER_HOUR
    ):
        raise ValidationError(_("Too many objections from this device in the last hour. Please try again later."))
    objection = Objection(
        edition=edition, finalist=finalist, name=name.strip(), contact=contact.strip(), grounds=grounds.strip(),
        client_key=key,
    )  # fmt: skip
    if file:
        from jipp.core.files import JPEG, PDF, PNG, generated_name, validate_upload

        try:
            kind = validate_upload(file, allowed=(PDF, JPEG, PNG), max_mb=5)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        file.name = generated_name(kind)
        objection.file = file
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def resolve_objection(
    *, user, objection: Objection, status: str, resolution: str, disqualify: bool = False
) -> Objection:
    _require(user, "evaluation.manage_results", objection.edition)
    if status not in (Objection.Status.UPHELD, Objection.Status.DISMISSED):
        raise ValidationError({"status": _("Choose upheld or dismissed.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Record how the objection was resolved.")})
    _check_frozen(objection.edition, user=user, reason=resolution, what=f"resolve objection {objection.pk}")
    objection.status = status
    objection.resolution = resolution.strip()
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection.save()
    if status == Objection.Status.UPHELD and disqualify:
        finalist = objection.finalist
        finalist.status = Finalist.Status.DISQUALIFIED
        finalist.save(update_fields=["status", "updated_at"])
        _event(finalist.proposal, actor=user, note=_("Disqualified after an objection: %(r)s") % {"r": resolution})
    return objection


@transaction.atomic
def publish_scrutiny_outcome(*, user, edition: Edition, outcome: str) -> EvaluationSettings:
    _require(user, "evaluation.manage_results", edition)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome to publish.")})
    if Objection.objects.filter(edition=edition, status=Objection.Status.OPEN).exists():
        raise ValidationError(_("Resolve every objection before publishing the outcome."))
    rules = settings_for(edition)
    rules.scrutiny_outcome = outcome.strip()
    rules.scrutiny_outcome_published_at = timezone.now()
    rules.save()
    return rules


# ---------------------------------------------------------------------------------------
# Presentations
# ---------------------------------------------------------------------------------------


@transaction.atomic
def build_schedule(
    *, user, edition: Edition, days: list[dt.date], rooms: int, day_start: dt.time, tz, link_base: str = ""
) -> list[Slot]:
    """Slots of `slot_minutes` across `days` and `rooms` (a lunch break after 4 hours).

    Each day the panelists available that day are split over the rooms; a finalist goes to the first
    free slot of a room whose panel has no conflict with it (own agency, home province, declared).
    Raises ValidationError when a finalist cannot be placed.
    """
    _require(user, "evaluation.manage_results", edition)
    if rooms < 1 or not days:
        raise ValidationError(_("Give at least one day and one room."))
    rules = settings_for(edition)
    finalists = list(Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE).select_related("proposal"))
    panelists = member_rows(edition, Member.Kind.PANELIST)
    if not panelists:
        raise ValidationError(_("Add the panelists first."))
    rows = list(Proposal.objects.filter(pk__in=[f.proposal_id for f in finalists]).values(*PROPOSAL_FIELDS))
    conflicts = conflict_index(edition, rows, panelists).pairs
    per_day = max(1, (8 * 60) // rules.slot_minutes)
    Slot.objects.filter(edition=edition).delete()
    slots = []
    queue = list(finalists)
    for day in days:
        available = [p for p in panelists if not p.available_days or day.isoformat() in p.available_days]
        if not available:
            continue
        panels = [available[r::rooms] for r in range(rooms)]
        for index in range(per_day):
            minutes = index * rules.slot_minutes + (60 if index * rules.slot_minutes >= 240 else 0)
            start = dt.datetime.combine(day, day_start, tzinfo=tz) + dt.timedelta(minutes=minutes)
            for r in range(rooms):
                panel = list(panels[r])
                if not panel:
                    continue
                for f in queue:
                    members = [p for p in panel if (f.proposal_id, p.user_id) not in conflicts]
                    if len(members) == len(panel) or (members and len(members) >= 2):
                        slot = Slot.objects.create(
                            edition=edition, finalist=f, starts_at=start, minutes=rules.slot_minutes,
                            room=_("Room %(n)d") % {"n": r + 1},
                            link=f"{link_base.rstrip('/')}/{edition.year}-r{r + 1}" if link_base else "",
                        )  # fmt: skip
                        slot.panelists.set([p.user_id for p in members])
                        slots.append(slot)
                        queue.remove(f)
                        break
            if not queue:
                return slots
    if queue:
        raise ValidationError(
            _("%(n)d finalists could not be placed: add days, rooms or available panelists.") % {"n": len(queue)}
        )
    return slots


def _decimal_0_100(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        raise ValidationError({name: _("A score from 0 to 100.")})
    return number


@transaction.atomic
def score_presentation(
    *, user, finalist: Finalist, presentation, interview, comment: str = "", reason: str = ""
) -> PanelScore:
    """A panelist of the finalist's slot scores presentation and interview (0..100); the final score follows."""
    slot = Slot.objects.filter(finalist=finalist).first()
    if slot is None or not slot.panelists.filter(pk=user.pk).exists():
        raise PermissionDenied(_("You are not on the panel of this presentation."))
    p = _decimal_0_100(presentation, "presentation")
    i = _decimal_0_100(interview, "interview")
    _check_frozen(finalist.edition, user=user, reason=reason, what=f"panel score of finalist {finalist.pk}")
    score, _created = PanelScore.objects.update_or_create(
        finalist=finalist, panelist=user, defaults={"presentation": p, "interview": i, "comment": comment}
    )
    recompute_final(finalist)
    return score


def recompute_final(finalist: Finalist) -> Finalist:
    rules = settings_for(finalist.edition)
    agg = finalist.panel_scores.aggregate(p=Avg("presentation"), i=Avg("interview"))
    if agg["p"] is None:
        finalist.presentation_score = None
        finalist.final_score = None
    else:
        finalist.presentation_score = (float(agg["p"]) + float(agg["i"])) / 2
        finalist.final_score = (
            rules.desk_weight * finalist.desk_score + rules.presentation_weight * finalist.presentation_score
        ) / (rules.desk_weight + rules.presentation_weight)
    finalist.save(update_fields=["presentation_score", "final_score", "updated_at"])
    return finalist


# ---------------------------------------------------------------------------------------
# Field verification, winners, decree, publication
# ---------------------------------------------------------------------------------------


@transaction.atomic
def verify(*, user, finalist: Finalist, passed: bool, notes: str, reason: str = "") -> Finalist:
    _require(user, "evaluation.manage_results", finalist.edition)
    if not notes.strip():
        raise ValidationError({"notes": _("Write the verification notes.")})
    _check_frozen(finalist.edition, user=user, reason=reason, what=f"field verification of finalist {finalist.pk}")
    finalist.verification_passed = passed
    finalist.verification_notes = notes.strip()
    finalist.verified_by = user
    finalist.verified_at = timezone.now()
    finalist.save()
    return finalist


@transaction.atomic
def decide_winners(*, user, edition: Edition, reason: str = "") -> list[Winner]:
    """Top tiers by final score among the active finalists that passed field verification."""
    _require(user, "evaluation.manage_results", edition)
    _check_frozen(edition, user=user, reason=reason, what="recompute the winners")
    rules = settings_for(edition)
    finalists = list(
        Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE, verification_passed=True)
        .select_related("proposal__group")
        .order_by("pk")
    )
    if not finalists:
        raise ValidationError(_("No finalist has passed the field verification yet."))

    def score(f: Finalist) -> float:
        return f.final_score if f.final_score is not None else f.desk_score

    tiers = [
        (Winner.Tier.OUTSTANDING, Group.Kind.KHUSUS, rules.top_outstanding),
        (Winner.Tier.REPLIKASI, Group.Kind.REPLIKASI, rules.top_replikasi),
        (Winner.Tier.TOP, Group.Kind.UMUM, rules.top_umum),
    ]
    existing_codes = dict(Winner.objects.filter(edition=edition).values_list("finalist_id", "verification_code"))
    Winner.objects.filter(edition=edition).delete()
    winners = []
    for tier, kind, count in tiers:
        if not count:
            continue
        pool = sorted((f for f in finalists if f.proposal.group.kind == kind), key=lambda f: (-score(f), f.pk))
        for rank, f in enumerate(pool[:count], start=1):
            winners.append(
                Winner.objects.create(
                    edition=edition,
                    finalist=f,
                    tier=tier,
                    rank=rank,
                    final_score=score(f),
                    verification_code=existing_codes.get(f.pk) or Winner.new_code(),
                )  # fmt: skip
            )
    return winners


@transaction.atomic
def record_decree(*, user, edition: Edition, number: str, date: dt.date, reason: str = "") -> EvaluationSettings:
    _require(user, "evaluation.manage_results", edition)
    if not number.strip():
        raise ValidationError({"number": _("Give the decree number.")})
    _check_frozen(edition, user=user, reason=reason, what=f"decree number {number}")
    rules = settings_for(edition)
    rules.results_decree_number = number.strip()
    rules.results_decree_date = date
    rules.save()
    return rules


REGISTRY_TIER = {
    Winner.Tier.TOP: Innovation.AwardTier.TOP45,
    Winner.Tier.OUTSTANDING: Innovation.AwardTier.OUTSTANDING,
    Winner.Tier.REPLIKASI: Innovation.AwardTier.TOP45,
}


def award_title(winner: Winner, count: int) -> str:
    if winner.tier == Winner.Tier.OUTSTANDING:
        return f"Top {count} Outstanding Achievement KIPP {winner.edition.year}"
    if winner.tier == Winner.Tier.REPLIKASI:
        return f"Top {count} Replikasi KIPP {winner.edition.year}"
    return f"Top {count} Inovasi Pelayanan Publik KIPP {winner.edition.year}"


@transaction.atomic
def publish_results(*, user, edition: Edition, now: dt.datetime | None = None, reason: str = "") -> EvaluationSettings:
    """Publish the winners, write the awards back to the registry, and freeze the edition.

    Publishing again (after a change made with a reason) needs its own reason: the registry's awards of
    this edition are written again to match the corrected winners, and the first publication date stays.
    """
    _require(user, "evaluation.manage_results", edition)
    rules = settings_for(edition)
    republish = rules.is_frozen
    if republish and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("The results are already published: give the reason for publishing them again.")}
        )
    if not rules.results_decree_number:
        raise ValidationError(_("Record the decree before publishing."))
    winners = list(Winner.objects.filter(edition=edition).select_related("finalist__proposal", "edition"))
    if not winners:
        raise ValidationError(_("Decide the winners before publishing."))
    counts = defaultdict(int)
    for w in winners:
        counts[w.tier] += 1
    winner_proposals = {w.finalist.proposal_id for w in winners}
    finalists = list(Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE).select_related("proposal"))
    innovation_ids = [f.proposal.innovation_id for f in finalists]
    if republish:
        _check_frozen(edition, user=user, reason=reason, what="publish the results again")
        earlier = Proposal.objects.filter(edition=edition, status=Proposal.Status.WINNER).exclude(
            pk__in=winner_proposals
        )
        earlier.update(status=Proposal.Status.FINALIST)
        innovation_ids += list(
            Award.objects.filter(year=edition.year, title__contains="KIPP").values_list("innovation_id", flat=True)
        )
        for innovation_id in set(innovation_ids) - {f.proposal.innovation_id for f in finalists}:
            registry_services.set_award_tier(innovation_id=innovation_id, tier=Innovation.AwardTier.NONE)
    Award.objects.filter(year=edition.year, innovation_id__in=innovation_ids).delete()
    for f in finalists:
        if f.proposal_id in winner_proposals:
            continue
        registry_services.set_award_tier(innovation_id=f.proposal.innovation_id, tier=Innovation.AwardTier.TOP99)
        Award.objects.create(
            innovation_id=f.proposal.innovation_id, year=edition.year, tier=Innovation.AwardTier.TOP99,
            title=f"Top 99 KIPP {edition.year}", decree_number=rules.results_decree_number,
        )  # fmt: skip
    for w in winners:
        tier = REGISTRY_TIER[w.tier]
        registry_services.set_award_tier(innovation_id=w.finalist.proposal.innovation_id, tier=tier)
        Award.objects.create(
            innovation_id=w.finalist.proposal.innovation_id, year=edition.year, tier=tier,
            title=award_title(w, counts[w.tier]), decree_number=rules.results_decree_number,
        )  # fmt: skip
    Proposal.objects.filter(pk__in=winner_proposals).update(status=Proposal.Status.WINNER)
    not_selected = [Proposal.Status.IN_EVALUATION, Proposal.Status.NOMINATED]
    Proposal.objects.filter(edition=edition, status__in=not_selected).update(
        status=Proposal.Status.NOT_SELECTED
    )  # fmt: skip
    for proposal in Proposal.objects.filter(pk__in=winner_proposals):
        _event(proposal, actor=user, note=_("Winner by decree %(n)s.") % {"n": rules.results_decree_number})
    if not republish:
        rules.results_published_at = now or timezone.now()
        rules.save()
    return rules


@transaction.atomic
def update_settings(*, user, edition: Edition, data: dict, reason: str = "") -> EvaluationSettings:
    _require(user, "evaluation.manage_assignments", edition)
    _check_frozen(edition, user=user, reason=reason, what="evaluation settings")
    rules = settings_for(edition)
    for key, value in data.items():
        setattr(rules, key, value)
    if rules.desk_weight + rules.presentation_weight == 0:
        raise ValidationError({"desk_weight": _("The weights cannot both be zero.")})
    rules.full_clean()
    rules.save()
    return rules
