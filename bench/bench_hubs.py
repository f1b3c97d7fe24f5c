"""Hubs at national scale: a hub's pages, a spoke's progress page and the selection ranking of all 38
provinces with their platform figures, median and p95 through Django's test client, DEBUG off.

Data (its own SQLite file, env BENCH_HUBS_SQLITE, default /tmp/jipp-hubs-bench.sqlite3), seeded once
in a few minutes with bulk_create, never through the slow demo paths:
- the reference regions (`load_regions`: 38 provinces, 514 regencies/cities, 552 regional governments,
  the central agencies), one service unit per agency and ten field offices per ministry/agency;
- 100,000 published innovations (env BENCH_HUBS_INNOVATIONS to try a smaller set) spread over the 552
  governments and the K/L units, by phase and stage; their precomputed protection status (a third
  proven, half of those with a legal basis), continuity answers for 2025, KIPP awards;
- three national KIPP editions (2024-2026) with 9,000 submitted proposals; 6,000 replications;
- the hubs demo (`jipp.hubs.demo.seed`): the real cohorts 2020/2021, demo growth to 54 hubs (36
  regional governments and 18 K/L), spokes, admins, mentors, plans, activities and maturity;
- a selection round of all 38 provinces x 5 criteria x 3 scorers.

Measured, 20 requests after a warm-up each:
- public hub page   GET /hubs/<Jawa Timur>/
- hub work page     GET /hubs/<Jawa Timur>/work/?year=2026  (38 spokes with figures, actuals, targets)
- spoke progress    GET /hubs/<hub>/spokes/<spoke>/?year=2026, cycling over Jawa Timur's spokes
- unit spoke        GET /hubs/<K/L hub>/spokes/<unit spoke>/?year=2026 (a K/L hub's field office)
- ranking           selectors.round_ranking (38 candidates x 5 criteria x 3 scorers, platform figures
                    in one grouped query per source) and the whole round page GET /hubs/rounds/<id>/
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
SQLITE = os.environ.get("BENCH_HUBS_SQLITE", "/tmp/jipp-hubs-bench.sqlite3")  # noqa: S108
INNOVATIONS = int(os.environ.get("BENCH_HUBS_INNOVATIONS", "100000"))
TARGET_MS = 200.0
RUNS = 20
ROUND_PURPOSE = "bench: all 38 provinces"


def _manage(*args, env: dict) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT, stdout=sys.stderr)


def run() -> list[dict]:
    import bench_registry

    env = bench_registry._env(SQLITE_PATH=SQLITE)
    started = time.monotonic()
    _manage("migrate", "--verbosity", "0", env=env)
    _manage("createcachetable", env=env)
    _manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    _manage("load_regions", env=env)
    prepared = time.monotonic() - started
    done = subprocess.run([PYTHON, __file__, "--child"], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return [{"benchmark": "hubs", "figure": "run", "value": "failed", "target": "", "ok": False}]
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    rows.insert(0, {"benchmark": "hubs", "figure": "migrate + reference regions (s)", "value": f"{prepared:.0f}",
                    "target": "", "ok": True})  # fmt: skip
    return rows


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _seed(n_innovations: int) -> None:
    """Bulk-create the national data set (see the module docstring); idempotent by its own markers."""
    import datetime as dt
    import random

    from django.db import transaction

    from jipp.competition.models import Edition, Group, Proposal
    from jipp.institutionalisation.models import ProtectionStatus
    from jipp.regions.models import Agency, ServiceUnit
    from jipp.registry.models import Award, ContinuityUpdate, Innovation
    from jipp.replication.models import Replication

    rng = random.Random(2026)
    if Replication.objects.exists():  # the last step of one transaction: all seeded
        return
    print(f"  seeding {n_innovations:,} innovations and their figures (once)...", file=sys.stderr, flush=True)
    with transaction.atomic():
        agencies = list(
            Agency.objects.filter(type__in=[*Agency.REGIONAL_TYPES, Agency.Type.MINISTRY, Agency.Type.AGENCY])
            .select_related("region__parent")
            .order_by("pk")
        )
        has_unit = set(ServiceUnit.objects.values_list("agency_id", flat=True))
        units = [ServiceUnit(agency=a, name="Dinas Penanaman Modal dan PTSP") for a in agencies if a.pk not in has_unit]
        for a in agencies:
            if not a.is_regional_government and a.pk not in has_unit:
                units += [ServiceUnit(agency=a, name=f"Kantor Wilayah {i}") for i in range(1, 11)]
        ServiceUnit.objects.bulk_create(units, batch_size=2000)
        units_of: dict[int, list[int]] = {}
        for unit_id, agency_id in ServiceUnit.objects.values_list("pk", "agency_id"):
            units_of.setdefault(agency_id, []).append(unit_id)
        phases = list(Innovation.Phase.values)
        stages = list(Innovation.Stage.values)
        batch = []
        for i in range(n_innovations):
            agency = agencies[rng.randrange(len(agencies))]
            province = agency.province
            year = rng.randint(2014, 2026)
            batch.append(
                Innovation(
                    unit_id=rng.choice(units_of[agency.pk]),
                    agency_id=agency.pk,
                    region_id=agency.region_id,
                    province_id=province.pk if province else None,
                    agency_type=agency.type,
                    title=f"Inovasi pelayanan {i}",
                    summary="Ringkasan inovasi (bench).",
                    start_date=dt.date(year, 1, 15),
                    year_started=year,
                    phase=rng.choice(phases),
                    stage=rng.choice(stages),
                    status=Innovation.Status.PUBLISHED,
                    has_legal_basis=rng.random() < 0.2,
                    continuity=rng.choice(list(Innovation.Continuity.values)),
                )
            )
            if len(batch) == 5000:
                Innovation.objects.bulk_create(batch)
                batch = []
        Innovation.objects.bulk_create(batch)
        rows = list(Innovation.objects.values_list("pk", "agency_id", "region_id", "province_id", "unit_id"))
        today = dt.date(2026, 11, 30)
        protections, continuity, awards = [], [], []
        for pk, agency_id, region_id, province_id, _unit_id in rows:
            proven = rng.random() < 0.33
            strength = rng.choice([0, 0, 1, 2, 3, 4, 5]) if proven else 0
            protections.append(
                ProtectionStatus(
                    innovation_id=pk,
                    agency_id=agency_id,
                    region_id=region_id,
                    province_id=province_id,
                    is_public=True,
                    strength=strength,
                    is_proven=proven,
                    is_unprotected=proven and strength == 0,
                    as_of=today,
                )
            )
            if rng.random() < 0.3:
                continuity.append(
                    ContinuityUpdate(
                        innovation_id=pk,
                        year=2025,
                        status=rng.choice(list(Innovation.Continuity.values)),
                        reported_on=dt.date(2025, 12, 1),
                    )
                )
            if rng.random() < 0.01:
                awards.append(Award(innovation_id=pk, year=rng.randint(2014, 2025), tier="top45", title="Top 45"))
        ProtectionStatus.objects.bulk_create(protections, batch_size=5000)
        ContinuityUpdate.objects.bulk_create(continuity, batch_size=5000)
        Award.objects.bulk_create(awards, batch_size=5000)
        for year in (2024, 2025, 2026):
            edition = Edition.objects.create(year=year, name=f"KIPP {year} (bench)", is_published=True)
            group = Group.objects.create(edition=edition, kind=Group.Kind.UMUM, name="Umum")
            sample = rng.sample(rows, min(len(rows), 3000))
            Proposal.objects.bulk_create(
                [
                    Proposal(
                        edition=edition,
                        group=group,
                        innovation_id=pk,
                        unit_id=unit_id,
                        agency_id=agency_id,
                        province_id=province_id,
                        title=f"Proposal {pk}",
                        status=rng.choice(Proposal.SUBMITTED),
                    )
                    for pk, agency_id, _region_id, province_id, unit_id in sample
                ],
                batch_size=3000,
            )
        replications = []
        for pk, agency_id, _region_id, province_id, _unit_id in rng.sample(rows, min(len(rows), 6000)):
            adopter = agencies[rng.randrange(len(agencies))]
            if adopter.pk == agency_id:
                continue
            adopter_province = adopter.province
            replications.append(
                Replication(
                    source_agency_id=agency_id,
                    adopter_agency_id=adopter.pk,
                    primary_source_id=pk,
                    source_province_id=province_id,
                    adopter_province_id=adopter_province.pk if adopter_province else None,
                    status=rng.choice(list(Replication.Status.values)),
                    is_successful=rng.random() < 0.3,
                )
            )
        Replication.objects.bulk_create(replications, batch_size=3000)


def _ensure_hub_data() -> None:
    import io
    import random
    from decimal import Decimal

    from jipp.accounts.models import Role, User
    from jipp.hubs import demo
    from jipp.hubs.history import GUIDE, LATER_CRITERIA
    from jipp.hubs.models import ConflictDeclaration, Hub, Score, SelectionRound
    from jipp.hubs.services.selection import create_round

    if not Hub.objects.exists():
        print("  seeding hubs (once)...", file=sys.stderr, flush=True)
        demo.seed(scale="national", rng=random.Random(54), stdout=io.StringIO())
    if not SelectionRound.objects.filter(purpose=ROUND_PURPOSE).exists():
        team = []
        for i in range(1, 4):
            user, _ = User.objects.get_or_create(username=f"bench.scorer{i}", defaults={"role": Role.ADMIN_KEMENTERIAN})
            team.append(user)
        round_ = create_round(
            year=2027,
            purpose=ROUND_PURPOSE,
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
    from django.core.cache import cache
    from django.test import Client

    from jipp.accounts.models import Role, User
    from jipp.hubs import selectors
    from jipp.hubs.models import Hub, SelectionRound, Spoke
    from jipp.registry.models import Innovation

    started = time.monotonic()
    _seed(INNOVATIONS)
    _ensure_hub_data()
    seeded = time.monotonic() - started
    settings.ALLOWED_HOSTS = ["*"]
    hub = Hub.objects.get(region__code="35")
    admin = User.objects.filter(role=Role.HUB_ADMIN, administered_hubs=hub).first()
    ministry = User.objects.filter(username="bench.scorer1").first()
    round_ = SelectionRound.objects.get(purpose=ROUND_PURPOSE)
    client = Client()
    rows = [
        {
            "benchmark": "hubs",
            "figure": f"seed (bulk_create): {Innovation.objects.count():,} innovations, {Hub.objects.count()} hubs (s)",
            "value": f"{seeded:.0f}",
            "target": "",
            "ok": True,
        }
    ]

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
    n_spokes = hub.spokes.filter(left_on__isnull=True).count()

    def cold_work():
        cache.clear()  # the spokes' figures and actuals recomputed (grouped queries over all sources)
        get(f"/hubs/{hub.pk}/work/?year=2026")

    record(f"hub work page ({n_spokes} spokes), figures recomputed", _time(cold_work))
    record(f"hub work page ({n_spokes} spokes), figures cached", _time(lambda: get(f"/hubs/{hub.pk}/work/?year=2026")))
    spokes = list(hub.spokes.values_list("pk", flat=True))
    cycle = iter(range(10**6))
    record(
        "spoke progress page",
        _time(lambda: get(f"/hubs/{hub.pk}/spokes/{spokes[next(cycle) % len(spokes)]}/?year=2026")),
    )
    unit_spoke = Spoke.objects.filter(unit__isnull=False).select_related("hub").first() if _has_unit_spokes() else None
    client.force_login(ministry)
    if unit_spoke is not None:
        record(
            "unit spoke progress page (K/L field office)",
            _time(lambda: get(f"/hubs/{unit_spoke.hub_id}/spokes/{unit_spoke.pk}/?year=2026")),
        )
    n = round_.candidates.count()

    def cold_ranking():
        cache.clear()  # the figures recomputed: one grouped query per source for the 38 provinces
        selectors.round_ranking(round_=round_)

    record(f"selection ranking of {n} provinces, figures recomputed", _time(cold_ranking))
    record(f"selection ranking of {n} provinces, figures cached", _time(lambda: selectors.round_ranking(round_=round_)))

    def cold_round_page():
        cache.clear()
        get(f"/hubs/rounds/{round_.pk}/")

    record("selection round page, figures recomputed", _time(cold_round_page))
    record("selection round page, figures cached", _time(lambda: get(f"/hubs/rounds/{round_.pk}/")))
    print(json.dumps(rows))


def _has_unit_spokes() -> bool:
    from jipp.hubs.models import Spoke

    return any(f.name == "unit" for f in Spoke._meta.get_fields())


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        for row in run():
            print(row)
