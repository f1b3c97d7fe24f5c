"""Nightly: recompute every dashboard summary (schedule with cron, e.g. `15 1 * * *`)."""

import time

from django.core.management.base import BaseCommand

from jipp.dashboards.services.refresh import refresh_agencies, refresh_all
from jipp.dashboards.warm import warm


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables (all of them, or --agency ID for a few agencies)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, action="append", help="Refresh only this agency (repeatable).")

    def handle(self, *args, agency=None, **options):
        started = time.monotonic()
        refresh = refresh_agencies(agency_ids=agency) if agency else refresh_all()
        warm()  # the portal and the public dashboard of the new data version, rendered ahead
        seconds = time.monotonic() - started
        self.stdout.write(f"Refreshed {refresh.agencies} agencies ({refresh.get_kind_display()}) in {seconds:.1f} s")
