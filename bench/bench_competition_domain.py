"""National-scale benchmark of the KIPP domain modules (no Django, no database).

One synthetic edition, seeded: 2,300 proposals from the 552 regional governments in
``jipp/regions/data/regions.csv`` (or a synthetic 38 x 14 map when the file is missing) and
100 central agencies; 120 evaluators, each in conflict with every proposal from their home
province's governments and from their own agency; k = 3 reviews per proposal on a 7-criterion
1..10 rubric, by evaluators who are lenient or harsh (shift) and wide or narrow (scale).

Run: ``.venv/bin/python bench/bench_competition_domain.py`` prints a markdown table;
``run()`` returns its rows for ``make bench``.
"""

import csv
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so ``python bench/bench_competition_domain.py`` finds the package
    sys.path.insert(0, str(ROOT))

from jipp.competition.domain.assignment import EvaluatorSpec, ProposalSpec, assign_evaluators  # noqa: E402
from jipp.competition.domain.nomination import Candidate, NominationInfeasibleError, Quota, nominate  # noqa: E402
from jipp.competition.domain.normalisation import Method, Review, aggregate, explain_proposal  # noqa: E402
from jipp.competition.domain.scoring import Scale, weighted_total  # noqa: E402

REGIONS_CSV = ROOT / "jipp" / "regions" / "data" / "regions.csv"
SEED = 20_250_601
N_PROPOSALS, N_EVALUATORS, K = 2_300, 120, 3
N_CENTRAL_AGENCIES = 100
CATEGORIES = [
    "poverty",
    "education",
    "health",
    "food",
    "economy",
    "empowerment",
    "gender",
    "environment",
    "governance",
    "law",
]
CATEGORY_WEIGHTS = [0.10, 0.14, 0.18, 0.06, 0.12, 0.10, 0.04, 0.08, 0.14, 0.04]
RUBRIC = {
    "summary": 5,
    "idea": 20,
    "significance": 20,
    "sdgs": 10,
    "adaptability": 15,
    "sustainability": 20,
    "collaboration": 10,
}
PASSING_GRADE = 85.0
# Provinces whose regencies are mostly 3T (tertinggal, terdepan, terluar): NTT, Maluku, Papua.
MOSTLY_3T = {"53", "81", "82", "91", "92", "93", "94", "95", "96"}
ISLANDS = {
    "1": "Sumatera",
    "2": "Sumatera",
    "3": "Jawa",
    "5": "Bali-Nusa Tenggara",
    "6": "Kalimantan",
    "7": "Sulawesi",
    "8": "Maluku",
    "9": "Papua",
}


@dataclass(frozen=True)
class Owner:
    """A government or agency that submits proposals."""

    code: str
    province: str | None  # None for central agencies
    kind: str
    three_t: bool


def load_owners(rng: np.random.Generator) -> list[Owner]:
    if REGIONS_CSV.exists():
        with REGIONS_CSV.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = [{"code": f"{p}", "level": "province", "parent_code": ""} for p in range(11, 49)]
        rows += [
            {"code": f"{p}.{r:02d}", "level": "regency", "parent_code": f"{p}"}
            for p in range(11, 49)
            for r in range(1, 15)
        ]
    owners = []
    for row in rows:
        province = row["code"] if row["level"] == "province" else row["parent_code"]
        three_t = row["level"] == "regency" and rng.random() < (0.8 if province in MOSTLY_3T else 0.08)
        owners.append(Owner(row["code"], province, row["level"], bool(three_t)))
    owners += [Owner(f"central-{i}", None, "central", False) for i in range(N_CENTRAL_AGENCIES)]
    return owners


@dataclass(frozen=True)
class Edition:
    owners: list[Owner]
    proposal_owner: np.ndarray
    proposal_category: np.ndarray
    proposal_group: list[str]
    quality: np.ndarray
    proposals: list[ProposalSpec]
    evaluators: list[EvaluatorSpec]
    conflicts: set[tuple[int, int]]
    leniency: np.ndarray
    width: np.ndarray


