"""The deadline's crowd (bench/load/driver.py) at 50, 100 and 200 users, on PostgreSQL and on SQLite.

For each engine: a database seeded with `seed_demo --scale small` (PostgreSQL: a throwaway cluster
started here under /tmp; SQLite: /tmp/jipp-load.sqlite3, reused), load-test accounts
(bench/load/setup_accounts.py), then gunicorn with 4 workers x 4 threads (BENCH_LOAD_THREADS) and the production
settings (DJANGO_DEBUG=0, shared database cache; rate limits off, since every virtual user comes
from 127.0.0.1), an unreported warm-up (20 users for BENCH_LOAD_WARMUP seconds, default 10, 0 for
none), and the driver for at most LOAD_SECONDS (default 30, never above 60) per level.
Only 127.0.0.1 is contacted. Set BENCH_LOAD_ONLY=postgres or sqlite for one engine,
BENCH_LOAD_LEVELS=50,100 for other levels, BENCH_LOAD_PG_URL to reuse a seeded PostgreSQL database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.production.servers import PYTHON, gunicorn, manage, postgres_database, production_env  # noqa: E402

SQLITE = os.environ.get("BENCH_LOAD_SQLITE", "/tmp/jipp-load.sqlite3")  # noqa: S108 (reused between runs)
LEVELS = [int(n) for n in os.environ.get("BENCH_LOAD_LEVELS", "50,100,200").split(",")]
SECONDS = min(60, int(os.environ.get("LOAD_SECONDS", "30")))
TARGET_P95 = 500
THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))  # threads per gunicorn worker (4 workers)
# Servers at a deadline have been serving for hours: a short unreported run at 20 users first, so that
# each worker's caches (templates, the facet index, reference regions) are filled before any level.
WARMUP = min(30, int(os.environ.get("BENCH_LOAD_WARMUP", "10")))


def _prepare(env: dict, *, fresh: bool) -> dict:
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "createcachetable")
    if fresh:
        manage(env, "load_regions")
        manage(env, "seed_demo", "--scale", "small")
    script = (ROOT / "bench" / "load" / "setup_accounts.py").read_text()
    return json.loads(manage(env, "shell", "--verbosity", "0", "-c", script).strip().splitlines()[-1])


def _levels(env: dict, label: str) -> list[dict]:
    rows = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        accounts_file = fh.name
    try:
        accounts = _prepare(env, fresh=not _has_data(env))
        Path(accounts_file).write_text(json.dumps(accounts))
        server_env = {**env, "GUNICORN_TIMEOUT": "120"}
        with gunicorn(server_env, workers=4, threads=THREADS) as base:

            def drive(users: int, seconds: int):
                return subprocess.run(
                    [PYTHON, str(ROOT / "bench" / "load" / "driver.py"), "--base", base, "--users", str(users),
                     "--seconds", str(seconds), "--accounts", accounts_file],
                    capture_output=True, text=True, cwd=ROOT, timeout=seconds + 180,
                )  # fmt: skip

            if WARMUP:
                drive(20, WARMUP)  # not reported: each worker's first requests fill its caches
            for users in LEVELS:
                done = drive(users, SECONDS)
                if done.returncode != 0:
                    rows.append({"engine": label, "users": users, "failed": done.stderr[-500:]})
                    continue
                result = json.loads(done.stdout.strip().splitlines()[-1])
                result["engine"] = label
                print(f"  {label} {users} users: {json.dumps(result)}", file=sys.stderr, flush=True)
                rows.append(result)
    finally:
        os.unlink(accounts_file)
    return rows


def _has_data(env: dict) -> bool:
    manage(env, "migrate", "--verbosity", "0")
    out = manage(env, "shell", "--verbosity", "0", "-c",
                 "from jipp.competition.models import Proposal; print(Proposal.objects.count())")  # fmt: skip
    return int(out.strip().splitlines()[-1] or 0) > 0


def run() -> list[dict]:
    only = os.environ.get("BENCH_LOAD_ONLY", "")
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as media:
        if only in ("", "postgres"):
            reuse = os.environ.get("BENCH_LOAD_PG_URL")  # a database seeded earlier (seed_demo --scale small)
            if reuse:
                results += _levels(production_env(reuse, media, RATE_LIMITS_ENABLED="0"), "PostgreSQL")
            else:
                with postgres_database() as url:
                    results += _levels(production_env(url, media, RATE_LIMITS_ENABLED="0"), "PostgreSQL")
        if only in ("", "sqlite"):
            env = production_env("", media, RATE_LIMITS_ENABLED="0", SQLITE_PATH=SQLITE)
            env.pop("DATABASE_URL")
            results += _levels(env, "SQLite")
    rows = []
    for r in results:
        bench = f"load ({r['engine']}, 4 workers x {THREADS} threads, {SECONDS} s per level, DJANGO_DEBUG=0)"
        if "failed" in r:
            rows.append({"benchmark": bench, "figure": f"{r['users']} users", "value": "failed", "target": "",
                         "ok": False})  # fmt: skip
            continue
        ok = r["errors"] == 0 and not r["missing_writes"] and (r["engine"] != "PostgreSQL" or r["p95"] < TARGET_P95)
        value = (f"{r['rps']} req/s, p50/p95/p99 {r['p50']:.0f}/{r['p95']:.0f}/{r['p99']:.0f} ms, errors "
                 f"{r['errors']}/{r['requests']}, acknowledged writes {r['acked_writes']} "
                 f"(missing {len(r['missing_writes'])}); {r.get('logins', 0)} logins before the level "
                 f"(p50/p95 {r.get('login_p50', 0):.0f}/{r.get('login_p95', 0):.0f} ms, "
                 f"failed {r.get('login_failures', 0)})")  # fmt: skip
        target = "0 errors, p95 < 500 ms" if r["engine"] == "PostgreSQL" else "0 errors"
        rows.append({"benchmark": bench, "figure": f"{r['users']} users", "value": value, "target": target, "ok": ok})
    return rows


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
