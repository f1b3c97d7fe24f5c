"""Per-proposal aggregation of review totals, evaluator normalisation, disagreement and ranking.

Pure domain code: no Django, no clock. Input is one ``Review`` per (proposal, evaluator) with
its weighted total (0..100, see ``scoring.weighted_total``); all work is vectorised with NumPy
so a national edition (2,300 proposals x 3 reviews) aggregates in a few tens of milliseconds.

Methods (``Method``):

- ``mean``: arithmetic mean of the proposal's totals.
- ``median``: the middle total, or the mean of the two middle ones for an even count.
- ``trimmed_mean``: drop ``floor(trim_proportion * n)`` totals at *each* end, average the rest.
  With the default proportion 0.2 nothing is trimmed below 5 reviews (so with 3 reviews it is
  the mean) and one total per side for 5..9 reviews. With 3 reviews a proportion >= 1/3 trims
  one total per side, which *is* the median.
- ``zscore_mean``: each evaluator's totals are standardised over all proposals they reviewed,
  ``z = (total - evaluator mean) / evaluator std``, then mapped back to the pool's scale,
  ``normalised = global mean + global std * z`` (global = all totals of the edition), and the
  proposal's normalised totals are averaged. This removes each evaluator's leniency (mean) and
  range (std), so a proposal is not rewarded or punished for the evaluators it drew.
  Two cases cannot be standardised, and are handled so that every review still satisfies
  ``normalised = global mean + global std * z``:

  * fewer than ``min_reviews`` reviews (default 5): a mean and std from so few totals are
    mostly noise (with 2 reviews z is always +-1), so the evaluator is assumed to be
    calibrated like the pool: the raw total is kept (z is taken against the global mean/std);
  * zero std (the evaluator gave every proposal the same total): their reviews carry no
    information on how the proposals compare, so z = 0 and the review counts as the global
    mean: neither their leniency nor their flat score moves a proposal.

All standard deviations are population ones (ddof=0), as in the usual z-score.

Spread: ``std`` (population) and ``spread`` = max - min of the proposal's raw totals; a proposal
is flagged ``disagreement`` when ``spread > disagreement_threshold`` (strictly).

Ranking, per method, is by descending value; ties (values equal to 9 decimals) are broken by
the higher raw mean, then the smaller spread (evaluators agree more), then the smaller proposal
id. Ranks are 1..P with no shared ranks, so a rank list is a total, reproducible order. Proposal
ids must be mutually comparable (all ``int`` or all ``str``).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

# Values equal to this many decimals count as a tie: different but equivalent float
# operation orders must not decide a rank.
TIE_DECIMALS = 9


class Method(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    ZSCORE_MEAN = "zscore_mean"


class NormalisationRule(StrEnum):
    """How an evaluator's totals were turned into normalised totals."""

    ZSCORE = "zscore"
    TOO_FEW_REVIEWS = "too_few_reviews"
    ZERO_STD = "zero_std"


@dataclass(frozen=True, slots=True)
class Review:
    """One evaluator's weighted total (0..100) for one proposal; a ``Decimal`` total is read as a float."""

    proposal: Hashable
    evaluator: Hashable
    total: float


@dataclass(frozen=True, slots=True)
class EvaluatorStats:
    evaluator: Hashable
    n_reviews: int
    mean: float
    std: float
    rule: NormalisationRule


@dataclass(frozen=True, slots=True)
class NormalisedReview:
    """A review with its standard score; ``normalised = global_mean + global_std * z``."""

    evaluator: Hashable
    total: float
    z: float
    normalised: float


@dataclass(frozen=True, slots=True)
class ProposalAggregate:
    proposal: Hashable
    n_reviews: int
    mean: float
    median: float
    trimmed_mean: float
    zscore_mean: float
    std: float
    spread: float
    disagreement: bool
    ranks: Mapping[Method, int]

    def value(self, method: Method) -> float:
        return float(getattr(self, Method(method).value))


