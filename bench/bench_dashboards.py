"""Benchmark: the dashboards at national scale, through Django.

Run: ``.venv/bin/python bench/bench_dashboards.py`` (or ``make bench``) for SQLite, with its own file
(``BENCH_DASHBOARDS_SQLITE``, default /tmp/bench_dashboards.sqlite3), never db.sqlite3; with
``BENCH_DASHBOARDS_DATABASE_URL=postgres://...`` for PostgreSQL (a throwaway database). ``--seed-only``
seeds and stops. Seeding happens once per database, step by step, each step only when its data is
missing (so an interrupted seed resumes): ``seed_demo --scale national`` for regions, accounts and
the registry (100,000 innovations), then replication (about 5,000 replications), then
institutionalisation, then what the dashboards need besides: 10 KIPP editions (2017-2026) of about
3,000 forwarded proposals each (bulk-created, no answers), Top 99/45 awards per year, continuity
answers, and 54 hubs (the real 2020/2021 cohorts, 24 more province hubs and 18 K/L hubs). The bench
stops when the data set is short of that scale (an earlier run measured 0 replications unnoticed).
``BENCH_DASHBOARDS_SCALE=small`` seeds the small demo instead (a quick check, not the figures).
``--hubs`` measures only the hub dashboards (a province hub, a K/L hub with its unit spokes, its API).

Figures (targets on this 2-core machine: pages p95 < 150 ms, national report < 30 s, refresh after
one write < 1 s):
* the full summary refresh (nightly) and the incremental refresh after one write (one innovation's
  phase changed, its agency and areas recomputed);
* national dashboard (anonymous and Ministry), the map for each measure, a province page, an agency
  dashboard, a hub dashboard and the portal home page: median and p95 of 20 requests after a warm-up;
* the national PDF + XLSX report's generation time.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# PostgreSQL when BENCH_DASHBOARDS_DATABASE_URL is set (a throwaway database: it is seeded), else SQLite.
DATABASE_URL = os.environ.get("BENCH_DASHBOARDS_DATABASE_URL", "")
os.environ.pop("DATABASE_URL", None)
if DATABASE_URL:
    os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["SQLITE_PATH"] = os.environ.get("BENCH_DASHBOARDS_SQLITE", "/tmp/bench_dashboards.sqlite3")  # noqa: S108
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

SCALE = os.environ.get("BENCH_DASHBOARDS_SCALE", "national")
TARGET_MS = 150.0
RUNS = 20
YEARS = range(2017, 2027)
# What the national data set must hold (the scale); a seed that falls short stops the bench.
EXPECTED = {"innovations": 100_000, "editions": 10, "replications": 4_500, "hubs": 54}


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _seed_step(label: str, only: str) -> None:
    from django.core.management import call_command

    started = time.monotonic()
    _log(f"  seeding {label} ({SCALE})...")
    call_command("seed_demo", scale=SCALE, only=only, verbosity=0)
    _log(f"    {label} took {time.monotonic() - started:.0f} s")


def _setup() -> None:
    """Seed what is missing, step by step (each step is idempotent on what an earlier run left: an
    interrupted seed resumes at the missing step), then check the data set has the expected size."""
    import django

    django.setup()
    from django.core.management import call_command

    from jipp.institutionalisation.models import LegalBasis
    from jipp.regions.models import Region
    from jipp.registry.models import Innovation
    from jipp.replication.models import Replication

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    if not Innovation.objects.exists():
        _seed_step(
            "regions, accounts and registry (several minutes at national scale)", "core,regions,accounts,registry"
        )
    if not Replication.objects.exists():
        _seed_step("replications", "replication")
    if not LegalBasis.objects.exists():
        _seed_step("legal bases and protection", "institutionalisation")
    _fill()
    _kl_spokes()
    if SCALE == "national":
        _check()


def _counts() -> dict[str, int]:
    from jipp.competition.models import Edition
    from jipp.hubs.models import Hub
    from jipp.registry.models import Innovation
    from jipp.replication.models import Replication

    return {
        "innovations": Innovation.objects.count(),
        "editions": Edition.objects.filter(year__in=list(YEARS)).count(),
        "replications": Replication.objects.count(),
        "hubs": Hub.objects.count(),
    }


def _check() -> None:
    counts = _counts()
    short = {k: (counts[k], v) for k, v in EXPECTED.items() if counts[k] < v}
    if short:
        raise SystemExit(f"bench_dashboards: the seeded data set is short of the national scale: {short}")


def _fill() -> None:
    """KIPP editions, awards, continuity answers and hubs, once (bulk writes: no signals)."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from jipp.competition.models import Edition, Group, Proposal
    from jipp.competition.services import create_juklak_edition
    from jipp.hubs.history import load_history
    from jipp.hubs.models import Cohort, Hub
    from jipp.hubs.services.hubs import create_hub
    from jipp.regions.models import Agency
    from jipp.registry.models import Award, ContinuityUpdate, Innovation

    if Edition.objects.filter(year=2017).exists():
        return
    rng = random.Random(2026)
    per_edition = 3000 if SCALE == "national" else 40
    _log("  adding 10 KIPP editions, awards, continuity answers and 54 hubs...")
    pool = list(
        Innovation.objects.filter(status="published").values_list("pk", "unit_id", "agency_id", "province_id", "title")
    )
    with transaction.atomic():
        for year in YEARS:
            edition = Edition.objects.filter(year=year).first() or create_juklak_edition(year=year)
            group = edition.groups.get(kind=Group.Kind.UMUM)
            chosen = rng.sample(pool, min(per_edition, len(pool)))
            when = timezone.make_aware(dt.datetime(year, 6, 1))
            Proposal.objects.bulk_create(
                [
                    Proposal(
                        edition=edition,
                        group=group,
                        innovation_id=pk,
                        unit_id=unit,
                        agency_id=agency,
                        province_id=province,
                        title=title[:250],
                        status=Proposal.Status.FORWARDED,
                        submitted_at=when,
                        forwarded_at=when,
                    )  # fmt: skip
                    for pk, unit, agency, province, title in chosen
                ],
                batch_size=1000,
                ignore_conflicts=True,
            )
            winners = chosen[: max(1, per_edition // 30)]
            Award.objects.bulk_create(
                [
                    Award(
                        innovation_id=w[0],
                        year=year,
                        tier="top45" if i < len(winners) // 2 else "top99",
                        title=f"Top Inovasi {year}",
                    )  # fmt: skip
                    for i, w in enumerate(winners)
                ]
            )
        for year in (2024, 2025, 2026):
            answered = rng.sample(pool, len(pool) // 4)
            ContinuityUpdate.objects.bulk_create(
                [
                    ContinuityUpdate(
                        innovation_id=a[0],
                        year=year,
                        reported_on=dt.date(year, 11, 1),
                        status=rng.choice(["continuing", "continuing", "growing", "stopped", "dormant"]),
                    )  # fmt: skip
                    for a in answered
                ],
                batch_size=2000,
                ignore_conflicts=True,
            )
        load_history()
        cohort = Cohort.objects.get_or_create(year=2025, defaults={"name": "Hub 2025"})[0]
        taken = set(Hub.objects.values_list("agency_id", flat=True))
        provinces = Agency.objects.filter(type="province").exclude(pk__in=taken).order_by("region__code")
        for agency in provinces[: 36 - len(taken)]:
            create_hub(agency=agency, cohort=cohort, designated_on=dt.date(2025, 3, 1))
        for agency in Agency.objects.filter(type__in=["ministry", "agency"]).exclude(pk__in=taken).order_by("pk")[:18]:
            create_hub(agency=agency, cohort=cohort, designated_on=dt.date(2025, 3, 1), with_default_spokes=False)


def _kl_spokes() -> None:
    """The K/L hubs' spokes are their units and field offices: added to each K/L hub that has none (the
    first seeds made K/L hubs without spokes), so the hub dashboard of a K/L hub shows its units."""
    from jipp.hubs.models import Hub, Spoke
    from jipp.hubs.selectors import default_spoke_units

    bare = Hub.objects.filter(kind=Hub.Kind.KL, spokes__isnull=True).select_related("cohort")
    taken = set(Spoke.objects.filter(kind=Hub.Kind.KL, left_on__isnull=True).values_list("unit_id", flat=True))
    for hub in bare:
        joined = hub.designated_on or dt.date(hub.cohort.year, 1, 1)
        Spoke.objects.bulk_create(
            Spoke(hub=hub, agency_id=unit.agency_id, unit=unit, kind=hub.kind, joined_on=joined)
            for unit in default_spoke_units(hub)
            if unit.pk not in taken
        )


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _time(fn, runs: int = RUNS) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _page_rows(name: str, samples: list[float]) -> list[dict]:
    median, p95 = _stats(samples)
    return [
        {"benchmark": name, "figure": "median / p95 (ms)", "value": f"{median:.0f} / {p95:.0f}",
         "target": f"p95 < {TARGET_MS:.0f}", "ok": p95 < TARGET_MS},
    ]  # fmt: skip


def _bench_settings() -> None:
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic for a benchmark: plain static storage (as the test settings do).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _hub_client(ministry):
    """Jawa Timur's province hub, the K/L hub with the most unit spokes, and a client of their admin."""
    from django.db.models import Count, Q
    from django.test import Client

    from jipp.accounts.models import Role, User
    from jipp.hubs.models import Hub

    hub = Hub.objects.filter(kind="province", region__code="35").first() or Hub.objects.first()
    kl_hub = (
        Hub.objects.filter(kind="kl")
        .annotate(units=Count("spokes", filter=Q(spokes__unit__isnull=False, spokes__left_on__isnull=True)))
        .order_by("-units", "pk")
        .first()
    )
    hub_admin = User.objects.filter(role=Role.HUB_ADMIN).first()
    if not hub_admin:
        return hub, kl_hub, ministry
    client = Client(HTTP_HOST="127.0.0.1")
    hub.admins.add(hub_admin)
    if kl_hub:
        kl_hub.admins.add(hub_admin)
    client.force_login(hub_admin)
    return hub, kl_hub, client


def _hub_page_rows(hub, kl_hub, client) -> list[dict]:
    def get(url):
        def call():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        return call

    rows = _page_rows(f"hub dashboard ({hub})", _time(get(f"/dashboards/hubs/{hub.pk}/")))
    if kl_hub:
        units = kl_hub.spokes.filter(unit__isnull=False, left_on__isnull=True).count()
        name = f"K/L hub dashboard ({kl_hub}, {units} unit spokes)"
        rows += _page_rows(name, _time(get(f"/dashboards/hubs/{kl_hub.pk}/")))
        rows += _page_rows(f"API K/L hub ({units} unit spokes)", _time(get(f"/api/v1/dashboards/hubs/{kl_hub.pk}/")))
    return rows


def run_hubs() -> list[dict]:
    """Only the hub dashboards (`--hubs`): a province hub and a K/L hub, on the data as it is."""
    _setup()
    from django.test import Client

    from jipp.accounts.models import Role, User

    _bench_settings()
    ministry = Client(HTTP_HOST="127.0.0.1")
    ministry.force_login(User.objects.filter(role=Role.ADMIN_KEMENTERIAN).first())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    engine = "PostgreSQL" if DATABASE_URL else "SQLite"
    rows = [{"benchmark": "hubs engine / load average at start", "figure": "engine; 1, 5, 15 min",
             "value": f"{engine}; {load}", "target": "-", "ok": True}]  # fmt: skip
    rows += _hub_page_rows(*_hub_client(ministry))
    rows.append({"benchmark": "hubs load average at end", "figure": "1, 5, 15 min",
                 "value": ", ".join(f"{x:.1f}" for x in os.getloadavg()), "target": "-", "ok": True})  # fmt: skip
    return rows


def run() -> list[dict]:  # noqa: PLR0915 (one linear measurement script)
    _setup()
    from django.core.cache import cache
    from django.test import Client

    from jipp.accounts.models import Role, User
    from jipp.competition.models import Proposal
    from jipp.dashboards.measures import MEASURES
    from jipp.dashboards.models import Report
    from jipp.dashboards.services.refresh import refresh_agencies, refresh_all
    from jipp.dashboards.services.reports import build_report
    from jipp.dashboards.tasks import refresh_after_change
    from jipp.hubs.models import Hub
    from jipp.institutionalisation.services import refresh_protection
    from jipp.registry.models import Innovation
    from jipp.replication.models import Replication

    _bench_settings()
    engine = "PostgreSQL" if DATABASE_URL else "SQLite"
    rows = [
        {
            "benchmark": "dashboards engine / load average at start",
            "figure": "engine; 1, 5, 15 min",
            "value": f"{engine}; " + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
            "target": "-",
            "ok": True,
        },
        {
            "benchmark": "dashboards data",
            "figure": "innovations / proposals / replications / hubs",
            "value": f"{Innovation.objects.count():,} / {Proposal.objects.count():,} / "
            f"{Replication.objects.count():,} / {Hub.objects.count()}",
            "target": "-",
            "ok": True,
        },
    ]
    from jipp.institutionalisation.models import ProtectionStatus

    if not ProtectionStatus.objects.exists():
        refresh_protection()
    started = time.perf_counter()
    refresh_all()
    full = time.perf_counter() - started
    rows.append({"benchmark": "summary refresh, full", "figure": "seconds", "value": f"{full:.1f}", "target": "-",
                 "ok": True})  # fmt: skip

    innovation = Innovation.objects.filter(status="published").order_by("pk").first()
    samples = []
    for phase in ("institutionalisation", "development", "creation", innovation.phase):
        Innovation.objects.filter(pk=innovation.pk).update(phase=phase)
        started = time.perf_counter()
        refresh_agencies(agency_ids=[innovation.agency_id])
        samples.append(time.perf_counter() - started)
    worst = max(samples)
    rows.append({"benchmark": "summary refresh after one write", "figure": "seconds (worst of 4)",
                 "value": f"{worst:.2f}", "target": "< 1", "ok": worst < 1})  # fmt: skip
    replication = Replication.objects.exclude(source_province=None).order_by("pk").first()
    samples = []
    for successful in (not replication.is_successful, replication.is_successful) * 2:
        Replication.objects.filter(pk=replication.pk).update(is_successful=successful)
        started = time.perf_counter()
        refresh_agencies(agency_ids=[replication.source_agency_id, replication.adopter_agency_id])
        samples.append(time.perf_counter() - started)
    worst = max(samples)
    rows.append({"benchmark": "summary refresh after one replication write (two agencies, their arcs)",
                 "figure": "seconds (worst of 4)", "value": f"{worst:.2f}", "target": "< 1",
                 "ok": worst < 1})  # fmt: skip
    phases = iter(("institutionalisation", "development", "creation", innovation.phase) * (3 * RUNS + 2))

    def background_after_write():
        # The write, then what the worker does after its commit: the refresh and the pages rendered ahead.
        Innovation.objects.filter(pk=innovation.pk).update(phase=next(phases))
        refresh_after_change.call(agency_ids=[innovation.agency_id], innovation_ids=[])

    samples = _time(background_after_write, runs=4)
    rows.append({"benchmark": "background task after one write (refresh + portal and public dashboard rendered "
                 "ahead, 2 languages)", "figure": "seconds (worst of 4)", "value": f"{max(samples) / 1000:.2f}",
                 "target": "-", "ok": True})  # fmt: skip

    anonymous = Client(HTTP_HOST="127.0.0.1")
    ministry = Client(HTTP_HOST="127.0.0.1")
    ministry.force_login(User.objects.filter(role=Role.ADMIN_KEMENTERIAN).first())
    hub, kl_hub, hub_client = _hub_client(ministry)
    from jipp.regions.models import Agency

    agency = Agency.objects.filter(type="regency", innovations__isnull=False).first()

    def get(client, url):
        def call():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        return call

    def after_change(client, url):
        # The first request after a write: the background task (refresh, rendering ahead) is not timed.
        samples = []
        for _ in range(RUNS):
            background_after_write()
            started = time.perf_counter()
            get(client, url)()
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    def cold(client, url):
        # With nothing rendered ahead (cache emptied): what the warm-up saves the first visitor.
        def call():
            cache.clear()
            get(client, url)()

        return call

    rows += _page_rows("portal home, first request after a change", after_change(anonymous, "/"))
    rows += _page_rows("portal home, warm", _time(get(anonymous, "/")))
    rows += _page_rows("portal home, nothing rendered ahead (cache emptied)", _time(cold(anonymous, "/")))
    rows += _page_rows("national dashboard (anonymous), first after a change", after_change(anonymous, "/dashboards/"))
    rows += _page_rows("national dashboard (anonymous)", _time(get(anonymous, "/dashboards/")))
    rows += _page_rows("national dashboard (Ministry)", _time(get(ministry, "/dashboards/")))
    rows += _page_rows("national dashboard (Ministry), first after a change", after_change(ministry, "/dashboards/"))
    rows += _page_rows("national dashboard (Ministry), nothing rendered ahead", _time(cold(ministry, "/dashboards/")))
    map_samples, worst = [], ("", 0.0)
    for key in MEASURES:
        samples = _time(get(ministry, f"/dashboards/?measure={key}"), runs=5)
        map_samples += samples
        worst = max(worst, (key, max(samples)), key=lambda w: w[1])
    rows += _page_rows(f"map for each of {len(MEASURES)} measures (Ministry; slowest: {worst[0]})", map_samples)
    rows += _page_rows("map with replication arcs", _time(get(ministry, "/dashboards/?measure=replicated&arcs=1")))
    rows += _page_rows("province page (Jawa Timur)", _time(get(ministry, "/dashboards/provinces/35/")))
    rows += _page_rows("agency dashboard", _time(get(ministry, f"/dashboards/agencies/{agency.slug}/")))
    rows += _hub_page_rows(hub, kl_hub, hub_client)
    rows += _page_rows("API national", _time(get(anonymous, "/api/v1/dashboards/national/")))

    Report.objects.filter(status__in=["queued", "running"]).delete()
    # Created directly (request_report would run the task at once with the immediate backend).
    report = Report.objects.create(scope="national", year=2025, language="id")
    started = time.perf_counter()
    build_report(report_id=report.pk)
    seconds = time.perf_counter() - started
    rows.append({"benchmark": "national report (PDF + XLSX)", "figure": "seconds", "value": f"{seconds:.1f}",
                 "target": "< 30", "ok": seconds < 30})  # fmt: skip
    rows.append({"benchmark": "dashboards load average at end", "figure": "1, 5, 15 min",
                 "value": ", ".join(f"{x:.1f}" for x in os.getloadavg()), "target": "-", "ok": True})  # fmt: skip
    return rows


if __name__ == "__main__":
    if "--seed-only" in sys.argv:
        started = time.monotonic()
        _setup()
        _log(f"seeded in {time.monotonic() - started:.0f} s: {_counts()}")
        sys.exit(0)
    for row in run_hubs() if "--hubs" in sys.argv else run():
        ok = "yes" if row["ok"] else "NO"
        print(f"| {row['benchmark']} | {row['figure']} | {row['value']} | {row['target']} | {ok} |")