def build_edition(rng: np.random.Generator) -> Edition:
    owners = load_owners(rng)
    regional = [i for i, o in enumerate(owners) if o.province is not None]
    central = [i for i, o in enumerate(owners) if o.province is None]
    from_central = rng.random(N_PROPOSALS) < 0.15
    proposal_owner = np.where(from_central, rng.choice(central, N_PROPOSALS), rng.choice(regional, N_PROPOSALS))
    proposal_category = rng.choice(len(CATEGORIES), N_PROPOSALS, p=CATEGORY_WEIGHTS)
    proposal_group = rng.choice(["Umum", "Replikasi", "Khusus"], N_PROPOSALS, p=[0.94, 0.02, 0.04]).tolist()
    proposals = [ProposalSpec(i, frozenset({CATEGORIES[c]})) for i, c in enumerate(proposal_category)]

    provinces = sorted({o.province for o in owners if o.province is not None})
    home = rng.choice(provinces, N_EVALUATORS)
    # A quarter of the evaluators work for a central agency; the rest for a university (no proposals).
    agency = np.where(rng.random(N_EVALUATORS) < 0.25, rng.choice(central, N_EVALUATORS), -1)
    evaluators = []
    for j in range(N_EVALUATORS):
        # Expertise is spread evenly while proposals crowd into health, education and governance,
        # so not every proposal can get three matching evaluators: the optimum is above zero.
        expertise = rng.choice(len(CATEGORIES), rng.integers(1, 3), replace=False)
        capacity = 40 if j % 12 == 0 else None  # a few part-time evaluators
        evaluators.append(EvaluatorSpec(j, capacity, frozenset(CATEGORIES[c] for c in expertise)))
    owner_province = np.array([o.province or "" for o in owners])
    conflicts = {
        (int(i), j)
        for j in range(N_EVALUATORS)
        for i in np.flatnonzero((owner_province[proposal_owner] == home[j]) | (proposal_owner == agency[j]))
    }
    return Edition(
        owners=owners,
        proposal_owner=proposal_owner,
        proposal_category=proposal_category,
        proposal_group=proposal_group,
        quality=rng.normal(0.75, 0.09, N_PROPOSALS),  # true merit as a share of the 1..10 range
        proposals=proposals,
        evaluators=evaluators,
        conflicts=conflicts,
        leniency=rng.normal(0.0, 0.08, N_EVALUATORS),
        width=rng.uniform(0.6, 1.4, N_EVALUATORS),
    )


def review_scores(
    edition: Edition, assignment: dict[int, tuple[int, ...]], rng: np.random.Generator
) -> list[tuple[int, int, dict[str, int]]]:
    """Criterion scores (1..10) for every assigned pair: merit bent by the evaluator, plus noise."""
    pairs = np.array([(p, e) for p, es in assignment.items() for e in es])
    p, e = pairs[:, 0], pairs[:, 1]
    mean = edition.quality.mean()
    seen = mean + edition.width[e] * (edition.quality[p] - mean) + edition.leniency[e]
    raw = seen[:, None] + rng.normal(0.0, 0.06, (len(pairs), len(RUBRIC)))
    scores = np.clip(np.rint(1 + 9 * raw), 1, 10).astype(int)
    names = list(RUBRIC)
    return [
        (int(pi), int(ei), dict(zip(names, row, strict=True)))
        for pi, ei, row in zip(p, e, scores.tolist(), strict=True)
    ]


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[Any, float]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return result, best


def row(benchmark: str, figure: str, value: str, target: str, ok: bool) -> dict:
    return {"benchmark": benchmark, "figure": figure, "value": value, "target": target, "ok": bool(ok)}


def run() -> list[dict]:
    rng = np.random.default_rng(SEED)
    edition = build_edition(rng)
    rows = []

    scale = f"{N_PROPOSALS:,} proposals, k={K}, {N_EVALUATORS} evaluators"
    result, seconds = timed(
        lambda: assign_evaluators(edition.proposals, edition.evaluators, k=K, conflicts=edition.conflicts)
    )
    gap = result.total_cost - result.optimal_cost
    rows += [
        row(
            "assignment",
            f"time ({scale}, {len(edition.conflicts):,} conflicts)",
            f"{seconds:.2f} s",
            "< 10 s",
            seconds < 10,
        ),
        row(
            "assignment",
            "mismatch cost of the assignment / LP optimum (proven bound)",
            f"{result.total_cost:.2f} / {result.optimal_cost:.2f}",
            "equal",
            abs(gap) < 1e-6,
        ),
        row(
            "assignment",
            "load min / max (capacity-limited evaluators excluded)",
            f"{_uncapped_loads(result, edition)}",
            "max - min <= 1",
            _uncapped_spread(result, edition) <= 1,
        ),
        row(
            "assignment",
            "conflicts broken",
            str(sum((p, e) in edition.conflicts for p, es in result.assignment.items() for e in es)),
            "0",
            all((p, e) not in edition.conflicts for p, es in result.assignment.items() for e in es),
        ),
    ]

    scored = review_scores(edition, result.assignment, rng)
    rubric_scale = Scale(1, 10)
    totals, seconds = timed(lambda: [float(weighted_total(s, RUBRIC, rubric_scale)) for _, _, s in scored])
    rows.append(
        row(
            "scoring",
            f"weighted totals of {len(scored):,} reviews (Decimal)",
            f"{seconds * 1000:.0f} ms",
            "< 1 s",
            seconds < 1,
        )
    )

    reviews = [Review(p, e, t) for (p, e, _), t in zip(scored, totals, strict=True)]
    aggregation, seconds = timed(lambda: aggregate(reviews), repeat=3)
    rows.append(
        row(
            "normalisation",
            f"aggregate + rank {len(reviews):,} reviews, all {len(Method)} methods",
            f"{seconds * 1000:.0f} ms",
            "< 1 s",
            seconds < 1,
        )
    )
    _, seconds = timed(lambda: explain_proposal(aggregation, 0), repeat=3)
    rows.append(row("normalisation", "explain one proposal", f"{seconds * 1000:.2f} ms", "< 10 ms", seconds < 0.01))
    correlation = {}
    for method in Method:
        values = [aggregation.proposals[p].value(method) for p in range(N_PROPOSALS)]
        correlation[method] = spearmanr(values, edition.quality).statistic
        rows.append(
            row(
                "normalisation",
                f"rank correlation with true merit: {method}",
                f"{correlation[method]:.3f}",
                "info",
                True,
            )
        )
    rows.append(
        row(
            "normalisation",
            "z-score mean beats raw mean on lenient/harsh evaluators",
            f"{correlation[Method.ZSCORE_MEAN] - correlation[Method.MEAN]:+.3f}",
            "> 0",
            correlation[Method.ZSCORE_MEAN] > correlation[Method.MEAN],
        )
    )
    flagged = sum(a.disagreement for a in aggregation.proposals.values())
    rows.append(row("normalisation", "proposals flagged for disagreement (spread > 20)", str(flagged), "info", True))

    rows += _nomination_rows(edition, aggregation)
    return rows


