"""Replication matching: "what could we replicate" and "who could adopt this".

Pure Python (NumPy, SciPy, scikit-learn): no Django, no clock, no database.

An agency describes a problem. Candidates (innovations) are ranked by a weighted sum of
sub-scores, each in [0, 1]:

* ``text``: cosine similarity of TF-IDF vectors of the problem and the innovation's text,
  tokenised and stemmed by an injected analyzer (Indonesian stemming in production);
* ``kipp_tier``, ``continuity``, ``legal_basis``, ``replications``: how proven it is;
* ``region``: how alike the owner's region and the adopter's region are;
* ``sector``: 1 if the innovation is in the sector asked for.

``build_matcher`` fits the index once (a background job); the resulting ``Matcher`` is plain
picklable data that the web process loads and queries with ``Matcher.rank``. Only candidates
whose text similarity reaches ``min_text_similarity`` are ranked: proof never makes an
unrelated innovation relevant.
"""

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

Analyzer = Callable[[str], list[str]]


class RegionLevel(StrEnum):
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class KippTier(StrEnum):
    TOP45 = "top45"
    OUTSTANDING = "outstanding"
    TOP99 = "top99"
    NONE = "none"


class Continuity(StrEnum):
    GROWING = "growing"  # berkembang
    CONTINUING = "continuing"  # berlanjut
    DORMANT = "dormant"  # vakum
    STOPPED = "stopped"  # berhenti
    UNKNOWN = "unknown"  # never reported


# Sub-scores in [0, 1]. Outstanding Achievement (Top 5 of the Khusus group) is a winner's
# tier like Top 45; Top 99 is a finalist. A dormant innovation may restart, a stopped one not.
KIPP_TIER_SCORE = {KippTier.TOP45: 1.0, KippTier.OUTSTANDING: 1.0, KippTier.TOP99: 0.5, KippTier.NONE: 0.0}
CONTINUITY_SCORE = {
    Continuity.GROWING: 1.0,
    Continuity.CONTINUING: 0.8,
    Continuity.UNKNOWN: 0.4,
    Continuity.DORMANT: 0.1,
    Continuity.STOPPED: 0.0,
}
# Arrays in the index store enum members as their position in these tuples.
_TIERS = tuple(KippTier)
_CONTINUITIES = tuple(Continuity)
MAX_LEGAL_BASIS_STRENGTH = 5
# Saturates at three adopters, the top band of the Home Affairs index ("3+").
REPLICATIONS_SATURATION = 3

# Parts of region similarity; they sum to 1. Population and area are compared on a log scale:
# a tenfold difference scores 0 (regencies range from ~20,000 to ~6 million people).
REGION_PART_WEIGHTS = {"same_level": 0.3, "same_province": 0.2, "population": 0.25, "area": 0.25}


