"""Backup and restore round trip: every table and every uploaded file comes back identical
(SQLite by default, PostgreSQL when DATABASE_URL is set)."""

import datetime as dt
import hashlib
import json
import tarfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder

from jipp.core.backups import EXCLUDE, media_files
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.competition import ProposalFactory, complete_proposal, juklak_edition

pytestmark = pytest.mark.django_db(transaction=True)


def _tables() -> dict:
    excluded = {e for e in EXCLUDE if "." not in e}
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label in excluded or model._meta.label_lower in EXCLUDE or model._meta.proxy:
            continue
        if not model._meta.managed:
            continue
        rows = list(model._default_manager.order_by("pk").values())
        for row in rows:
            # Django's JSON serialiser keeps milliseconds: compare times at that precision (a value
            # with fewer than 1,000 microseconds would otherwise print differently after the trip).
            for key, value in row.items():
                if isinstance(value, dt.datetime | dt.time):
                    row[key] = value.replace(microsecond=value.microsecond // 1000 * 1000)
        for row in rows:  # content-type ids are renumbered in a new installation: compare by name
            for key in [k for k in row if k.endswith("content_type_id") and row[k] is not None]:
                row[key] = ContentType.objects.get_for_id(row[key]).natural_key()
        snapshot[model._meta.label_lower] = json.loads(json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True))
    return snapshot


def _files(root) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in media_files(root)}


def test_backup_restore_round_trip_every_table_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    proposal = complete_proposal(ProposalFactory(edition=juklak_edition(2026)))
    UppFactory(unit=proposal.unit)
    MinistryUserFactory()
    before_tables, before_files = _tables(), _files(settings.MEDIA_ROOT)
    assert len(before_files) == 6  # the proposal's attachments
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    # An empty installation: no data, no files.
    call_command("flush", "--noinput", verbosity=0)
    for path in media_files(settings.MEDIA_ROOT):
        path.unlink()
    call_command("restore", str(archive), verbosity=0)

    after_tables = _tables()
    assert sorted(after_tables) == sorted(before_tables)
    for label in before_tables:
        assert after_tables[label] == before_tables[label], label
    assert _files(settings.MEDIA_ROOT) == before_files


def test_restore_refuses_a_tampered_archive(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    MinistryUserFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for info in src.getmembers():
            body = src.extractfile(info).read()
            if info.name == "data.json":
                body = body.replace(b"Siti", b"Sitt")
            import io

            dst.addfile(info, io.BytesIO(body))
    call_command("flush", "--noinput", verbosity=0)
    with pytest.raises(CommandError, match="checksum mismatch: data.json"):
        call_command("restore", str(tampered), verbosity=0)


def test_restore_refuses_an_installation_with_accounts(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    MinistryUserFactory()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="already has accounts"):
        call_command("restore", str(archive), verbosity=0)
