"""Remove what the platform keeps no longer than its declared retention (settings DATA_RETENTION).

Run nightly from cron: `manage.py enforce_retention`; `--dry-run` prints what would go, removing nothing.
"""

from django.core.management.base import BaseCommand

from jipp.core.retention import enforce, rules


class Command(BaseCommand):
    help = "Apply the declared data retention (unsaved drafts, expired sessions, notifications, import files)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; remove nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        declared = rules()
        for outcome in enforce(dry_run=dry_run):
            days = declared.get(outcome.name, {}).get("days")
            kept = f" (kept {days} days)" if days is not None else " (expired)"
            verb = "would remove" if dry_run else "removed"
            self.stdout.write(f"{outcome.name}{kept}: {verb} {outcome.count} {outcome.what}")
