import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipp.replication.domain.matching import (
    Candidate,
    Continuity,
    KippTier,
    MatchWeights,
    Region,
    RegionLevel,
    build_matcher,
    region_similarity,
    region_similarity_reasons,
    similar_regions,
)


def words(text: str) -> list[str]:
    # Module-level, so a Matcher built with it can be pickled.
    return re.findall(r"\w+", text.lower())


ADOPTER = Region("35.07", RegionLevel.REGENCY, "35", population=1_000_000, area_km2=3_000.0)
NEIGHBOUR = Region("35.08", RegionLevel.REGENCY, "35", population=1_000_000, area_km2=3_000.0)
FAR_CITY = Region("94.71", RegionLevel.CITY, "94", population=50_000, area_km2=30.0)

QUEUE = "antrean online puskesmas pendaftaran pasien"


def signals(ranked) -> list[str]:
    return [reason.signal for reason in ranked.reasons]


def test_rank_better_proven_closer_candidate_ranks_first():
    weak_far = Candidate("weak", QUEUE, owner_region=FAR_CITY, continuity=Continuity.STOPPED)
    strong_close = Candidate(
        "strong",
        QUEUE,
        owner_region=NEIGHBOUR,
        kipp_tier=KippTier.TOP45,
        continuity=Continuity.GROWING,
        legal_basis_strength=4,
        successful_replications=2,
    )
    matcher = build_matcher([weak_far, strong_close], words)

    ranked = matcher.rank("antrean pasien di puskesmas", adopter_region=ADOPTER)

    assert [r.innovation_id for r in ranked] == ["strong", "weak"]


def test_rank_hand_checked_scores_and_components():
    strong = Candidate(
        "strong",
        QUEUE,
        owner_region=NEIGHBOUR,
        kipp_tier=KippTier.TOP45,
        continuity=Continuity.GROWING,
        legal_basis_strength=4,
        successful_replications=2,
    )
    matcher = build_matcher([strong], words)

    [ranked] = matcher.rank(QUEUE, adopter_region=ADOPTER)

    # Same text: cosine 1. Default weights: 0.5 text + 0.10 top45 + 0.08 growing + 0.07 * 4/5
    # legal + 0.10 * 2/3 replications + 0.10 * 1.0 region (same level, province, size) + 0 sector.
    expected = {
        "text": 0.5,
        "kipp_tier": 0.10,
        "continuity": 0.08,
        "legal_basis": 0.056,
        "replications": 0.1 * 2 / 3,
        "region": 0.10,
        "sector": 0.0,
    }
    assert {c.name: c.points for c in ranked.components} == pytest.approx(expected, abs=1e-6)
    assert ranked.score == pytest.approx(sum(expected.values()), abs=1e-6)


def test_rank_explanation_names_the_signals():
    candidate = Candidate(
        "c1",
        QUEUE,
        sector="health",
        owner_region=NEIGHBOUR,
        kipp_tier=KippTier.TOP45,
        continuity=Continuity.CONTINUING,
        legal_basis_strength=5,
        successful_replications=1,
    )
    matcher = build_matcher([candidate], words)

    [ranked] = matcher.rank("antrean puskesmas", adopter_region=ADOPTER, sector="health")

    reasons = {(r.signal, r.value): r.points for r in ranked.reasons}
    assert reasons[("kipp_tier", "top45")] == pytest.approx(0.10)
    assert reasons[("continuity", "continuing")] == pytest.approx(0.08 * 0.8)
    assert reasons[("legal_basis_strength", 5)] == pytest.approx(0.07)
    assert reasons[("successful_replications", 1)] == pytest.approx(0.10 / 3)
    assert reasons[("same_sector", "health")] == pytest.approx(0.05)
    assert reasons[("same_province", "35")] == pytest.approx(0.10 * 0.2)
    assert reasons[("same_level", "regency")] == pytest.approx(0.10 * 0.3)
    assert reasons[("population_ratio", 1.0)] == pytest.approx(0.10 * 0.25)
    assert {r.value for r in ranked.reasons if r.signal == "matched_term"} == {"antrean", "puskesmas"}
    assert "text_similarity" in signals(ranked)


def test_rank_matched_term_points_sum_to_text_points():
    matcher = build_matcher([Candidate("c1", QUEUE), Candidate("c2", "perizinan usaha online")], words)

    [ranked, _] = matcher.rank("antrean online puskesmas", min_text_similarity=0.0)

    text_points = next(c.points for c in ranked.components if c.name == "text")
    term_points = sum(r.points for r in ranked.reasons if r.signal == "matched_term")
    assert term_points == pytest.approx(text_points, rel=1e-5)


def test_rank_unrelated_candidate_is_not_ranked_however_proven():
    unrelated = Candidate("prize", "perizinan usaha mikro", kipp_tier=KippTier.TOP45, successful_replications=9)
    related = Candidate("queue", QUEUE)
    matcher = build_matcher([unrelated, related], words)

    assert [r.innovation_id for r in matcher.rank("antrean puskesmas")] == ["queue"]


