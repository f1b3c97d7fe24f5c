import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_refuses_with_one_line():
    result = _manage("check", DJANGO_DEBUG="0", ALLOWED_HOSTS="jipp.example.go.id")
    assert result.returncode == 1
    assert result.stderr.strip() == "Configuration error: SECRET_KEY must be set when DJANGO_DEBUG=0"


def test_production_without_allowed_hosts_refuses_with_one_line():
    result = _manage("check", DJANGO_DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: ALLOWED_HOSTS must be set when DJANGO_DEBUG=0 (comma-separated host names)"
    ]


def test_invalid_boolean_setting_is_named():
    result = _manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode == 1
    assert result.stderr.strip() == "Configuration error: DJANGO_DEBUG must be 0 or 1 (got 'maybe')"


def test_secret_key_file_is_read(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k9#Lq2$vX7!mB4@zR8^tY1&wP5*nJ3(eH6)uC0-sG2+aD9=fV4_oI7")
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY_FILE=str(secret),
        ALLOWED_HOSTS="jipp.example.go.id",
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY="k3y-" + "z" * 60,
        ALLOWED_HOSTS="jipp.example.go.id",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
