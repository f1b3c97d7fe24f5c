"""Background work of the evaluation (django-tasks). The assignment task lives with its stage, in
`services.assignment`; it is named here too for the workers and for readers looking for the tasks."""

from jipp.competition.evaluation.services.assignment import assign_task

__all__ = ["assign_task"]
