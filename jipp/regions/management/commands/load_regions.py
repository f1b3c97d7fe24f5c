from django.core.management.base import BaseCommand

from jipp.regions.services import load_reference_data


class Command(BaseCommand):
    help = "Load the 38 provinces, 514 regencies/cities, their governments and the central agencies (idempotent)."

    def handle(self, *args, **options):
        result = load_reference_data()
        self.stdout.write(
            f"Regions: {result.regions_created} created, {result.regions_updated} updated; "
            f"agencies: {result.agencies_created} created, {result.agencies_updated} updated."
        )
