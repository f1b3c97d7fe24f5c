"""Bulk import of innovations from CSV or XLSX: validated row by row, then all rows or none.

The flow is `read_table` (file -> header and rows) -> `validate_rows` (every row checked in Python,
every problem collected with its row number and column) -> `save_rows` (one transaction,
`bulk_create`). A file with any rejected row changes nothing; the report lists every problem.

Each created innovation is a draft with the same derived fields as `services.create_innovation`
(unit, agency, region, province, agency type, year started, stemmed search text, tag masks):
we call the same helper (`services.fill_derived`) per row and fill the masks here, because the
bulk path cannot call `create_innovation` 30,000 times within the time budget (one transaction,
a few queries per 500 rows instead of ~10 per row). Audit log entries are written in bulk too,
since `bulk_create` sends no signals.

Who chooses the unit: a UPP operator imports for its own unit only; an Admin Lokal for any unit of
its own agency (given per row by id or name, or a default unit); the Ministry for any unit.

Big files run as a background task (`jipp.registry.tasks.import_innovations_task`); the status
(progress, report) is a small JSON document in the default storage, so the web process and the
worker share it without a model, also on S3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.accounts.models import Role
from jipp.core.files import XLSX, detect_kind, validate_upload
from jipp.regions.models import ServiceUnit
from jipp.registry.models import Category, Innovation, Sdg
from jipp.registry.services import fill_derived

MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 50_000)
MAX_MB = getattr(settings, "IMPORT_MAX_MB", 100)
MAX_REPORTED_ERRORS = 1000  # a report longer than this helps nobody; the count is still exact
BACKGROUND_ROWS = 500  # files with more data rows than this are imported by a background task
FK_FIELDS = ["unit", "agency", "region", "province", "created_by"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, choice, date, bool, categories, sdgs, unit, email
    required: bool = False
    help: str = ""
    example: str = ""
    choices: type | None = None


def _columns() -> list[Column]:
    I = Innovation  # noqa: E741, N806
    return [
        Column("unit", "unit", help=gettext_lazy("Service unit: its id or exact name. Leave empty to use the unit chosen on the import page (a UPP operator always imports for its own unit)."), example="Dinas Kesehatan"),  # noqa: E501
        Column("title", "text", True, gettext_lazy("Title of the innovation (at most 250 characters)."), "Layanan Kesehatan Keliling"),  # noqa: E501
        Column("summary", "text", True, gettext_lazy("Short summary."), "Mobil klinik mendatangi desa terpencil setiap minggu."),  # noqa: E501
        Column("problem", "text", help=gettext_lazy("The problem the innovation solves.")),
        Column("solution", "text", help=gettext_lazy("What the innovation does.")),
        Column("results", "text", help=gettext_lazy("Results so far.")),
        Column("innovator_type", "choice", help=gettext_lazy("A person or a team."), example="team", choices=I.InnovatorType),  # noqa: E501
        Column("innovators", "text", help=gettext_lazy("Names of the innovators; separate them with a semicolon.")),
        Column("start_date", "date", help=gettext_lazy("Date the innovation started: YYYY-MM-DD or DD/MM/YYYY."), example="2022-03-01"),  # noqa: E501
        Column("rollout_date", "date", help=gettext_lazy("Roll-out date: YYYY-MM-DD or DD/MM/YYYY.")),
        Column("stage", "choice", help=gettext_lazy("Stage."), example="in_operation", choices=I.Stage),
        Column("phase", "choice", help=gettext_lazy("Policy phase."), example="creation", choices=I.Phase),
        Column("form", "choice", help=gettext_lazy("Form of the innovation."), example="public_service", choices=I.Form),  # noqa: E501
        Column("is_digital", "bool", help=gettext_lazy("Digital innovation: yes or no."), example="yes"),
        Column("initiator", "choice", help=gettext_lazy("Who initiated it."), example="unit", choices=I.Initiator),
        Column("categories", "categories", help=gettext_lazy("KIPP category codes, separated by a semicolon."), example="health;governance"),  # noqa: E501
        Column("sdgs", "sdgs", help=gettext_lazy("SDG numbers (1-17), separated by a semicolon."), example="3;16"),
        Column("sector", "choice", help=gettext_lazy("Sector."), example="health", choices=I.Sector),
        Column("beneficiaries", "text", help=gettext_lazy("Who benefits.")),
        Column("budget_source", "choice", help=gettext_lazy("Budget source."), example="apbd", choices=I.BudgetSource),  # noqa: E501
        Column("contact_name", "text", help=gettext_lazy("Contact person.")),
        Column("contact_email", "email", help=gettext_lazy("Contact email.")),
        Column("contact_phone", "text", help=gettext_lazy("Contact phone.")),
        Column("website", "text", help=gettext_lazy("Website (https://...).")),
        Column("video_url", "text", help=gettext_lazy("Video link (https://...).")),
        Column("readiness", "choice", help=gettext_lazy("Replication readiness."), example="with_support", choices=I.Readiness),  # noqa: E501
        Column("prerequisites", "text", help=gettext_lazy("Prerequisites for replication.")),
    ]  # fmt: skip


COLUMNS = _columns()
COLUMN_NAMES = [c.name for c in COLUMNS]
BY_NAME = {c.name: c for c in COLUMNS}
TRUE_WORDS = {"yes", "ya", "y", "true", "1", "benar", "digital"}
FALSE_WORDS = {"no", "tidak", "t", "n", "false", "0", "salah", "non-digital", ""}


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (wrong type, encoding, header); nothing was imported."""


