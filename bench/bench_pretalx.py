"""KIPP evaluation side by side with Pretalx at 4x national scale (runs only with BENCH_PRETALX=1).

Expensive and needs PyPI: without BENCH_PRETALX=1 it prints one row saying it was skipped.

Ours: the data of bench_competition_scale.py (its own seed function, in /tmp/bench_pretalx_ours.sqlite3
so as not to clash with a run of that bench: 10,000 proposals, 300 evaluators, 3 reviews each, one left
open), the ranking stored, DJANGO_DEBUG=0. Theirs: Pretalx from its own pip package in a throwaway
virtualenv (/tmp/bench_pretalx_venv, BENCH_PRETALX_PYTHON / BENCH_PRETALX_VERSION), SQLite under
/tmp/bench_pretalx_data, debug off, seeded through its own models in bulk (bench/pretalx/seed.py):
one event in its review phase, the same number of submissions, reviewers, assignments and reviews,
as many score categories on the same scale as our rubric. Pretalx 2026.1 and later need Redis for
their cache and sessions: a throwaway redis-server on 127.0.0.1:8613 (nothing saved) is started for
them (Debian's redis-server package); 2025.x run without (their default then: no Redis).

Both served by gunicorn, 2 sync workers each, on 127.0.0.1 (ports 8611 ours, 8612 theirs), each
page fetched over a fresh HTTP connection with a signed-in session cookie. Interleaved: every round
requests our review page, theirs, our ranking page, their review dashboard (50 rows a page on both,
pages spread over all 200). Median and p95 and their ratios come from that one run. Both servers
are stopped at the end, even on failure. BENCH_PRETALX_ROUNDS (default 30) and
BENCH_PRETALX_BUDGET_S (default 900: no new round starts after it, at least 5 rounds) bound it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# Our data: bench_competition_scale's seed, in a file of its own (a parallel run of that bench keeps its own).
os.environ.setdefault("BENCH_SCALE_SQLITE", "/tmp/bench_pretalx_ours.sqlite3")  # noqa: S108

import bench_competition_scale as scale  # noqa: E402  (the seed and settings of our side)

VENV = Path(os.environ.get("BENCH_PRETALX_VENV", "/tmp/bench_pretalx_venv"))  # noqa: S108
DATA = Path(os.environ.get("BENCH_PRETALX_DATA", "/tmp/bench_pretalx_data"))  # noqa: S108
PRETALX_PYTHON = os.environ.get("BENCH_PRETALX_PYTHON", "python3.11")
# The newest release that installs on Python 3.11 (2026.1.0 and later require Python 3.12 / 3.13).
PRETALX_VERSION = os.environ.get("BENCH_PRETALX_VERSION", "2025.2.2")
OURS_PORT, THEIRS_PORT, REDIS_PORT = 8611, 8612, 8613
ROUNDS = int(os.environ.get("BENCH_PRETALX_ROUNDS", "30"))
BUDGET_S = float(os.environ.get("BENCH_PRETALX_BUDGET_S", "900"))
WARMUP = 3
PAGE_SIZE = 50
DEFAULT_N = int(os.environ.get("BENCH_PRETALX_DEFAULT_N", "3"))  # their dashboard at its default page size
THEIR_DEFAULT_PAGE_SIZE = 250  # ReviewDashboard.paginate_by in Pretalx 2025.2.2


def percentile(values: list[float], q: float) -> float:
    return scale._percentile(values, q)


def page_of(i: int, pages: int) -> int:
    """The i-th request's page: spread over all pages (the same sequence on both sides)."""
    return 1 + (i * 37) % max(1, pages)


def summary(ours: list[float], theirs: list[float]) -> dict:
    """Median and p95 of each side (ms) and how many times faster ours is on each."""
    o_med, t_med = statistics.median(ours), statistics.median(theirs)
    o_p95, t_p95 = percentile(ours, 0.95), percentile(theirs, 0.95)
    return {
        "ours": (o_med, o_p95),
        "theirs": (t_med, t_p95),
        "ratio": (t_med / o_med, t_p95 / o_p95),
        "n": len(ours),
    }


def rows_on_page(body: bytes, side: int) -> int:
    """Rows of a ranking page: ours, the table's body rows; theirs, the distinct proposals linked."""
    if side == 0:
        return body.count(b"<tr>") - 1  # minus the header row
    return len(set(re.findall(rb"submissions/P\d+/", body)))


def _row(figure: str, value: str, target: str = "", ok: bool = True) -> dict:
    return {"benchmark": "pretalx-side-by-side", "figure": figure, "value": value, "target": target, "ok": bool(ok)}


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


# --- Pretalx --------------------------------------------------------------------------------------


