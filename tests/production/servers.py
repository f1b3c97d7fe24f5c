"""Helpers for tests that run the production configuration: a PostgreSQL database, gunicorn servers.

`postgres_database()` gives a fresh database: on the server of DATABASE_URL when it is PostgreSQL
(the suite's PostgreSQL pass in .ci/run), otherwise on a throwaway cluster started here from the
PostgreSQL binaries (initdb under /tmp, as .ci/run does). Without PostgreSQL the test fails in CI
(CI=true or REQUIRE_BROWSER set) and is skipped with the reason elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_postgres(reason: str):
    if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"PostgreSQL is required here: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; yields its URL and drops it (or the cluster) afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    name = f"jipp_prod_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urllib.parse.urlsplit(url)
        admin = psycopg.connect(url, autocommit=True)
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        return
    with throwaway_cluster(name) as cluster:
        yield cluster.url


class Cluster:
    """A throwaway PostgreSQL cluster of this test's own: its URL, and stop/start for fault tests."""

    def __init__(self, pg: Path, tmp: str, port: int, name: str, as_postgres: list[str]):
        self.pg, self.tmp, self.port, self.as_postgres = pg, tmp, port, as_postgres
        self.url = f"postgres://postgres@127.0.0.1:{port}/{name}"

    def run(self, *cmd: str) -> None:
        subprocess.run([*self.as_postgres, *cmd], check=True, capture_output=True)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off -c synchronous_commit=off"
        self.run(
            str(self.pg / "pg_ctl"), "-D", f"{self.tmp}/data", "-l", f"{self.tmp}/log", "-w", "-o", options, "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.pg / "pg_ctl"), "-D", f"{self.tmp}/data", "-m", mode, "-w", "stop")


@contextlib.contextmanager
def throwaway_cluster(name: str = "jipp") -> Iterator[Cluster]:
    """A PostgreSQL cluster started here from the binaries (initdb under /tmp, as .ci/run does), with one
    empty database `name`; stopped and removed afterwards."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins:
        _require_postgres("no DATABASE_URL and no binaries under /usr/lib/postgresql (apt-get install postgresql)")
    tmp = tempfile.mkdtemp(prefix="jipp-prod-pg-")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bins[-1], tmp, free_port(), name, as_postgres)
    try:
        cluster.run(str(cluster.pg / "initdb"), "-D", f"{tmp}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8")
        cluster.start()
        cluster.run(str(cluster.pg / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", name)
        yield cluster
    finally:
        subprocess.run([*as_postgres, str(cluster.pg / "pg_ctl"), "-D", f"{tmp}/data", "-m", "immediate", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)


def production_env(database_url: str, media_root: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.production.server_settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "test-only-production-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "CACHE_URL": "db://jipp_cache",
        "MEDIA_ROOT": media_root,
        "PYTHONPATH": str(ROOT),
        **extra,
    })  # fmt: skip
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 1, threads: int = 2) -> Iterator[str]:
    """A gunicorn server with config/gunicorn.py; yields its base URL once /healthz answers."""
    port = free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
                  "GUNICORN_THREADS": str(threads)}  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the server runs, closed below)
    process = subprocess.Popen([GUNICORN, "-c", "config/gunicorn.py"], cwd=ROOT, env=server_env, stdout=log,
                               stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine boots workers slowly
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310 (local test server)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise AssertionError("gunicorn did not start:\n" + log.read().decode()[-3000:]) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class Browser:
    """A tiny HTTP client that keeps cookies itself (the production cookies are Secure; this is http)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, url: str, *, data: dict | None = None, json_body=None, headers: dict | None = None,
                method: str | None = None) -> tuple[int, dict, str]:  # fmt: skip
        headers = dict(headers or {})
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
            status, response_headers, text = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, response_headers, text = exc.code, exc.headers, exc.read().decode()
        for raw in response_headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return status, dict(response_headers), text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