@dataclass
class RowError:
    row: int  # the spreadsheet row number (the header is row 1)
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and self.error_count == 0

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("ids")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        errors = [RowError(**e) for e in data.get("errors", [])]
        return cls(
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            errors=errors,
            error_count=data.get("error_count", len(errors)),
            file_error=data.get("file_error", ""),
        )


# Reading ---------------------------------------------------------------------------------------


def read_table(uploaded, *, filename: str = "") -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Header (normalised column names) and an iterator of (row number, cell values).

    `uploaded` is a binary file object (an UploadedFile or an open file). The type is judged
    by the content: an XLSX workbook or else a UTF-8 CSV (comma or semicolon separated).
    Raises ImportFileError for anything else.
    """
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    uploaded.seek(0)
    kind = detect_kind(uploaded)
    if kind is XLSX:
        size = getattr(uploaded, "size", None)
        if size is not None:
            try:
                validate_upload(uploaded, allowed=(XLSX,), max_mb=MAX_MB)
            except ValidationError as exc:
                raise ImportFileError(exc.messages[0]) from None
        return _read_xlsx(uploaded)
    if kind is not None or name.endswith((".xlsx", ".xls")):
        raise ImportFileError(_("This file is not a CSV or XLSX file, whatever its name says. Use the template."))
    return _read_csv(uploaded)


def _normalise_header(cells: Iterable) -> list[str]:
    return [str(c or "").strip().lower().replace(" ", "_").split("/")[0].strip("*") for c in cells]


def _read_xlsx(uploaded) -> tuple[list[str], Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise ImportFileError(_("The workbook cannot be read. Save it again as .xlsx and retry.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = _normalise_header(next(rows))
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None

    def data() -> Iterator[tuple[int, list]]:
        for number, row in enumerate(rows, start=2):
            yield number, list(row)
        workbook.close()

    return header, data()


def _read_csv(uploaded) -> tuple[list[str], Iterator[tuple[int, list]]]:
    uploaded.seek(0)
    raw = uploaded.read()
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_MB * 1024 * 1024:
        raise ImportFileError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": len(raw) / 1024 / 1024, "limit": MAX_MB}
        )
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in raw[:8192]:
        raise ImportFileError(_("This file is not a CSV or XLSX file, whatever its name says. Use the template."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _normalise_header(next(reader))
    except (StopIteration, csv.Error):
        raise ImportFileError(_("The file is empty.")) from None

    def data() -> Iterator[tuple[int, list]]:
        number = 1
        try:
            for row in reader:
                number += 1
                yield number, row
        except csv.Error as exc:
            raise ImportFileError(
                _("Row %(row)d is not valid CSV: %(error)s") % {"row": number, "error": exc}
            ) from None

    return header, data()


def check_header(header: list[str]) -> None:
    """Raise ImportFileError naming unknown, repeated or missing required columns."""
    unknown = [h for h in header if h and h not in BY_NAME]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Use the column names of the template.") % {"columns": ", ".join(unknown)}
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise ImportFileError(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})


# Validating ------------------------------------------------------------------------------------


class UnitResolver:
    """Finds the unit of each row and checks that the importing user may add innovations to it."""

    def __init__(self, user, default_unit: ServiceUnit | None):
        self.user = user
        self.default_unit = default_unit
        self.allowed: dict[int, bool] = {}
        base = ServiceUnit.objects.select_related("agency__region__parent")
        if user.is_ministry:
            self.units = None  # looked up on demand, cached
            self.base = base
        elif user.agency_id and user.role == Role.ADMIN_LOKAL:
            self.units = list(base.filter(agency_id=user.agency_id))
        elif user.unit_id:
            self.units = list(base.filter(pk=user.unit_id))
            self.default_unit = self.units[0] if self.units else None
        else:
            self.units = []
        self.by_id: dict[int, ServiceUnit] = {u.pk: u for u in self.units or []}
        self.by_name: dict[str, list[ServiceUnit]] = {}
        for unit in self.units or []:
            self.by_name.setdefault(unit.name.strip().lower(), []).append(unit)

    def _lookup(self, value: str) -> list[ServiceUnit]:
        if value.isdigit():
            pk = int(value)
            if self.units is None and pk not in self.by_id:
                unit = self.base.filter(pk=pk).first()
                if unit:
                    self.by_id[pk] = unit
            return [self.by_id[pk]] if pk in self.by_id else []
        key = value.strip().lower()
        if self.units is None and key not in self.by_name:
            self.by_name[key] = list(self.base.filter(name__iexact=value.strip())[:2])
        return self.by_name.get(key, [])

    def resolve(self, value: str) -> ServiceUnit:
        """The unit for a row's `unit` cell; raises ValidationError with a message for the report."""
        value = (value or "").strip()
        if not value:
            if self.default_unit is None:
                raise ValidationError(_("Give the service unit (its id or name), or choose a default unit."))
            unit = self.default_unit
        else:
            found = self._lookup(value)
            if not found:
                raise ValidationError(
                    _("No service unit “%(value)s” that you may import for.") % {"value": value[:100]}
                )
            if len(found) > 1:
                raise ValidationError(
                    _("Several service units are named “%(value)s”; give the unit's id.") % {"value": value[:100]}
                )
            unit = found[0]
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = self.user.has_perm("registry.add_innovation", unit)
        if not self.allowed[unit.pk]:
            raise ValidationError(_("You cannot add innovations to the unit “%(unit)s”.") % {"unit": unit.name})
        return unit


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, _label in choices.choices:
        lookup[str(value).lower()] = value
        for language in ("id", "en"):
            with translation.override(language):
                lookup[str(choices(value).label).strip().lower()] = value
    return lookup


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("“%(value)s” is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text[:40]})


def _split(value: str) -> list[str]:
    return [part.strip() for part in str(value).replace(",", ";").split(";") if part.strip()]


class RowValidator:
    """Turns one row of cells into an unsaved Innovation (with derived fields) or a list of errors."""

    def __init__(self, *, user, header: list[str], default_unit: ServiceUnit | None = None):
        self.user = user
        self.header = header
        self.units = UnitResolver(user, default_unit)
        self.choices = {c.name: _choice_lookup(c.choices) for c in COLUMNS if c.choices}
        self.categories = {c.code.lower(): c for c in Category.objects.filter(is_active=True)}
        self.sdgs = {s.number: s for s in Sdg.objects.all()}
        self.now = timezone.now()

    def validate(self, number: int, cells: list) -> tuple[Innovation | None, list[int], list[int], list[RowError]]:
        """Return (innovation, category pks, sdg pks, errors) for one row."""
        errors: list[RowError] = []
        raw = {name: cells[i] if i < len(cells) else None for i, name in enumerate(self.header) if name}
        data: dict = {}
        category_ids: list[int] = []
        sdg_ids: list[int] = []
        category_mask = sdg_mask = 0
        unit = None

        def error(column: str, message) -> None:
            errors.append(RowError(number, column, str(message)))

        for name, value in raw.items():
            column = BY_NAME[name]
            if isinstance(value, str):
                value = value.strip()
            if value is None:
                value = ""
            try:
                if column.kind == "unit":
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)  # a spreadsheet number cell holding a unit id
                    unit = self.units.resolve(str(value))
                elif column.kind == "text":
                    data[name] = (
                        str(value) if not isinstance(value, float) or not value.is_integer() else str(int(value))
                    )
                elif column.kind == "email":
                    if value:
                        validate_email(str(value))
                    data[name] = str(value)
                elif column.kind == "choice":
                    if value != "":
                        key = str(value).strip().lower()
                        if key not in self.choices[name]:
                            allowed = ", ".join(str(v) for v in column.choices.values if v)
                            raise ValidationError(
                                _("“%(value)s” is not one of: %(allowed)s.")
                                % {"value": str(value)[:60], "allowed": allowed}
                            )
                        data[name] = self.choices[name][key]
                elif column.kind == "date":
                    data[name] = _parse_date(value)
                elif column.kind == "bool":
                    if isinstance(value, bool):
                        data[name] = value
                    else:
                        key = str(value).strip().lower()
                        if key in TRUE_WORDS:
                            data[name] = True
                        elif key in FALSE_WORDS:
                            data[name] = False
                        else:
                            raise ValidationError(_("Write yes or no."))
                elif column.kind == "categories":
                    for code in _split(value):
                        category = self.categories.get(code.lower())
                        if category is None:
                            raise ValidationError(_("Unknown category code “%(code)s”.") % {"code": code[:60]})
                        if category.pk not in category_ids:
                            category_ids.append(category.pk)
                            category_mask |= 1 << category.bit
                elif column.kind == "sdgs":
                    for part in _split(value):
                        try:
                            goal = int(float(part))
                        except ValueError:
                            goal = None
                        if goal not in self.sdgs:
                            raise ValidationError(_("“%(value)s” is not an SDG number (1-17).") % {"value": part[:20]})
                        if self.sdgs[goal].pk not in sdg_ids:
                            sdg_ids.append(self.sdgs[goal].pk)
                            sdg_mask |= 1 << goal
            except ValidationError as exc:
                error(name, exc.messages[0])
        if "unit" not in raw:
            try:
                unit = self.units.resolve("")
            except ValidationError as exc:
                error("unit", exc.messages[0])
        if errors:
            # Still check the simple field rules, so the report lists every problem of the row at once.
            self._check_fields(Innovation(**data), errors, number, only_columns=True)
            return None, [], [], errors
        innovation = Innovation(**data)
        innovation.created_by = self.user if self.user.is_authenticated else None
        innovation.status = Innovation.Status.DRAFT
        innovation.created_at = innovation.updated_at = self.now
        fill_derived(innovation, unit)
        innovation.category_mask = category_mask
        innovation.sdg_mask = sdg_mask
        self._check_fields(innovation, errors, number)
        if innovation.start_date and innovation.rollout_date and innovation.rollout_date < innovation.start_date:
            errors.append(RowError(number, "rollout_date", _("The roll-out date is before the start date.")))
        if errors:
            return None, [], [], errors
        return innovation, category_ids, sdg_ids, []

    @staticmethod
    def _check_fields(innovation: Innovation, errors: list[RowError], number: int, only_columns=False) -> None:
        reported = {e.column for e in errors}
        try:
            innovation.clean_fields(exclude=FK_FIELDS)
            innovation.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if only_columns and name not in BY_NAME:
                    continue  # derived fields are filled only for rows without errors
                if name not in reported:
                    errors.append(RowError(number, name if name in BY_NAME else "", messages[0]))