@dataclass(frozen=True)
class Aggregation:
    """Everything ``aggregate`` computed; ``rankings[m]`` lists proposal ids best first."""

    proposals: Mapping[Hashable, ProposalAggregate]
    rankings: Mapping[Method, tuple[Hashable, ...]]
    evaluators: Mapping[Hashable, EvaluatorStats]
    reviews: Mapping[Hashable, tuple[NormalisedReview, ...]]
    global_mean: float
    global_std: float
    trim_proportion: float
    min_reviews: int
    disagreement_threshold: float


@dataclass(frozen=True)
class ReviewExplanation:
    evaluator: Hashable
    total: float
    evaluator_reviews: int
    evaluator_mean: float
    evaluator_std: float
    rule: NormalisationRule
    z: float
    normalised: float
    trimmed: bool


@dataclass(frozen=True)
class ProposalExplanation:
    """How one proposal's numbers were computed, for the UI's "open this number".

    ``reviews`` are ordered by raw total (ascending); ``trimmed`` marks those the trimmed mean
    dropped. ``formulae`` maps each method (and "std", "spread") to a worked formula using
    only numbers and symbols, so it needs no translation.
    """

    aggregate: ProposalAggregate
    reviews: tuple[ReviewExplanation, ...]
    global_mean: float
    global_std: float
    trimmed_per_side: int
    disagreement_threshold: float
    formulae: Mapping[str, str]


def aggregate(
    reviews: Iterable[Review],
    *,
    trim_proportion: float = 0.2,
    min_reviews: int = 5,
    disagreement_threshold: float = 20.0,
) -> Aggregation:
    """Aggregate all review totals of an edition with every ``Method`` and rank by each.

    Inputs: ``reviews`` (at most one per proposal and evaluator, totals finite);
    ``trim_proportion`` in [0, 0.5), cut at each end; ``min_reviews`` >= 1, the fewest reviews
    for which an evaluator is standardised; ``disagreement_threshold`` in total points.
    Output: an ``Aggregation`` (see the module docstring for every rule). Invariants: every
    proposal with a review appears once; each ranking is a permutation of the proposals;
    min total <= median, trimmed mean, mean <= max total for every proposal.
    Raises ``ValueError`` for bad parameters, a non-finite total or a duplicated review.
    """
    if not 0 <= trim_proportion < 0.5:
        raise ValueError(f"trim_proportion must be in [0, 0.5), got {trim_proportion}")
    if min_reviews < 1:
        raise ValueError(f"min_reviews must be >= 1, got {min_reviews}")
    reviews = list(reviews)
    if not reviews:
        return Aggregation(
            {}, dict.fromkeys(Method, ()), {}, {}, 0.0, 0.0, trim_proportion, min_reviews, disagreement_threshold
        )

    proposal_ids = sorted({r.proposal for r in reviews})
    proposal_index = {p: i for i, p in enumerate(proposal_ids)}
    evaluator_ids = list(dict.fromkeys(r.evaluator for r in reviews))
    evaluator_index = {e: i for i, e in enumerate(evaluator_ids)}
    p = np.fromiter((proposal_index[r.proposal] for r in reviews), dtype=np.intp, count=len(reviews))
    e = np.fromiter((evaluator_index[r.evaluator] for r in reviews), dtype=np.intp, count=len(reviews))
    x = np.fromiter((r.total for r in reviews), dtype=float, count=len(reviews))
    if not np.all(np.isfinite(x)):
        raise ValueError("every review total must be a finite number")
    pair = p * len(evaluator_ids) + e
    if np.unique(pair).size != pair.size:
        raise ValueError("an evaluator reviewed the same proposal twice")

    stats = _proposal_stats(p, x, len(proposal_ids), trim_proportion)
    z, normalised, evaluator_stats, g_mean, g_std = _standardise(e, x, evaluator_ids, min_reviews)
    stats["zscore_mean"] = np.bincount(p, weights=normalised, minlength=len(proposal_ids)) / stats["n"]
    disagreement = stats["spread"] > disagreement_threshold

    id_order = np.arange(len(proposal_ids))  # ids are sorted, so index order is id order
    rank_arrays: dict[Method, np.ndarray] = {}
    rankings: dict[Method, tuple[Hashable, ...]] = {}
    for method in Method:
        # lexsort sorts by the last key first.
        order = np.lexsort(
            (
                id_order,
                np.round(stats["spread"], TIE_DECIMALS),
                -np.round(stats["mean"], TIE_DECIMALS),
                -np.round(stats[method.value], TIE_DECIMALS),
            )
        )
        ranks = np.empty(len(order), dtype=np.intp)
        ranks[order] = np.arange(1, len(order) + 1)
        rank_arrays[method] = ranks
        rankings[method] = tuple(proposal_ids[i] for i in order)

    columns = {
        key: stats[key].tolist() for key in ("n", "mean", "median", "trimmed_mean", "zscore_mean", "std", "spread")
    }
    rank_lists = {m: r.tolist() for m, r in rank_arrays.items()}
    flags = disagreement.tolist()
    proposals = {
        pid: ProposalAggregate(
            pid,
            int(columns["n"][i]),
            columns["mean"][i],
            columns["median"][i],
            columns["trimmed_mean"][i],
            columns["zscore_mean"][i],
            columns["std"][i],
            columns["spread"][i],
            flags[i],
            {m: rank_lists[m][i] for m in Method},
        )
        for i, pid in enumerate(proposal_ids)
    }
    per_proposal: dict[Hashable, list[NormalisedReview]] = {pid: [] for pid in proposal_ids}
    for review, z_i, norm_i in zip(reviews, z.tolist(), normalised.tolist(), strict=True):
        per_proposal[review.proposal].append(NormalisedReview(review.evaluator, float(review.total), z_i, norm_i))
    return Aggregation(
        proposals=proposals,
        rankings=rankings,
        evaluators={stats.evaluator: stats for stats in evaluator_stats},
        reviews={pid: tuple(items) for pid, items in per_proposal.items()},
        global_mean=g_mean,
        global_std=g_std,
        trim_proportion=trim_proportion,
        min_reviews=min_reviews,
        disagreement_threshold=disagreement_threshold,
    )


