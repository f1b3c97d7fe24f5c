"""KIPP evaluation at 4x national scale: 10,000 proposals, 300 evaluators, 30,000 submitted reviews.

A separate SQLite file (/tmp/bench_competition_scale.sqlite3, rebuilt each run: about 2 minutes),
seeded directly (bulk inserts: the demo's path through every stage would take hours at this size).
Every evaluator reviews 100 proposals; every tenth evaluator is lenient, every tenth harsh. Everything
runs in a child process with the production settings: DJANGO_DEBUG=0, the shared database cache.

Measured: the full computation and storing of the desk ranking; the incremental update after one review
(a review reopened, and one submitted, each through its service, which updates the stored ranking in
the same transaction); the aggregation in memory with the rounding helper before and after it stopped
entering a decimal context per value; and over HTTP (Django's test client, no network), an evaluator's
review page and pages of the secretariat's ranking (median and p95 of 60 requests after a warm-up).
Set BENCH_SCALE_PROPOSALS for a smaller run (the evaluators and reviews scale with it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
DB = os.environ.get("BENCH_SCALE_SQLITE", "/tmp/bench_competition_scale.sqlite3")  # noqa: S108
PROPOSALS = int(os.environ.get("BENCH_SCALE_PROPOSALS", "10000"))


def _env() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": DB,
        "DJANGO_DEBUG": "0",  # the production settings (the settings read DJANGO_DEBUG)
        "SECRET_KEY": "bench-only-" + "x" * 60,
        "ALLOWED_HOSTS": "*",
        "SECURE_SSL_REDIRECT": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    return env


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=_env(), cwd=ROOT)


def run() -> list[dict]:
    for suffix in ("", "-wal", "-shm"):
        Path(DB + suffix).unlink(missing_ok=True)
    _manage("migrate", "--verbosity", "0")
    _manage("createcachetable")
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    out = subprocess.run(
        [PYTHON, __file__, "--child"], check=True, env=_env(), cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- child process -----------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _seed(n_proposals: int):  # noqa: PLR0914 (one linear seeding script)
    import random
    import time

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from jipp.accounts.models import Role, User
    from jipp.competition.evaluation import services
    from jipp.competition.evaluation.common import bump_ranking_version
    from jipp.competition.evaluation.models import Assignment, Member, Review
    from jipp.competition.models import Edition, Group, Proposal
    from jipp.registry.models import Innovation
    from tests.factories import MinistryUserFactory, ServiceUnitFactory
    from tests.factories.registry import InnovationFactory

    started = time.perf_counter()
    rng = random.Random(15)
    edition = Edition.objects.get(year=2021)
    group = Group.objects.get(edition=edition, kind="umum")
    criteria = services.rubric_of(group)
    ministry = MinistryUserFactory(username="kementerian")
    units = [ServiceUnitFactory() for _ in range(40)]
    now = timezone.now()
    with transaction.atomic():
        innovations = []
        for i in range(n_proposals):
            template = InnovationFactory.build(unit=units[i % len(units)], title=f"Inovasi layanan publik nomor {i}")
            template.published_at = now
            innovations.append(template)
        innovations = Innovation.objects.bulk_create(innovations, batch_size=2000)
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    edition=edition,
                    group=group,
                    innovation=inn,
                    unit=inn.unit,
                    agency=inn.agency,
                    province=inn.province,
                    title=inn.title,
                    status=Proposal.Status.IN_EVALUATION,
                )  # fmt: skip
                for inn in innovations
            ],
            batch_size=2000,
        )
        n_evaluators = max(6, n_proposals * 3 // 100)
        password = make_password("bench-only-password")
        evaluators = User.objects.bulk_create(
            [
                User(
                    username=f"penilai{j:03d}",
                    email=f"penilai{j:03d}@example.ac.id",
                    first_name="Penilai",
                    last_name=f"{j:03d}",
                    role=Role.EVALUATOR,
                    password=password,
                )  # fmt: skip
                for j in range(n_evaluators)
            ]
        )
        Member.objects.bulk_create(
            [Member(edition=edition, user=u, kind=Member.Kind.EVALUATOR) for u in evaluators], batch_size=2000
        )
        third = n_evaluators // 3
        pairs = [(p, evaluators[(i + s * third) % n_evaluators]) for i, p in enumerate(proposals) for s in range(3)]
        assignments = Assignment.objects.bulk_create(
            [Assignment(edition=edition, proposal=p, evaluator=u) for p, u in pairs], batch_size=2000
        )
        bias = {u.pk: (8 if j % 10 == 0 else -8 if j % 10 == 5 else 0) for j, u in enumerate(evaluators)}
        quality = {p.pk: rng.gauss(6.5, 1.2) for p in proposals}
        reviews = []
        keep_open = assignments[0]  # the evaluator's page measured below: a review still to write
        for a in assignments:
            if a.pk == keep_open.pk:
                continue
            level = quality[a.proposal_id] + bias[a.evaluator_id] / 10
            scores = {
                str(c.pk): str(max(c.scale_min, min(c.scale_max, round(rng.gauss(level, 1.0))))) for c in criteria
            }
            reviews.append(
                Review(
                    assignment=a,
                    edition=edition,
                    proposal_id=a.proposal_id,
                    evaluator_id=a.evaluator_id,
                    status=Review.Status.SUBMITTED,
                    scores=scores,
                    comments={},
                    total=services.review_score(criteria, scores).total,
                    blind_declared=True,
                    submitted_at=now,
                )  # fmt: skip
            )
        Review.objects.bulk_create(reviews, batch_size=2000)
        bump_ranking_version(edition.pk)
    return edition, ministry, keep_open, time.perf_counter() - started, len(evaluators), len(reviews)


def _child() -> list[dict]:  # noqa: PLR0915 (one linear measurement script)
    import statistics
    import time
    from decimal import Decimal, localcontext

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jipp.competition.domain import normalisation, numbers
    from jipp.competition.evaluation import selectors, services
    from jipp.competition.evaluation.common import ranking_versions
    from jipp.competition.evaluation.models import Review

    setup_test_environment()
    rows: list[dict] = []

    def row(figure, value, target, ok):
        rows.append({"benchmark": "competition-scale", "figure": figure, "value": value, "target": target,
                     "ok": bool(ok)})  # fmt: skip

    load_start = os.getloadavg()
    edition, ministry, open_assignment, seed_s, n_eval, n_reviews = _seed(PROPOSALS)
    volume = f"{PROPOSALS:,}, {n_eval}, {n_reviews:,} ({seed_s:.0f} s)"
    row("volume: proposals, evaluators, submitted reviews (seeded in s)", volume, "10,000, 300, 30,000",
        PROPOSALS >= 10000)  # fmt: skip

    # 1. Full computation and storing of the ranking.
    full = []
    for _ in range(3):
        started = time.perf_counter()
        services.store_ranking(edition=edition)
        full.append(time.perf_counter() - started)
    full_s = statistics.median(full)
    row("full ranking: compute every method and store every row (s, median of 3)", f"{full_s:.2f}", "", True)

    # 2. Incremental: one review reopened, then submitted again, each through its service.
    reopen_t, submit_t = [], []
    sample = list(
        Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
        .select_related("assignment__proposal__group", "assignment__evaluator", "edition")
        .order_by("?")[:7]
    )
    for review in sample:
        started = time.perf_counter()
        services.reopen_review(user=ministry, review=review, reason="Dicek ulang")
        reopen_t.append(time.perf_counter() - started)
        version, ranked = ranking_versions(edition)
        assert version == ranked, (version, ranked)
        started = time.perf_counter()
        services.save_review(
            user=review.evaluator, assignment=review.assignment, scores=review.scores, comments={}, submit=True,
            blind_declared=True,
        )  # fmt: skip
        submit_t.append(time.perf_counter() - started)
        version, ranked = ranking_versions(edition)
        assert version == ranked, (version, ranked)
    inc = statistics.median(reopen_t + submit_t)
    row(
        "incremental ranking after one review: the whole service, reopen or submit (s, median / max of 14)",
        f"{inc:.3f} / {max(reopen_t + submit_t):.3f}",
        "faster than the full",
        inc < full_s,
    )
    row("incremental vs full (ratio)", f"{full_s / inc:.1f}x", "> 1", full_s > inc)

    # 3. Aggregation in memory, and the rounding helper before (a decimal context entered per value).
    data = list(
        Review.objects.filter(edition=edition, status="submitted").values_list("proposal_id", "evaluator_id", "total")
    )

    def old_stored(value):
        with localcontext(numbers.CONTEXT):
            return Decimal(value).quantize(numbers.STORED, rounding=numbers.ROUNDING)

    for label, subset in (("10,500 reviews (3,500 x 3)", data[:10500]), (f"{len(data):,} reviews", data)):
        reviews_in = [normalisation.Review(p, e, t) for p, e, t in subset]
        after, before = [], []
        for _ in range(3):
            started = time.perf_counter()
            fast = normalisation.aggregate(reviews_in)
            after.append(time.perf_counter() - started)
            normalisation.stored = old_stored
            try:
                started = time.perf_counter()
                slow = normalisation.aggregate(reviews_in)
                before.append(time.perf_counter() - started)
            finally:
                normalisation.stored = numbers.stored
        same = fast.proposals == slow.proposals and fast.evaluators == slow.evaluators
        row(
            f"aggregation in memory, every method, {label}: before / after (s, median of 3)",
            f"{statistics.median(before):.2f} / {statistics.median(after):.2f}",
            "same numbers",
            same,
        )

    # 4. HTTP.
    client = Client()
    client.force_login(open_assignment.evaluator)
    url = f"/kipp/evaluation/reviews/{open_assignment.pk}/"
    timings = []
    for i in range(70):
        started = time.perf_counter()
        response = client.get(url)
        if i >= 10:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = _percentile(timings, 0.95)
    row("HTTP evaluator's review page (ms, median / p95 of 60)", f"{statistics.median(timings):.0f} / {p95:.0f}",
        "p95 < 100", p95 < 100)  # fmt: skip
    client.force_login(ministry)
    url = f"/kipp/evaluation/{edition.year}/ranking/"
    pages = max(1, PROPOSALS // 50)
    timings = []
    for i in range(70):
        started = time.perf_counter()
        response = client.get(url, {"page": 1 + (i * 37) % pages})
        if i >= 10:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    p95 = _percentile(timings, 0.95)
    row(f"HTTP ranking page, 50 rows, pages spread over all {pages} (ms, median / p95 of 60)",
        f"{statistics.median(timings):.0f} / {p95:.0f}", "p95 < 100", p95 < 100)  # fmt: skip
    # Right after a review is submitted (the ranking updated in that request): the next page read.
    review = (
        Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
        .select_related("assignment__proposal__group", "assignment__evaluator", "edition")
        .first()
    )
    services.reopen_review(user=ministry, review=review, reason="Dicek ulang")
    services.save_review(user=review.evaluator, assignment=review.assignment, scores=review.scores, comments={},
                         submit=True, blind_declared=True)  # fmt: skip
    started = time.perf_counter()
    response = client.get(url, {"page": 3})
    after_ms = (time.perf_counter() - started) * 1000
    row("HTTP ranking page right after a review was submitted (ms)", f"{after_ms:.0f}", "< 100", after_ms < 100)
    assert selectors.stored_ranking_is_current(edition)
    load_end = os.getloadavg()
    row("machine load average (1 / 5 / 15 min) at the start; at the end",
        f"{' / '.join(f'{x:.1f}' for x in load_start)}; {' / '.join(f'{x:.1f}' for x in load_end)}",
        "2 cores shared", True)  # fmt: skip
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        for r in run():
            print(r)