ProgressCallback = Callable[[int, int | None, str], None]


@dataclass
class ValidatedRows:
    innovations: list[Innovation]
    category_ids: list[list[int]]
    sdg_ids: list[list[int]]
    report: ImportReport


def validate_rows(
    *, user, header: list[str], rows: Iterable[tuple[int, list]], default_unit=None, progress=None, total=None
) -> ValidatedRows:
    """Check every row; collect every problem. Nothing is written."""
    check_header(header)
    validator = RowValidator(user=user, header=header, default_unit=default_unit)
    result = ValidatedRows([], [], [], ImportReport())
    report = result.report
    for number, cells in rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue  # blank lines are not rows
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows; split it into several files.") % {"limit": MAX_ROWS}
            )
        innovation, categories, sdgs, errors = validator.validate(number, cells)
        if errors:
            report.error_count += len(errors)
            if len(report.errors) < MAX_REPORTED_ERRORS:
                report.errors.extend(errors[: MAX_REPORTED_ERRORS - len(report.errors)])
        elif not report.error_count:
            # Once a row failed nothing will be saved: stop keeping objects, keep checking.
            result.innovations.append(innovation)
            result.category_ids.append(categories)
            result.sdg_ids.append(sdgs)
        if progress and report.rows % 1000 == 0:
            progress(report.rows, total, "validating")
    if report.rows == 0:
        raise ImportFileError(_("The file has no rows below the header."))
    return result


