"""Registry at national scale: catalogue search latency through Django vs the raw full-text query,
and a 30,000-row CSV import.

The database is a separate SQLite file seeded with `seed_demo --scale national` (100,000
innovations): /tmp/jipp-national.sqlite3 by default (env BENCH_REGISTRY_SQLITE). Seeding takes
about 8 minutes, so the file is kept and reused by later runs (delete it to reseed; pending
migrations are applied on reuse). The 30,000-row import file is generated once at
/tmp/jipp-bench-import-30k.csv and reused. The import runs inside a transaction that is rolled
back, so the seeded database stays the same between runs.

Measured (each of 24 queries, 5 runs after a warm-up, DJANGO_DEBUG=0: the production settings):
- API list  GET /api/v1/innovations/?q=...        (page of 20 + count; no facets)
- API facets GET /api/v1/innovations/facets/?q=...  (every facet counted)
- HTML page GET registry:catalogue ?q=...           (page + facets; "pending" if not wired yet)
- raw FTS: the full-text query alone through the cursor: every matching id ordered by bm25
  (ts_rank on PostgreSQL), which is the search every catalogue request needs.
The catalogue keeps a small cache of recent searches (paging repeats them); it is cleared before
every timed request, so every figure includes its search. Ratios are medians of request / raw for
the same query. Targets: p95 < 150 ms, ratio < 3.

Then `refresh_similar` over the whole registry (TF-IDF top 5 for 100,000 innovations).

Set BENCH_POSTGRES=1 (or BENCH_REGISTRY_ONLY=postgres for that alone) to repeat the latency
figures on a throwaway PostgreSQL cluster (initdb as user postgres in a temp dir on a random
port, like .ci/run); seeding it takes several minutes. BENCH_REGISTRY_PG_URL=postgres://...
reuses a database seeded earlier instead.

Runs Django in a child process, so it never shares settings with other benchmarks.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
# Fixed paths on purpose: reused across runs (seeding takes minutes); nothing secret in them.
SQLITE = os.environ.get("BENCH_REGISTRY_SQLITE", "/tmp/jipp-national.sqlite3")  # noqa: S108
IMPORT_CSV = "/tmp/jipp-bench-import-30k.csv"  # noqa: S108
IMPORT_ROWS = 30_000
RUNS = int(os.environ.get("BENCH_REGISTRY_RUNS", "5"))
QUERIES: list[dict] = [
    {"q": "pelayanan kesehatan"},
    {"q": "layanan sehat"},
    {"q": "imunisasi"},
    {"q": "stunting balita"},
    {"q": "posyandu", "province": "35"},
    {"q": "pendidikan"},
    {"q": "sekolah", "phase": "development"},
    {"q": "perizinan"},
    {"q": "kependudukan"},
    {"q": "akta kelahiran"},
    {"q": "desa"},
    {"q": "bantuan sosial"},
    {"q": "sampah"},
    {"q": "lingkungan hidup", "province": "73"},
    {"q": "ekonomi"},
    {"q": "usaha mikro"},
    {"q": "pertanian"},
    {"q": "petani", "phase": "creation"},
    {"q": "tata kelola"},
    {"q": "pengaduan"},
    {"q": "aplikasi daring"},
    {"q": "antrean panjang"},
    {"q": '"kesehatan" OR (*'},
    {"q": "puskes"},
]


def _manage(*args: str, env: dict) -> None:
    # Progress to stderr: stdout carries only the table.
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT, stdout=sys.stderr)


def _env(**extra) -> dict:
    # The production settings (DJANGO_DEBUG=0), with a throwaway key and any host. The public cache
    # (core.public_cache) is off: this bench measures the search, which it would answer from memory
    # on the second request of an address (bench_load measures the site with it).
    production = {"DJANGO_DEBUG": "0", "SECRET_KEY": "bench-only-" + "x" * 60, "ALLOWED_HOSTS": "*",
                  "SECURE_SSL_REDIRECT": "0", "PUBLIC_CACHE_SECONDS": "0"}  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **production, **extra}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def ensure_seeded(env: dict, *, marker: str | None = None) -> None:
    """Migrate; seed the national demo data when the database has no innovations yet."""
    _manage("migrate", "--verbosity", "0", env=env)
    _manage("createcachetable", env=env)
    if os.environ.get("BENCH_COLLECTSTATIC") != "0":  # 0: the manifest is already built (minutes on a busy machine)
        _manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    check = subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); from jipp.registry.models import Innovation; "
         "print(Innovation.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    if int(check.stdout.strip().splitlines()[-1]) >= 100_000:
        return
    print("  seeding the national registry (several minutes, once)...", file=sys.stderr, flush=True)
    _manage("load_regions", env=env)
    _manage("seed_demo", "--scale", "national", "--only", "regions,accounts,registry", env=env)


def ensure_import_file() -> None:
    if Path(IMPORT_CSV).exists():
        return
    env = _env(SQLITE_PATH=SQLITE)
    subprocess.run([PYTHON, __file__, "--make-import-file"], check=True, env=env, cwd=ROOT)


def run() -> list[dict]:
    rows: list[dict] = []
    if os.environ.get("BENCH_REGISTRY_ONLY") != "postgres":
        ensure_seeded(_env(SQLITE_PATH=SQLITE))
        # BENCH_REGISTRY_LATENCY_ONLY=1: the search latencies alone (no import, no similarity run).
        with_import = os.environ.get("BENCH_REGISTRY_LATENCY_ONLY") != "1"
        if with_import:
            ensure_import_file()
        rows += _child(_env(SQLITE_PATH=SQLITE), label="SQLite", with_import=with_import)
    if os.environ.get("BENCH_POSTGRES") == "1" or os.environ.get("BENCH_REGISTRY_ONLY") == "postgres":
        rows += _postgres()
    return rows


def _child(env: dict, *, label: str, with_import: bool) -> list[dict]:
    args = [PYTHON, __file__, "--child", label] + (["--import"] if with_import else [])
    done = subprocess.run(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # progress on stderr
    if done.returncode != 0:
        return [{"benchmark": f"registry ({label})", "figure": "run", "value": "failed", "target": "", "ok": False}]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres() -> list[dict]:
    import shutil
    import socket

    reuse = os.environ.get("BENCH_REGISTRY_PG_URL")
    if reuse:  # an already seeded database (seeding 100,000 innovations takes many minutes)
        env = _env(DATABASE_URL=reuse)
        ensure_seeded(env)
        return _child(env, label="PostgreSQL", with_import=False)

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        return [{"benchmark": "registry (PostgreSQL)", "figure": "run", "value": "no PostgreSQL", "target": "",
                 "ok": True}]  # fmt: skip
    pg = bins[-1]
    tmp = tempfile.mkdtemp(prefix="jipp-bench-pg-")
    shutil.chown(tmp, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def as_pg(*cmd):
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True)

    try:
        as_pg(str(pg / "initdb"), "-D", f"{tmp}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8")
        as_pg(str(pg / "pg_ctl"), "-D", f"{tmp}/data", "-l", f"{tmp}/log", "-w", "-o",
              f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off", "start")  # fmt: skip
        as_pg(str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "jipp")
        env = _env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/jipp")
        ensure_seeded(env)
        return _child(env, label="PostgreSQL", with_import=False)
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(pg / "pg_ctl"), "-D", f"{tmp}/data", "-m",
                        "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)


# Child process ---------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _raw(connection, query: dict) -> None:
    """The raw full-text query: every matching id, best first, straight from the index.

    This is the one search a catalogue request cannot avoid (the count, the facets and the
    page's order all need every match); filters are not applied here, so whatever Django adds
    (filters, counting, facets, the page's rows, serialising, templates) is in the ratio. It is
    `jipp.registry.search.matching_ids`: one SQL statement (on PostgreSQL the bounded ranking).
    """
    from jipp.registry.search import matching_ids

    matching_ids(query["q"], ranked=True)


def _forget_cached_searches() -> None:
    """Each timed request must search: clear the catalogue's small cache of recent searches."""
    from jipp.registry import selectors

    cached = getattr(selectors, "_cached_matches", None)
    if cached is not None:
        cached.cache_clear()


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def child(label: str, with_import: bool) -> list[dict]:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    settings.DEBUG = False  # no query log, as in production (the child also runs with DJANGO_DEBUG=0)
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    try:
        page_url = reverse("registry:catalogue")
    except NoReverseMatch:
        page_url = None
    targets = {
        "API list": "/api/v1/innovations/",
        "API facets": "/api/v1/innovations/facets/",
        "HTML catalogue page": page_url,
    }
    from jipp.registry.models import Innovation

    size = Innovation.objects.count()
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in [*targets, "raw FTS"]}
    ratios: dict[str, list[float]] = {name: [] for name in targets}
    for query in QUERIES:
        per_query: dict[str, list[float]] = {name: [] for name in times}
        for run_number in range(RUNS + 1):
            raw = _time(lambda q=query: _raw(connection, q))
            if run_number:
                per_query["raw FTS"].append(raw)
            for name, url in targets.items():
                if url is None:
                    continue
                response_holder = {}
                _forget_cached_searches()
                elapsed = _time(lambda u=url, q=query, h=response_holder: h.setdefault("r", client.get(u, q)))
                status = response_holder["r"].status_code
                if status != 200:
                    raise SystemExit(f"{name} {query}: HTTP {status}")
                if run_number:
                    per_query[name].append(elapsed)
        raw_median = statistics.median(per_query["raw FTS"])
        print(
            f"  {query}: " + ", ".join(f"{n} {statistics.median(v):.0f} ms" for n, v in per_query.items() if v),
            file=sys.stderr,
            flush=True,
        )
        for name, values in per_query.items():
            times[name].extend(values)
            if name in ratios and values:
                ratios[name].append(statistics.median(values) / max(raw_median, 0.01))
    load_after = os.getloadavg()
    bench = f"registry search ({label}, {size:,} innovations, {len(QUERIES)} queries x {RUNS})"
    rows = [{"benchmark": bench, "figure": "machine load average (1 min) before / after the run",
             "value": f"{load_before[0]:.1f} / {load_after[0]:.1f}", "target": "", "ok": True}]  # fmt: skip
    for name, values in times.items():
        if not values:
            rows.append({"benchmark": bench, "figure": f"{name} p95", "value": "pending (URL not wired)",
                         "target": "< 150 ms", "ok": True})  # fmt: skip
            continue
        p95 = _percentile(values, 0.95)
        rows.append({"benchmark": bench, "figure": f"{name} median", "value": f"{statistics.median(values):.1f} ms",
                     "target": "", "ok": True})  # fmt: skip
        is_raw = name == "raw FTS"
        rows.append({"benchmark": bench, "figure": f"{name} p95", "value": f"{p95:.1f} ms",
                     "target": "" if is_raw else "< 150 ms", "ok": is_raw or p95 < 150})  # fmt: skip
        if name in ratios:
            ratio = statistics.median(ratios[name])
            worst = max(ratios[name])
            rows.append({"benchmark": bench, "figure": f"{name} / raw FTS (median of per-query ratios; worst)",
                         "value": f"{ratio:.2f} ({worst:.1f})", "target": "< 3", "ok": ratio < 3})  # fmt: skip
    if with_import:
        rows.append(_import_row())
        rows.append(_similarity_row())
    return rows


def _similarity_row() -> dict:
    """`refresh_similar` over the whole registry (rewrites similar_ids; the result is deterministic)."""
    from jipp.registry.models import Innovation
    from jipp.registry.similarity import refresh_all

    started = time.perf_counter()
    count = refresh_all()
    elapsed = time.perf_counter() - started
    ok = count == Innovation.objects.count() and elapsed < 300
    return {"benchmark": "registry similar innovations", "figure": f"TF-IDF top 5 for {count:,} innovations",
            "value": f"{elapsed:.0f} s", "target": "< 300 s", "ok": ok}  # fmt: skip


def _import_row() -> dict:
    from django.db import transaction

    from jipp.accounts.models import User
    from jipp.regions.models import ServiceUnit
    from jipp.registry.importing import import_innovations

    user = User.objects.filter(role="admin_kementerian").order_by("pk").first()
    unit = ServiceUnit.objects.select_related("agency__region__parent").order_by("pk").first()
    started = time.perf_counter()
    with open(IMPORT_CSV, "rb") as handle, transaction.atomic():
        report = import_innovations(user=user, uploaded=handle, filename="bench.csv", default_unit=unit)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)  # keep the seeded database unchanged
    ok = report.ok and report.created == IMPORT_ROWS and elapsed < 60
    return {"benchmark": "registry import", "figure": f"{IMPORT_ROWS:,} CSV rows (all-or-nothing, one transaction)",
            "value": f"{elapsed:.1f} s" if report.ok else f"failed: {report.file_error or report.errors[:2]}",
            "target": "< 60 s", "ok": ok}  # fmt: skip


