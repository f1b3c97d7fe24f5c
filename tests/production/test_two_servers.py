"""Two app servers (gunicorn, the production settings) against one PostgreSQL database.

Shows that a write through one is read through the other, that the per-process catalogue caches
see it on both, that a session made on one works on the other, and that a background job asked
for through both servers runs once. Slow (it migrates a fresh database): about a minute.
"""

import json
import re
import tempfile

import pytest

from tests.production.servers import Browser, gunicorn, manage, postgres_database, production_env

SETUP = """
import json
from rest_framework.authtoken.models import Token
from jipp.accounts.models import Role, User
from tests.factories import ServiceUnitFactory
user = User.objects.create_user(username="two-servers", password="Dua-server-2026!", role=Role.ADMIN_KEMENTERIAN,
                                is_staff=True)
print(json.dumps({"token": Token.objects.create(user=user).key, "unit": ServiceUnitFactory().pk}))
"""
STATE = """
import json
from django_tasks_db.models import DBTaskResult
from jipp.core.models import TaskRun
runs = list(TaskRun.objects.filter(name="replication.rebuild_matcher_index").values_list("state", flat=True))
results = DBTaskResult.objects.filter(task_path__endswith="rebuild_matcher_index")
results = list(results.values_list("status", flat=True))
print(json.dumps({"runs": runs, "results": results}))
"""


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def servers():
    with postgres_database() as url, tempfile.TemporaryDirectory() as media:
        env = production_env(url, media, RATE_LIMITS_ENABLED="0")
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "createcachetable")
        setup = json.loads(manage(env, "shell", "--verbosity", "0", "-c", SETUP).strip().splitlines()[-1])
        with gunicorn(env) as a, gunicorn(env) as b:
            yield {"a": a, "b": b, "env": env, **setup}


def _count(base: str, q: str) -> tuple[int, list[int]]:
    status, _headers, text = Browser().request(f"{base}/api/v1/innovations/?q={q}")
    assert status == 200, text[:500]
    body = json.loads(text)
    return body["count"], [row["id"] for row in body["results"]]


def test_write_through_one_server_is_read_and_uncached_through_the_other(servers):
    a, b = servers["a"], servers["b"]
    # Both servers answer (and keep their per-process catalogue index) before the write.
    assert _count(a, "dwiserver") == (0, [])
    assert _count(b, "dwiserver") == (0, [])
    api = Browser()
    auth = {"Authorization": f"Token {servers['token']}"}
    status, _h, text = api.request(f"{a}/api/v1/innovations/", headers=auth, json_body={
        "title": "Layanan Dwiserver Terpadu", "summary": "Satu basis data, dua server aplikasi.",
        "unit": servers["unit"]})  # fmt: skip
    assert status == 201, text[:500]
    pk = json.loads(text)["id"]
    status, _h, text = api.request(f"{a}/api/v1/innovations/{pk}/publish/", headers=auth, method="POST")
    assert status == 200, text[:500]
    assert _count(b, "dwiserver") == (1, [pk])
    assert _count(a, "dwiserver") == (1, [pk])
    status, _h, text = Browser().request(f"{b}/api/v1/innovations/{pk}/")
    assert (status, json.loads(text)["title"]) == (200, "Layanan Dwiserver Terpadu")


def test_session_made_on_one_server_works_on_the_other(servers):
    a, b = servers["a"], servers["b"]
    browser = Browser()
    status, _h, html = browser.request(f"{b}/accounts/login/")
    assert status == 200
    status, headers, text = browser.request(
        f"{a}/accounts/login/",
        data={"username": "two-servers", "password": "Dua-server-2026!", "csrfmiddlewaretoken": _csrf(html)},
    )
    assert status == 302, text[:1000]
    assert "sessionid" in browser.cookies
    status, _h, html = browser.request(f"{b}/replication/find/")
    assert status == 200  # logged in on B with the session made on A (not sent to the login page)
    assert "two-servers" in html


def test_background_job_asked_through_both_servers_runs_once(servers):
    a, b = servers["a"], servers["b"]
    browser = Browser()
    _s, _h, html = browser.request(f"{a}/accounts/login/")
    browser.request(f"{a}/accounts/login/", data={"username": "two-servers", "password": "Dua-server-2026!",
                                                  "csrfmiddlewaretoken": _csrf(html)})  # fmt: skip
    for base in (a, b, a):
        _s, _h, page = browser.request(f"{base}/replication/find/")
        status, _h, text = browser.request(
            f"{base}/replication/find/rebuild/", data={"csrfmiddlewaretoken": _csrf(page)}
        )
        assert status == 302, text[:1000]
    state = json.loads(manage(servers["env"], "shell", "--verbosity", "0", "-c", STATE).strip().splitlines()[-1])
    assert state == {"runs": ["queued"], "results": ["READY"]}
    manage(servers["env"], "db_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
    state = json.loads(manage(servers["env"], "shell", "--verbosity", "0", "-c", STATE).strip().splitlines()[-1])
    assert state == {"runs": ["done"], "results": ["SUCCESSFUL"]}
