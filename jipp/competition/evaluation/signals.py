"""The freeze at the model level: after the results are published (and no revision is open), no row that
feeds them can be saved or deleted, whatever the path (admin, a management command, a shell, a service
that forgot to check). Services check first (`common.guard_frozen`) to give a clean message; this guard
is the net under them."""

from django.db.models.signals import pre_delete, pre_save

from jipp.competition.evaluation.common import FrozenError
from jipp.competition.evaluation.models import (
    Assignment,
    DeskScore,
    EvaluationSettings,
    Finalist,
    Nomination,
    Objection,
    PanelScore,
    Review,
    Slot,
    Winner,
)

GUARDED = (Assignment, Review, Nomination, Finalist, Objection, Slot, Winner, DeskScore, PanelScore)


def _edition_id(instance) -> int | None:
    if isinstance(instance, PanelScore):
        return Finalist.objects.filter(pk=instance.finalist_id).values_list("edition_id", flat=True).first()
    return getattr(instance, "edition_id", None)


def _frozen(edition_id: int | None) -> bool:
    if edition_id is None:
        return False
    row = (
        EvaluationSettings.objects.filter(edition_id=edition_id)
        .values_list("results_published_at", "revision_open_at")
        .first()
    )
    return bool(row and row[0] is not None and row[1] is None)


def refuse_when_frozen(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loading fixtures
        return
    if _frozen(_edition_id(instance)):
        raise FrozenError()


for model in GUARDED:
    pre_save.connect(refuse_when_frozen, sender=model, dispatch_uid=f"freeze-save-{model.__name__}")
    pre_delete.connect(refuse_when_frozen, sender=model, dispatch_uid=f"freeze-delete-{model.__name__}")
