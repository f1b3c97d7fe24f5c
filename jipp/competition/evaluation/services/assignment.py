"""Assignment of proposals to evaluators: the automatic run, manual reassignment, an extra review for a
proposal, and the CSV export/import. Every conflict of interest is respected, whatever made the pair
(automatic, manual or imported); imported and manual pairs keep their source."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from jipp.accounts.models import User
from jipp.competition.domain import assignment as assignment_domain
from jipp.competition.evaluation.common import (
    CONFLICT_LABELS,
    EVALUABLE,
    PROPOSAL_FIELDS,
    bump_ranking_version,
    conflict_index,
    conflict_reason,
    guard_frozen,
    member_rows,
    settings_for,
    spreadsheet_safe,
)
from jipp.competition.evaluation.models import Assignment, AssignmentRun, Member, Review
from jipp.competition.evaluation.services._base import guard, require
from jipp.competition.evaluation.services.ranking import schedule_refresh
from jipp.competition.evaluation.services.team import void_conflicted_reviews
from jipp.competition.models import Edition, Proposal
from jipp.core import taskruns

logger = logging.getLogger(__name__)


class StaleAssignmentError(ValidationError):
    """Someone else changed the assignment since the form was opened."""


ASSIGN = "evaluation.assign"
ACTIVE = (AssignmentRun.Status.QUEUED, AssignmentRun.Status.RUNNING)


def _scope(edition_id: int) -> str:
    return f"edition:{edition_id}"


def active_assignment_run(edition: Edition) -> AssignmentRun | None:
    """The edition's assignment record still queued or running (the one a running task works on)."""
    return AssignmentRun.objects.filter(edition=edition, status__in=ACTIVE).order_by("-created_at", "-pk").first()


def assignment_task_run(edition: Edition):
    """The edition's latest assignment task (its progress and phase, shown while it runs)."""
    return taskruns.latest(ASSIGN, _scope(edition.pk))


def start_assignment(*, user, edition: Edition) -> AssignmentRun:
    """Queue the automatic assignment (a background task); the run keeps its progress and result.

    One assignment per edition at a time (`jipp.core.taskruns`): while one is queued or running, a second
    request joins it and gets its run."""
    require(user, "evaluation.manage_assignments", edition)
    guard_frozen(edition)
    with transaction.atomic():
        taskruns.enqueue_once(assign_task, name=ASSIGN, scope=_scope(edition.pk), edition_id=edition.pk)
        run = active_assignment_run(edition)
        if run is None:
            run = AssignmentRun.objects.create(edition=edition, started_by=user)
    return run


