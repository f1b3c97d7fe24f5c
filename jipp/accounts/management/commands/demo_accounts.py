from django.core.management.base import BaseCommand

from jipp.accounts.demo import DEMO_PASSWORD
from jipp.accounts.models import User

SHOWN = [
    "kementerian",
    "lokal.jatim",
    "lokal.sidoarjo",
    "upp.sidoarjo",
    "hub.jatim",
    "mentor1",
    "evaluator1",
    "panelis1",
]


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        users = {u.username: u for u in User.objects.filter(username__in=SHOWN).select_related("agency", "unit")}
        if not users:
            self.stdout.write("No demo accounts (run: manage.py seed_demo).")
            return
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for name in SHOWN:
            user = users.get(name)
            if user:
                where = user.unit or user.agency or user.affiliation or ""
                self.stdout.write(f"  {name:<16} {user.get_role_display():<18} {where}")
