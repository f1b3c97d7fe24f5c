"""Weighted total of one review: criterion scores on a rubric scale -> one number on 0..100.

Pure domain code: no Django, no clock. Arithmetic is in ``Decimal`` so a total shown to an
evaluator is exactly the sum of the per-criterion contributions shown next to it.

The total is always on the **0..100 scale**, whatever the rubric scale: each score is first
mapped linearly from ``[scale.low, scale.high]`` onto ``[0, 100]`` and the mapped scores are
averaged with the weights. So the lowest possible score gives 0 and the highest gives 100
(on a 1..10 rubric a straight 1 is 0, a straight 10 is 100, a straight 8.5 is 83.33...).
For rubrics that start at 0 (0..10, 0..100) this is simply ``score / high * 100``. Putting
every rubric on one scale lets a passing grade such as 85 mean the same across editions.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from jipp.competition.domain.numbers import CONTEXT, SHOWN, STORED, apportion, stored

Number = Decimal | int | float | str

HUNDRED = Decimal(100)


class ScoringError(ValueError):
    """A review cannot be totalled; ``criterion`` names the offending criterion (or is None)."""

    def __init__(self, message: str, criterion: str | None = None) -> None:
        super().__init__(message)
        self.criterion = criterion


class MissingCriterionError(ScoringError):
    """A criterion with a positive weight has no score."""


class ScoreOutOfScaleError(ScoringError):
    """A score lies outside the rubric scale (or is not a finite number)."""


class UnknownCriterionError(ScoringError):
    """A score was given for a criterion that the weights do not define."""


class InvalidWeightError(ScoringError):
    """A weight is negative or not a number, or all weights are zero."""


@dataclass(frozen=True)
class Scale:
    """The rubric scale, inclusive at both ends, e.g. ``Scale(1, 10)`` or ``Scale(0, 100)``."""

    low: Decimal
    high: Decimal

    def __init__(self, low: Number, high: Number) -> None:
        low_d, high_d = _to_decimal(low), _to_decimal(high)
        if low_d is None or high_d is None or not low_d < high_d:
            raise ValueError(f"a scale needs finite low < high, got {low!r}..{high!r}")
        object.__setattr__(self, "low", low_d)
        object.__setattr__(self, "high", high_d)


@dataclass(frozen=True)
class Contribution:
    """One criterion's part of a total: ``points`` = ``share`` x ``rescaled`` (rescaled is 0..100)."""

    criterion: str
    score: Decimal
    weight: Decimal
    share: Decimal
    rescaled: Decimal
    points: Decimal


def score_breakdown(
    scores: Mapping[str, Number | None],
    weights: Mapping[str, Number],
    scale: Scale | Mapping[str, Scale],
) -> list[Contribution]:
    """Validate one review and return each weighted criterion's contribution to its total.

    Inputs: ``scores`` criterion -> score on ``scale`` (``None`` means not scored);
    ``weights`` criterion -> weight >= 0, summing to anything > 0 (percentages, points or
    fractions all work: only their ratios matter). The weights define the rubric: a criterion
    with a positive weight is required, one with weight 0 is optional and ignored.
    ``scale`` is one ``Scale`` for every criterion or a mapping criterion -> ``Scale``.
    Output: one ``Contribution`` per positive-weight criterion, in the order of ``weights``;
    the shares sum to 1 and the points sum to ``weighted_total`` (0..100) up to the last digit
    of the context (use ``review_score`` for parts that add up exactly to a stored total).
    Raises a ``ScoringError`` (a ``ValueError``) naming the criterion for an unknown criterion,
    a missing required score, a score outside the scale, or a bad weight.
    """
    for criterion in scores:
        if criterion not in weights:
            raise UnknownCriterionError(f"score given for unknown criterion {criterion!r}", criterion)
    parsed_weights: dict[str, Decimal] = {}
    for criterion, raw_weight in weights.items():
        weight = _to_decimal(raw_weight)
        if weight is None or weight < 0:
            raise InvalidWeightError(f"weight of criterion {criterion!r} must be >= 0, got {raw_weight!r}", criterion)
        if weight > 0:
            parsed_weights[criterion] = weight
    weight_sum = sum(parsed_weights.values(), Decimal(0))
    if weight_sum == 0:
        raise InvalidWeightError("the weights must sum to more than 0")

    contributions = []
    with localcontext(CONTEXT):
        for criterion, weight in parsed_weights.items():
            raw_score = scores.get(criterion)
            if raw_score is None:
                raise MissingCriterionError(f"criterion {criterion!r} has no score", criterion)
            own = scale if isinstance(scale, Scale) else scale[criterion]
            score = _to_decimal(raw_score)
            if score is None or not own.low <= score <= own.high:
                raise ScoreOutOfScaleError(
                    f"score {raw_score!r} for criterion {criterion!r} is outside {own.low}..{own.high}", criterion
                )
            share = weight / weight_sum
            rescaled = (score - own.low) * HUNDRED / (own.high - own.low)
            contributions.append(
                Contribution(criterion, score, weight, share, rescaled, weight * rescaled / weight_sum)
            )
    return contributions


def weighted_total(
    scores: Mapping[str, Number | None],
    weights: Mapping[str, Number],
    scale: Scale,
) -> Decimal:
    """Return the weighted total of one review on the 0..100 scale (see the module docstring).

    Inputs and validation as in ``score_breakdown``. Output: a ``Decimal`` in [0, 100], not
    rounded (round for display only, so ranks are not decided by rounding). Invariants: all
    scores at ``scale.low`` give 0, all at ``scale.high`` give 100, and the total is monotone
    in every positively weighted score.
    """
    parts = score_breakdown(scores, weights, scale)
    with localcontext(CONTEXT):
        # One division at the end: three equal weights at the top score give exactly 100.
        return sum((part.weight * part.rescaled for part in parts), Decimal(0)) / sum(
            (part.weight for part in parts), Decimal(0)
        )


@dataclass(frozen=True)
class ReviewScore:
    """A review's stored total and its parts: ``stored_points`` add up exactly to ``total`` and
    ``shown_points`` exactly to ``shown_total`` (both apportioned by ``numbers.apportion``)."""

    total: Decimal
    shown_total: Decimal
    parts: tuple[Contribution, ...]
    stored_points: tuple[Decimal, ...]
    shown_points: tuple[Decimal, ...]


def review_score(
    scores: Mapping[str, Number | None],
    weights: Mapping[str, Number],
    scale: Scale | Mapping[str, Scale],
) -> ReviewScore:
    """The total of one review as stored (``numbers.STORED``) with parts that add up to it exactly.

    Inputs and validation as in ``score_breakdown``. This is the only function that produces
    the number stored as a review's total; pages show ``shown_total`` beside ``shown_points``.
    """
    parts = score_breakdown(scores, weights, scale)
    exact = weighted_total(scores, weights, scale)
    total = stored(exact)
    points = [p.points for p in parts]
    stored_points = apportion(points, total, STORED)
    return ReviewScore(
        total=total,
        shown_total=total.quantize(SHOWN),
        parts=tuple(parts),
        stored_points=tuple(stored_points),
        shown_points=tuple(apportion(stored_points, total, SHOWN)),
    )


def _to_decimal(value: Number | None) -> Decimal | None:
    """Finite Decimal for a number (floats via ``str`` so 8.1 stays 8.1), else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return result if result.is_finite() else None
