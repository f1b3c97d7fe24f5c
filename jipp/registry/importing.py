"""Bulk import of innovations from CSV or XLSX: validated row by row, then all rows or none.

The flow is `read_table` (file -> header and rows) -> `validate_rows` (every row checked in Python,
every problem collected with its row number and column) -> `save_rows` (one transaction,
`bulk_create`). A file with any rejected row changes nothing; the report lists every problem.

Each created innovation is a draft with the same derived fields as `services.create_innovation`
(unit, agency, region, province, agency type, year started, stemmed search text, tag masks):
we call the same helper (`services.fill_derived`) per row and fill the masks here, because the
bulk path cannot call `create_innovation` 30,000 times within the time budget (one transaction,
a few queries per 500 rows instead of ~10 per row). `bulk_create` sends no signals, so the import
writes one audit entry for the whole file (with the ids it created) and schedules one refresh of the
similar innovations after it commits; publishing a batch tells the apps above once.

Who chooses the unit: a UPP operator imports for its own unit only; an Admin Lokal for any unit of
its own agency (given per row by id or name, or a default unit); the Ministry for any unit.

With an `agency` column (as people write it: "Pemkot Surabaya", "Kementerian Hukum dan HAM") the
agency is resolved by `jipp.regions` (aliases + fuzzy matching); a row it is not sure of is refused
with its candidates until the user chooses (a decision per row, which can be saved as an alias).
Rows may carry one award each (award_year, award_tier as in the decree); a file without `summary`
holds awards of innovations already in the registry. Duplicates (same agency, near-identical title,
within the file or against the registry) are merged by default (their awards are added), or
skipped or created as the user decides.

In the web flow a file becomes an `ImportBatch`: checked (the preview: each row's plan, saving
nothing), imported (the same check with the same decisions, then saved), published as a whole;
the row report is kept and downloadable. Big files are checked and imported by a background task
(`jipp.registry.tasks.import_batch_task`) with progress on the batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.accounts.models import Role
from jipp.core.files import XLSX, detect_kind, store_file, validate_upload
from jipp.regions.domain.resolver import FUZZY_SHOW, Resolution, fold
from jipp.regions.models import UNSPECIFIED_UNIT_NAME, Agency, ServiceUnit
from jipp.regions.services import agency_matcher, region_by_place
from jipp.registry.awards import SUMMARY_ORDER, TierBook, award_title, refresh_award_summary
from jipp.registry.bounds import EARLIEST_YEAR, bounds_message, latest_year, validate_date
from jipp.registry.models import Award, AwardTier, Category, ImportBatch, Innovation, Sdg
from jipp.registry.services import fill_derived, fill_search_columns, published_changed
from jipp.registry.tasks import schedule_full_similar_refresh

MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 50_000)
MAX_MB = getattr(settings, "IMPORT_MAX_MB", 100)
MAX_REPORTED_ERRORS = 1000  # a report longer than this helps nobody; the count is still exact
BACKGROUND_ROWS = 500  # files with more data rows than this are imported by a background task
PROGRESS_EVERY = 250  # rows checked between two progress updates of a batch
FIELD_NAMES = [f.name for f in Innovation._meta.concrete_fields]
DUPLICATE_SIMILARITY = 0.9  # titles this similar (after folding) within one agency are the same innovation


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
        Column("agency", "agency", help=gettext_lazy("The agency as people write it: its official name, Pemprov/Pemkab/Pemkot ..., a ministry's short name, or the region's name. With it, “unit” is the unit's name; without a unit the innovation goes to the agency's “unit not specified”."), example="Pemkot Surabaya"),  # noqa: E501
        Column("innovation_id", "innovation_id", help=gettext_lazy("Awards file only: the id of an innovation already in the registry (or give agency and title).")),  # noqa: E501
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
        Column("award_year", "award_year", help=gettext_lazy("Year of a KIPP award (optional)."), example="2019"),
        Column("award_tier", "award_tier", help=gettext_lazy("Tier of that award as in the decree: Top 9, Top 25, Top 35, Top 40, Top 45, Top 99, Outstanding Achievement, Top 5 Replikasi, Finalis Replikasi, Terpuji."), example="Top 45"),  # noqa: E501
        Column("award_category", "award_text", help=gettext_lazy("Category of the award (e.g. Umum, Replikasi, Khusus).")),  # noqa: E501
        Column("decree_number", "award_text", help=gettext_lazy("Number of the decree naming the award.")),
        Column("decree_date", "award_date", help=gettext_lazy("Date of the decree: YYYY-MM-DD or DD/MM/YYYY.")),
        Column("source_url", "award_text", help=gettext_lazy("Where the award list was published (https://...).")),
    ]  # fmt: skip


COLUMNS = _columns()
COLUMN_NAMES = [c.name for c in COLUMNS if c.name != "innovation_id"]
AWARD_COLUMNS = ["innovation_id", "agency", "title", "award_year", "award_tier", "award_category", "decree_number",
                 "decree_date", "source_url"]  # fmt: skip
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
    # What each row will do (the preview) or did: one dict per row (see RowValidator.validate).
    plans: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # create, merge, skip, refuse, awards

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
            plans=data.get("plans", []),
            counts=data.get("counts", {}),
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
        # data_only=False: a formula cell is kept as its text ("=..."), never as a computed value.
        workbook = load_workbook(uploaded, read_only=True, data_only=False)
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


def file_kind(header: list[str]) -> str:
    """'awards' for a file of awards of innovations already in the registry, else 'innovations'."""
    return "awards" if "summary" not in header and "award_year" in header else "innovations"


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
    if file_kind(header) == "awards":
        missing = [c for c in ("award_year", "award_tier") if c not in header]
        if "innovation_id" not in header and not {"agency", "title"} <= set(header):
            missing.append("innovation_id / agency + title")
    else:
        missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if ("award_year" in header) != ("award_tier" in header):
        raise ImportFileError(_("Give both award_year and award_tier, or neither."))


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


def title_key(title: str) -> str:
    """A title for duplicate detection: folded, punctuation and repeated spaces removed."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(title)).split())


