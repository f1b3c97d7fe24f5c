"""Data retention: how long the platform keeps what only served a moment, and the rule that removes it.

Declared in settings as `DATA_RETENTION` (name -> rule); `manage.py enforce_retention` applies every
rule (run it nightly from cron, as `backup`; `--dry-run` only counts). A rule names a model by its
label, so this module imports no app (the core is the lowest layer):

- `model`, `field` (a date-time), `days`: rows older than that are deleted;
- `filter`: only rows matching it (e.g. read notifications only);
- `file_field`: the file is deleted and the field emptied, the row is kept (an import's summary stays).

Sessions are Django's own: expired ones are removed (`clearsessions`). Request logs are written to the
standard output, never to the database: their retention is the log store's (docs/production.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

DEFAULT_RETENTION = {
    "unsaved_drafts": {"model": "competition.UnsavedDraft", "field": "updated_at", "days": 30},
    "read_notifications": {"model": "notifications.Notification", "field": "created_at", "days": 180,
                           "filter": {"read_at__isnull": False}},
    "notifications": {"model": "notifications.Notification", "field": "created_at", "days": 730},
    "import_files": {"model": "registry.ImportBatch", "field": "created_at", "days": 90, "file_field": "file",
                     "filter": {"state__in": ["refused", "imported", "published", "failed"]}},
}  # fmt: skip


@dataclass
class Outcome:
    name: str
    count: int
    what: str  # "rows" or "files"


def rules() -> dict[str, dict]:
    return getattr(settings, "DATA_RETENTION", DEFAULT_RETENTION)


def enforce(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[Outcome]:
    """Apply every rule; returns what each removed (or would remove, with `dry_run`)."""
    now = now or timezone.now()
    outcomes = []
    expired = Session.objects.filter(expire_date__lt=now)
    outcomes.append(Outcome("sessions", expired.count() if dry_run else expired.delete()[0], "rows"))
    for name, rule in rules().items():
        try:
            model = apps.get_model(rule["model"])
        except LookupError:  # an app not installed here
            continue
        qs = model.objects.filter(**{f"{rule['field']}__lt": now - dt.timedelta(days=rule["days"])})
        qs = qs.filter(**rule.get("filter", {}))
        field = rule.get("file_field")
        if field:
            qs = qs.exclude(**{field: ""})
            count = qs.count()
            if not dry_run:
                for row in qs.iterator():
                    getattr(row, field).delete(save=False)  # storage first: a failure leaves the row as it was
                    with transaction.atomic():
                        model.objects.filter(pk=row.pk).update(**{field: ""})
            outcomes.append(Outcome(name, count, "files"))
        else:
            outcomes.append(Outcome(name, qs.count() if dry_run else _delete(qs), "rows"))
    return outcomes


def _delete(qs) -> int:
    with transaction.atomic():
        return qs.model.objects.filter(pk__in=qs.values("pk")).delete()[1].get(qs.model._meta.label, 0)
