"""A spoke's progress against its hub's plan, and the next step suggested from its data (pure Python).

Measures are plain strings (the plan's measure codes). Suggestions are codes with a count, in order
of priority; the page words them.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    measure: str
    target: int
    actual: int

    @property
    def missing(self) -> int:
        return max(self.target - self.actual, 0)

    @property
    def met(self) -> bool:
        return self.actual >= self.target

    @property
    def percent(self) -> int:
        """Progress in percent of the target, capped at 100 (100 for a zero target)."""
        if self.target <= 0:
            return 100
        return min(100, (self.actual * 100) // self.target)


def gaps(targets: Mapping[str, int], actuals: Mapping[str, int], order: list[str]) -> list[Gap]:
    """One Gap per measure that has a target, in `order`."""
    return [Gap(m, targets[m], actuals.get(m, 0)) for m in order if m in targets]


@dataclass(frozen=True)
class SpokeFacts:
    innovations: int  # published
    in_creation: int  # published innovations still in the creation phase
    trials: int  # published innovations at the trial stage
    proven_without_legal_basis: int
    kipp_proposals_this_year: int
    continuity_missing: int  # innovations with no continuity answer for last year
    replications_in: int  # all time


@dataclass(frozen=True)
class Suggestion:
    code: str
    count: int = 0


def next_steps(facts: SpokeFacts, *, limit: int = 3) -> list[Suggestion]:
    """What the hub should help the spoke do next, most important first (at most `limit`).

    Order: no innovation at all; proven innovations without a legal basis (they may not survive a
    change of leader); no KIPP proposal this year; continuity answers missing; trials to bring into
    operation; no replication into the spoke yet.
    """
    steps: list[Suggestion] = []
    if facts.innovations == 0:
        steps.append(Suggestion("first_innovation"))
    if facts.proven_without_legal_basis:
        steps.append(Suggestion("legal_basis", facts.proven_without_legal_basis))
    if facts.innovations and facts.kipp_proposals_this_year == 0:
        steps.append(Suggestion("no_kipp"))
    if facts.continuity_missing:
        steps.append(Suggestion("continuity", facts.continuity_missing))
    if facts.trials:
        steps.append(Suggestion("trials", facts.trials))
    if facts.replications_in == 0:
        steps.append(Suggestion("replicate"))
    return steps[:limit]
