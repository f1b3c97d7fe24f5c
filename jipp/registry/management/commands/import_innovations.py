"""Import innovations from a CSV or XLSX file (the same rules as the import page): all rows or none."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jipp.accounts.models import User
from jipp.regions.models import ServiceUnit
from jipp.registry.importing import import_innovations
from jipp.registry.management.commands.refresh_similar import progress_bar


class Command(BaseCommand):
    help = "Import innovations as drafts from CSV/XLSX. Every row is checked; one bad row and nothing is saved."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of a .csv or .xlsx file in the template's format.")
        parser.add_argument("--user", required=True, help="Username of the importing account (its rights apply).")
        parser.add_argument("--unit", help="Default service unit id for rows without a `unit` cell.")
        parser.add_argument("--language", default="id", choices=["id", "en"], help="Language of the error report.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, user, unit, language, no_progress, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user {user!r}.")
        default_unit = None
        if unit:
            default_unit = ServiceUnit.objects.select_related("agency__region__parent").filter(pk=unit).first()
            if default_unit is None:
                raise CommandError(f"No service unit with id {unit!r}.")
        started = time.monotonic()
        show = not no_progress and options.get("verbosity", 1) > 0

        def progress(done, total, state):
            if show and total:
                progress_bar(sys.stderr, done, total, started, label=f"{state:<10} ")
            elif show:
                sys.stderr.write(f"\r{state} {done:,} rows")
                sys.stderr.flush()

        try:
            handle = open(file, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(str(exc)) from None
        with handle, translation.override(language):
            report = import_innovations(
                user=account, uploaded=handle, filename=file, default_unit=default_unit, progress=progress
            )
        if show:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        if report.file_error:
            raise CommandError(report.file_error)
        if report.error_count:
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
            raise CommandError(
                f"{report.error_count} problems in {report.rejected_rows} rows of {report.rows}; nothing was imported."
            )
        self.stdout.write(f"Imported {report.created:,} innovations as drafts in {elapsed:.1f} s.")
