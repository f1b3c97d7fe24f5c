"""The one place where the competition declares how its deciding numbers are rounded.

Pure domain code: no Django. Every number that decides an outcome (criterion points, a review
total, an aggregate, a desk score, a presentation score, a final score) is computed in
``Decimal`` and *stored* rounded to ``STORED`` places with ``ROUNDING``; pages, certificates,
reports and the API show what is stored, rounded to ``SHOWN`` places. Where a total is shown
beside its parts, the parts are apportioned (largest remainder) so the shown parts add up
exactly to the shown total.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

ROUNDING = ROUND_HALF_EVEN
STORED = Decimal("0.000001")  # six decimals: what is stored and compared
SHOWN = Decimal("0.01")  # two decimals: what people read
# Enough digits that a sum of 3,500 stored values is exact before it is rounded.
CONTEXT = Context(prec=40, rounding=ROUNDING)

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def stored(value: Decimal | int | str) -> Decimal:
    """``value`` rounded to the stored precision (``STORED``, ``ROUNDING``)."""
    # The same operation as quantizing inside ``localcontext(CONTEXT)``, without entering a context
    # each time: this runs once per review and value (about 130,000 times for 30,000 reviews).
    if type(value) is not Decimal:
        value = Decimal(value)  # exact: a constructor does not round
    return value.quantize(STORED, rounding=ROUNDING, context=CONTEXT)


def shown(value: Decimal | int | str) -> Decimal:
    """``value`` rounded for display (``SHOWN``, ``ROUNDING``)."""
    with localcontext(CONTEXT):
        return Decimal(value).quantize(SHOWN, rounding=ROUNDING)


def apportion(parts: Sequence[Decimal], total: Decimal, quantum: Decimal = SHOWN) -> list[Decimal]:
    """``parts`` rounded to ``quantum`` so that they add up exactly to ``total`` rounded to ``quantum``.

    Largest remainder: every part is rounded down, then the units still missing go to the parts
    with the largest remainders (earlier parts first on equal remainders). Inputs: ``parts``
    whose exact sum is ``total`` (non-negative). Output: a list as long as ``parts``; no part
    moves by more than one ``quantum`` from its exact value.
    """
    with localcontext(CONTEXT):
        target = Decimal(total).quantize(quantum, rounding=ROUNDING)
        floors = [Decimal(p).quantize(quantum, rounding="ROUND_FLOOR") for p in parts]
        missing = int((target - sum(floors, ZERO)) / quantum)
        order = sorted(range(len(parts)), key=lambda i: (-(Decimal(parts[i]) - floors[i]), i))
        result = list(floors)
        if missing >= 0:
            for i in order[:missing]:
                result[i] += quantum
        else:  # only when ``total`` was rounded up below the floors' sum: take from the smallest remainders
            for i in list(reversed(order))[:-missing]:
                result[i] -= quantum
        return result
