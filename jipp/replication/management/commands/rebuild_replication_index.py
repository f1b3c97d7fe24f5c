"""Rebuild the stored candidate-ranking index now (see jipp.replication.index for where it lives)."""

import time

from django.core.management.base import BaseCommand

from jipp.replication.index import build_and_store, index_path


class Command(BaseCommand):
    help = "Rebuild the replication candidate index from the published innovations."

    def handle(self, *args, **options):
        started = time.monotonic()
        bundle = build_and_store()
        self.stdout.write(
            f"{len(bundle.agency_of):,} innovations indexed in {time.monotonic() - started:.1f} s -> {index_path()}"
        )
