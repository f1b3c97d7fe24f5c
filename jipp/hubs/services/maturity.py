"""Maturity: the hub's yearly self-assessment on four aspects and the Ministry's verification."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.hubs.domain.maturity import ASPECTS, LEVELS
from jipp.hubs.models import Hub, MaturityAspect, MaturityAssessment
from jipp.registry.bounds import validate_year


def _check_level(level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in LEVELS:
        raise ValidationError(_("Levels run from 1 to 5."))
    return level


@transaction.atomic
def save_self_assessment(
    *, hub: Hub, year: int, levels: Mapping[str, tuple[int, str]], submit: bool = False
) -> MaturityAssessment:
    """Save the hub's declared level and evidence per aspect ({aspect: (level, evidence)}); submit if asked.

    Every aspect needs a level. Refused once submitted (the Ministry is verifying it). All or nothing.
    """
    validate_year(year)  # the declared bound, not the column's (which differs between SQLite and PostgreSQL)
    if set(levels) != set(ASPECTS):
        raise ValidationError(_("Give a level for each of the four aspects."))
    clean = {a: (_check_level(level), (evidence or "").strip()) for a, (level, evidence) in levels.items()}
    assessment, _created = MaturityAssessment.objects.select_for_update().get_or_create(hub=hub, year=year)
    if assessment.status != MaturityAssessment.Status.DRAFT:
        raise ValidationError(_("This assessment was submitted; it can no longer be changed."))
    for aspect, (level, evidence) in clean.items():
        MaturityAspect.objects.update_or_create(
            assessment=assessment, aspect=aspect, defaults={"declared_level": level, "evidence": evidence}
        )
    if submit:
        assessment.status = MaturityAssessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    return assessment


@transaction.atomic
def verify_assessment(
    *, assessment: MaturityAssessment, verified: Mapping[str, tuple[int, str]], by
) -> MaturityAssessment:
    """The Ministry's levels per aspect ({aspect: (level, reason)}); a level that differs from the declared
    one needs a reason. Only a submitted assessment is verified, once."""
    rows = {r.aspect: r for r in MaturityAspect.objects.filter(assessment=assessment)}
    if set(verified) != set(rows):
        raise ValidationError(_("Verify each of the four aspects."))
    errors = {}
    clean = {}
    for aspect, (level, reason) in verified.items():
        level = _check_level(level)
        reason = (reason or "").strip()
        if level != rows[aspect].declared_level and not reason:
            errors[aspect] = _("Give the reason for changing the declared level.")
        clean[aspect] = (level, reason)
    if errors:
        raise ValidationError(errors)
    if not MaturityAssessment.objects.filter(pk=assessment.pk, status=MaturityAssessment.Status.SUBMITTED).update(
        status=MaturityAssessment.Status.VERIFIED, verified_at=timezone.now(), verified_by=by
    ):
        raise ValidationError(_("Only a submitted assessment can be verified."))
    for aspect, (level, reason) in clean.items():
        row = rows[aspect]
        row.verified_level = level
        row.adjust_reason = reason
    MaturityAspect.objects.bulk_update(rows.values(), ["verified_level", "adjust_reason"])
    assessment.refresh_from_db()
    return assessment