@transaction.atomic
def save_rows(*, user, validated: ValidatedRows, source: str = "", progress=None) -> list[int]:
    """Insert the validated innovations, their tags and audit entries in one transaction."""
    innovations = validated.innovations
    total = len(innovations)
    batch = 2000
    category_link = Innovation.categories.through
    sdg_link = Innovation.sdgs.through
    for start in range(0, total, batch):
        chunk = innovations[start : start + batch]
        Innovation.objects.bulk_create(chunk, batch_size=500)
        links, goals = [], []
        for innovation, categories, sdgs in zip(
            chunk, validated.category_ids[start : start + batch], validated.sdg_ids[start : start + batch], strict=True
        ):
            links += [category_link(innovation_id=innovation.pk, category_id=c) for c in categories]
            goals += [sdg_link(innovation_id=innovation.pk, sdg_id=s) for s in sdgs]
        category_link.objects.bulk_create(links, batch_size=1000)
        sdg_link.objects.bulk_create(goals, batch_size=1000)
        _log_created(user, chunk, source)
        if progress:
            progress(min(start + batch, total), total, "saving")
    return [i.pk for i in innovations]


def _log_created(user, innovations: list[Innovation], source: str) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Innovation)
    actor = user if user.is_authenticated else None
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(i.pk),
                object_id=i.pk,
                object_repr=i.title[:200],
                action=LogEntry.Action.CREATE,
                changes={"title": ["None", i.title], "unit": ["None", str(i.unit_id)], "status": ["None", i.status]},
                changes_text="",
                actor=actor,
                timestamp=now,
                additional_data={"import": source[:200]},
            )
            for i in innovations
        ],
        batch_size=1000,
    )