def _pretalx_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PRETALX_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PRETALX_DATA_DIR=str(DATA),
        PRETALX_DB_TYPE="sqlite3",
        PRETALX_DB_NAME=str(DATA / "db.sqlite3"),
        PRETALX_DEBUG="False",
        PRETALX_FILESYSTEM_STATIC=str(DATA / "static"),
        PRETALX_SITE_URL=f"http://127.0.0.1:{THEIRS_PORT}",
        PRETALX_NO_INITIAL_LOG="1",
    )
    if _needs_redis():
        env["PRETALX_REDIS"] = f"redis://127.0.0.1:{REDIS_PORT}/1"
    return env


def _needs_redis() -> bool:
    """Pretalx 2026.1 and later keep their cache and sessions in Redis (no longer optional)."""
    return int(PRETALX_VERSION.split(".")[0]) >= 2026


def _start_redis() -> subprocess.Popen:
    """A throwaway Redis for Pretalx on 127.0.0.1 (nothing saved to disk), stopped at the end."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError(f"Pretalx {PRETALX_VERSION} needs Redis: install redis-server (Debian: redis-server)")
    proc = _start([server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                  os.environ.copy(), DATA, DATA / "redis.log")  # fmt: skip
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", REDIS_PORT)) == 0:
                return proc
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    _stop(proc)
    raise RuntimeError(f"redis-server did not start on {REDIS_PORT} (see {DATA / 'redis.log'})")


def _installed_version() -> str | None:
    python = VENV / "bin" / "python"
    if not python.exists():
        return None
    out = subprocess.run(
        [str(python), "-c", "import pretalx; print(pretalx.__version__)"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    return out.stdout.strip() or None


def _install_pretalx() -> None:
    """The throwaway virtualenv, an empty migrated database and the static files (first: fails early offline)."""
    if _installed_version() != PRETALX_VERSION:
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([PRETALX_PYTHON, "-m", "venv", str(VENV)], check=True, timeout=300, capture_output=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", f"pretalx=={PRETALX_VERSION}", "gunicorn==27.0.1"],
            check=True, timeout=1200, capture_output=True,
        )  # fmt: skip
    DATA.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATA / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)
    python, env = str(VENV / "bin" / "python"), _pretalx_env()
    subprocess.run([python, "-m", "pretalx", "migrate", "-v", "0"], check=True, env=env, cwd=DATA, timeout=900,
                   capture_output=True)  # fmt: skip
    if not (DATA / "static" / "staticfiles.json").exists():  # collectstatic and the frontend build, once
        subprocess.run([python, "-m", "pretalx", "rebuild"], check=True, env=env, cwd=DATA, timeout=1200,
                       capture_output=True)  # fmt: skip


def _seed_pretalx(proposals: int, reviewers: int, criteria: int, lo: int, hi: int) -> dict:
    python, env = str(VENV / "bin" / "python"), _pretalx_env()
    out = subprocess.run(
        [python, str(HERE / "pretalx" / "seed.py"), *(str(x) for x in (proposals, reviewers, criteria, lo, hi))],
        check=True, env=env, cwd=DATA, timeout=1200, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- ours -------------------------------------------------------------------------------------------


def _prepare_ours() -> dict:
    env = scale._env()
    for suffix in ("", "-wal", "-shm"):
        Path(scale.DB + suffix).unlink(missing_ok=True)
    for args in (("migrate", "--verbosity", "0"), ("createcachetable",), ("collectstatic", "--noinput", "-v", "0")):
        subprocess.run([scale.PYTHON, str(scale.ROOT / "manage.py"), *args], check=True, env=env, cwd=scale.ROOT,
                       timeout=1200, capture_output=True)  # fmt: skip
    out = subprocess.run([scale.PYTHON, __file__, "--seed-ours"], check=True, env=env, cwd=scale.ROOT,
                         timeout=1800, capture_output=True, text=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _seed_ours() -> dict:
    """In a child with our settings: bench_competition_scale's seed, the ranking stored, two sessions."""
    import django

    sys.path.insert(0, str(scale.ROOT))
    django.setup()
    from django.conf import settings
    from django.test import Client

    from jipp.competition.evaluation import services

    edition, ministry, open_assignment, seed_s, n_eval, n_reviews = scale._seed(scale.PROPOSALS)
    services.store_ranking(edition=edition)
    criteria = services.rubric_of(open_assignment.proposal.group)
    cookies = {}
    for name, user in (("reviewer", open_assignment.evaluator), ("organiser", ministry)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "version": django.get_version(),
        "seed_s": round(seed_s, 1),
        "proposals": scale.PROPOSALS,
        "reviewers": n_eval,
        "reviews": n_reviews,
        "criteria": len(criteria),
        "scale": (min(c.scale_min for c in criteria), max(c.scale_max for c in criteria)),
        "review_url": f"/kipp/evaluation/reviews/{open_assignment.pk}/",
        "ranking_url": f"/kipp/evaluation/{edition.year}/ranking/",
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
    }


