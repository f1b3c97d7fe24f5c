"""Who may do what in the evaluation. The secretariat (Ministry) runs every stage; an evaluator sees only
the proposals assigned to them without a conflict of interest (from any source, checked each time); the
panel sees the ranking, confirms the nomination and scores the presentations it sits on; the public sees
published finalists and results. Views and the API check these rules through
`permissions.requires` and `jipp.api.evaluation.RulePermission`, and the services check them again."""

import rules

from jipp.accounts.models import Role
from jipp.competition.rules import runs_edition
from jipp.core.rules import is_ministry


@rules.predicate
def is_evaluator(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.EVALUATOR


@rules.predicate
def is_panelist(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PANELIS


@rules.predicate
def is_assigned(user, assignment) -> bool:
    return assignment is not None and user.is_authenticated and assignment.evaluator_id == user.pk


@rules.predicate
def has_no_conflict(user, assignment) -> bool:
    """The evaluator has no conflict of interest with the assigned proposal under the edition's rules."""
    if assignment is None:
        return False
    from jipp.competition.evaluation.common import conflict_reason

    # The review views load the edition's settings with the assignment (`views._assignment_for`).
    rules = getattr(assignment, "edition_rules", None)
    return conflict_reason(assignment.edition, assignment.proposal, user, rules) is None


@rules.predicate
def sits_on_panel(user, slot) -> bool:
    """`slot` is a presentation Slot; the panelist is one of its panel."""
    return slot is not None and user.is_authenticated and slot.panelists.filter(pk=user.pk).exists()


# The secretariat: the Ministry on every edition; on a provincial edition also its organisers
# (`competition.rules.runs_edition`, filled by the hubs app), never on KIPP or another hub's edition.
secretariat = is_ministry | runs_edition

rules.add_perm("evaluation.manage_team", secretariat)
rules.add_perm("evaluation.manage_assignments", secretariat)
rules.add_perm("evaluation.view_ranking", secretariat | is_panelist)
rules.add_perm("evaluation.nominate", secretariat)
rules.add_perm("evaluation.confirm_nomination", secretariat | is_panelist)
rules.add_perm("evaluation.manage_results", secretariat)
rules.add_perm("evaluation.review", is_evaluator & is_assigned & has_no_conflict)
rules.add_perm("evaluation.my_reviews", is_evaluator)
rules.add_perm("evaluation.score_panel", is_panelist)
rules.add_perm("evaluation.score_slot", is_panelist & sits_on_panel)