@dataclass(frozen=True, slots=True)
class Region:
    """A regional government. ``province_code`` equals ``code`` for a province.

    ``population`` and ``area_km2`` may be None (unknown); they then contribute nothing.
    """

    code: str
    level: RegionLevel
    province_code: str
    population: int | None
    area_km2: float | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An innovation that could be replicated.

    ``text``: its title and descriptions joined by the caller. ``owner_region``: None for a
    ministry or agency (K/L). ``legal_basis_strength``: 0 (none) .. 5, see
    ``jipp.institutionalisation.domain.protection.legal_basis_strength``.
    ``successful_replications``: distinct adopting agencies.
    """

    innovation_id: Hashable
    text: str
    sector: str | None = None
    owner_region: Region | None = None
    kipp_tier: KippTier = KippTier.NONE
    continuity: Continuity = Continuity.UNKNOWN
    legal_basis_strength: int = 0
    successful_replications: int = 0


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """Weights of the components. Non-negative; they need not sum to 1."""

    text: float = 0.50
    kipp_tier: float = 0.10
    continuity: float = 0.08
    legal_basis: float = 0.07
    replications: float = 0.10
    region: float = 0.10
    sector: float = 0.05

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < 0:
                raise ValueError(f"weight {field.name} must be >= 0")


DEFAULT_WEIGHTS = MatchWeights()


@dataclass(frozen=True, slots=True)
class Component:
    """One component of a score: its sub-score in [0, 1], its weight, and points = weight × score."""

    name: str
    score: float
    weight: float
    points: float


@dataclass(frozen=True, slots=True)
class Reason:
    """A structured reason a UI can translate, e.g. signal "kipp_tier", value "top45", points 0.1.

    ``points`` is this reason's share of the total score; reasons of one component sum to at
    most the component's points (matched terms list only the strongest few).
    """

    signal: str
    value: str | int | float
    points: float


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """A ranked candidate with the whole computation of its score. score == sum of component points."""

    innovation_id: Hashable
    score: float
    components: tuple[Component, ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RankedRegion:
    """A region ranked by similarity to another, with the reasons (points sum to ``similarity``)."""

    region: Region
    similarity: float
    reasons: tuple[Reason, ...]


def _closeness(a: float | None, b: float | None) -> float:
    """1 for equal values, falling linearly in |log10(a/b)| to 0 at a tenfold difference."""
    if a is None or b is None or a <= 0 or b <= 0:
        return 0.0
    # Difference of logs, not log of the ratio: a / b can underflow to 0 for extreme inputs.
    return max(0.0, 1.0 - abs(math.log10(a) - math.log10(b)))


def region_similarity_reasons(reference: Region, other: Region) -> tuple[Reason, ...]:
    """Explain the similarity of two regions, part by part.

    Output: reasons "same_level" (value: the level), "same_province" (value: province code),
    "population_ratio" and "area_ratio" (value: other / reference, rounded), each with its
    points in [0, part weight]; only parts with points > 0 are listed. The similarity is the
    sum of the points, in [0, 1], symmetric in its arguments, and 1 for identical figures.
    """
    reasons = []
    if reference.level == other.level:
        reasons.append(Reason("same_level", other.level.value, REGION_PART_WEIGHTS["same_level"]))
    if reference.province_code == other.province_code:
        reasons.append(Reason("same_province", other.province_code, REGION_PART_WEIGHTS["same_province"]))
    for signal, part, mine, theirs in (
        ("population_ratio", "population", reference.population, other.population),
        ("area_ratio", "area", reference.area_km2, other.area_km2),
    ):
        closeness = _closeness(mine, theirs)
        if closeness > 0:
            reasons.append(Reason(signal, round(theirs / mine, 2), REGION_PART_WEIGHTS[part] * closeness))
    return tuple(reasons)


def region_similarity(a: Region, b: Region) -> float:
    """Return the similarity of two regions in [0, 1] (see ``region_similarity_reasons``)."""
    return sum(reason.points for reason in region_similarity_reasons(a, b))


def similar_regions(region: Region, regions: Iterable[Region], limit: int = 10) -> list[RankedRegion]:
    """Rank other regions by similarity to ``region``: "regions like yours that could adopt this".

    Input: the reference region, the regions to rank (the reference itself, matched by code, is
    skipped), and the maximum number of results. Output: at most ``limit`` regions, most similar
    first; ties by code, so the order is deterministic.
    """
    ranked = [
        RankedRegion(other, sum(r.points for r in reasons), reasons)
        for other in regions
        if other.code != region.code
        for reasons in (region_similarity_reasons(region, other),)
    ]
    ranked.sort(key=lambda item: (-item.similarity, item.region.code))
    return ranked[:limit]


class Matcher:
    """A fitted replication index. Build with ``build_matcher``; picklable (also with joblib).

    Holds the TF-IDF vectorizer, the term-by-innovation matrix and per-innovation signals as
    NumPy arrays, not the texts. The analyzer given to ``build_matcher`` is part of the index,
    so it must be picklable (a module-level function) to store the index. Unpickling runs
    code: load only an index this project's own job wrote.
    """

    def __init__(
        self,
        *,
        vectorizer: TfidfVectorizer,
        term_matrix,
        ids: list[Hashable],
        kipp_tiers: np.ndarray,
        continuities: np.ndarray,
        legal_strengths: np.ndarray,
        replications: np.ndarray,
        region_index: np.ndarray,
        regions: list[Region],
        sector_index: np.ndarray,
        sectors: list[str],
    ) -> None:
        self._vectorizer = vectorizer
        # Term-major (terms × innovations, CSR): a query touches only the postings of its own
        # terms, so scoring 100,000 innovations costs what an inverted index costs.
        self._term_matrix = term_matrix
        self._terms = vectorizer.get_feature_names_out()
        self._ids = ids
        self._kipp_tiers = kipp_tiers
        self._continuities = continuities
        self._legal_strengths = legal_strengths
        self._replications = replications
        self._region_index = region_index  # -1: no owner region (K/L)
        self._regions = regions
        self._sector_index = sector_index  # -1: no sector
        self._sectors = sectors
        self._sector_lookup = {sector: i for i, sector in enumerate(sectors)}
        # Proof sub-scores do not depend on the query or the weights: compute them once.
        tier_scores = np.array([KIPP_TIER_SCORE[tier] for tier in _TIERS], dtype=np.float32)
        continuity_scores = np.array([CONTINUITY_SCORE[c] for c in _CONTINUITIES], dtype=np.float32)
        self._proof_scores = {
            "kipp_tier": tier_scores[kipp_tiers],
            "continuity": continuity_scores[continuities],
            "legal_basis": (legal_strengths / MAX_LEGAL_BASIS_STRENGTH).astype(np.float32),
            "replications": (np.minimum(replications, REPLICATIONS_SATURATION) / REPLICATIONS_SATURATION).astype(
                np.float32
            ),
        }

    def __len__(self) -> int:
        return len(self._ids)

    def rank(
        self,
        problem: str,
        adopter_region: Region | None = None,
        sector: str | None = None,
        limit: int = 20,
        *,
        weights: MatchWeights = DEFAULT_WEIGHTS,
        min_text_similarity: float = 0.05,
        matched_terms: int = 5,
    ) -> list[RankedCandidate]:
        """Rank the innovations for a problem statement.

        Input: the problem as free text; the adopter's region (None: region scores 0 for all);
        a sector id (None: sector scores 0 for all); the maximum number of results; weights;
        the minimum text similarity a candidate needs to be ranked at all; how many matched
        terms to list as reasons. Output: at most ``limit`` candidates, best first, ties broken
        by build order. Invariants: each ``score`` equals the sum of its components' points;
        a problem with no known terms returns [].
        """
        query = self._vectorizer.transform([problem])
        text = (query @ self._term_matrix).toarray().ravel()
        eligible = np.flatnonzero(text >= max(min_text_similarity, np.finfo(np.float32).tiny))
        if eligible.size == 0 or limit <= 0:
            return []

        sub_scores = {"text": text[eligible]}
        for name, scores in self._proof_scores.items():
            sub_scores[name] = scores[eligible]
        sub_scores["region"] = self._region_scores(adopter_region)[eligible]
        sector_row = self._sector_lookup.get(sector) if sector is not None else None
        if sector_row is None:  # no sector asked for, or one no innovation has
            sub_scores["sector"] = np.zeros(eligible.size, dtype=np.float32)
        else:
            sub_scores["sector"] = (self._sector_index[eligible] == sector_row).astype(np.float32)
        total = sum(getattr(weights, name) * scores for name, scores in sub_scores.items())

        # Keep every total that ties with the limit-th best, then sort only those: best first,
        # and among equal totals the earlier-built candidate wins (deterministic).
        if total.size > limit:
            kth_best = np.partition(total, total.size - limit)[total.size - limit]
            shortlist = np.flatnonzero(total >= kth_best)
        else:
            shortlist = np.arange(total.size)
        order = shortlist[np.lexsort((eligible[shortlist], -total[shortlist]))][:limit]
        return [
            self._explain(
                int(eligible[pos]),
                {name: float(scores[pos]) for name, scores in sub_scores.items()},
                weights,
                adopter_region,
                query,
                matched_terms,
            )
            for pos in order
        ]

    def _region_scores(self, adopter: Region | None) -> np.ndarray:
        """Similarity of each innovation's owner region to the adopter (0 without a region)."""
        if adopter is None:
            return np.zeros(len(self._ids), dtype=np.float32)
        # One score per distinct region (≤ 552), then gather: cheap at any number of innovations.
        # The extra last entry (0) is picked by index -1, "no owner region".
        per_region = np.array([region_similarity(adopter, r) for r in self._regions] + [0.0], dtype=np.float32)
        return per_region[self._region_index]

    def _document_weights(self, terms: np.ndarray, row: int) -> np.ndarray:
        """TF-IDF weights of ``terms`` in innovation ``row`` (0 where absent).

        Binary search in each term's sorted postings: slicing the sparse matrix instead would
        copy whole postings lists, which cost more than the ranking itself.
        """
        matrix = self._term_matrix
        weights = np.zeros(len(terms), dtype=np.float32)
        for position, term in enumerate(terms):
            start, end = matrix.indptr[term], matrix.indptr[term + 1]
            found = start + np.searchsorted(matrix.indices[start:end], row)
            if found < end and matrix.indices[found] == row:
                weights[position] = matrix.data[found]
        return weights

    def _explain(
        self,
        row: int,
        sub_scores: dict[str, float],
        weights: MatchWeights,
        adopter_region: Region | None,
        query,
        matched_terms: int,
    ) -> RankedCandidate:
        components = tuple(
            Component(name, score, getattr(weights, name), getattr(weights, name) * score)
            for name, score in sub_scores.items()
        )
        points = {component.name: component.points for component in components}
        reasons = [Reason("text_similarity", round(sub_scores["text"], 4), points["text"])]
        # Each matched term's share of the cosine is query weight × document weight.
        contributions = query.data * self._document_weights(query.indices, row)
        for position in np.argsort(-contributions, kind="stable")[:matched_terms]:
            if contributions[position] > 0:
                term = str(self._terms[query.indices[position]])
                reasons.append(Reason("matched_term", term, weights.text * float(contributions[position])))
        reasons.append(Reason("kipp_tier", _TIERS[self._kipp_tiers[row]].value, points["kipp_tier"]))
        reasons.append(Reason("continuity", _CONTINUITIES[self._continuities[row]].value, points["continuity"]))
        reasons.append(Reason("legal_basis_strength", int(self._legal_strengths[row]), points["legal_basis"]))
        reasons.append(Reason("successful_replications", int(self._replications[row]), points["replications"]))
        region_row = self._region_index[row]
        if adopter_region is not None and region_row >= 0:
            reasons.extend(
                Reason(r.signal, r.value, weights.region * r.points)
                for r in region_similarity_reasons(adopter_region, self._regions[region_row])
            )
        elif region_row < 0:
            reasons.append(Reason("no_owner_region", "central_agency", 0.0))
        sector_row = self._sector_index[row]
        if sub_scores["sector"] > 0:
            reasons.append(Reason("same_sector", self._sectors[sector_row], points["sector"]))
        return RankedCandidate(
            innovation_id=self._ids[row],
            score=sum(component.points for component in components),
            components=components,
            reasons=tuple(reasons),
        )