def import_innovations(
    *, user, uploaded, filename: str = "", default_unit: ServiceUnit | None = None, progress=None
) -> ImportReport:
    """Import a CSV/XLSX file of innovations as drafts: every row or none.

    Returns an ImportReport: `created` rows and their ids when all rows were valid; otherwise
    `errors` (row, column, message in the active language) and nothing saved. A file that
    cannot be read at all gives `file_error`. Raises PermissionDenied if the user may not import.
    """
    if not user.has_perm("registry.import_innovations"):
        raise PermissionDenied(_("You cannot import innovations."))
    try:
        header, rows = read_table(uploaded, filename=filename)
        validated = validate_rows(user=user, header=header, rows=rows, default_unit=default_unit, progress=progress)
    except ImportFileError as exc:
        return ImportReport(file_error=exc.messages[0])
    report = validated.report
    if report.error_count:
        return report
    report.ids = save_rows(user=user, validated=validated, source=filename, progress=progress)
    report.created = len(report.ids)
    return report


def count_data_rows(uploaded, *, filename: str = "") -> int:
    """A quick count of the data rows (to decide between importing now and in the background)."""
    try:
        header, rows = read_table(uploaded, filename=filename)
    except ImportFileError:
        return 0
    count = sum(1 for _ in rows)
    uploaded.seek(0)
    return count


# Background jobs: the uploaded file and a status document in the default storage -------------


