"""The declared rounding (domain.numbers) kept exactly when `stored` stopped entering a decimal context
per call (issue #15: the aggregation of 30,000 reviews spent most of its time there)."""

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from jipp.competition.domain import normalisation
from jipp.competition.domain.numbers import CONTEXT, ROUNDING, STORED, stored


def stored_in_a_context(value) -> Decimal:
    """The former implementation, the reference."""
    with localcontext(CONTEXT):
        return Decimal(value).quantize(STORED, rounding=ROUNDING)


decimals = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=12)


@given(decimals)
def test_stored_rounds_as_in_the_declared_context(value):
    assert stored(value) == stored_in_a_context(value)
    assert str(stored(value)) == str(stored_in_a_context(value))


@given(st.integers(-(10**9), 10**9), st.sampled_from(["0.0000005", "0.0000015", "2.5000005", "-0.0000025"]))
def test_stored_ties_round_half_even_from_ints_and_strings(n, text):
    assert stored(n) == stored_in_a_context(n)
    assert stored(text) == stored_in_a_context(text)


def test_half_even_on_the_seventh_decimal():
    assert stored("0.0000005") == Decimal("0.000000")
    assert stored("0.0000015") == Decimal("0.000002")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=6), min_size=1, max_size=40), st.randoms())
def test_an_evaluators_spread_does_not_depend_on_the_order_of_the_totals(totals, rng):
    shuffled = list(totals)
    rng.shuffle(shuffled)
    by_order = normalisation.standardise({"e": totals}, min_reviews=1, min_spread=Decimal(5))
    by_other_order = normalisation.standardise({"e": shuffled}, min_reviews=1, min_spread=Decimal(5))
    assert by_order[1] == by_other_order[1]
