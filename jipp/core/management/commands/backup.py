from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from jipp.core.backups import write_backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive with a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="Where to write (default: backups/jipp-<time>.tar.gz)")

    def handle(self, *args, archive=None, **options):
        target = Path(archive or f"backups/jipp-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        manifest = write_backup(target)
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}: {rows} rows, {files} files."))
