"""Nightly: recompute every dashboard summary (schedule with cron, e.g. `15 1 * * *`)."""

import time

from django.core.management.base import BaseCommand

from jipp.dashboards.services.refresh import refresh_agencies
from jipp.dashboards.tasks import refresh_everything
from jipp.dashboards.warm import warm


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables (all of them, or --agency ID for a few agencies)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, action="append", help="Refresh only this agency (repeatable).")

    def handle(self, *args, agency=None, **options):
        started = time.monotonic()
        if agency:
            refresh = refresh_agencies(agency_ids=agency)
            warm()  # the portal and the national dashboard of the new data version, rendered ahead
            done = f"{refresh.agencies} agencies ({refresh.get_kind_display()})"
        else:
            # Through its task run: never two full refreshes at once (a worker's, and this one).
            agencies = refresh_everything.call()
            if agencies < 0:
                self.stdout.write("A full refresh is already queued or running; nothing done.")
                return
            done = f"{agencies} agencies (full)"
        self.stdout.write(f"Refreshed {done} in {time.monotonic() - started:.1f} s")
