"""The database unavailable for a moment: PostgreSQL stopped under a running app server, then started.

While it is down, pages answer a clear 503 page (JSON under /api/) with Retry-After, /healthz says
503, and a write is refused without leaving anything half-saved; once it is back, the same server
serves and writes again without a restart. Uses a cluster of its own (it is stopped mid-test), so it
runs the same in the SQLite and the PostgreSQL passes.
"""

import json
import tempfile
import time

import pytest

from tests.production.servers import Browser, gunicorn, manage, production_env, throwaway_cluster

SETUP = """
import json
from jipp.accounts.tokens import issue_token
from jipp.accounts.models import Role, User
from tests.factories import ServiceUnitFactory
user = User.objects.create_user(username="outage", password="Padam-sebentar-2026!", role=Role.ADMIN_KEMENTERIAN,
                                is_staff=True)
print(json.dumps({"token": issue_token(user=user, name="outage")[1], "unit": ServiceUnitFactory().pk}))
"""
COUNT = """
from jipp.registry.models import Innovation
print(Innovation.objects.filter(title__startswith="Layanan Saat Padam").count())
"""


@pytest.fixture(scope="module")
def server():
    with throwaway_cluster("jipp_outage") as cluster, tempfile.TemporaryDirectory() as media:
        env = production_env(cluster.url, media, RATE_LIMITS_ENABLED="0")
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "createcachetable")
        setup = json.loads(manage(env, "shell", "--verbosity", "0", "-c", SETUP).strip().splitlines()[-1])
        with gunicorn(env) as base:
            yield {"base": base, "cluster": cluster, "env": env, **setup}


def _create(server, title: str) -> tuple[int, str]:
    status, _h, text = Browser().request(
        f"{server['base']}/api/v1/innovations/",
        headers={"Authorization": f"Token {server['token']}"},
        json_body={"title": title, "summary": "Dicatat ketika basis data padam.", "unit": server["unit"]},
    )
    return status, text


def _until_ok(url: str, seconds: float = 60) -> int:
    """The first status after the database is back (the server reconnects by itself, no restart)."""
    deadline = time.monotonic() + seconds
    while True:
        status, _h, _text = Browser().request(url)
        if status == 200 or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


def test_database_restart_under_a_running_server(server):
    base, cluster = server["base"], server["cluster"]
    assert Browser().request(f"{base}/innovations/")[0] == 200

    cluster.stop()
    try:
        status, headers, html = Browser().request(f"{base}/innovations/")
        assert (status, headers.get("Retry-After")) == (503, "30"), html[:500]
        assert "basis data" in html.lower() or "database" in html.lower()
        status, headers, text = Browser().request(f"{base}/api/v1/innovations/")
        assert (status, headers.get("Content-Type")) == (503, "application/json")
        assert "detail" in json.loads(text)
        assert Browser().request(f"{base}/healthz")[0] == 503
        status, text = _create(server, "Layanan Saat Padam Satu")
        assert status == 503, text[:500]
    finally:
        cluster.start()

    assert _until_ok(f"{base}/innovations/") == 200
    assert _until_ok(f"{base}/healthz") == 200
    # Nothing of the refused write was kept; a write now goes through the same server.
    assert manage(server["env"], "shell", "--verbosity", "0", "-c", COUNT).strip() == "0"
    status, text = _create(server, "Layanan Saat Padam Dua")
    assert status == 201, text[:500]
    assert manage(server["env"], "shell", "--verbosity", "0", "-c", COUNT).strip() == "1"