class TitleIndex:
    """One agency's titles (keys), with the words of each, to find near-identical ones without comparing all."""

    def __init__(self):
        self.keys: dict[str, object] = {}
        self.by_word: dict[str, set[str]] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def __getitem__(self, key: str):
        return self.keys[key]

    def __setitem__(self, key: str, value) -> None:
        self.keys[key] = value
        for word in set(key.split()):
            self.by_word.setdefault(word, set()).add(key)

    def __len__(self) -> int:
        return len(self.keys)

    def near(self, key: str) -> str | None:
        """An identical key, or the most similar one sharing at least half of the words (ratio >= cutoff)."""
        if key in self.keys:
            return key
        words = set(key.split())
        shared: dict[str, int] = {}
        for word in words:
            for other in self.by_word.get(word, ()):
                shared[other] = shared.get(other, 0) + 1
        wanted = max(1, len(words) // 2)
        return _near(key, [other for other, n in shared.items() if n >= wanted])


_DIGITS = re.compile(r"\d+")


def _near(key: str, others: Iterable[str], *, cutoff: float = DUPLICATE_SIMILARITY) -> str | None:
    """The most similar of `others` to `key` at or above `cutoff` (near-identical titles), or None."""
    others = list(others)
    if not others:
        return None
    numbers = _DIGITS.findall(key)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    best, best_score = None, cutoff
    for other in others:
        if _DIGITS.findall(other) != numbers:
            continue  # 'Layanan 1' and 'Layanan 10', 'SIM Keliling 2019' and '... 2020' are different innovations
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
            continue
        score = matcher.ratio()
        if score >= best_score:
            best, best_score = other, score
    return best


class RowValidator:
    """Turns one row of cells into an unsaved Innovation (with derived fields) or a list of errors,
    and says what the row will do (its plan): create, merge into a duplicate, skip, or refuse."""

    def __init__(self, *, user, header: list[str], default_unit: ServiceUnit | None = None, decisions=None):
        self.user = user
        self.header = header
        self.kind = file_kind(header)
        self.decisions: dict = {str(k): v for k, v in (decisions or {}).items()}
        self.units = UnitResolver(user, default_unit)
        self.choices = {c.name: _choice_lookup(c.choices) for c in COLUMNS if c.choices}
        self.categories = {c.code.lower(): c for c in Category.objects.filter(is_active=True)}
        self.sdgs = {s.number: s for s in Sdg.objects.all()}
        self.now = timezone.now()
        self.matcher = agency_matcher() if "agency" in header else None
        self.tiers = TierBook() if "award_year" in header else None
        self.award_bases: dict[int, dict] = {}
        self.latest_year = latest_year()
        self.agencies: dict[int, Agency] = {}
        self.agency_units: dict[int, dict[str, ServiceUnit]] = {}
        self.existing: dict[int, TitleIndex] = {}  # agency id -> title key -> (id, title)
        self.in_file: dict[int, TitleIndex] = {}  # agency id -> title key -> index of the row's plan
        self.may_add: dict[int, bool] = {}  # agency id -> may the user add innovations to it
        self.plans: list[dict] = []
        self.last_award: dict | None = None
        if self.matcher is not None:
            self._preload()

    def _preload(self) -> None:
        """Agencies, their units and the registry's titles in three queries (a file names hundreds of agencies)."""
        self.agencies = {a.pk: a for a in Agency.objects.select_related("region__parent")}
        self.unit_rows: dict[int, list[tuple]] = {}
        for row in ServiceUnit.objects.values_list("pk", "agency_id", "name", "is_unspecified", "region_id"):
            self.unit_rows.setdefault(row[1], []).append(row)
        for pk, agency_id, title in Innovation.objects.exclude(status=Innovation.Status.WITHDRAWN).values_list(
            "pk", "agency_id", "title"
        ):
            self.existing.setdefault(agency_id, TitleIndex())[title_key(title)] = (pk, title)
        self.preloaded = True

    # Agencies and units ------------------------------------------------------------------------

    def _agency(self, agency_id: int) -> Agency | None:
        if agency_id not in self.agencies:
            found = Agency.objects.select_related("region__parent").filter(pk=agency_id).first()
            if found is None:
                return None
            self.agencies[agency_id] = found
        return self.agencies[agency_id]

    def _resolve_agency(self, text: str, number: int, plan: dict) -> tuple[Agency | None, Resolution | None]:
        """The agency of the row: the user's choice for this row, else a sure match; else an error."""
        chosen = (self.decisions.get(str(number)) or {}).get("agency")
        resolution = self.matcher.resolve(text)
        plan["candidates"] = [[c.agency_id, c.name, c.score] for c in resolution.candidates]
        if chosen:
            agency = self._agency(int(chosen))
            if agency is None:
                raise ValidationError(_("The chosen agency no longer exists."))
            plan.update(agency_id=agency.pk, agency=agency.name, confidence=1.0, how="chosen")
            return agency, resolution
        if resolution.accepted is None:
            names = "; ".join(f"{c.name} ({c.score:.0%})" for c in resolution.candidates[:3])
            if resolution.candidates and resolution.confidence < FUZZY_SHOW:
                raise ValidationError(
                    _("No agency matches “%(value)s”; the nearest are: %(names)s. Choose one, or correct the spelling.")
                    % {"value": text[:100], "names": names}
                )
            if resolution.candidates:
                raise ValidationError(
                    _("“%(value)s” is not certain; choose the agency. Nearest: %(names)s.")
                    % {"value": text[:100], "names": names}
                )
            raise ValidationError(_("No agency resembles “%(value)s”.") % {"value": text[:100]})
        agency = self._agency(resolution.accepted.agency_id)
        plan.update(agency_id=agency.pk, agency=agency.name, confidence=resolution.accepted.score,
                    how=resolution.accepted.how)  # fmt: skip
        return agency, resolution

    def _unit_of(self, agency: Agency, name: str, place: str = "") -> ServiceUnit:
        """The agency's unit called `name` (an unsaved one if new; 'unit not specified' when `name` is empty)."""
        if agency.pk not in self.agency_units:
            if getattr(self, "preloaded", False):
                units = [
                    ServiceUnit(pk=pk, agency=agency, name=name, is_unspecified=unspecified, region_id=region_id)
                    for pk, _agency_id, name, unspecified, region_id in self.unit_rows.get(agency.pk, [])
                ]
            else:
                units = list(agency.units.all())
            self.agency_units[agency.pk] = {("" if u.is_unspecified else u.name.strip().lower()): u for u in units}
        units = self.agency_units[agency.pk]
        key = " ".join(name.split()).lower()
        if key not in units:
            unit = ServiceUnit(agency=agency, name=" ".join(name.split())[:200] or UNSPECIFIED_UNIT_NAME,
                               is_unspecified=not key)  # fmt: skip
            unit.place_key = place  # the field office's place, for its region when it is created
            units[key] = unit
        return units[key]

    # Duplicates ---------------------------------------------------------------------------------

    def _registry_titles(self, agency_id: int) -> dict[str, tuple[int, str]]:
        if getattr(self, "preloaded", False):
            return self.existing.setdefault(agency_id, TitleIndex())
        if agency_id not in self.existing:
            index = self.existing[agency_id] = TitleIndex()
            for pk, title in (
                Innovation.objects.filter(agency_id=agency_id)
                .exclude(status=Innovation.Status.WITHDRAWN)
                .values_list("pk", "title")
            ):
                index[title_key(title)] = (pk, title)
        return self.existing[agency_id]

    def _find_duplicate(self, agency_id: int, title: str, plan: dict) -> None:
        key = title_key(title)
        seen = self.in_file.setdefault(agency_id, TitleIndex())
        match = seen.near(key)
        if match is not None:
            first = self.plans[seen[match]]
            plan.update(duplicate="file", duplicate_row=first["row"], duplicate_title=first["title"])
            if first.get("duplicate") == "registry":
                plan.update(duplicate_id=first["duplicate_id"])
            return
        registry = self._registry_titles(agency_id)
        match = registry.near(key)
        if match is not None:
            pk, existing_title = registry[match]
            plan.update(duplicate="registry", duplicate_id=pk, duplicate_title=existing_title)
        seen[key] = len(self.plans)

    # Awards -------------------------------------------------------------------------------------

    def _award(self, raw: dict, error) -> dict | None:
        year_cell, tier_cell = raw.get("award_year"), raw.get("award_tier")
        if year_cell in (None, "") and tier_cell in (None, ""):
            return None
        try:
            year = int(float(str(year_cell).strip()))
        except ValueError:
            error("award_year", _("“%(value)s” is not a year.") % {"value": str(year_cell)[:20]})
            return None
        if not EARLIEST_YEAR <= year <= self.latest_year:
            error("award_year", bounds_message())
            return None
        tier = self.tiers.find(year=year, text=str(tier_cell or ""))
        if tier is None:
            names = ", ".join(self.tiers.names_of_year(year)) or _("none configured")
            error("award_tier", _("“%(tier)s” is not a tier of KIPP %(year)s (tiers: %(names)s).")
                  % {"tier": str(tier_cell)[:60], "year": year, "names": names})  # fmt: skip
            return None
        if tier.pk not in self.award_bases:  # the same few tiers on thousands of rows: label them once
            self.award_bases[tier.pk] = {
                "year": year, "tier": tier.code, "label": f"{year} {tier.name}", "category": tier.category,
                "title": award_title(tier), "decree_number": "", "decree_date": None, "source_url": "",
                "summary": AwardTier.SUMMARY[tier.kind],
            }  # fmt: skip
        award = dict(self.award_bases[tier.pk])
        for name in ("award_category", "decree_number", "source_url"):
            value = str(raw.get(name) or "").strip()
            if value:
                award["category" if name == "award_category" else name] = value[:200]
        if award["source_url"]:
            try:
                URLValidator()(award["source_url"])
            except ValidationError:
                error("source_url", _("Give a full address (https://...)."))
        if raw.get("decree_date") not in (None, ""):
            try:
                award["decree_date"] = _parse_date(raw.get("decree_date"))
                validate_date(award["decree_date"])
            except ValidationError as exc:
                error("decree_date", exc.messages[0])
        return award

    # One row ------------------------------------------------------------------------------------

    def validate(self, number: int, cells: list) -> tuple[Innovation | None, list[int], list[int], list[RowError]]:
        """Return (innovation, category pks, sdg pks, errors) for one row; its plan is appended to `plans`."""
        errors: list[RowError] = []
        raw = {name: cells[i] if i < len(cells) else None for i, name in enumerate(self.header) if name}
        for name, value in raw.items():
            if isinstance(value, str):
                raw[name] = value.strip()
        plan: dict = {"row": number, "action": "create", "title": str(raw.get("title") or "")[:250],
                      "agency_text": str(raw.get("agency") or "")[:200]}  # fmt: skip

        def error(column: str, message) -> None:
            errors.append(RowError(number, column, str(message)))

        agency = unit = None
        resolution = None
        if raw.get("agency") not in (None, ""):
            try:
                agency, resolution = self._resolve_agency(str(raw["agency"]), number, plan)
                if agency is not None and agency.pk not in self.may_add:
                    self.may_add[agency.pk] = self.user.has_perm("registry.add_innovation", ServiceUnit(agency=agency))
                if agency is not None and not self.may_add[agency.pk]:
                    agency = None
                    raise ValidationError(_("You cannot add innovations to this agency."))
            except ValidationError as exc:
                error("agency", exc.messages[0])
        award = self._award(raw, error) if self.tiers else None
        self.last_award = award
        plan["award"] = award["label"] if award else ""
        if self.kind == "awards":
            return self._validate_award_row(number, raw, plan, agency, award, errors)

        data: dict = {}
        category_ids: list[int] = []
        sdg_ids: list[int] = []
        category_mask = sdg_mask = 0
        for name, value in raw.items():
            column = BY_NAME[name]
            if value is None:
                value = ""
            try:
                if column.kind == "unit":
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)  # a spreadsheet number cell holding a unit id
                    if "agency" in raw and raw.get("agency") not in (None, ""):
                        if agency is not None:
                            unit = self._unit_of(agency, str(value))
                    else:
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
        if agency is not None and unit is None:
            # No unit column or an empty cell: a unit the agency's name carried (a field office), else
            # the agency's "unit not specified".
            unit = self._unit_of(agency, resolution.unit_name if resolution else "",
                                 resolution.unit_place if resolution else "")  # fmt: skip
        if unit is None and "unit" not in raw and not errors and "agency" not in raw:
            try:
                unit = self.units.resolve("")
            except ValidationError as exc:
                error("unit", exc.messages[0])
        elif unit is None and "agency" in raw and raw.get("agency") in (None, "") and "unit" not in raw:
            error("agency", _("Give the agency."))
        if unit is not None:
            plan["unit"] = unit.display_name
            if agency is None:
                plan.update(agency_id=unit.agency_id, agency=unit.agency.name)
        if errors:
            # Still check the simple field rules, so the report lists every problem of the row at once.
            self._check_fields(Innovation(**data), errors, number, given=data)
            return self._done(plan, errors, None, [], [])
        innovation = Innovation(**data)
        innovation.created_by = self.user if self.user.is_authenticated else None
        innovation.status = Innovation.Status.DRAFT
        innovation.created_at = innovation.updated_at = self.now
        fill_derived(innovation, unit, search=False)  # the search text only for the rows saved (save_rows)
        innovation.category_mask = category_mask
        innovation.sdg_mask = sdg_mask
        innovation.award_tier = award["summary"] if award else ""
        innovation.import_awards = [award] if award else []
        self._check_fields(innovation, errors, number, given=data)
        if innovation.start_date and innovation.rollout_date and innovation.rollout_date < innovation.start_date:
            errors.append(RowError(number, "rollout_date", _("The roll-out date is before the start date.")))
        if errors:
            return self._done(plan, errors, None, [], [])
        self._find_duplicate(unit.agency_id, innovation.title, plan)
        if plan.get("duplicate"):
            default = "merge"
            choice = (self.decisions.get(str(number)) or {}).get("duplicate") or default
            plan["action"] = {"merge": "merge", "skip": "skip", "create": "create"}.get(choice, default)
            plan["choice"] = plan["action"]
        return self._done(plan, [], innovation, category_ids, sdg_ids)

    def _validate_award_row(self, number, raw, plan, agency, award, errors):
        """A row of an awards file: the award of an innovation already in the registry."""
        target = None
        if raw.get("innovation_id") not in (None, ""):
            try:
                pk = int(float(str(raw["innovation_id"])))
            except ValueError:
                pk = None
            target = Innovation.objects.filter(pk=pk).values_list("pk", "title", "agency_id").first() if pk else None
            if target is None:
                errors.append(RowError(number, "innovation_id", _("No innovation with this id.")))
        elif agency is not None:
            registry = self._registry_titles(agency.pk)
            key = title_key(str(raw.get("title") or ""))
            match = registry.near(key)
            if match is None:
                errors.append(RowError(number, "title", _("No innovation of this agency has this title.")))
            else:
                target = (registry[match][0], registry[match][1], agency.pk)
        if award is None and not any(e.column.startswith("award") for e in errors):
            errors.append(RowError(number, "award_year", _("Give the award's year and tier.")))
        if target is not None:
            if not self.user.has_perm("registry.manage_awards"):
                errors.append(RowError(number, "", _("Only the Ministry records awards.")))
            plan.update(action="merge", duplicate="registry", duplicate_id=target[0], duplicate_title=target[1])
        return self._done(plan, errors, None, [], [])

    def _done(self, plan, errors, innovation, category_ids, sdg_ids):
        if errors:
            plan["action"] = "refuse"
            plan["errors"] = [[e.column, e.message] for e in errors]
        self.plans.append(plan)
        return innovation, category_ids, sdg_ids, errors

    @staticmethod
    def _check_fields(innovation: Innovation, errors: list[RowError], number: int, *, given) -> None:
        """The model's field rules for the fields the row gave (the others hold defaults or derived values)."""
        reported = {e.column for e in errors}
        try:
            innovation.clean_fields(exclude=[name for name in FIELD_NAMES if name not in given])
            innovation.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in reported:
                    errors.append(RowError(number, name if name in BY_NAME else "", messages[0]))


