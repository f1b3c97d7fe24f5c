"""KIPP evaluation at national scale, on a separate SQLite file (never db.sqlite3).

Database: /tmp/bench_evaluation_base.sqlite3 is seeded once with `seed_demo --scale national --only
regions,accounts,registry,competition` (the competition's closed national edition: ~2,250 proposals
that passed the administrative selection; about 20 minutes, kept and reused), then copied to
/tmp/bench_evaluation_db.sqlite3 where `seed_demo --only evaluation` carries the edition through every
stage (120 evaluators with lenient and harsh ones, 12 panelists). Measured in a child process:

- assignment: the whole service (conflicts from the real provinces and agencies, the exact solve, the
  writes) and the domain solve alone; its cost against the optimum of the same problem solved again
  independently as a plain integer programme over every (proposal, evaluator) pair, with the same
  load band. Target: < 10 s and cost == optimum.
- aggregation and ranking of every review with every method (mean, median, trimmed, z-score), from
  the database, uncached. Target: < 1 s.
- nomination with shares (groups, categories, provinces, 3T) as an exact integer programme.
- HTTP: an evaluator's review page and the secretariat's ranking page (median and p95 of 40 requests
  after a warm-up, DJANGO_DEBUG=0: the production settings). Target: p95 < 200 ms.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
BASE = os.environ.get("BENCH_EVALUATION_BASE", "/tmp/bench_evaluation_base.sqlite3")  # noqa: S108
DB = os.environ.get("BENCH_EVALUATION_SQLITE", "/tmp/bench_evaluation_db.sqlite3")  # noqa: S108


def _env(path: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": path,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 60,
        "ALLOWED_HOSTS": "*",
        "SECURE_SSL_REDIRECT": "0",
    }
    env.pop("DATABASE_URL", None)
    return env


def _manage(*args: str, path: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=_env(path), cwd=ROOT)


def _prepare() -> None:
    if not Path(BASE).exists():
        _manage("migrate", "--verbosity", "0", path=BASE)
        _manage("load_regions", path=BASE)
        _manage("seed_demo", "--scale", "national", "--only", "regions,accounts,registry,competition", path=BASE)
    else:
        _manage("migrate", "--verbosity", "0", path=BASE)
    shutil.copyfile(BASE, DB)
    for suffix in ("-wal", "-shm"):
        Path(DB + suffix).unlink(missing_ok=True)
    _manage("seed_demo", "--scale", "national", "--only", "evaluation", path=DB)
    # Production settings (DJANGO_DEBUG=0): the shared database cache and the static manifest.
    _manage("createcachetable", path=DB)
    _manage("collectstatic", "--noinput", "--verbosity", "0", path=DB)


def run() -> list[dict]:
    _prepare()
    out = subprocess.run(
        [PYTHON, __file__, "--child"], check=True, env=_env(DB), cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- child process -----------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _child() -> list[dict]:  # noqa: PLR0915 (one linear measurement script)
    import statistics
    import time

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import numpy as np
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    from jipp.accounts.models import User
    from jipp.competition.domain import assignment as domain
    from jipp.competition.domain import normalisation
    from jipp.competition.evaluation import selectors, services
    from jipp.competition.evaluation.models import Assignment, EvaluationSettings, Member, Review
    from jipp.competition.models import Edition, Proposal

    setup_test_environment()
    edition = Edition.objects.filter(members__isnull=False).distinct().order_by("-year").first()
    rows: list[dict] = []

    def row(figure, value, target, ok):
        rows.append({"benchmark": "evaluation", "figure": figure, "value": value, "target": target, "ok": bool(ok)})

    # 1. Assignment: the service end to end (inside a rolled-back transaction), then the domain alone.
    # The demo carried the edition to its results: the proposals it evaluated are those with assignments.
    evaluated = Proposal.objects.filter(edition=edition, assignments__isnull=False).distinct()
    n_props = evaluated.count()
    n_eval = Member.objects.filter(edition=edition, kind=Member.Kind.EVALUATOR).count()
    with transaction.atomic():
        ids = list(evaluated.values_list("pk", flat=True))
        Proposal.objects.filter(pk__in=ids).update(status=Proposal.Status.IN_EVALUATION)
        Review.objects.filter(edition=edition).delete()
        Assignment.objects.filter(edition=edition).delete()
        started = time.perf_counter()
        result_run = services.run_assignment(edition=edition)
        service_s = time.perf_counter() - started
        transaction.set_rollback(True)
    proposals = list(evaluated.values(*services.PROPOSAL_FIELDS))
    members = services.member_rows(edition, Member.Kind.EVALUATOR)
    conflicts = services.conflict_index(edition, proposals, members)
    cats: dict[int, set] = {}
    for pid, cid in Proposal.categories.through.objects.filter(proposal__edition=edition).values_list(
        "proposal_id", "category_id"
    ):
        cats.setdefault(pid, set()).add(cid)
    p_specs = [domain.ProposalSpec(p["id"], frozenset(cats.get(p["id"], ()))) for p in proposals]
    e_specs = [domain.EvaluatorSpec(m.user_id, m.capacity, frozenset(c.pk for c in m.expertise.all())) for m in members]
    k = services.settings_for(edition).reviews_per_proposal
    started = time.perf_counter()
    result = domain.assign_evaluators(p_specs, e_specs, k=k, conflicts=conflicts.pairs)
    domain_s = time.perf_counter() - started
    # The same problem solved independently: one 0/1 variable per eligible (proposal, evaluator) pair.
    p_index = {p.id: i for i, p in enumerate(p_specs)}
    e_index = {e.id: j for j, e in enumerate(e_specs)}
    eligible = np.ones((len(p_specs), len(e_specs)), dtype=bool)
    for pid, uid in conflicts.pairs:
        if pid in p_index and uid in e_index:
            eligible[p_index[pid], e_index[uid]] = False
    cost = np.array([[domain.mismatch_cost(p.categories, e.expertise) for e in e_specs] for p in p_specs])
    r, c = np.nonzero(eligible)
    var = np.arange(r.size)
    a_p = sparse.csr_array((np.ones(r.size), (r, var)), shape=(len(p_specs), r.size))
    a_e = sparse.csr_array((np.ones(r.size), (c, var)), shape=(len(e_specs), r.size))
    started = time.perf_counter()
    check = milp(
        cost[r, c],
        constraints=[
            LinearConstraint(a_p, k, k),
            LinearConstraint(a_e, result.min_load, result.max_load),
        ],
        bounds=Bounds(0, 1),
        integrality=np.ones(r.size),
        options={"mip_rel_gap": 0.0},
    )
    check_s = time.perf_counter() - started
    optimum = float(check.fun)
    row("assignment: proposals x evaluators (k)", f"{n_props} x {n_eval} (k={k})", "2,300 x 120", n_props >= 2000)
    row("assignment: whole service incl. conflicts and writes (s)", f"{service_s:.2f}", "< 10", service_s < 10)
    row("assignment: domain solve (s)", f"{domain_s:.2f}", "< 10", domain_s < 10)
    row(
        "assignment: cost vs independent optimum",
        f"{result.total_cost:.3f} vs {optimum:.3f} (check {check_s:.1f} s)",
        "equal",
        abs(result.total_cost - optimum) < 1e-6,
    )
    row(
        "assignment: loads min-max, conflicts excluded",
        f"{result.min_load}-{result.max_load}, {len(conflicts.pairs)} pairs",
        "max - min <= 1",
        result.max_load - result.min_load <= 1,
    )
    assert result_run.total_cost is not None

    # 2. Aggregation and ranking, uncached.
    times = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        ranked = selectors.ranking(edition)
        times.append(time.perf_counter() - started)
    n_reviews = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED).count()
    agg_only = []
    data = list(
        Review.objects.filter(edition=edition, status="submitted").values_list("proposal_id", "evaluator_id", "total")
    )
    for _ in range(5):
        started = time.perf_counter()
        normalisation.aggregate(normalisation.Review(p, e, float(t)) for p, e, t in data)
        agg_only.append(time.perf_counter() - started)
    med = statistics.median(times)
    row(
        "aggregation+ranking from the DB, every method (s, median of 5)",
        f"{med:.3f} ({n_reviews} reviews, {len(ranked)} proposals)",
        "< 1",
        med < 1,
    )
    row(
        "aggregation in memory, every method (s)",
        f"{statistics.median(agg_only):.3f}",
        "< 1",
        statistics.median(agg_only) < 1,
    )
    flagged = sum(1 for x in ranked if x["disagreement"])
    lenient = list(selectors.aggregation(edition).evaluators.values())
    means = sorted(e.mean for e in lenient)
    row(
        "score distribution: evaluator means (min / median / max), flagged",
        f"{means[0]:.1f} / {statistics.median(means):.1f} / {means[-1]:.1f}; {flagged} flagged",
        "lenient and harsh present",
        means[-1] - means[0] > 15,
    )

    # 3. Nomination with shares.
    ministry = User.objects.filter(username="kementerian").first()
    with transaction.atomic():
        EvaluationSettings.objects.filter(edition=edition).update(results_published_at=None)
        started = time.perf_counter()
        nomination = services.run_nomination(user=ministry, edition=edition)
        nom_s = time.perf_counter() - started
        transaction.set_rollback(True)
    row(
        "nomination with shares, exact (s)",
        f"{nom_s:.2f} ({len(nomination.chosen)} chosen, {len(nomination.swaps['in'])} swapped in)",
        "< 10",
        nom_s < 10,
    )

    # 4. HTTP pages.
    client = Client()
    assignment = Assignment.objects.filter(edition=edition).select_related("evaluator").order_by("pk").first()
    client.force_login(assignment.evaluator)
    url = f"/kipp/evaluation/reviews/{assignment.pk}/"
    timings = []
    for i in range(45):
        started = time.perf_counter()
        response = client.get(url)
        if i >= 5:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = _percentile(timings, 0.95)
    row(
        "HTTP evaluator's review page (ms, median / p95)",
        f"{statistics.median(timings):.0f} / {p95:.0f}",
        "p95 < 200",
        p95 < 200,
    )
    client.force_login(ministry)
    url = f"/kipp/evaluation/{edition.year}/ranking/"
    timings = []
    for i in range(45):
        started = time.perf_counter()
        response = client.get(url, {"page": 1 + i % 5})
        if i >= 5:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = _percentile(timings, 0.95)
    row(
        "HTTP secretariat's ranking page (ms, median / p95)",
        f"{statistics.median(timings):.0f} / {p95:.0f}",
        "p95 < 200",
        p95 < 200,
    )
    after_review = []
    touched = list(
        Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
        .select_related("assignment__proposal__group", "assignment__evaluator", "edition")
        .order_by("pk")[:9]
    )
    EvaluationSettings.objects.filter(edition=edition).update(results_published_at=None, revision_open_at=None)
    services.store_ranking(edition=edition)  # current, as it is while reviews come in
    for review in touched:
        # A review reopened and submitted again through the services (the stored ranking updated in that
        # transaction), then the page read.
        services.reopen_review(user=ministry, review=review, reason="Dicek ulang")
        services.save_review(user=review.evaluator, assignment=review.assignment, scores=review.scores,
                             comments={}, submit=True, blind_declared=True)  # fmt: skip
        started = time.perf_counter()
        client.get(url)
        after_review.append((time.perf_counter() - started) * 1000)
    each = ", ".join(str(round(t)) for t in after_review)
    row(
        "HTTP ranking page right after a review reopened and submitted again (ms, median / max of 9)",
        f"{statistics.median(after_review):.0f} / {max(after_review):.0f} ({each})",
        "median < 200",
        statistics.median(after_review) < 200,
    )
    cold = []
    for _ in range(5):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        cold.append((time.perf_counter() - started) * 1000)
    row(
        "HTTP ranking page, every cache empty (ms, median of 5)",
        f"{statistics.median(cold):.0f}",
        "< 1000",
        statistics.median(cold) < 1000,
    )
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        for r in run():
            print(r)
