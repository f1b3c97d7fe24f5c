"""Recompute every innovation's protection status (run nightly: "two years in operation" changes with time)."""

import time

from django.core.management.base import BaseCommand

from jipp.institutionalisation.services import refresh_protection


class Command(BaseCommand):
    help = "Recompute the proven / unprotected status of every innovation."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = refresh_protection()
        self.stdout.write(f"{count:,} innovations assessed in {time.monotonic() - started:.1f} s")