# --- serving and measuring --------------------------------------------------------------------------


def _start(cmd: list[str], env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # the gunicorn master and its workers (their own session)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _get(port: int, path: str, cookie: str, timeout: float = 300) -> tuple[int, float, bytes]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, (time.perf_counter() - started) * 1000, body


def _wait_ready(port: int, proc: subprocess.Popen, deadline_s: float = 120) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on {port} exited with {proc.returncode}")
        try:
            _get(port, "/", "", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server on {port} did not answer within {deadline_s:.0f} s")


def _ok(status: int, body: bytes, what: str) -> None:
    if status != 200:  # a redirect to the login page would be a cheap page measured by mistake
        raise RuntimeError(f"{what}: HTTP {status}: {body[:300]!r}")


def _measure(ours: dict, theirs: dict) -> dict:  # noqa: PLR0914 (one linear measurement)
    oc = f"{ours['cookie_name']}={ours['cookies']['reviewer']}"
    oo = f"{ours['cookie_name']}={ours['cookies']['organiser']}"
    tc = f"{theirs['cookie_name']}={theirs['cookies']['reviewer']}"
    to = f"{theirs['cookie_name']}={theirs['cookies']['organiser']}"
    pages = max(1, ours["proposals"] // PAGE_SIZE)
    # Pretalx keeps the chosen page size in the organiser's preferences: set 50 once (a write), then read.
    status, _, body = _get(THEIRS_PORT, f"{theirs['ranking_url']}?page_size={PAGE_SIZE}", to)
    _ok(status, body, "their dashboard")
    sizes = {}
    series = {"review": ([], []), "ranking": ([], [])}
    started = time.monotonic()
    i = 0
    while i < WARMUP + ROUNDS and (i < WARMUP + 5 or time.monotonic() - started < BUDGET_S):
        page = page_of(i, pages)
        steps = (
            ("review", 0, OURS_PORT, ours["review_url"], oc),
            ("review", 1, THEIRS_PORT, theirs["review_url"], tc),
            ("ranking", 0, OURS_PORT, f"{ours['ranking_url']}?page={page}", oo),
            ("ranking", 1, THEIRS_PORT, f"{theirs['ranking_url']}?page={page}", to),
        )
        for name, side, port, path, cookie in steps:
            status, ms, body = _get(port, path, cookie)
            _ok(status, body, path)
            sizes[(name, side)] = len(body)
            if name == "ranking" and i == 0:
                sizes[("rows", side)] = rows_on_page(body, side)
            if i >= WARMUP:
                series[name][side].append(ms)
        i += 1
    elapsed = time.monotonic() - started
    # For information, not interleaved: their dashboard at its default page size (set back once, a write).
    default = []
    status, _, body = _get(THEIRS_PORT, f"{theirs['ranking_url']}?page_size={THEIR_DEFAULT_PAGE_SIZE}", to)
    _ok(status, body, "their dashboard")
    for j in range(DEFAULT_N):
        status, ms, body = _get(THEIRS_PORT, f"{theirs['ranking_url']}?page={1 + j * 13}", to)
        _ok(status, body, "their dashboard")
        default.append(ms)
    sizes[("rows", 2)] = rows_on_page(body, 1)
    return {
        "review": summary(*series["review"]),
        "ranking": summary(*series["ranking"]),
        "sizes": sizes,
        "elapsed_s": elapsed,
        "default": default,
    }


def run() -> list[dict]:
    if os.environ.get("BENCH_PRETALX") != "1":
        return [_row("side by side with Pretalx (skipped)",
                     "needs PyPI and about 15 minutes: BENCH_PRETALX=1 python bench/run.py bench_pretalx",
                     ">= 10x faster", True)]  # fmt: skip
    rows = [_row("uptime at the start", _uptime())]
    try:
        _side_by_side(rows)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError, OSError) as error:
        rows.append(_row("side by side with Pretalx: failed (the servers were stopped)", failure(error),
                         "runs to the end", False))  # fmt: skip
    return rows


def failure(error: Exception) -> str:
    """One line saying which step failed and why (the end of its error output)."""
    if isinstance(error, subprocess.CalledProcessError | subprocess.TimeoutExpired):
        output = error.stderr or error.output or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        tail = " ".join(output.split())[-300:]
        kind = "timed out" if isinstance(error, subprocess.TimeoutExpired) else f"exit {error.returncode}"
        return f"{' '.join(str(a) for a in error.cmd[:4])}: {kind}: {tail}".replace("|", "/")
    return f"{type(error).__name__}: {error}".replace("|", "/")


def _side_by_side(rows: list[dict]) -> None:
    _install_pretalx()
    ours = _prepare_ours()
    redis = _start_redis() if _needs_redis() else None
    try:
        _seed_and_measure(rows, ours)
    finally:
        _stop(redis)


def _seed_and_measure(rows: list[dict], ours: dict) -> None:  # noqa: PLR0914 (one linear run)
    theirs = _seed_pretalx(ours["proposals"], ours["reviewers"], ours["criteria"], *ours["scale"])
    rows.append(_row(
        "volume ours / theirs: proposals, reviewers, submitted reviews (seeded in s)",
        f"{ours['proposals']:,}, {ours['reviewers']}, {ours['reviews']:,} ({ours['seed_s']:.0f} s) / "
        f"{theirs['proposals']:,}, {theirs['reviewers']}, {theirs['reviews']:,} ({theirs['seed_s']:.0f} s)",
        "same", ours["reviews"] == theirs["reviews"],
    ))  # fmt: skip
    rows.append(_row("versions: Django ours / Pretalx (its Django)",
                     f"{ours['version']} / {theirs['pretalx']} ({theirs['version']})"))  # fmt: skip
    for port in (OURS_PORT, THEIRS_PORT):  # never measure a server someone else left on the port
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"127.0.0.1:{port} is already in use")
    servers: list[subprocess.Popen] = []
    try:
        ours_env = {**scale._env(), "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "1",
                    "GUNICORN_BIND": f"127.0.0.1:{OURS_PORT}", "GUNICORN_TIMEOUT": "300"}  # fmt: skip
        servers.append(_start(
            [str(Path(scale.PYTHON).parent / "gunicorn"), "-c", "config/gunicorn.py",
             "--control-socket", f"/tmp/bench_pretalx_ours_{OURS_PORT}.ctl"],  # noqa: S108
            ours_env, scale.ROOT, Path(f"/tmp/bench_pretalx_ours_{OURS_PORT}.log"),  # noqa: S108
        ))  # fmt: skip
        servers.append(_start(
            [str(VENV / "bin" / "gunicorn"), "pretalx.wsgi", "--workers", "2", "--timeout", "300",
             "--bind", f"127.0.0.1:{THEIRS_PORT}", "--control-socket", str(DATA / "gunicorn.ctl")],
            _pretalx_env(), DATA, DATA / "gunicorn.log",
        ))  # fmt: skip
        _wait_ready(OURS_PORT, servers[0])
        _wait_ready(THEIRS_PORT, servers[1])
        result = _measure(ours, theirs)
    finally:
        for proc in servers:
            _stop(proc)
    for name, label in (
        ("review", f"reviewer's page: ours {ours['review_url']} / theirs {theirs['review_url']}"),
        ("ranking", f"ranking, {PAGE_SIZE} rows: ours {ours['ranking_url']}?page=N / "
                    f"theirs {theirs['ranking_url']}?page=N"),
    ):  # fmt: skip
        s = result[name]
        rows.append(_row(
            f"{label} (ms, median / p95 of {s['n']} interleaved; page bytes ours / theirs "
            f"{result['sizes'][(name, 0)]:,} / {result['sizes'][(name, 1)]:,})",
            f"ours {s['ours'][0]:.0f} / {s['ours'][1]:.0f}; theirs {s['theirs'][0]:.0f} / {s['theirs'][1]:.0f}",
            "ours p95 < 100", s["ours"][1] < 100,
        ))  # fmt: skip
        rows.append(_row(f"{name}: Pretalx time / ours (median; p95)", f"{s['ratio'][0]:.1f}x; {s['ratio'][1]:.1f}x",
                         ">= 10x", min(s["ratio"]) >= 10))  # fmt: skip
    sizes = result["sizes"]
    rows.append(_row("rows on a ranking page: ours / theirs (set to 50) / theirs at its default",
                     f"{sizes[('rows', 0)]} / {sizes[('rows', 1)]} / {sizes[('rows', 2)]}",
                     f"{PAGE_SIZE} / {PAGE_SIZE}", sizes[("rows", 0)] == sizes[("rows", 1)] == PAGE_SIZE))  # fmt: skip
    if result["default"]:
        d = result["default"]
        label = f"their dashboard at its default {THEIR_DEFAULT_PAGE_SIZE} rows, after the run"
        label += f" (ms, median / max of {len(d)})"
        rows.append(_row(label, f"{statistics.median(d):.0f} / {max(d):.0f}"))
    rows.append(_row("interleaved run took (s); uptime at the end", f"{result['elapsed_s']:.0f}; {_uptime()}"))


if __name__ == "__main__":
    if "--seed-ours" in sys.argv:
        print(json.dumps(_seed_ours()))
    else:
        for r in run():
            print(r)
