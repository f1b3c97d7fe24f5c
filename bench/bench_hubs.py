"""Hubs at national scale: a hub's pages, a spoke's progress page and the selection ranking of all 38
provinces with their platform figures, median and p95 through Django.

Data: the registry benchmark's national SQLite file (its data builder `bench_registry.ensure_seeded`:
552 regional governments, 100,000 innovations; env BENCH_REGISTRY_SQLITE, default
/tmp/jipp-national.sqlite3), to which this adds, once, the institutionalisation demo (legal bases and
the precomputed protection status) and the hubs demo (54 hubs: 36 regional governments and 18 K/L,
their spokes, plans, activities and maturity), then a selection round of all 38 provinces scored by
three members. Later runs reuse it.

Measured (DEBUG off, 20 runs after a warm-up each):
- public hub page   GET /hubs/<Jawa Timur>/
- hub work page     GET /hubs/<Jawa Timur>/work/?year=2026  (38 spokes with figures, actuals, targets)
- spoke progress    GET /hubs/<hub>/spokes/<spoke>/?year=2026, cycling over Jawa Timur's spokes
- ranking           selectors.round_ranking (38 candidates x 5 criteria x 3 scorers, platform figures in
                    one pass) and the whole round page GET /hubs/rounds/<id>/
Target: p95 under 200 ms on this 2-core machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
TARGET_MS = 200.0
RUNS = 20


def run() -> list[dict]:
    import bench_registry

    env = bench_registry._env(SQLITE_PATH=bench_registry.SQLITE)
    bench_registry.ensure_seeded(env)
    done = subprocess.run([PYTHON, __file__, "--child"], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return [{"benchmark": "hubs", "figure": "run", "value": "failed", "target": "", "ok": False}]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _ensure_hub_data() -> None:
    import random
    from decimal import Decimal

    from django.core.management import call_command

    from jipp.accounts.models import Role, User
    from jipp.hubs.history import GUIDE, LATER_CRITERIA
    from jipp.hubs.models import ConflictDeclaration, Hub, Score, SelectionRound
    from jipp.hubs.services.selection import create_round
    from jipp.institutionalisation.models import ProtectionStatus

    if not ProtectionStatus.objects.exists():
        print("  seeding institutionalisation (once)...", file=sys.stderr, flush=True)
        call_command("seed_demo", "--scale", "national", "--only", "institutionalisation", stdout=sys.stderr)
    if not Hub.objects.exists():
        print("  seeding hubs (once)...", file=sys.stderr, flush=True)
        call_command("seed_demo", "--scale", "national", "--only", "hubs", stdout=sys.stderr)
    if not SelectionRound.objects.filter(purpose="bench: all 38 provinces").exists():
        team = []
        for i in range(1, 4):
            user, _ = User.objects.get_or_create(username=f"bench.scorer{i}", defaults={"role": Role.ADMIN_KEMENTERIAN})
            team.append(user)
        round_ = create_round(
            year=2027,
            purpose="bench: all 38 provinces",
            kind="province",
            criteria=[(name, Decimal(w), GUIDE) for name, w in LATER_CRITERIA],
            members=team,
            with_all_provinces=True,
        )
        SelectionRound.objects.filter(pk=round_.pk).update(status=SelectionRound.Status.SCORING)
        rng = random.Random(38)
        criteria = list(round_.criteria.all())
        scores = []
        for member in team:
            ConflictDeclaration.objects.create(round=round_, member=member)
            for candidate in round_.candidates.all():
                for criterion in criteria:
                    scores.append(
                        Score(
                            round=round_,
                            member=member,
                            candidate=candidate,
                            criterion=criterion,
                            level=rng.randint(1, 5),
                        )
                    )
        Score.objects.bulk_create(scores)


def _time(fn) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _child() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from jipp.accounts.models import Role, User
    from jipp.hubs import selectors
    from jipp.hubs.models import Hub, SelectionRound

    _ensure_hub_data()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    hub = Hub.objects.get(region__code="35")
    admin = User.objects.filter(role=Role.HUB_ADMIN, administered_hubs=hub).first()
    ministry = User.objects.filter(username="bench.scorer1").first()
    round_ = SelectionRound.objects.get(purpose="bench: all 38 provinces")
    client = Client()
    rows = []

    def record(figure: str, values: list[float]) -> None:
        median, p95 = statistics.median(values), _percentile(values, 0.95)
        rows.append(
            {
                "benchmark": "hubs",
                "figure": f"{figure}: median / p95 ms",
                "value": f"{median:.0f} / {p95:.0f}",
                "target": f"p95 < {TARGET_MS:.0f}",
                "ok": p95 < TARGET_MS,
            }
        )

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    record("public hub page", _time(lambda: get(f"/hubs/{hub.pk}/")))
    client.force_login(admin)
    record(f"hub work page ({hub.spokes.count()} spokes)", _time(lambda: get(f"/hubs/{hub.pk}/work/?year=2026")))
    spokes = list(hub.spokes.values_list("pk", flat=True))
    cycle = iter(range(10**6))
    record(
        "spoke progress page",
        _time(lambda: get(f"/hubs/{hub.pk}/spokes/{spokes[next(cycle) % len(spokes)]}/?year=2026")),
    )
    n = round_.candidates.count()
    record(f"selection ranking of {n} provinces with figures", _time(lambda: selectors.round_ranking(round_=round_)))
    client.force_login(ministry)
    record("selection round page", _time(lambda: get(f"/hubs/rounds/{round_.pk}/")))
    print(json.dumps(rows))


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        for row in run():
            print(row)
