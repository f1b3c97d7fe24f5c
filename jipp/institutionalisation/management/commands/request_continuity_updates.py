"""Ask every owner without a continuity update for the year to send one (by e-mail)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from jipp.institutionalisation.tasks import request_continuity_updates


class Command(BaseCommand):
    help = "E-mail the owners of innovations with no continuity update for --year (default: this year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year, **options):
        year = year or timezone.localdate().year
        result = request_continuity_updates.enqueue(year)
        self.stdout.write(f"Continuity request for {year} queued ({result.id}).")
