"""Finalists on one scale: the presentation score, the final score and the winners' order.

Pure domain code: no Django, no clock; ``Decimal`` throughout, stored with ``numbers.stored``.

- The **presentation score** of a finalist is the mean over its panelists of
  ``(presentation + interview) / 2``, each mark on 0..100 points. A finalist with fewer than
  ``required`` panel marks has no presentation score: it cannot be decided (it is listed as
  missing), it never competes on its desk score alone.
- The **final score** combines like with like, both in points on 0..100:
  ``final = (desk_weight x desk_points + presentation_weight x presentation) / (desk_weight +
  presentation_weight)``, where ``desk_points`` is the finalist's raw desk mean (points, not a
  standardised position).
- **Winners** of a tier are the finalists with the highest final score; ties are broken by the
  higher desk points, then the smaller proposal id.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from jipp.competition.domain.numbers import CONTEXT, ZERO, stored


@dataclass(frozen=True)
class PanelMark:
    presentation: Decimal
    interview: Decimal


@dataclass(frozen=True)
class Contender:
    id: Hashable
    final_score: Decimal
    desk_points: Decimal


def presentation_score(marks: Sequence[PanelMark], *, required: int = 1) -> Decimal | None:
    """Mean of ``(presentation + interview) / 2`` over the panel marks, stored; None below ``required`` marks."""
    if not marks or len(marks) < max(required, 1):
        return None
    with localcontext(CONTEXT):
        return stored(sum((Decimal(m.presentation) + Decimal(m.interview) for m in marks), ZERO) / (2 * len(marks)))


def final_score(
    *, desk_points: Decimal, presentation: Decimal | None, desk_weight: int, presentation_weight: int
) -> Decimal | None:
    """The declared combination (module docstring), stored; None without a presentation score.

    Raises ``ValueError`` when both weights are zero or one is negative.
    """
    if desk_weight < 0 or presentation_weight < 0 or desk_weight + presentation_weight == 0:
        raise ValueError("the weights must be >= 0 and not both zero")
    if presentation is None:
        return None
    with localcontext(CONTEXT):
        return stored(
            (desk_weight * Decimal(desk_points) + presentation_weight * Decimal(presentation))
            / (desk_weight + presentation_weight)
        )


def rank_winners(contenders: Sequence[Contender], count: int) -> list[Contender]:
    """The best ``count`` contenders, best first (final score, then desk points, then smaller id)."""
    ordered = sorted(contenders, key=lambda c: (-c.final_score, -c.desk_points, c.id))
    return ordered[: max(count, 0)]
