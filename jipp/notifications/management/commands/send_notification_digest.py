"""Send the daily digest of notifications to everyone who chose it (run once a day, e.g. by cron)."""

from django.core.management.base import BaseCommand

from jipp.notifications.emails import send_digests


class Command(BaseCommand):
    help = "E-mail each person who chose the daily digest their notifications not yet e-mailed."

    def handle(self, *args, **options):
        count = send_digests()
        self.stdout.write(f"{count} digest e-mail(s) sent.")
