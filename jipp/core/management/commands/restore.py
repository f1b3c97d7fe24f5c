from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jipp.core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an archive made by `backup` into this (migrated, empty) installation."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Replace the data of a non-empty installation.")

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = restore_backup(Path(archive), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows and {len(manifest['files']) - 1} files."))