def _uncapped_loads(result, edition: Edition) -> str:
    loads = [result.loads[e.id] for e in edition.evaluators if e.capacity is None]
    return f"{min(loads)} / {max(loads)}"


def _uncapped_spread(result, edition: Edition) -> int:
    loads = [result.loads[e.id] for e in edition.evaluators if e.capacity is None]
    return max(loads) - min(loads)


def _nomination_rows(edition: Edition, aggregation) -> list[dict]:
    ranking = aggregation.rankings[Method.ZSCORE_MEAN]
    candidates = []
    for p in ranking:
        owner = edition.owners[edition.proposal_owner[p]]
        group = edition.proposal_group[p]
        candidates.append(
            Candidate(
                p,
                aggregation.proposals[p].zscore_mean,
                {
                    "pool": "Khusus" if group == "Khusus" else "Top 99",
                    "category": CATEGORIES[edition.proposal_category[p]],
                    "kind": owner.kind,
                    "island": ISLANDS[owner.province[0]] if owner.province else "central",
                    "3t": owner.three_t,
                },
            )
        )
    targets = {"Top 99": 99, "Khusus": 15}
    quotas = [
        Quota("3t", True, min_count=20, label="3T regions"),
        Quota("kind", "central", max_share=0.1, group="Top 99", label="central agencies"),
        Quota("island", "Jawa", max_share=0.3, group="Top 99", label="Jawa"),
    ]
    quotas += [
        Quota("island", island, min_count=5, group="Top 99", label=island) for island in sorted(set(ISLANDS.values()))
    ]
    quotas += [Quota("category", c, min_share=0.05, max_share=0.15, group="Top 99") for c in CATEGORIES]
    passing = sum(c.score >= PASSING_GRADE for c in candidates)
    passing_3t = sum(c.score >= PASSING_GRADE and c.attributes["3t"] for c in candidates)

    def run_nomination():
        return nominate(
            candidates, group_targets=targets, group_attribute="pool", quotas=quotas, passing_grade=PASSING_GRADE
        )

    result, seconds = timed(run_nomination)
    swaps = len(result.swapped_in)
    rows = [
        row(
            "nomination",
            f"time (Top 99 + 15 Khusus of {passing} passing {PASSING_GRADE:g}, {len(quotas)} quotas)",
            f"{seconds:.2f} s",
            "< 5 s",
            seconds < 5,
        ),
        row(
            "nomination",
            "total score chosen / plain top-N",
            f"{result.total_score:.1f} / {result.plain_total_score:.1f}",
            "chosen <= plain",
            result.total_score <= result.plain_total_score + 1e-6,
        ),
        row(
            "nomination",
            "swaps against the plain ranking, each explained",
            f"{swaps} in, {len(result.swapped_out)} out",
            "every swap has a reason",
            all(s.reason for s in result.swapped_in + result.swapped_out),
        ),
    ]
    try:
        nominate(
            candidates,
            group_targets=targets,
            group_attribute="pool",
            passing_grade=PASSING_GRADE,
            quotas=[Quota("3t", True, min_count=passing_3t + 1, label="3T regions")],
        )
        message = "(feasible)"
    except NominationInfeasibleError as error:
        message = str(error)
    rows.append(
        row(
            "nomination",
            f"infeasible share explained (at least {passing_3t + 1} from 3T)",
            message,
            "names the constraint",
            message.startswith(f"at least {passing_3t + 1} from 3T regions"),
        )
    )
    return rows


def main() -> None:
    rows = run()
    print("| benchmark | figure | value | target | ok |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['benchmark']} | {r['figure']} | {r['value']} | {r['target']} | {'yes' if r['ok'] else 'NO'} |")


if __name__ == "__main__":
    main()