def _sorted(matrix):
    # Matcher._document_weights binary-searches postings, so their indices must be sorted.
    matrix.sort_indices()
    return matrix


def build_matcher(candidates: Sequence[Candidate], analyzer: Analyzer) -> Matcher:
    """Fit the replication index over all candidates (run ahead of time, e.g. in a background job).

    Input: the candidates, and an analyzer mapping text to tokens (e.g. stemmed Indonesian words,
    ``jipp.core.text.stem_tokens``); it must be picklable for the index to be stored. Output: a
    ``Matcher``. Invariants: candidate order is the tie-break order in ``rank``; the texts are
    not kept; legal strength must be 0..5 and replications >= 0 (ValueError otherwise).
    """
    for candidate in candidates:
        if not 0 <= candidate.legal_basis_strength <= MAX_LEGAL_BASIS_STRENGTH:
            raise ValueError(f"{candidate.innovation_id}: legal_basis_strength must be 0..5")
        if candidate.successful_replications < 0:
            raise ValueError(f"{candidate.innovation_id}: successful_replications must be >= 0")
    # sublinear_tf: a term repeated ten times is not ten times as telling; rows are L2-normalised,
    # so the dot product with a normalised query is the cosine similarity.
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform([candidate.text for candidate in candidates])

    regions: dict[str, int] = {}
    region_list: list[Region] = []
    sectors: dict[str, int] = {}
    for candidate in candidates:
        if candidate.owner_region is not None and candidate.owner_region.code not in regions:
            regions[candidate.owner_region.code] = len(region_list)
            region_list.append(candidate.owner_region)
        if candidate.sector is not None:
            sectors.setdefault(candidate.sector, len(sectors))
    tier_codes = {tier: i for i, tier in enumerate(_TIERS)}
    continuity_codes = {c: i for i, c in enumerate(_CONTINUITIES)}
    return Matcher(
        vectorizer=vectorizer,
        term_matrix=_sorted(matrix.T.tocsr()),
        ids=[candidate.innovation_id for candidate in candidates],
        kipp_tiers=np.array([tier_codes[c.kipp_tier] for c in candidates], dtype=np.int8),
        continuities=np.array([continuity_codes[c.continuity] for c in candidates], dtype=np.int8),
        legal_strengths=np.array([c.legal_basis_strength for c in candidates], dtype=np.int8),
        replications=np.array([c.successful_replications for c in candidates], dtype=np.int32),
        region_index=np.array(
            [regions[c.owner_region.code] if c.owner_region else -1 for c in candidates], dtype=np.int32
        ),
        regions=region_list,
        sector_index=np.array([sectors[c.sector] if c.sector is not None else -1 for c in candidates], dtype=np.int32),
        sectors=list(sectors),
    )
