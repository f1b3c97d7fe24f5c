"""Run the administrative screening of one edition now, with a progress bar."""

import sys

from django.core.management.base import BaseCommand, CommandError

from jipp.competition.models import Edition, ScreeningRun
from jipp.competition.services import screen_edition
from jipp.competition.tasks import SCREEN, scope_of
from jipp.core import taskruns


class Command(BaseCommand):
    help = "Run the automatic checks (seleksi administrasi) on every submitted proposal of an edition."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-registry", action="store_true", help="Do not compare with registry texts.")
        parser.add_argument("--registry-limit", type=int, help="Compare with the N most recent registry texts only.")

    def handle(self, *args, year, workers, no_registry, registry_limit, **options):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"No edition for {year}.")
        tty = getattr(self.stdout, "isatty", lambda: False)() or sys.stdout.isatty()

        def bar(percent: int, phase: str) -> None:
            filled = percent * 30 // 100
            line = f"[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {phase}"
            if tty:
                self.stdout.write(f"\r{line:<90}", ending="")
            else:
                self.stdout.write(line)
            self.stdout.flush()

        # Never beside a screening of the same edition run by a worker (jipp.core.taskruns).
        with taskruns.running(None, name=SCREEN, scope=scope_of(edition.pk)) as task_run:
            if task_run is None:
                raise CommandError(f"A screening of {year} is already running.")

            def beat(percent: int, phase: str) -> None:
                bar(percent, phase)
                taskruns.progress(task_run, done=percent, total=100, message=phase)

            run = ScreeningRun.objects.create(edition=edition)
            run = screen_edition(
                edition=edition,
                run=run,
                progress=beat,
                workers=workers,
                include_registry=not no_registry,
                registry_limit=registry_limit,
            )
        if tty:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Screened {run.proposals} proposals against {run.corpus} earlier texts: "
                f"{run.flags} flags in {run.seconds} s."
            )
        )