ProgressCallback = Callable[[int, int | None, str], None]


@dataclass
class ValidatedRows:
    innovations: list[Innovation]
    category_ids: list[list[int]]
    sdg_ids: list[list[int]]
    report: ImportReport
    # Awards to add to innovations already in the registry: (innovation id, award dict).
    registry_awards: list[tuple[int, dict]] = field(default_factory=list)


def validate_rows(
    *,
    user,
    header: list[str],
    rows: Iterable[tuple[int, list]],
    default_unit=None,
    progress=None,
    total=None,
    decisions=None,
) -> ValidatedRows:
    """Check every row; collect every problem and each row's plan. Nothing is written."""
    check_header(header)
    validator = RowValidator(user=user, header=header, default_unit=default_unit, decisions=decisions)
    result = ValidatedRows([], [], [], ImportReport())
    report = result.report
    created_at: dict[int, Innovation] = {}  # plan index -> the innovation that row creates
    for number, cells in rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue  # blank lines are not rows
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows; split it into several files.") % {"limit": MAX_ROWS}
            )
        innovation, categories, sdgs, errors = validator.validate(number, cells)
        plan = validator.plans[-1]
        if errors:
            report.error_count += len(errors)
            if len(report.errors) < MAX_REPORTED_ERRORS:
                report.errors.extend(errors[: MAX_REPORTED_ERRORS - len(report.errors)])
        elif plan["action"] == "create" and innovation is not None:
            created_at[len(validator.plans) - 1] = innovation
            if not report.error_count:
                result.innovations.append(innovation)
                result.category_ids.append(categories)
                result.sdg_ids.append(sdgs)
        elif plan["action"] == "merge":
            awards = innovation.import_awards if innovation is not None else []
            if validator.kind == "awards":
                awards = [validator.last_award] if validator.last_award else []
            target = _merge_target(validator, plan, created_at)
            if isinstance(target, Innovation):
                target.import_awards.extend(awards)
                best = max([target.award_tier, *[a["summary"] for a in awards]], key=lambda v: SUMMARY_ORDER[v])
                target.award_tier = best
            elif target is not None:
                result.registry_awards.extend((target, a) for a in awards)
        if progress and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows, total, "validating")
    if report.rows == 0:
        raise ImportFileError(_("The file has no rows below the header."))
    report.plans = validator.plans
    counts = {"create": 0, "merge": 0, "skip": 0, "refuse": 0}
    for plan in validator.plans:
        counts[plan["action"]] += 1
    counts["awards"] = sum(1 for p in validator.plans if p.get("award") and p["action"] in ("create", "merge"))
    counts["ask"] = sum(1 for p in validator.plans if p["action"] == "refuse" and p.get("candidates"))
    report.counts = counts
    return result


