"""Presentations and field verification: the panel's schedule, the panel marks (the presentation and
final scores computed by domain.final and stored) and the verification of each finalist."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.competition.domain import final as final_domain
from jipp.competition.evaluation.common import (
    PROPOSAL_FIELDS,
    ScoreFormatError,
    conflict_index,
    guard_frozen,
    member_rows,
    parse_score,
    settings_for,
)
from jipp.competition.evaluation.models import Finalist, Member, PanelScore, Slot
from jipp.competition.evaluation.services._base import guard, require
from jipp.competition.models import Edition, Proposal


@transaction.atomic
def build_schedule(
    *, user, edition: Edition, days: list[dt.date], rooms: int, day_start: dt.time, tz, link_base: str = ""
) -> list[Slot]:
    """Slots of `slot_minutes` across `days` and `rooms` (a lunch break after 4 hours).

    Each day the panelists available that day are split over the rooms; a finalist goes to the first
    free slot of a room whose panel has no conflict with it (own agency, home province, declared).
    Raises ValidationError when a finalist cannot be placed.
    """
    require(user, "evaluation.manage_results", edition)
    guard_frozen(edition)
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


def _decimal_0_100(value, name: str):
    try:
        number = parse_score(value)
    except ScoreFormatError:
        number = None
    if number is None or not 0 <= number <= 100:
        raise ValidationError({name: _("A score from 0 to 100.")})
    return number


@transaction.atomic
def score_presentation(*, user, finalist: Finalist, presentation, interview, comment: str = "") -> PanelScore:
    """A panelist of the finalist's slot scores presentation and interview (0..100); the final score follows."""
    slot = Slot.objects.filter(finalist=finalist).first()
    if slot is None or not slot.panelists.filter(pk=user.pk).exists():
        raise PermissionDenied(_("You are not on the panel of this presentation."))
    guard_frozen(finalist.edition)
    p = _decimal_0_100(presentation, "presentation")
    i = _decimal_0_100(interview, "interview")
    guard(finalist.edition, user=user, what=f"panel score of finalist {finalist.pk}")
    score, _created = PanelScore.objects.update_or_create(
        finalist=finalist, panelist=user, defaults={"presentation": p, "interview": i, "comment": comment}
    )
    recompute_final(finalist)
    return score


def recompute_final(finalist: Finalist) -> Finalist:
    """Store the finalist's presentation and final scores (domain.final); None while panel marks are missing."""
    rules = settings_for(finalist.edition)
    marks = [
        final_domain.PanelMark(s.presentation, s.interview)
        for s in PanelScore.objects.filter(finalist=finalist).only("presentation", "interview")
    ]
    finalist.presentation_score = final_domain.presentation_score(marks, required=rules.panel_marks_required)
    desk_points = finalist.desk_points if finalist.desk_points is not None else finalist.desk_score
    finalist.final_score = final_domain.final_score(
        desk_points=desk_points,
        presentation=finalist.presentation_score,
        desk_weight=rules.desk_weight,
        presentation_weight=rules.presentation_weight,
    )
    finalist.save(update_fields=["presentation_score", "final_score", "updated_at"])
    return finalist


@transaction.atomic
def verify(*, user, finalist: Finalist, passed: bool, notes: str) -> Finalist:
    require(user, "evaluation.manage_results", finalist.edition)
    guard_frozen(finalist.edition)
    if not notes.strip():
        raise ValidationError({"notes": _("Write the verification notes.")})
    guard(finalist.edition, user=user, what=f"field verification of finalist {finalist.pk}")
    finalist.verification_passed = passed
    finalist.verification_notes = notes.strip()
    finalist.verified_by = user
    finalist.verified_at = timezone.now()
    finalist.save()
    return finalist
