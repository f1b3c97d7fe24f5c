"""Fill the database with deterministic demo data.

Each app may ship a `demo.py` with `seed(*, scale, rng, stdout)`; they run in the order of
INSTALLED_APPS, so later apps build on the earlier ones' demo objects. Core imports none of
them directly: the dependency arrows stay one-way.
"""

import importlib
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

SCALES = ("small", "national")


class Command(BaseCommand):
    help = "Create demo data: --scale small (quick, for development and tests) or national (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--only", help="Comma-separated app labels to seed (default: all).")

    def handle(self, *args, scale, seed, only, **options):
        from auditlog.context import disable_auditlog

        wanted = set(only.split(",")) if only else None
        user_model = apps.get_model("accounts", "User")
        if wanted is None and user_model.objects.filter(username="kementerian").exists():
            raise CommandError("Demo data is already loaded (user 'kementerian' exists). Use a fresh database.")
        for config in apps.get_app_configs():
            if not config.name.startswith("jipp.") or (wanted and config.label not in wanted):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            started = time.monotonic()
            self.stdout.write(f"Seeding {config.label} ({scale})...")
            # Each app gets its own generator, so adding demo data to one app does not change another's.
            rng = random.Random(f"{seed}-{config.label}")  # nosec B311 # demo data: a seeded, reproducible generator, not a secret
            # Demo data is not a user's change: keep it out of the audit log.
            with disable_auditlog(), transaction.atomic():
                module.seed(scale=scale, rng=rng, stdout=self.stdout)
            self.stdout.write(f"  done in {time.monotonic() - started:.1f} s")