def _merge_target(validator: RowValidator, plan: dict, created_at: dict):
    """Where a merged row's awards go: the innovation an earlier row creates, or one already in the registry."""
    if plan.get("duplicate") == "file":
        index = next(i for i, p in enumerate(validator.plans) if p["row"] == plan["duplicate_row"])
        if index in created_at:
            return created_at[index]
        return validator.plans[index].get("duplicate_id")
    return plan.get("duplicate_id")


@transaction.atomic
def save_rows(*, user, validated: ValidatedRows, source: str = "", progress=None) -> list[int]:
    """Insert the validated innovations, their units (new ones), tags, awards and audit entries in one transaction."""
    innovations = validated.innovations
    total = len(innovations)
    batch = 2000
    _save_units(innovations)
    for innovation in innovations:
        fill_search_columns(innovation)
    category_link = Innovation.categories.through
    sdg_link = Innovation.sdgs.through
    for start in range(0, total, batch):
        chunk = innovations[start : start + batch]
        insert_returning_ids(Innovation, chunk)
        links, goals = [], []
        for innovation, categories, sdgs in zip(
            chunk, validated.category_ids[start : start + batch], validated.sdg_ids[start : start + batch], strict=True
        ):
            links += [category_link(innovation_id=innovation.pk, category_id=c) for c in categories]
            goals += [sdg_link(innovation_id=innovation.pk, sdg_id=s) for s in sdgs]
        category_link.objects.bulk_create(links, batch_size=1000)
        sdg_link.objects.bulk_create(goals, batch_size=1000)
        if progress:
            progress(min(start + batch, total), total, "saving")
    _save_awards(innovations, validated.registry_awards)
    ids = [i.pk for i in innovations]
    _log_import(user, ids, source, merged=len(validated.registry_awards))
    if ids:
        # Bulk inserts send no signals: the similar innovations are recomputed once, after the commit.
        schedule_full_similar_refresh()
    return ids


_TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_PLAIN_TYPES = {"BooleanField", "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                "PositiveSmallIntegerField", "PositiveBigIntegerField", "ForeignKey"}  # fmt: skip


def _text_value(value):
    return None if value is None else str(value)


def insert_returning_ids(model, objs: list, *, using: str = "default") -> None:
    """`bulk_create` for many wide rows: the same INSERT ... RETURNING, without the per-value ORM work.

    `bulk_create` spends most of its time preparing each value through several layers (30,000
    innovations x 46 columns); here text, number, boolean and foreign-key values go to the driver as
    they are and only the other types (dates, times, JSON) take the field's own conversion. Fields
    with auto_now(_add) get their pre_save value as in `save`. Sets each object's primary key. Falls
    back to `bulk_create` where the database cannot return the new keys of a multi-row insert.
    """
    from functools import partial
    from operator import attrgetter

    from django.db import connections

    connection = connections[using]
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model.objects.using(using).bulk_create(objs, batch_size=500)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    getters, converters = [], []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            getters.append(partial(f.pre_save, add=True))
        else:
            getters.append(attrgetter(f.attname))
        kind = f.get_internal_type()
        converters.append(_text_value if kind in _TEXT_TYPES else None if kind in _PLAIN_TYPES else
                          partial(f.get_db_prep_save, connection=connection))  # fmt: skip
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(500, connection.ops.bulk_batch_size(fields, objs)))
    pairs = list(zip(getters, converters, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = []
            for obj in chunk:
                for get, convert in pairs:
                    value = get(obj)
                    params.append(value if convert is None else convert(value))
            values = ", ".join([row_sql] * len(chunk))
            # Only the model's own quoted names are in the text; every value is a parameter.
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} RETURNING {quote(meta.pk.column)}"  # noqa: S608  # nosec B608 # quoted model names only; values are params
            cursor.execute(sql, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


def _save_units(innovations: list[Innovation]) -> None:
    """Create the new units the rows named (once each, in bulk) and point the innovations at the saved units.

    The validator loaded every existing unit, so a new one is new; a unit created meanwhile by someone
    else breaks the unique constraint and the whole import is refused (nothing saved).
    """
    new: dict[int, ServiceUnit] = {}
    for innovation in innovations:
        unit = innovation.unit
        if unit.pk is None and id(unit) not in new:
            if not unit.is_unspecified and getattr(unit, "place_key", ""):
                unit.region = region_by_place(unit.place_key)
            new[id(unit)] = unit
    ServiceUnit.objects.bulk_create(list(new.values()), batch_size=500)
    for innovation in innovations:
        innovation.unit = innovation.unit  # the unit now has its primary key: refresh unit_id


def _save_awards(innovations: list[Innovation], registry_awards: list[tuple[int, dict]]) -> None:
    """The rows' awards: on the new innovations, and added to innovations already in the registry (once each)."""
    wanted = [(i.pk, a) for i in innovations for a in getattr(i, "import_awards", [])] + list(registry_awards)
    if not wanted:
        return
    new_ids = {i.pk for i in innovations}
    targets = sorted({pk for pk, _a in wanted if pk not in new_ids})  # new innovations hold no awards yet
    have: set[tuple] = set()
    for start in range(0, len(targets), 900):
        have.update(
            Award.objects.filter(innovation_id__in=targets[start : start + 900], competition="KIPP").values_list(
                "innovation_id", "year", "tier"
            )
        )
    new = []
    for pk, award in wanted:
        if (pk, award["year"], award["tier"]) in have:
            continue  # the same award again (a second upload, or two rows of one innovation)
        have.add((pk, award["year"], award["tier"]))
        new.append(
            Award(
                innovation_id=pk, competition="KIPP", year=award["year"], tier=award["tier"],
                category=award["category"], title=award["title"], decree_number=award["decree_number"],
                decree_date=award["decree_date"], source_url=award["source_url"], is_imported=True,
            )
        )  # fmt: skip
    Award.objects.bulk_create(new, batch_size=1000)
    refresh_award_summary(innovation_ids=[pk for pk, _a in registry_awards])


def _log_import(user, ids: list[int], source: str, *, merged: int = 0) -> None:
    """One audit entry for the whole import (not one per row): who, which file, how many, and the ids created."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    if not ids and not merged:
        return
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Innovation),
        object_pk=str(ids[0]) if ids else "",
        object_id=ids[0] if ids else None,
        object_repr=(f"Import {source}"[:180] + f" ({len(ids)})"),
        action=LogEntry.Action.CREATE,
        changes={"imported": ["", str(len(ids))], "awards_added_to_existing": ["", str(merged)]},
        changes_text="",
        actor=user if user.is_authenticated else None,
        additional_data={"import": source[:200], "created": len(ids), "ids": ids},
    )


def import_innovations(
    *,
    user,
    uploaded,
    filename: str = "",
    default_unit: ServiceUnit | None = None,
    progress=None,
    decisions: dict | None = None,
    preview: bool = False,
) -> ImportReport:
    """Import a CSV/XLSX file of innovations as drafts (with their awards): every row or none.

    Returns an ImportReport: each row's plan (create, merge into a duplicate, skip, refuse) and, when
    all rows were valid and `preview` is false, `created` and their ids; otherwise `errors` (row,
    column, message in the active language) and nothing saved. `decisions` are the user's choices
    per row (agency, what to do with a duplicate). A preview runs exactly the same check as the
    import, so the import saves what the preview showed. A file that cannot be read at all gives
    `file_error`. Raises PermissionDenied if the user may not import.
    """
    if not user.has_perm("registry.import_innovations"):
        raise PermissionDenied(_("You cannot import innovations."))
    try:
        header, rows = read_table(uploaded, filename=filename)
        validated = validate_rows(
            user=user, header=header, rows=rows, default_unit=default_unit, progress=progress, decisions=decisions
        )
    except ImportFileError as exc:
        return ImportReport(file_error=exc.messages[0])
    report = validated.report
    if report.error_count or preview:
        return report
    source = filename or str(getattr(uploaded, "name", "") or "")
    report.ids = save_rows(user=user, validated=validated, source=source, progress=progress)
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


# Import batches: upload, check (the preview), import, publish -----------------------------------


def create_batch(*, user, uploaded, filename: str, default_unit: ServiceUnit | None = None,
                 language: str = "id") -> ImportBatch:  # fmt: skip
    """Keep the uploaded file as a new import batch (nothing is checked or imported yet)."""
    if not user.has_perm("registry.import_innovations"):
        raise PermissionDenied(_("You cannot import innovations."))
    uploaded.seek(0)
    batch = ImportBatch(
        token=uuid.uuid4().hex, created_by=user, filename=filename[:200], default_unit=default_unit,
        language=language[:8],
    )  # fmt: skip
    store_file(batch.file, f"{batch.token}.upload", uploaded)
    batch.total = count_data_rows(batch.file.open("rb"), filename=filename)
    batch.file.close()
    batch.save()
    return batch


def _batch_progress(batch: ImportBatch, *, preview: bool = True):
    """Progress on the batch (`processed` of `total` rows, what the status page shows).

    An import checks every row again, then saves: the check counts for the first half and the saving
    for the second, so the bar never goes back.
    """
    rows = batch.total or 0

    def progress(done: int, total: int | None, state: str) -> None:
        if preview or not rows:
            value = done
        elif state == "validating":
            value = min(done, rows) // 2
        else:
            value = rows // 2 + (rows - rows // 2) * done // max(total or 1, 1)
        ImportBatch.objects.filter(pk=batch.pk).update(processed=value, updated_at=timezone.now())

    return progress


def _run_batch(batch: ImportBatch, *, preview: bool) -> ImportReport:
    with translation.override(batch.language), batch.file.open("rb") as handle:
        try:
            return import_innovations(
                user=batch.created_by, uploaded=handle, filename=batch.filename, default_unit=batch.default_unit,
                progress=_batch_progress(batch, preview=preview), decisions=batch.decisions, preview=preview,
            )  # fmt: skip
        except PermissionDenied as exc:
            return ImportReport(file_error=str(exc))


def check_batch(*, batch: ImportBatch) -> ImportReport:
    """The preview: what every row will do with the batch's decisions. Saves only the report."""
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.CHECKING, processed=0)
    report = _run_batch(batch, preview=True)
    batch.state = ImportBatch.State.CHECKED if report.ok else ImportBatch.State.REFUSED
    batch.kind = "awards" if report.plans and all(p.get("award") and not p.get("unit") for p in report.plans) else (
        batch.kind)  # fmt: skip
    batch.report = _json_report(report)
    batch.summary = dict(report.counts, rows=report.rows, errors=report.error_count)
    batch.processed = report.rows
    batch.save()
    return report


def import_batch(*, user, batch: ImportBatch) -> ImportReport:
    """Import a checked batch: the same check again (same decisions), then save all rows or none."""
    if batch.created_by_id != user.pk and not user.is_ministry:
        raise PermissionDenied(_("This import belongs to someone else."))
    updated = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.CHECKED).update(
        state=ImportBatch.State.IMPORTING, processed=0
    )
    if not updated:
        raise ValidationError(_("Check the file (preview) before importing it; an import runs once."))
    try:
        report = _run_batch(batch, preview=False)
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED)
        raise
    batch.report = _json_report(report)
    batch.summary = dict(report.counts, rows=report.rows, errors=report.error_count, created=report.created)
    if report.ok:
        batch.state = ImportBatch.State.IMPORTED
        batch.created_ids = report.ids
        batch.imported_at = timezone.now()
    else:
        batch.state = ImportBatch.State.REFUSED  # the registry changed since the preview: nothing saved
    batch.processed = report.rows
    batch.save()
    return report


