"""Backup and restore: the database and the uploaded files in one archive, with a manifest and checksums.

The archive (`.tar.gz`) holds:
  manifest.json  - when, which Django and database, row counts per model, SHA-256 and size of every member;
  data.json      - every row of every table (Django's `dumpdata` with natural keys, so it loads into any
                   empty installation, SQLite or PostgreSQL, whatever its content-type ids);
  media/...      - every uploaded file, under its storage name.
Sessions and the cache are left out (they are rebuilt); everything else is in.
Restore checks every checksum before touching anything, then empties the database and loads the data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import connection, transaction
from django.db.models import signals

FORMAT = 1
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counts() -> dict[str, int]:
    excluded = {e for e in EXCLUDE if "." not in e}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded or label in EXCLUDE or not model._meta.managed:
            continue
        if model._meta.proxy:
            continue
        counts[label] = model._default_manager.count()
    return counts


def media_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def write_backup(target: Path, *, media_root: Path | None = None) -> dict:
    """Write the archive to `target`; return its manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    buffer = io.StringIO()
    management.call_command(
        "dumpdata", "--natural-foreign", *[f"--exclude={e}" for e in EXCLUDE],
        "--indent=0", stdout=buffer,
    )  # fmt: skip
    data = buffer.getvalue().encode()
    members = {"data.json": data}
    for path in media_files(media_root):
        members[f"media/{path.relative_to(media_root).as_posix()}"] = path.read_bytes()
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "django": django.get_version(),
        "database": connection.vendor,
        "counts": _counts(),
        "files": {name: {"sha256": _sha256(body), "size": len(body)} for name, body in members.items()},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        for name, body in [("manifest.json", json.dumps(manifest, indent=1).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
    partial.replace(target)  # a backup interrupted half-way never looks complete
    return manifest


def read_backup(source: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and members of an archive, every checksum verified (BackupError otherwise)."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = {}
            for info in archive.getmembers():
                if not info.isfile() or info.name.startswith("/") or ".." in Path(info.name).parts:
                    raise BackupError(f"unexpected member {info.name!r}")
                members[info.name] = archive.extractfile(info).read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"cannot read {source}: {exc}") from None
    if "manifest.json" not in members:
        raise BackupError("no manifest.json: not a Hub JIPP backup")
    manifest = json.loads(members.pop("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    expected = manifest["files"]
    if set(expected) != set(members):
        raise BackupError("the archive's files differ from its manifest")
    for name, body in members.items():
        if _sha256(body) != expected[name]["sha256"] or len(body) != expected[name]["size"]:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest, members


def database_is_empty() -> bool:
    """No accounts and no innovations: a fresh installation (reference data from migrations may exist)."""
    from django.contrib.auth import get_user_model

    return not get_user_model().objects.exists()


@contextlib.contextmanager
def _signals_muted():
    """Rows come back exactly as they were: no audit entries, no derived rows made by save handlers."""
    muted = [signals.pre_save, signals.post_save, signals.pre_delete, signals.post_delete, signals.m2m_changed]
    saved = [(signal, signal.receivers) for signal in muted]
    for signal in muted:
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def restore_backup(source: Path, *, media_root: Path | None = None, force: bool = False) -> dict:
    """Restore `source` into this installation (migrated, and empty unless `force`); return the manifest."""
    manifest, members = read_backup(source)
    if not force and not database_is_empty():
        raise BackupError("this installation already has accounts: restore only into an empty one (or --force)")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    data_file = Path(settings.BASE_DIR) / f".restore-{_sha256(members['data.json'])[:12]}.json"
    data_file.write_bytes(members["data.json"])
    try:
        with transaction.atomic(), _signals_muted():
            management.call_command("flush", "--noinput", verbosity=0)
            management.call_command("loaddata", str(data_file), verbosity=0)
    finally:
        data_file.unlink(missing_ok=True)
    for name, body in members.items():
        if name.startswith("media/"):
            path = media_root / name.removeprefix("media/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
    counts = _counts()
    differing = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
    if differing:
        raise BackupError(f"row counts differ after restore: {differing}")
    return manifest
