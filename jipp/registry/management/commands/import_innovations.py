"""Import innovations (and their awards) from a CSV or XLSX file, the same rules as the import page: all rows or none.

    manage.py import_innovations FILE --user USERNAME [--preview]

Columns as in the template, e.g. `agency` (as people spell it), `title`, `summary`, `award_year`,
`award_tier`. A row whose agency cannot be resolved (or any other problem) refuses the whole file,
naming the rows and the candidates; `--preview` prints what would happen and saves nothing.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jipp.accounts.models import User
from jipp.regions.models import ServiceUnit
from jipp.registry.importing import import_innovations
from jipp.registry.management.commands.refresh_similar import progress_bar

ACTIONS = {"create": "create", "merge": "merge into duplicate", "skip": "skip duplicate", "refuse": "REFUSED"}


class Command(BaseCommand):
    help = "Import innovations as drafts from CSV/XLSX. Every row is checked; one bad row and nothing is saved."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of a .csv or .xlsx file in the template's format.")
        parser.add_argument("--user", required=True, help="Username of the importing account (its rights apply).")
        parser.add_argument("--unit", help="Default service unit id for rows without a `unit` cell.")
        parser.add_argument("--preview", action="store_true", help="Print what would happen; save nothing.")
        parser.add_argument("--language", default="id", choices=["id", "en"], help="Language of the error report.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, user, unit, preview, language, no_progress, **options):
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
                user=account, uploaded=handle, filename=file, default_unit=default_unit, progress=progress,
                preview=preview,
            )  # fmt: skip
        if show:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        if report.file_error:
            raise CommandError(report.file_error)
        if preview:
            for plan in report.plans:
                self.stdout.write(self._line(plan))
        if report.error_count:
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
            rows = sorted({e.row for e in report.errors})
            listed = ", ".join(str(r) for r in rows[:50]) + (" ..." if len(rows) > 50 else "")
            raise CommandError(
                f"{report.error_count} problems in {report.rejected_rows} rows of {report.rows} (rows {listed}); "
                "nothing was imported."
            )
        counts = report.counts
        summary = (
            f"{counts.get('create', 0):,} to create, {counts.get('merge', 0):,} merged into duplicates, "
            f"{counts.get('skip', 0):,} skipped, {counts.get('awards', 0):,} awards"
        )
        if preview:
            self.stdout.write(f"Preview of {report.rows:,} rows: {summary}. Nothing was saved ({elapsed:.1f} s).")
        else:
            self.stdout.write(f"Imported {report.created:,} innovations as drafts ({summary}) in {elapsed:.1f} s.")

    @staticmethod
    def _line(plan: dict) -> str:
        text = f"row {plan['row']}: {ACTIONS[plan['action']]} “{plan['title']}”"
        if plan.get("agency"):
            text += f" — {plan['agency']}"
            if plan.get("agency_text") and plan.get("how") not in (None, "exact"):
                text += f" (from “{plan['agency_text']}”, {plan.get('how')}, {plan.get('confidence', 0):.0%})"
        if plan.get("unit"):
            text += f" / {plan['unit']}"
        if plan.get("award"):
            text += f" [award {plan['award']}]"
        if plan.get("duplicate") == "registry":
            text += f" = registry #{plan['duplicate_id']} “{plan['duplicate_title']}”"
        elif plan.get("duplicate") == "file":
            text += f" = row {plan['duplicate_row']}"
        for column, message in plan.get("errors", []):
            text += f"\n    {column or '-'}: {message}"
        if plan["action"] == "refuse" and plan.get("candidates"):
            text += "\n    candidates: " + "; ".join(f"{name} ({score:.0%})" for _pk, name, score in plan["candidates"])
        return text