@task()
def assign_task(*, edition_id: int, run_id: int | None = None) -> int:
    """Run the optimal assignment of the edition (a background task, one at a time per edition, see
    jipp.core.taskruns); the result, or the reasons it failed, stays on its AssignmentRun. A run whose
    worker died is started again by `manage.py resume_task_runs` and takes over the record left running;
    the assignments are written in one transaction at the end, so a restart leaves nothing half done.
    Returns the AssignmentRun's id, or -1 when another worker already assigns this edition."""
    with taskruns.running(run_id, name=ASSIGN, scope=_scope(edition_id)) as task_run:
        if task_run is None:
            return -1
        edition = Edition.all_editions.get(pk=edition_id)  # national or provincial
        run = active_assignment_run(edition) or AssignmentRun.objects.create(edition=edition)

        def beat(done: int, phase: str) -> None:
            taskruns.progress(task_run, done=done, total=100, message=phase)

        try:
            run_assignment(edition=edition, run=run, progress=beat)
        except (assignment_domain.AssignmentInfeasibleError, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            AssignmentRun.objects.filter(pk=run.pk).update(
                status=AssignmentRun.Status.FAILED, error=message[:4000], finished_at=timezone.now()
            )
        except Exception as exc:
            logger.exception("Assignment run %s failed", run.pk)
            AssignmentRun.objects.filter(pk=run.pk).update(
                status=AssignmentRun.Status.FAILED, error=str(exc)[:4000], finished_at=timezone.now()
            )
            raise
        return run.pk


taskruns.register(ASSIGN, assign_task, lambda scope: {"edition_id": int(scope.split(":", 1)[1])})


def run_assignment(
    *, edition: Edition, run: AssignmentRun | None = None, progress: Callable[[int, str], None] | None = None
) -> AssignmentRun:
    """Assign every evaluable proposal to k evaluators, optimally (see domain.assignment).

    Pairs made by hand or imported, and pairs with a review, are kept (fixed) unless they are now a
    conflict of interest: a conflicted pair without a submitted review is removed (and listed on the
    run), one with a submitted review stays for the audit with its review voided for the ranking, and
    neither counts towards the k evaluators. The other automatic pairs are recomputed. Evaluators left
    without a proposal are named on the run with the reason. Reports `progress(percent, phase)`; every
    write happens in one transaction at the end. Raises AssignmentInfeasibleError.
    """
    guard_frozen(edition)
    started = time.perf_counter()
    report = progress or (lambda percent, phase: None)
    run = run or AssignmentRun.objects.create(edition=edition)
    AssignmentRun.objects.filter(pk=run.pk).update(status=AssignmentRun.Status.RUNNING)
    report(5, _("Reading the proposals, the evaluators and their conflicts"))
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
    evaluator_ids = {m.user_id for m in members}
    proposal_ids = {p["id"] for p in proposals}
    existing = list(
        Assignment.objects.filter(edition=edition).values_list(
            "pk", "proposal_id", "evaluator_id", "source", "review__status"
        )
    )
    fixed, conflicted_open = [], []
    for pk, pid, uid, source, status in existing:
        in_conflict = (pid, uid) in conflicts.pairs
        if in_conflict and status != Review.Status.SUBMITTED:
            conflicted_open.append((pk, pid, uid))
        elif (
            not in_conflict
            and (source != Assignment.Source.AUTO or status is not None)
            and pid in proposal_ids
            and uid in evaluator_ids
        ):
            fixed.append((pid, uid))
    report(20, _("Solving the optimal assignment"))
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
    usernames = {m.user_id: m.user.username for m in members}
    report(90, _("Writing the assignments"))
    with transaction.atomic():
        void_conflicted_reviews(edition=edition, members=members)
        Assignment.objects.filter(pk__in=[pk for pk, _p, _u in conflicted_open]).delete()
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
        bump_ranking_version(edition.pk)  # the bulk writes above send no signals
        schedule_refresh(edition)
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
            removed=[
                {"proposal": pid, "evaluator": usernames.get(uid, uid), "reason": conflicts.reasons[(pid, uid)]}
                for _pk, pid, uid in conflicted_open
            ],
            idle={usernames.get(uid, str(uid)): reason for uid, reason in result.idle.items()},
            seconds=time.perf_counter() - started,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    report(100, _("Done"))
    return run


@transaction.atomic
def reassign(*, user, assignment: Assignment, evaluator: User, expected_version: int, reason: str = "") -> Assignment:
    """Give an assignment to another evaluator. Refused when someone changed it meanwhile (version),
    when the new evaluator has a conflict or already has the proposal, or when a review was submitted."""
    require(user, "evaluation.manage_assignments", assignment.edition)
    guard_frozen(assignment.edition)
    # Under the assignment's lock (the order `save_review` takes too): a submission racing this either
    # lands first (then it is refused below as already submitted) or waits and finds it reassigned.
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("evaluator").get(pk=assignment.pk)
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
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review and review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("This review was already submitted; reopen it before reassigning."), code="already")
    guard(assignment.edition, user=user, what=f"reassign assignment {assignment.pk}")
    updated = Assignment.objects.filter(pk=assignment.pk, version=expected_version).update(
        evaluator=evaluator, version=expected_version + 1, source=Assignment.Source.MANUAL, updated_at=timezone.now()
    )
    if not updated:
        raise StaleAssignmentError(_("Someone else changed this assignment meanwhile. Reload and try again."))
    if review:
        review.delete()
    bump_ranking_version(assignment.edition_id)
    schedule_refresh(assignment.edition)
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def add_extra_review(*, user, proposal: Proposal) -> Assignment:
    """One more evaluator for a proposal whose reviews disagree or were voided: the eligible evaluator
    (no conflict, not yet on it, capacity left) with the lowest load, preferring matching expertise."""
    edition = proposal.edition
    require(user, "evaluation.manage_assignments", edition)
    guard_frozen(edition)
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
    guard(edition, user=user, what=f"extra review of proposal {proposal.pk}")
    bump_ranking_version(edition.pk)
    schedule_refresh(edition)
    return Assignment.objects.create(
        edition=edition,
        proposal=proposal,
        evaluator=best.user,
        source=Assignment.Source.MANUAL,
        mismatch_cost=assignment_domain.mismatch_cost(categories, {c.pk for c in best.expertise.all()}),
    )


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
    submitted review cannot be removed. A listed pair that already exists becomes an imported pair
    (so the next automatic run keeps it). Raises ValidationError listing every bad line.
    """
    require(user, "evaluation.manage_assignments", edition)
    guard_frozen(edition)
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
    for a in Assignment.objects.filter(edition=edition, proposal_id__in=wanted).select_related("review", "evaluator"):
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
    guard(edition, user=user, what="import assignments")
    changed = 0
    for pid, uids in wanted.items():
        for uid, a in existing[pid].items():
            if uid not in uids:
                a.delete()
                changed += 1
            elif a.source == Assignment.Source.AUTO:
                a.source = Assignment.Source.IMPORT
                a.save(update_fields=["source", "updated_at"])
        for uid in uids - set(existing[pid]):
            Assignment.objects.create(
                edition=edition, proposal_id=pid, evaluator_id=uid, source=Assignment.Source.IMPORT
            )
            changed += 1
    bump_ranking_version(edition.pk)
    schedule_refresh(edition)
    return changed