def explain_proposal(aggregation: Aggregation, proposal: Hashable) -> ProposalExplanation:
    """Explain one proposal's aggregate: its reviews, each evaluator's mean/std/rule, the z-scores.

    Inputs: the result of ``aggregate`` and a proposal id in it (``KeyError`` otherwise).
    Output: a ``ProposalExplanation`` whose formulae reproduce the aggregate's values.
    """
    agg = aggregation.proposals[proposal]
    reviews = sorted(aggregation.reviews[proposal], key=lambda r: r.total)
    n = len(reviews)
    cut = _trim_count(aggregation.trim_proportion, n)
    explained = tuple(
        ReviewExplanation(
            evaluator=r.evaluator,
            total=r.total,
            evaluator_reviews=aggregation.evaluators[r.evaluator].n_reviews,
            evaluator_mean=aggregation.evaluators[r.evaluator].mean,
            evaluator_std=aggregation.evaluators[r.evaluator].std,
            rule=aggregation.evaluators[r.evaluator].rule,
            z=r.z,
            normalised=r.normalised,
            trimmed=not cut <= i < n - cut,
        )
        for i, r in enumerate(reviews)
    )
    totals = [r.total for r in reviews]
    kept = [r.total for r in explained if not r.trimmed]
    middle = totals[(n - 1) // 2 : n // 2 + 1]
    g_mean, g_std = aggregation.global_mean, aggregation.global_std
    formulae = {
        Method.MEAN: f"({_join(totals)}) / {n} = {agg.mean:.2f}",
        Method.MEDIAN: f"median({_join(totals, ', ')}) = "
        + (f"({_join(middle)}) / 2 = " if len(middle) == 2 else "")
        + f"{agg.median:.2f}",
        Method.TRIMMED_MEAN: f"({_join(kept)}) / {len(kept)} = {agg.trimmed_mean:.2f}",
        Method.ZSCORE_MEAN: "("
        + " + ".join(f"({g_mean:.2f} + {g_std:.2f} x {r.z:.3f})" for r in explained)
        + f") / {n} = {agg.zscore_mean:.2f}",
        "std": f"sqrt(({' + '.join(f'({t:.2f} - {agg.mean:.2f})^2' for t in totals)}) / {n}) = {agg.std:.2f}",
        "spread": f"{totals[-1]:.2f} - {totals[0]:.2f} = {agg.spread:.2f}",
    }
    return ProposalExplanation(
        aggregate=agg,
        reviews=explained,
        global_mean=g_mean,
        global_std=g_std,
        trimmed_per_side=cut,
        disagreement_threshold=aggregation.disagreement_threshold,
        formulae=formulae,
    )


def _proposal_stats(p: np.ndarray, x: np.ndarray, n_proposals: int, trim_proportion: float) -> dict[str, np.ndarray]:
    """Count, mean, median, trimmed mean, std and spread per proposal, all vectorised."""
    counts = np.bincount(p, minlength=n_proposals)
    mean = np.bincount(p, weights=x, minlength=n_proposals) / counts
    std = np.sqrt(np.bincount(p, weights=(x - mean[p]) ** 2, minlength=n_proposals) / counts)
    order = np.lexsort((x, p))  # grouped by proposal, ascending total within each group
    p_sorted, x_sorted = p[order], x[order]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    median = (x_sorted[starts + (counts - 1) // 2] + x_sorted[starts + counts // 2]) / 2
    spread = x_sorted[starts + counts - 1] - x_sorted[starts]
    cut = _trim_count(trim_proportion, counts)
    position = np.arange(len(x)) - starts[p_sorted]
    keep = (position >= cut[p_sorted]) & (position < (counts - cut)[p_sorted])
    trimmed = np.bincount(p_sorted, weights=np.where(keep, x_sorted, 0.0), minlength=n_proposals) / np.bincount(
        p_sorted, weights=keep, minlength=n_proposals
    )
    return {"n": counts, "mean": mean, "median": median, "trimmed_mean": trimmed, "std": std, "spread": spread}


def _standardise(
    e: np.ndarray, x: np.ndarray, evaluator_ids: list[Hashable], min_reviews: int
) -> tuple[np.ndarray, np.ndarray, list[EvaluatorStats], float, float]:
    """Per-review z and normalised totals, per-evaluator statistics, and the global mean and std."""
    n_evaluators = len(evaluator_ids)
    g_mean, g_std = float(x.mean()), float(x.std())
    n = np.bincount(e, minlength=n_evaluators)
    mean = np.bincount(e, weights=x, minlength=n_evaluators) / n
    std = np.sqrt(np.bincount(e, weights=(x - mean[e]) ** 2, minlength=n_evaluators) / n)
    # A std this small relative to the scale is float noise from identical totals.
    flat = std <= 1e-9 * max(1.0, abs(g_mean))
    too_few = n < min_reviews
    standardisable = ~too_few & ~flat
    safe_std = np.where(standardisable, std, 1.0)
    z_global = (x - g_mean) / g_std if g_std > 0 else np.zeros_like(x)
    z = np.where(standardisable[e], (x - mean[e]) / safe_std[e], np.where(too_few[e], z_global, 0.0))
    normalised = np.where(too_few[e], x, g_mean + g_std * z)
    stats = [
        EvaluatorStats(
            eid,
            int(n[j]),
            float(mean[j]),
            float(std[j]),
            NormalisationRule.TOO_FEW_REVIEWS
            if too_few[j]
            else NormalisationRule.ZERO_STD
            if flat[j]
            else NormalisationRule.ZSCORE,
        )
        for j, eid in enumerate(evaluator_ids)
    ]
    return z, normalised, stats, g_mean, g_std


def _trim_count(proportion: float, n: np.ndarray | int) -> np.ndarray | int:
    """Totals cut at each end; the epsilon keeps 0.29 * 100 (= 28.999...) from losing one."""
    cut = np.floor(proportion * np.asarray(n) + 1e-9).astype(np.intp)
    return int(cut) if np.ndim(cut) == 0 else cut


def _join(values: list[float], sep: str = " + ") -> str:
    return sep.join(f"{v:.2f}" for v in values)