def make_import_file() -> None:
    """30,000 realistic rows (seeded text generator), spread over the units of one agency."""
    import csv

    import django

    django.setup()
    from jipp.core import textgen
    from jipp.registry.importing import COLUMN_NAMES

    rng = random.Random(2026)
    stages = ["in_operation", "trial", "initiative"]
    with open(IMPORT_CSV, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMN_NAMES)
        for n in range(IMPORT_ROWS):
            story = textgen.make_innovation(rng, "Kabupaten Contoh", agency="Dinas Contoh")
            row = {
                "title": story.title[:250],
                "summary": textgen.paragraph(rng, ("solution", "result"), story, 60),
                "problem": textgen.paragraph(rng, ("problem",), story, 70),
                "solution": textgen.paragraph(rng, ("solution",), story, 80),
                "results": textgen.paragraph(rng, ("result",), story, 60),
                "start_date": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "stage": rng.choice(stages),
                "phase": rng.choice(["creation", "development", "institutionalisation"]),
                "is_digital": rng.choice(["ya", "tidak"]),
                "categories": rng.choice(["health", "education;governance", "environment"]),
                "sdgs": rng.choice(["3", "4;16", "13;15"]),
                "contact_email": f"inovasi{n}@contoh.go.id",
            }
            writer.writerow([row.get(c, "") for c in COLUMN_NAMES])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--make-import-file" in sys.argv:
        make_import_file()
    elif "--child" in sys.argv:
        label = sys.argv[sys.argv.index("--child") + 1]
        print(json.dumps(child(label, "--import" in sys.argv)))
    else:
        for row in run():
            print(row)
