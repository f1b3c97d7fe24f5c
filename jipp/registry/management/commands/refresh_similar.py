"""Recompute "similar innovations" for the whole registry (run nightly, or after a bulk import)."""

import sys
import time

from django.core.management.base import BaseCommand

from jipp.registry.similarity import refresh_all


def progress_bar(stream, done: int, total: int, started: float, label: str = "") -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    stream.write(
        f"\r{label}[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)",
    )
    stream.flush()


class Command(BaseCommand):
    help = "Recompute the similar innovations (TF-IDF over the stemmed texts) of every innovation."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=512, help="Rows per block of the neighbour search.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, chunk, no_progress, **options):
        started = time.monotonic()
        show = not no_progress and options.get("verbosity", 1) > 0

        def progress(done, total):
            if show:
                progress_bar(sys.stderr, done, total, started)

        count = refresh_all(progress=progress, chunk=chunk)
        if show:
            sys.stderr.write("\n")
        self.stdout.write(
            f"Similar innovations refreshed for {count:,} innovations in {time.monotonic() - started:.1f} s"
        )
