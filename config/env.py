"""Read settings from the environment, with `*_FILE` secrets (as healthchecks does).

Every problem raises `SettingsError`, which `manage.py` and the WSGI entry point
turn into a one-line message instead of a traceback.
"""

import os

from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    pass


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable `name`, or the contents of the file named by `name_FILE`."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise SettingsError(f"{name}_FILE: cannot read {file_name} ({exc.strerror})") from None
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be 0 or 1 (got {raw!r})")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number (got {raw!r})") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
