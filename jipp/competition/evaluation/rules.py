"""Who may do what in the evaluation. The secretariat (Ministry) runs every stage; an evaluator sees only
the proposals assigned to them without a conflict; the panel sees the ranking, confirms the nomination
and scores the presentations it sits on; the public sees published finalists and results."""

import rules

from jipp.accounts.models import Role
from jipp.core.rules import is_ministry


@rules.predicate
def is_evaluator(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.EVALUATOR


@rules.predicate
def is_panelist(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.PANELIS


@rules.predicate
def is_assigned(user, assignment) -> bool:
    """`assignment` is an Assignment; the conflict check is done in the view (needs the edition's rules)."""
    return assignment is not None and user.is_authenticated and assignment.evaluator_id == user.pk


rules.add_perm("evaluation.manage_team", is_ministry)
rules.add_perm("evaluation.manage_assignments", is_ministry)
rules.add_perm("evaluation.view_ranking", is_ministry | is_panelist)
rules.add_perm("evaluation.nominate", is_ministry)
rules.add_perm("evaluation.confirm_nomination", is_ministry | is_panelist)
rules.add_perm("evaluation.manage_results", is_ministry)
rules.add_perm("evaluation.review", is_evaluator & is_assigned)
rules.add_perm("evaluation.my_reviews", is_evaluator)
rules.add_perm("evaluation.score_panel", is_panelist)