@transaction.atomic
def publish_batch(*, user, batch: ImportBatch) -> int:
    """Publish every innovation the batch created (one action). Returns how many were published."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != ImportBatch.State.IMPORTED:
        raise ValidationError(_("Only an imported batch can be published, once."))
    drafts = Innovation.objects.filter(pk__in=batch.created_ids, status=Innovation.Status.DRAFT)
    for agency_id in drafts.values_list("agency_id", flat=True).distinct():
        sample = drafts.filter(agency_id=agency_id).first()
        if not user.has_perm("registry.publish_innovation", sample):
            raise PermissionDenied(_("Only the agency's Admin Lokal or the Ministry can publish or withdraw."))
    now = timezone.now()
    count = drafts.update(status=Innovation.Status.PUBLISHED, published_at=now, updated_at=now,
                          version=F("version") + 1)  # fmt: skip
    batch.state = ImportBatch.State.PUBLISHED
    batch.published_at = now
    batch.save(update_fields=["state", "published_at", "updated_at"])
    if count:
        # Once for the whole batch (never per innovation): the apps above and the similar innovations.
        published_changed(list(batch.created_ids))
        schedule_full_similar_refresh()
    return count


def _json_report(report: ImportReport) -> dict:
    data = report.as_dict()
    return json.loads(json.dumps(data, default=str))


REPORT_HEADER = ["row", "action", "title", "agency_text", "agency", "confidence", "unit", "award", "duplicate",
                 "duplicate_of", "problems"]  # fmt: skip


def report_csv(batch: ImportBatch) -> bytes:
    """The kept row report as CSV (UTF-8 with BOM); cells that look like formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADER)
    for plan in batch.report.get("plans", []):
        duplicate_of = plan.get("duplicate_id") or (f"row {plan['duplicate_row']}" if plan.get("duplicate_row") else "")
        cells = [plan.get("row"), plan.get("action"), plan.get("title"), plan.get("agency_text"), plan.get("agency", ""),  # noqa: E501
                 plan.get("confidence", ""), plan.get("unit", ""), plan.get("award", ""), plan.get("duplicate", ""),
                 duplicate_of, "; ".join(f"{c or '-'}: {m}" for c, m in plan.get("errors", []))]  # fmt: skip
        writer.writerow([neutralise(c) for c in cells])
    return ("\ufeff" + buffer.getvalue()).encode()


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, made inert (a leading apostrophe)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


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


