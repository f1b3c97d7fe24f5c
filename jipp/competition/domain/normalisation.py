"""Per-proposal aggregation of review totals, evaluator standardisation, disagreement and ranking.

Pure domain code: no Django, no clock. Input is one ``Review`` per (proposal, evaluator) with
its stored weighted total (0..100, see ``scoring.review_score``). All arithmetic is in
``Decimal`` (``numbers.CONTEXT``) and every value is stored rounded by ``numbers.stored``;
derived values are computed from the stored ones, so a page that shows the stored parts shows
numbers that add up to the stored result.

Methods (``Method``), each a value on the **0..100 scale**:

- ``mean``: arithmetic mean of the proposal's totals (points).
- ``median``: the middle total, or the mean of the two middle ones for an even count (points).
- ``trimmed_mean``: drop ``floor(trim_proportion * n)`` totals at *each* end, average the rest.
- ``zscore_mean``: a *relative position*, not points. Every review becomes a standard score
  ``z = (total - m) / s`` and the proposal's z-scores are averaged (``mean_z``). The position
  shown on 0..100 is ``100 * Phi(mean_z)`` (Phi: the standard normal distribution function):
  50 is an average position, 84.13 one spread above it. One method for the whole pool:

  * an evaluator with at least ``min_reviews`` reviews is standardised on their own totals:
    ``m`` and ``s`` are their mean and (population) standard deviation (rule ``own``);
  * the evaluators with fewer reviews are standardised *together*: ``m`` and ``s`` are the
    mean and standard deviation of all their totals pooled (rule ``pooled``, the declared
    fallback), so no review keeps raw points in a pool of standard scores;
  * ``s`` is never below ``min_spread`` points (the spread floor): an evaluator who gives 80,
    80, 80, 80 and 80.56 does not turn half a point into two standard deviations, and a flat
    scorer (every total equal) gives z = 0 to all, never a division by zero.

  Shifting or scaling the totals of an evaluator standardised on their own (with their spread
  staying above the floor) leaves every z, and so the order, unchanged.

The passing grade is compared with the proposal's raw mean in points (``mean``), never with a
relative position; a caller reads ``mean`` for it.

Spread: ``std`` (population) and ``spread`` = max - min of the proposal's raw totals; a proposal
is flagged ``disagreement`` when ``spread > disagreement_threshold`` (strictly).

Ranking, per method, is by descending value (``mean_z`` for ``zscore_mean``); ties (equal stored
values) are broken by the higher raw mean, then the smaller spread (evaluators agree more), then
the smaller proposal id. Ranks are 1..P with no shared ranks.

Rankability: ``rankability(valid, required)`` says whether a proposal has its required number
of valid reviews (submitted, by an evaluator without a conflict) and how many are missing.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum

from jipp.competition.domain.numbers import CONTEXT, ZERO, stored

DEFAULT_MIN_SPREAD = Decimal(5)


class Method(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    ZSCORE_MEAN = "zscore_mean"


class NormalisationRule(StrEnum):
    """How an evaluator's totals were standardised."""

    OWN = "own"
    POOLED = "pooled"


@dataclass(frozen=True, slots=True)
class Review:
    """One evaluator's stored weighted total (0..100) for one proposal."""

    proposal: Hashable
    evaluator: Hashable
    total: Decimal | float | int | str


@dataclass(frozen=True, slots=True)
class EvaluatorStats:
    """``mean`` and ``std`` of the evaluator's totals; ``centre`` and ``scale`` are the m and s used
    for their z (their own, or the pool's); ``floored`` when the spread floor replaced the std."""

    evaluator: Hashable
    n_reviews: int
    mean: Decimal
    std: Decimal
    rule: NormalisationRule
    centre: Decimal
    scale: Decimal
    floored: bool


@dataclass(frozen=True, slots=True)
class NormalisedReview:
    evaluator: Hashable
    total: Decimal
    z: Decimal


@dataclass(frozen=True, slots=True)
class ProposalAggregate:
    proposal: Hashable
    n_reviews: int
    mean: Decimal
    median: Decimal
    trimmed_mean: Decimal
    mean_z: Decimal
    zscore_mean: Decimal  # 100 * Phi(mean_z), a position on 0..100
    std: Decimal
    spread: Decimal
    disagreement: bool
    ranks: Mapping[Method, int]

    def value(self, method: Method | str) -> Decimal:
        """The method's value on the 0..100 scale (a position for ``zscore_mean``)."""
        return getattr(self, Method(method).value)


