"""Benchmark: replication matching at national scale (100,000 innovations, 552 regions).

Run: ``.venv/bin/python bench/bench_matching.py`` (no Django needed).

Times the index build (analysis with Indonesian stemming, TF-IDF fit) once, pickling and
loading the index, and 50 ranking queries (one warm-up query first, not counted, so the
stemmer's per-word cache holds the common words as it does in a running web process).
"""

import csv
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script from anywhere: make the project importable, as bench_screening.py does.
sys.path.insert(0, str(ROOT))

from jipp.core.text import stem_tokens  # noqa: E402
from jipp.core.textgen import make_innovation, paragraph, registry_description  # noqa: E402
from jipp.replication.domain.matching import (  # noqa: E402
    Candidate,
    Continuity,
    KippTier,
    Region,
    RegionLevel,
    build_matcher,
)

REGIONS_CSV = ROOT / "jipp" / "regions" / "data" / "regions.csv"

INNOVATIONS = 100_000
QUERIES = 50
SEED = 20240601
RANK_P95_TARGET_MS = 300.0


def load_regions() -> list[tuple[Region, str]]:
    """The 38 provinces and 514 regencies/cities of regions.csv, each with its name."""
    with REGIONS_CSV.open(newline="", encoding="utf-8") as handle:
        return [
            (
                Region(
                    code=row["code"],
                    level=RegionLevel(row["level"]),
                    province_code=row["parent_code"] or row["code"],
                    population=int(row["population"]) if row["population"] else None,
                    area_km2=float(row["area_km2"]) if row["area_km2"] else None,
                ),
                row["name"],
            )
            for row in csv.DictReader(handle)
        ]


def make_candidates(regions: list[tuple[Region, str]], n: int = INNOVATIONS) -> list[Candidate]:
    """``n`` seeded innovations (title and a ~150-300 word description) from ``jipp.core.textgen``.

    Owners are drawn from all regions; 5% belong to central agencies (no region). Proof
    signals follow rough shares: few KIPP winners, most innovations never replicated.
    """
    rng = random.Random(SEED)
    candidates = []
    for i in range(n):
        region, name = rng.choice(regions)
        innovation = make_innovation(rng, name)
        candidates.append(
            Candidate(
                innovation_id=i,
                text=f"{innovation.title}. {registry_description(rng, innovation, rng.randint(130, 260))}",
                sector=innovation.topic.name,
                owner_region=None if rng.random() < 0.05 else region,
                kipp_tier=rng.choices(list(KippTier), weights=[1, 0.2, 3, 96])[0],
                continuity=rng.choices(list(Continuity), weights=[10, 60, 5, 15, 10])[0],
                legal_basis_strength=rng.randint(0, 5),
                successful_replications=rng.choices(range(6), weights=[70, 15, 7, 4, 2, 2])[0],
            )
        )
    return candidates


def make_queries(regions: list[tuple[Region, str]], n: int) -> list[tuple[str, Region, str | None]]:
    """``n`` problem statements (~40 words about a problem in one topic) by regencies/cities.

    Half name the topic as the sector, half leave the sector open.
    """
    rng = random.Random(SEED + 1)
    adopters = [(region, name) for region, name in regions if region.level != RegionLevel.PROVINCE]
    queries = []
    for _ in range(n):
        region, name = rng.choice(adopters)
        innovation = make_innovation(rng, name)
        problem = paragraph(rng, ("problem",), innovation, 40)
        queries.append((problem, region, rng.choice([innovation.topic.name, None])))
    return queries


def run() -> list[dict]:
    """Build the index for 100,000 innovations and time 50 rankings; one row per figure."""
    regions = load_regions()
    candidates = make_candidates(regions)
    words = [len(c.text.split()) for c in candidates]

    start = time.perf_counter()
    matcher = build_matcher(candidates, stem_tokens)
    build_s = time.perf_counter() - start
    del candidates

    start = time.perf_counter()
    blob = pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL)
    dump_s = time.perf_counter() - start
    start = time.perf_counter()
    matcher = pickle.loads(blob)  # noqa: S301 (the index we just dumped)
    load_s = time.perf_counter() - start

    timings_ms = []
    for problem, adopter, sector in make_queries(regions, QUERIES + 1):
        start = time.perf_counter()
        ranked = matcher.rank(problem, adopter_region=adopter, sector=sector, limit=20)
        timings_ms.append((time.perf_counter() - start) * 1000)
        assert ranked, "every generated problem should match something"
    timings_ms = timings_ms[1:]  # drop the warm-up query
    median_ms = statistics.median(timings_ms)
    p95_ms = statistics.quantiles(timings_ms, n=20, method="inclusive")[-1]

    return [
        {
            "benchmark": "matching",
            "figure": "innovations / regions",
            "value": f"{len(matcher):,} / {len(regions)}",
            "target": "100,000 / 552",
            "ok": len(matcher) == INNOVATIONS and len(regions) == 552,
        },
        {
            "benchmark": "matching",
            "figure": "words per innovation (min / median / max)",
            "value": f"{min(words)} / {statistics.median(words):.0f} / {max(words)}",
            "target": "~150-300",
            "ok": 100 <= statistics.median(words) <= 350,
        },
        {
            "benchmark": "matching",
            "figure": "index build (stemming + TF-IDF)",
            "value": f"{build_s:.1f} s",
            "target": "background job",
            "ok": True,
        },
        {
            "benchmark": "matching",
            "figure": "index pickle: size / dump / load",
            "value": f"{len(blob) / 1e6:.0f} MB / {dump_s:.2f} s / {load_s:.2f} s",
            "target": "loadable by web process",
            "ok": True,
        },
        {
            "benchmark": "matching",
            "figure": f"rank, {QUERIES} queries: median",
            "value": f"{median_ms:.1f} ms",
            "target": "-",
            "ok": True,
        },
        {
            "benchmark": "matching",
            "figure": f"rank, {QUERIES} queries: p95",
            "value": f"{p95_ms:.1f} ms",
            "target": f"< {RANK_P95_TARGET_MS:.0f} ms",
            "ok": p95_ms < RANK_P95_TARGET_MS,
        },
    ]


if __name__ == "__main__":
    print("| benchmark | figure | value | target | ok |")
    print("|---|---|---|---|---|")
    for row in run():
        ok = "yes" if row["ok"] else "NO"
        print(f"| {row['benchmark']} | {row['figure']} | {row['value']} | {row['target']} | {ok} |")
