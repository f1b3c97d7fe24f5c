"""Web security and reliability contracts: CSP and Permissions-Policy on every HTML response, templates
free of inline script/style/handlers, /healthz, request ids and structured logs, clear 400/503 answers."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, MinistryUserFactory, UppFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _script_src(header: str) -> str:
    for directive in header.split(";"):
        parts = directive.strip().split()
        if parts and parts[0] == "script-src":
            return " ".join(parts[1:])
    return ""


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/kipp/", "/replication/stories/", "/api/docs/", "/nope/"])
def test_every_html_response_carries_strict_csp(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert _script_src(csp) == "'self'"
    assert "unsafe-inline" not in _script_src(csp)
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Permissions-Policy"].startswith("camera=()")


def test_logged_in_page_carries_csp(client):
    client.force_login(MinistryUserFactory())
    response = client.get("/kipp/")
    assert response.status_code == 200
    assert _script_src(response["Content-Security-Policy"]) == "'self'"


def test_api_docs_page_has_no_inline_script(client):
    body = client.get("/api/docs/").content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []


def _templates():
    return [p for p in (ROOT / "jipp").rglob("templates/**/*.html") if not p.name.endswith("_pdf.html")]


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=\"", r"<style", r"\son[a-z]+=\"", r"hx-on"):
            for match in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []


def test_htmx_configured_without_eval(client):
    body = client.get("/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', body)
    assert json.loads(config.group(1)) == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
    }


# --- /healthz -----------------------------------------------------------------------------------


def test_healthz_answers_json_when_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["storage"] == {"ok": True}
    assert body["tasks"]["ready"] == 0
    assert body["tasks"]["lag_seconds"] == 0.0


def test_healthz_503_when_database_unreachable(client, monkeypatch):
    from jipp.core import health

    def down():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": {"ok": False, "error": "OperationalError"}}


def test_healthz_reports_full_disk_as_degraded(client, monkeypatch):
    from django.core.files.storage import default_storage

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["storage"] == {"ok": False, "error": "OSError"}


# --- request ids and structured logs -------------------------------------------------------------


def test_request_log_line_has_role_route_and_id_but_no_personal_data(client, caplog):
    user = UppFactory(username="siti.rahayu", email="siti@example.go.id")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="jipp.request"):
        response = client.get("/kipp/proposals/", {"q": "rahasia"}, REMOTE_ADDR="10.1.2.3")
    records = [r for r in caplog.records if r.name == "jipp.request"]
    assert len(records) == 1
    line = records[0].getMessage()
    data = json.loads(line)
    assert data["request_id"] == response["X-Request-ID"]
    assert data["role"] == "upp"
    assert data["route"] == "kipp/proposals/"
    assert data["status"] == 200
    for personal in ("siti", "rahayu", "10.1.2.3", "rahasia"):
        assert personal not in line
    assert sorted(data) == ["authenticated", "method", "ms", "request_id", "role", "route", "status"]


def test_request_id_from_proxy_kept_when_sane(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-req")["X-Request-ID"] == "abc12345-req"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


# --- clear answers instead of 500s -----------------------------------------------------------------


def test_integer_filter_past_64_bits_is_400_not_500():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/replications/", {"innovation": "99999999999999999999"})
    assert response.status_code in (200, 400)  # PostgreSQL compares as numeric: no match, 200
    if response.status_code == 400:
        assert response.json() == {"detail": ["A number in the address or the filters is out of range."]}


def test_id_past_64_bits_in_html_path_is_400_or_404_not_500():
    client = Client(raise_request_exception=False)
    client.force_login(MinistryUserFactory())
    response = client.get("/kipp/proposals/99999999999999999999/")
    assert response.status_code in (400, 404)


def test_database_unavailable_gives_clear_503_page(rf):
    from jipp.core.reliability import ReliabilityMiddleware

    middleware = ReliabilityMiddleware(lambda r: None)
    request = rf.get("/kipp/")
    response = middleware.process_exception(request, OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again" in response.content.decode().lower() or "coba" in response.content.decode().lower()
    # A query error is not an outage: left to the normal 500 handling.
    assert middleware.process_exception(request, OperationalError("no such column: x")) is None


def test_handler500_maps_outage_to_503(rf):
    from jipp.core.reliability import server_error

    request = rf.get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503


# --- sessions -----------------------------------------------------------------------------------


def test_session_lifetime_suits_a_government_system(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_idle_session_is_logged_out(client):
    import time

    client.force_login(MinistryUserFactory())
    assert client.get("/kipp/proposals/").status_code == 200
    session = client.session
    session["_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/kipp/proposals/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


# --- login lockout and rate limits ---------------------------------------------------------------


def _login(client, username, password="wrong-password-1", address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)  # fmt: skip


def test_lockout_keyed_on_username_and_address(client):
    user = UppFactory()
    for _ in range(5):
        _login(client, user.username, address="10.0.0.66")
    locked = _login(client, user.username, password=PASSWORD, address="10.0.0.66")
    assert locked.status_code == 429
    # The owner, from their own address, is not locked out by the attacker.
    ok = _login(Client(), user.username, password=PASSWORD, address="10.0.0.7")
    assert ok.status_code == 302


def test_lockout_message_does_not_reveal_whether_the_account_exists(client):
    user = UppFactory()
    for name in (user.username, "nobody-here"):
        for _ in range(5):
            _login(client, name, address="10.0.0.9")
    real = _login(client, user.username, address="10.0.0.9")
    fake = _login(client, "nobody-here", address="10.0.0.9")
    assert real.status_code == fake.status_code == 429
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", real.content.decode()) == token.sub("", fake.content.decode())


@override_settings(RATE_LIMITS_ENABLED=True)
def test_password_spraying_from_one_address_is_limited(client):
    from django.core.cache import cache

    cache.clear()
    statuses = [_login(client, f"user-{n}", address="10.9.9.9").status_code for n in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    # Another address is not affected.
    assert _login(client, "user-x", address="10.9.9.8").status_code == 200
    cache.clear()


@override_settings(RATE_LIMITS_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_rate_limit_uses_address_behind_proxy_not_user_agent(client):
    from django.core.cache import cache

    cache.clear()
    for n in range(30):
        client.post(reverse("accounts:login"), {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_USER_AGENT=f"agent-{n}")  # fmt: skip
    blocked = client.post(reverse("accounts:login"), {"username": "u", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                          HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_USER_AGENT="fresh-agent")  # fmt: skip
    assert blocked.status_code == 429
    # A forged address to the left of the proxy's entry changes nothing.
    forged = client.post(reverse("accounts:login"), {"username": "u", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                         HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")  # fmt: skip
    assert forged.status_code == 429
    cache.clear()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_address_behind_proxy(rf):
    from jipp.core.ratelimit import client_address

    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 9.9.9.9")) == "9.9.9.9"
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "127.0.0.1"


def test_client_address_without_proxy_ignores_forwarded_header(rf):
    from jipp.core.ratelimit import client_address

    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9")) == "10.0.0.1"


@override_settings(RATE_LIMITS_ENABLED=True)
def test_anonymous_api_rate_limited_per_address(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = [{"name": "api-anonymous", "path": "/api/", "authorization": "none", "limit": 3,
                             "window": 60}]  # fmt: skip
    statuses = [client.get("/api/v1/regions/", REMOTE_ADDR="10.5.5.5").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/regions/", REMOTE_ADDR="10.5.5.6").status_code == 200
    cache.clear()


def test_objection_limit_keyed_on_address_not_user_agent(rf):
    from jipp.competition.evaluation.views import _client_key

    a = rf.post("/", REMOTE_ADDR="10.1.1.1", HTTP_USER_AGENT="one")
    b = rf.post("/", REMOTE_ADDR="10.1.1.1", HTTP_USER_AGENT="two")
    c = rf.post("/", REMOTE_ADDR="10.1.1.2", HTTP_USER_AGENT="one")
    assert _client_key(a) == _client_key(b)
    assert _client_key(a) != _client_key(c)
