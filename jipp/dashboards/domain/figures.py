"""The dashboard's figures as plain data: names, sums, rates, ranks and medians.

Pure Python (no Django). The summary tables store one integer per name in ``FIGURES`` for each
agency and year (``year == 0`` holds the state now and all-time totals); every larger scope
(a regency or city, a province, a kind of agency, a hub, the nation) is the sum of its agencies'
rows. Rates are derived here and only here, so the pages, the API, the reports and the CSVs
agree to the last digit.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Figures that describe the state now (stored on the year-0 row only).
STATE_FIGURES: tuple[str, ...] = (
    "innovations_created",  # every innovation that is not withdrawn, drafts included
    "innovations_published",
    "phase_creation",
    "phase_development",
    "phase_institutionalisation",
    "stage_initiative",
    "stage_trial",
    "stage_in_operation",
    "replicated",  # published innovations adopted by at least one other agency
    "with_legal_basis",
    "proven",
    "proven_with_legal_basis",
    "unprotected",
    "continuity_missing",  # published innovations with no continuity answer for the current year
)
# Figures counted per year (the year-0 row holds their all-time total).
YEARLY_FIGURES: tuple[str, ...] = (
    "published_in_year",  # published innovations by the year they started
    "proposals",  # KIPP proposals forwarded to the Ministry, by edition year
    "participated",  # agencies that forwarded at least one proposal
    "awards_top99",
    "awards_top45",
    "awards_outstanding",
    "replications_in",  # requested or accepted replications, by the year requested, adopter side
    "replications_out",  # the same, source side
    "replications_finished_in",  # with an outcome, by the year requested, adopter side
    "replications_succeeded_in",
    "continuity_continuing",  # year rows: answers for that year; year 0: current status of published
    "continuity_growing",
    "continuity_stopped",
    "continuity_dormant",
)
# Every row also carries `agencies`, the number of agencies in its scope (the participation base).
FIGURES: tuple[str, ...] = ("agencies", *STATE_FIGURES, *YEARLY_FIGURES)


def empty() -> dict[str, int]:
    """A row of zeros."""
    return dict.fromkeys(FIGURES, 0)


def add(rows: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The figure-by-figure sum of ``rows`` (missing names count as 0)."""
    total = empty()
    for row in rows:
        for name in FIGURES:
            total[name] += int(row.get(name) or 0)
    return total


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or None when the whole is 0 (no data, never a 0 % that misleads)."""
    if not whole:
        return None
    return part / whole


def derived(row: Mapping[str, int]) -> dict[str, float | None]:
    """The rates of one row: participation, replication success, legal coverage, unprotected share,
    continuing share (continuing + growing out of all answers), and the awards total."""
    answers = sum(row.get(f"continuity_{s}", 0) for s in ("continuing", "growing", "stopped", "dormant"))
    published = row.get("innovations_published", 0)
    return {
        "participation_rate": share(row.get("participated", 0), row.get("agencies", 0)),
        "success_rate": share(row.get("replications_succeeded_in", 0), row.get("replications_finished_in", 0)),
        "legal_coverage": share(row.get("proven_with_legal_basis", 0), row.get("proven", 0)),
        "unprotected_share": share(row.get("unprotected", 0), row.get("proven", 0)),
        "replicated_share": share(row.get("replicated", 0), published),
        "continuing_share": share(row.get("continuity_continuing", 0) + row.get("continuity_growing", 0), answers),
        "awards": float(row.get("awards_top99", 0) + row.get("awards_top45", 0) + row.get("awards_outstanding", 0)),
    }


def value(row: Mapping[str, int], name: str) -> float | None:
    """One figure or rate of a row by name (a stored figure or a key of ``derived``)."""
    if name in FIGURES:
        return float(row.get(name, 0))
    rates = derived(row)
    if name not in rates:
        raise KeyError(name)
    return rates[name]


@dataclass(frozen=True, slots=True)
class FunnelStep:
    key: str
    count: int
    share_of_first: float | None


def funnel(row: Mapping[str, int]) -> list[FunnelStep]:
    """The three policy phases as a funnel of published innovations: created (all of them),
    developed (in development or institutionalised) and institutionalised. Each step is a subset
    of the one before, so the counts never increase."""
    created = row.get("innovations_published", 0)
    institutionalised = row.get("phase_institutionalisation", 0)
    developed = row.get("phase_development", 0) + institutionalised
    steps = [("created", created), ("developed", developed), ("institutionalised", institutionalised)]
    return [FunnelStep(key, count, share(count, created)) for key, count in steps]


def ranks(values: Mapping[str, float | None]) -> dict[str, int]:
    """Competition ranking (1 is the largest; ties share a rank, the next rank skips).
    Keys without a number get no rank."""
    clean = {k: v for k, v in values.items() if v is not None and math.isfinite(v)}
    ordered = sorted(clean.values(), reverse=True)
    first: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
    return {k: first[v] for k, v in clean.items()}


def median(values: Sequence[float | None]) -> float | None:
    """Median of the numbers among ``values``; None when there are none."""
    clean = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.median(clean) if clean else None