def template_columns(kind: str = "innovations") -> list[Column]:
    if kind == "awards":
        return [BY_NAME[name] for name in AWARD_COLUMNS]
    return [c for c in COLUMNS if c.name != "innovation_id"]


def template_csv(kind: str = "innovations") -> bytes:
    """The CSV template: the header row only (UTF-8 with a BOM, so Excel opens it correctly)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.name for c in template_columns(kind)])
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx(kind: str = "innovations") -> bytes:
    """The XLSX template: a data sheet with the header and drop-down lists, and a bilingual instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = template_columns(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Penghargaan" if kind == "awards" else "Inovasi"
    sheet.append([c.name for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
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
            "Isi satu baris per inovasi (atau per penghargaan) pada lembar pertama. Jangan ubah baris judul "
            "kolom. Instansi boleh ditulis seperti biasa (Pemkot Surabaya, Pemprov DKI Jakarta, Kementerian "
            "Hukum dan HAM). Setelah diunggah Anda melihat pratinjau: apa yang akan dibuat, digabung, "
            "dilewati atau ditolak; tidak ada yang disimpan sebelum Anda menekan Impor. Inovasi dibuat "
            "sebagai draf dan dapat diterbitkan sekaligus.",
            "Fill in one row per innovation (or per award) on the first sheet. Do not change the header "
            "row. Agencies may be written as people write them (Pemkot Surabaya, Pemprov DKI Jakarta, "
            "Kementerian Hukum dan HAM). After the upload you see a preview: what will be created, merged, "
            "skipped or refused; nothing is saved until you press Import. Innovations are created as "
            "drafts and can be published all at once.",
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
    for column in columns:
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