@dataclass(frozen=True)
class Aggregation:
    """Everything ``aggregate`` computed; ``rankings[m]`` lists proposal ids best first."""

    proposals: Mapping[Hashable, ProposalAggregate]
    rankings: Mapping[Method, tuple[Hashable, ...]]
    evaluators: Mapping[Hashable, EvaluatorStats]
    reviews: Mapping[Hashable, tuple[NormalisedReview, ...]]
    pooled_mean: Decimal
    pooled_std: Decimal
    trim_proportion: Decimal
    min_reviews: int
    min_spread: Decimal
    disagreement_threshold: Decimal
    # The exact (centre, scale) each evaluator's z used (``standardise``), for an incremental update.
    standardisation: Mapping[Hashable, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def not_standardised_alone(self) -> int:
        """How many evaluators were standardised with the pool (fewer than ``min_reviews`` reviews)."""
        return sum(1 for e in self.evaluators.values() if e.rule == NormalisationRule.POOLED)


@dataclass(frozen=True)
class ReviewExplanation:
    evaluator: Hashable
    total: Decimal
    evaluator_reviews: int
    evaluator_mean: Decimal
    evaluator_std: Decimal
    rule: NormalisationRule
    centre: Decimal
    scale: Decimal
    floored: bool
    z: Decimal
    trimmed: bool


@dataclass(frozen=True)
class ProposalExplanation:
    """How one proposal's numbers were computed, for the UI's "open this number".

    ``reviews`` are ordered by raw total (ascending); ``trimmed`` marks those the trimmed mean
    dropped. ``formulae`` maps each method (and "std", "spread") to a worked formula using only
    stored numbers and symbols, so it needs no translation.
    """

    aggregate: ProposalAggregate
    reviews: tuple[ReviewExplanation, ...]
    trimmed_per_side: int
    disagreement_threshold: Decimal
    formulae: Mapping[str, str]


@dataclass(frozen=True)
class Rankability:
    rankable: bool
    missing: int


def rankability(valid_reviews: int, required: int) -> Rankability:
    """A proposal is rankable with at least ``required`` valid (submitted, non-conflicted) reviews."""
    missing = max(0, required - valid_reviews)
    return Rankability(missing == 0 and valid_reviews > 0, missing)


def position(mean_z: Decimal) -> Decimal:
    """``100 * Phi(mean_z)``, stored: the documented 0..100 scale of a standardised value.

    Phi is evaluated in binary floating point (``math.erf``) and then stored; it is strictly
    increasing, so it never changes an order (which is decided on ``mean_z`` itself).
    """
    return stored(Decimal(repr(50.0 * (1.0 + math.erf(float(mean_z) / math.sqrt(2.0))))))


def aggregate(
    reviews: Iterable[Review],
    *,
    trim_proportion: Decimal | float | str = Decimal("0.2"),
    min_reviews: int = 5,
    min_spread: Decimal | float | str = DEFAULT_MIN_SPREAD,
    disagreement_threshold: Decimal | float | str = Decimal(20),
) -> Aggregation:
    """Aggregate all review totals of an edition with every ``Method`` and rank by each.

    Inputs: ``reviews`` (at most one per proposal and evaluator, finite totals);
    ``trim_proportion`` in [0, 0.5); ``min_reviews`` >= 1, the fewest reviews for an evaluator
    to be standardised on their own; ``min_spread`` > 0 points, the spread floor;
    ``disagreement_threshold`` in points. Output: an ``Aggregation`` (module docstring).
    Invariants: every proposal with a review appears once; each ranking is a permutation of
    the proposals; min total <= median, trimmed mean, mean <= max total; no NaN or infinity.
    Raises ``ValueError`` for bad parameters, a non-finite total or a duplicated review.
    """
    trim = _decimal(trim_proportion, "trim_proportion")
    floor = _decimal(min_spread, "min_spread")
    threshold = _decimal(disagreement_threshold, "disagreement_threshold")
    if not ZERO <= trim < Decimal("0.5"):
        raise ValueError(f"trim_proportion must be in [0, 0.5), got {trim_proportion}")
    if min_reviews < 1:
        raise ValueError(f"min_reviews must be >= 1, got {min_reviews}")
    if floor <= 0:
        raise ValueError(f"min_spread must be > 0, got {min_spread}")
    rows = []
    seen = set()
    for r in reviews:
        total = _decimal(r.total, "total")
        if (r.proposal, r.evaluator) in seen:
            raise ValueError("an evaluator reviewed the same proposal twice")
        seen.add((r.proposal, r.evaluator))
        rows.append((r.proposal, r.evaluator, stored(total)))

    by_evaluator: dict[Hashable, list[Decimal]] = defaultdict(list)
    for _p, e, x in rows:
        by_evaluator[e].append(x)
    evaluators, exact_ms, pooled_exact = standardise(by_evaluator, min_reviews=min_reviews, min_spread=floor)
    per_proposal: dict[Hashable, list[NormalisedReview]] = defaultdict(list)
    for p, e, x in rows:
        per_proposal[p].append(normalised(e, x, exact_ms[e]))
    values = {p: proposal_values(items, trim) for p, items in per_proposal.items()}
    ranks_by_method, rankings = rank(values)
    proposals = {
        p: ProposalAggregate(
            proposal=p,
            n_reviews=v["n"],
            mean=v["mean"],
            median=v["median"],
            trimmed_mean=v["trimmed_mean"],
            mean_z=v["mean_z"],
            zscore_mean=v["zscore_mean"],
            std=v["std"],
            spread=v["spread"],
            disagreement=v["spread"] > threshold,
            ranks=ranks_by_method[p],
        )
        for p, v in values.items()
    }
    return Aggregation(
        proposals=proposals,
        rankings=rankings,
        evaluators=evaluators,
        reviews={p: tuple(items) for p, items in per_proposal.items()},
        pooled_mean=stored(pooled_exact[0]),
        pooled_std=stored(pooled_exact[1]),
        trim_proportion=trim,
        min_reviews=min_reviews,
        min_spread=floor,
        disagreement_threshold=threshold,
        standardisation=exact_ms,
    )


def standardise(
    by_evaluator: Mapping[Hashable, list[Decimal]], *, min_reviews: int, min_spread: Decimal
) -> tuple[dict[Hashable, EvaluatorStats], dict[Hashable, tuple[Decimal, Decimal]], tuple[Decimal, Decimal]]:
    """Each evaluator's standardisation from their stored totals (module docstring, ``zscore_mean``).

    Returns (stats per evaluator, the exact (centre, scale) per evaluator that z uses, the pool's exact
    (mean, std)). An incremental update that keeps the exact pairs of the evaluators it did not touch
    and calls this for the ones it did (with the whole pool when the pool changed) gets the same z.
    """
    with localcontext(CONTEXT):
        pooled = [x for xs in by_evaluator.values() if len(xs) < min_reviews for x in xs]
        pooled_exact = _mean_std(pooled, exact=True)
        evaluators = {}
        exact_ms = {}
        for e, xs in by_evaluator.items():
            own = _mean_std(xs, exact=True)
            rule = NormalisationRule.OWN if len(xs) >= min_reviews else NormalisationRule.POOLED
            centre, raw_scale = own if rule == NormalisationRule.OWN else pooled_exact
            # z is computed from the exact centre and scale (so a shifted or scaled evaluator gets
            # exactly the same z); the stored, rounded ones are what the explanation shows.
            exact_ms[e] = (centre, max(raw_scale, min_spread))
            evaluators[e] = EvaluatorStats(
                e,
                len(xs),
                stored(own[0]),
                stored(own[1]),
                rule,
                stored(centre),
                stored(max(raw_scale, min_spread)),
                raw_scale < min_spread,
            )
    return evaluators, exact_ms, pooled_exact


def normalised(evaluator: Hashable, total: Decimal, centre_scale: tuple[Decimal, Decimal]) -> NormalisedReview:
    """One stored total as a standard score with the evaluator's exact (centre, scale)."""
    centre, scale = centre_scale
    return NormalisedReview(evaluator, total, stored(CONTEXT.divide(CONTEXT.subtract(total, centre), scale)))


def proposal_values(items: Iterable[NormalisedReview], trim: Decimal) -> dict:
    """The values of one proposal from its normalised reviews: n, mean, median, trimmed_mean, mean_z,
    zscore_mean, std and spread (each stored). Depends on nothing but these reviews and ``trim``."""
    items = list(items)
    with localcontext(CONTEXT):
        totals = sorted(i.total for i in items)
        n = len(totals)
        cut = _trim_count(trim, n)
        kept = totals[cut : n - cut]
        mean_z = stored(sum((i.z for i in items), ZERO) / n)
        return {
            "n": n,
            "mean": stored(sum(totals, ZERO) / n),
            "median": stored((totals[(n - 1) // 2] + totals[n // 2]) / 2),
            "trimmed_mean": stored(sum(kept, ZERO) / len(kept)),
            "mean_z": mean_z,
            "zscore_mean": position(mean_z),
            "std": _mean_std(totals)[1],
            "spread": totals[-1] - totals[0],
        }


def rank(values: Mapping[Hashable, Mapping[str, Decimal]]) -> tuple[dict, dict[Method, tuple[Hashable, ...]]]:
    """Rank proposals by every method from their stored values (``proposal_values`` keys; for ranking
    only the methods' values, "mean_z", "mean" and "spread" are read). Returns (ranks per proposal per
    method, the order per method, best first); ties as in the module docstring."""
    ids = sorted(values)
    rankings: dict[Method, tuple[Hashable, ...]] = {}
    ranks: dict[Hashable, dict[Method, int]] = {p: {} for p in ids}
    for method in Method:
        key = "mean_z" if method == Method.ZSCORE_MEAN else method.value
        order = sorted(ids, key=lambda p, key=key: (-values[p][key], -values[p]["mean"], values[p]["spread"]))
        rankings[method] = tuple(order)
        for position_, p in enumerate(order, start=1):
            ranks[p][method] = position_
    return ranks, rankings


def explain_proposal(aggregation: Aggregation, proposal: Hashable) -> ProposalExplanation:
    """Explain one proposal's aggregate: its reviews, each evaluator's mean/std/rule, the z-scores.

    Inputs: the result of ``aggregate`` and a proposal id in it (``KeyError`` otherwise).
    Output: a ``ProposalExplanation`` whose formulae reproduce the stored values exactly
    (each formula's operands are stored values, and its result is the stored value).
    """
    agg = aggregation.proposals[proposal]
    reviews = sorted(aggregation.reviews[proposal], key=lambda r: r.total)
    n = len(reviews)
    cut = _trim_count(aggregation.trim_proportion, n)
    explained = tuple(
        ReviewExplanation(
            evaluator=r.evaluator,
            total=r.total,
            evaluator_reviews=(s := aggregation.evaluators[r.evaluator]).n_reviews,
            evaluator_mean=s.mean,
            evaluator_std=s.std,
            rule=s.rule,
            centre=s.centre,
            scale=s.scale,
            floored=s.floored,
            z=r.z,
            trimmed=not cut <= i < n - cut,
        )
        for i, r in enumerate(reviews)
    )
    totals = [r.total for r in reviews]
    kept = [r.total for r in explained if not r.trimmed]
    middle = totals[(n - 1) // 2 : n // 2 + 1]
    formulae = {
        Method.MEAN: f"({_join(totals)}) / {n} = {agg.mean:.2f}",
        Method.MEDIAN: f"median({_join(totals, ', ')}) = "
        + (f"({_join(middle)}) / 2 = " if len(middle) == 2 else "")
        + f"{agg.median:.2f}",
        Method.TRIMMED_MEAN: f"({_join(kept)}) / {len(kept)} = {agg.trimmed_mean:.2f}",
        "z": "; ".join(f"({r.total:.2f} - {r.centre:.2f}) / {r.scale:.2f} = {r.z:.3f}" for r in explained),
        Method.ZSCORE_MEAN: "mean z = ("
        + " + ".join(f"{r.z:.6f}" for r in explained)
        + f") / {n} = {agg.mean_z:.6f}; 100 x Phi({agg.mean_z:.6f}) = {agg.zscore_mean:.2f}",
        "std": f"sqrt(({' + '.join(f'({t:.2f} - {agg.mean:.2f})^2' for t in totals)}) / {n}) = {agg.std:.2f}",
        "spread": f"{totals[-1]:.2f} - {totals[0]:.2f} = {agg.spread:.2f}",
    }
    return ProposalExplanation(
        aggregate=agg,
        reviews=explained,
        trimmed_per_side=cut,
        disagreement_threshold=aggregation.disagreement_threshold,
        formulae=formulae,
    )


def _mean_std(values: list[Decimal], *, exact: bool = False) -> tuple[Decimal, Decimal]:
    """Mean and population standard deviation, stored (or exact); 0 and 0 for no values."""
    if not values:
        return ZERO, ZERO
    # In ascending order: the sum of squares is rounded at CONTEXT's 40 digits as it goes, so the
    # order of the values must not depend on the order they were read in (a full computation and an
    # incremental update read the same totals in different orders and must agree to the last digit).
    values = sorted(values)
    with localcontext(CONTEXT):
        n = len(values)
        mean = sum(values, ZERO) / n
        std = (sum(((x - mean) ** 2 for x in values), ZERO) / n).sqrt()
        return (mean, std) if exact else (stored(mean), stored(std))


def _trim_count(proportion: Decimal, n: int) -> int:
    return int((proportion * n).to_integral_value(rounding=ROUND_FLOOR))


def _decimal(value, name: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number")
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"every {name} must be a finite number")
    return result


def _join(values: list[Decimal], sep: str = " + ") -> str:
    return sep.join(f"{v:.2f}" for v in values)
