"""The freeze at the model level: after the results are published (and no revision is open), no row that
feeds them can be saved or deleted, whatever the path (admin, a management command, a shell, a service
that forgot to check). Services check first (`common.guard_frozen`) to give a clean message; this guard
is the net under them."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from jipp.accounts.models import User
from jipp.competition.evaluation.common import FrozenError, bump_ranking_version
from jipp.competition.evaluation.models import (
    Assignment,
    DeskScore,
    EvaluationSettings,
    Finalist,
    Member,
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


# ---------------------------------------------------------------------------------------
# The stored ranking's version: every write the desk ranking depends on bumps it, whatever the path
# (a service, the admin, a shell). Bulk writes that skip signals (the assignment's bulk_create, the
# demo) call `bump_ranking_version` themselves.
# ---------------------------------------------------------------------------------------


def _review_changed(sender, instance, **kwargs):
    # A draft saved (the autosave) changes nothing the ranking reads; a review that was ever submitted
    # (submitted, reopened, voided) does.
    if kwargs.get("raw"):
        return
    if instance.status == Review.Status.SUBMITTED or instance.submitted_at is not None:
        bump_ranking_version(instance.edition_id)


def _edition_row_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        bump_ranking_version(instance.edition_id)


def _declarations_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Member):
        bump_ranking_version(instance.edition_id)


def _account_changed(sender, instance, update_fields=None, **kwargs):
    # The own-agency and home-province conflict rules read the evaluator's account.
    if kwargs.get("raw") or (update_fields is not None and not {"agency", "home_province"} & set(update_fields)):
        return
    for edition_id in Member.objects.filter(user_id=instance.pk).values_list("edition_id", flat=True):
        bump_ranking_version(edition_id)


post_save.connect(_account_changed, sender=User, dispatch_uid="ranking-version-account-save")
post_save.connect(_review_changed, sender=Review, dispatch_uid="ranking-version-review-save")
post_delete.connect(_review_changed, sender=Review, dispatch_uid="ranking-version-review-delete")
for model in (Member, EvaluationSettings):
    post_save.connect(_edition_row_changed, sender=model, dispatch_uid=f"ranking-version-{model.__name__}-save")
    post_delete.connect(_edition_row_changed, sender=model, dispatch_uid=f"ranking-version-{model.__name__}-delete")
for through in (Member.conflict_agencies.through, Member.conflict_regions.through):
    m2m_changed.connect(_declarations_changed, sender=through, dispatch_uid=f"ranking-version-{through.__name__}")
