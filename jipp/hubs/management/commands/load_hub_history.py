from django.core.management.base import BaseCommand

from jipp.hubs.history import load_history


class Command(BaseCommand):
    help = "Load the real hub cohorts (KepmenPANRB 94/2020 and 359/2021) with their spokes (idempotent)."

    def handle(self, *args, **options):
        result = load_history()
        self.stdout.write(
            f"Hub history: {result.cohorts_created} cohorts, {result.hubs_created} hubs, "
            f"{result.spokes_created} spokes created."
        )