@dataclass
class ImportJob:
    token: str
    user_id: int
    filename: str
    state: str = "queued"  # queued, validating, saving, done, failed
    processed: int = 0
    total: int | None = None
    report: dict | None = None

    @property
    def status_path(self) -> str:
        return f"imports/{self.token}.json"

    @property
    def file_path(self) -> str:
        return f"imports/{self.token}.upload"

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        if not self.total:
            return 0
        share = self.processed / self.total
        return int(share * 80) if self.state == "validating" else 80 + int(share * 20)

    def save(self) -> None:
        document = json.dumps(asdict(self)).encode()
        if default_storage.exists(self.status_path):
            default_storage.delete(self.status_path)
        default_storage.save(self.status_path, ContentFile(document))

    @classmethod
    def create(cls, *, user, uploaded, filename: str, total: int | None) -> ImportJob:
        prune_jobs()
        job = cls(token=uuid.uuid4().hex, user_id=user.pk, filename=filename[:200], total=total)
        uploaded.seek(0)
        default_storage.save(job.file_path, uploaded)
        job.save()
        return job

    @classmethod
    def load(cls, token: str) -> ImportJob | None:
        if not token.isalnum() or len(token) != 32:
            return None
        path = f"imports/{token}.json"
        if not default_storage.exists(path):
            return None
        with default_storage.open(path, "rb") as handle:
            return cls(**json.loads(handle.read()))

    def run(self, *, user, default_unit=None, language: str = "id") -> ImportReport:
        """Import the stored file (in a worker), keeping the status document up to date."""

        def progress(done: int, total: int | None, state: str) -> None:
            self.state, self.processed = state, done
            if total:
                self.total = total
            self.save()

        with translation.override(language):
            try:
                with default_storage.open(self.file_path, "rb") as handle:
                    report = import_innovations(
                        user=user, uploaded=handle, filename=self.filename, default_unit=default_unit, progress=progress
                    )
            except PermissionDenied as exc:
                report = ImportReport(file_error=str(exc))
            except Exception:
                self.state = "failed"
                self.report = ImportReport(file_error=_("The import failed unexpectedly; nothing was saved.")).as_dict()
                self.save()
                raise
        self.state = "done" if report.ok else "failed"
        self.processed = report.rows
        self.report = report.as_dict()
        self.save()
        if default_storage.exists(self.file_path):
            default_storage.delete(self.file_path)
        return report


def prune_jobs(*, days: int = 7) -> None:
    """Forget import jobs (status and any leftover upload) older than `days`."""
    try:
        _dirs, names = default_storage.listdir("imports")
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - dt.timedelta(days=days)
    for name in names:
        path = f"imports/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue


# The template ----------------------------------------------------------------------------------


def _allowed_values(column: Column) -> str:
    if column.choices:
        return ", ".join(str(v) for v in column.choices.values if v)
    if column.kind == "categories":
        return ", ".join(Category.objects.filter(is_active=True).values_list("code", flat=True))
    if column.kind == "sdgs":
        return "1-17"
    if column.kind == "bool":
        return "yes/ya, no/tidak"
    if column.kind == "date":
        return "YYYY-MM-DD"
    return ""


def template_csv() -> bytes:
    """The CSV template: the header row only (UTF-8 with a BOM, so Excel opens it correctly)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMN_NAMES)
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx() -> bytes:
    """The XLSX template: a data sheet with the header and drop-down lists, and a bilingual instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Inovasi"
    sheet.append(COLUMN_NAMES)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 28 if column.kind == "text" else 18
        if column.choices:
            options = ",".join(str(v) for v in column.choices.values if v)
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)
    guide = workbook.create_sheet("Petunjuk - Instructions")
    intro = [
        ["Petunjuk pengisian", "How to fill in this file"],
        [
            "Isi satu inovasi per baris pada lembar 'Inovasi'. Jangan ubah baris judul kolom. "
            "Semua baris diperiksa; jika ada satu baris yang salah, tidak ada yang disimpan dan Anda "
            "menerima laporan setiap kesalahan (nomor baris, kolom, pesan). Inovasi dibuat sebagai draf.",
            "Fill in one innovation per row on the 'Inovasi' sheet. Do not change the header row. "
            "Every row is checked; if any row is wrong, nothing is saved and you get a report of every "
            "problem (row number, column, message). Innovations are created as drafts.",
        ],
        [],
    ]
    for line in intro:
        guide.append(line)
    guide["A1"].font = guide["B1"].font = Font(bold=True, size=13)
    guide.append(
        ["Kolom / Column", "Wajib / Required", "Nilai / Values", "Keterangan", "Description", "Contoh / Example"]
    )
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        with translation.override("id"):
            help_id = str(column.help)
        with translation.override("en"):
            help_en = str(column.help)
        guide.append(
            [
                column.name,
                "ya / yes" if column.required else "",
                _allowed_values(column),
                help_id,
                help_en,
                column.example,
            ]
        )
    for letter, width in zip("ABCDEF", (18, 14, 40, 60, 60, 30), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