def test_rank_problem_without_known_terms_is_empty():
    matcher = build_matcher([Candidate("c1", QUEUE)], words)

    assert matcher.rank("") == []
    assert matcher.rank("sampah laut") == []


def test_rank_more_relevant_text_ranks_first_when_equally_proven():
    matcher = build_matcher(
        [Candidate("loose", "antrean pajak kendaraan samsat"), Candidate("close", QUEUE)],
        words,
    )

    assert [r.innovation_id for r in matcher.rank("antrean pendaftaran pasien puskesmas")] == ["close", "loose"]


def test_rank_sector_breaks_a_tie():
    matcher = build_matcher(
        [Candidate("edu", QUEUE, sector="education"), Candidate("health", QUEUE, sector="health")], words
    )

    assert [r.innovation_id for r in matcher.rank(QUEUE, sector="health")] == ["health", "edu"]
    assert [r.innovation_id for r in matcher.rank(QUEUE, sector="unknown")] == ["edu", "health"]


def test_rank_ties_keep_build_order_and_limit():
    matcher = build_matcher([Candidate(i, QUEUE) for i in range(10)], words)

    assert [r.innovation_id for r in matcher.rank(QUEUE, limit=3)] == [0, 1, 2]
    assert matcher.rank(QUEUE, limit=0) == []


def test_rank_central_agency_owner_has_no_region_points():
    matcher = build_matcher([Candidate("kl", QUEUE, owner_region=None)], words)

    [ranked] = matcher.rank(QUEUE, adopter_region=ADOPTER)

    assert ("no_owner_region", "central_agency") in [(r.signal, r.value) for r in ranked.reasons]
    assert next(c.points for c in ranked.components if c.name == "region") == 0.0


def test_rank_custom_weights_change_the_order():
    proven = Candidate("proven", "antrean pajak kendaraan samsat", kipp_tier=KippTier.TOP45)
    relevant = Candidate("relevant", QUEUE)
    matcher = build_matcher([proven, relevant], words)
    problem = "antrean pendaftaran pasien puskesmas"

    assert matcher.rank(problem)[0].innovation_id == "relevant"
    assert matcher.rank(problem, weights=MatchWeights(text=0.1, kipp_tier=1.0))[0].innovation_id == "proven"


def test_match_weights_negative_raises():
    with pytest.raises(ValueError):
        MatchWeights(text=-0.1)


def test_build_matcher_legal_strength_out_of_range_raises():
    with pytest.raises(ValueError):
        build_matcher([Candidate("c1", QUEUE, legal_basis_strength=6)], words)


def test_matcher_pickle_round_trip_ranks_the_same():
    matcher = build_matcher(
        [Candidate("a", QUEUE, owner_region=NEIGHBOUR), Candidate("b", "antrean samsat", owner_region=FAR_CITY)],
        words,
    )
    loaded = pickle.loads(pickle.dumps(matcher))  # noqa: S301 (our own object)

    assert loaded.rank("antrean puskesmas", ADOPTER) == matcher.rank("antrean puskesmas", ADOPTER)
    assert len(loaded) == 2


# Regions


def test_region_similarity_identical_figures_is_one():
    assert region_similarity(ADOPTER, NEIGHBOUR) == pytest.approx(1.0)


def test_region_similarity_hand_checked():
    # Same level and province, tenfold population (0), same area.
    big = Region("35.78", RegionLevel.REGENCY, "35", population=10_000_000, area_km2=3_000.0)
    assert region_similarity(ADOPTER, big) == pytest.approx(0.3 + 0.2 + 0.0 + 0.25)


def test_region_similarity_unknown_population_counts_nothing():
    unknown = Region("35.09", RegionLevel.REGENCY, "35", population=None, area_km2=3_000.0)
    reasons = region_similarity_reasons(ADOPTER, unknown)
    assert [r.signal for r in reasons] == ["same_level", "same_province", "area_ratio"]


regions_strategy = st.builds(
    Region,
    code=st.text("0123456789.", min_size=2, max_size=5),
    level=st.sampled_from(list(RegionLevel)),
    province_code=st.sampled_from(["11", "35", "94"]),
    population=st.one_of(st.none(), st.integers(0, 50_000_000)),
    area_km2=st.one_of(st.none(), st.floats(0, 200_000)),
)


@given(regions_strategy, regions_strategy)
def test_region_similarity_symmetric_and_bounded(a, b):
    assert region_similarity(a, b) == pytest.approx(region_similarity(b, a))
    assert 0.0 <= region_similarity(a, b) <= 1.0 + 1e-9


def test_similar_regions_closest_first_without_itself():
    same_province_city = Region("35.71", RegionLevel.CITY, "35", population=300_000, area_km2=60.0)
    regions = [FAR_CITY, ADOPTER, same_province_city, NEIGHBOUR]

    ranked = similar_regions(ADOPTER, regions, limit=2)

    assert [r.region.code for r in ranked] == ["35.08", "35.71"]
    assert ranked[0].similarity == pytest.approx(1.0)
    assert ranked[1].similarity == pytest.approx(sum(r.points for r in ranked[1].reasons))
