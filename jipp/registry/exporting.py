"""Export of a catalogue search result as CSV, XLSX or JSON.

The rows are the same as the catalogue's (`selectors.search_catalogue` with the same GET
parameters, read by primary key in chunks). CSV and JSON stream (constant memory, any size up
to the cap); XLSX is written with openpyxl's write-only mode to a temporary file. Every format
stops at EXPORT_MAX_ROWS (100,000 by default), which covers the whole national registry.

Categories and SDGs are read from the row's bit masks, so an export runs one query per 2,000 rows
and no query per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Iterator

from django.conf import settings

from jipp.registry.awards import TierBook
from jipp.registry.filters import parse_catalogue_params
from jipp.registry.models import Award, Category, Innovation, Sdg
from jipp.registry.selectors import CatalogueQuery, catalogue_queryset, search_catalogue

MAX_ROWS = getattr(settings, "EXPORT_MAX_ROWS", 100_000)
CHUNK = 2000
FORMATS = ("csv", "xlsx", "json")
EXPORT_FIELDS = [
    ("id", "id"),
    ("title", "title"),
    ("agency", "agency__name"),
    ("agency_slug", "agency__slug"),
    ("unit", "unit__name"),
    ("province", "province__name"),
    ("province_code", "province__code"),
    ("region", "region__name"),
    ("region_code", "region__code"),
    ("agency_type", "agency_type"),
    ("summary", "summary"),
    ("stage", "stage"),
    ("phase", "phase"),
    ("form", "form"),
    ("is_digital", "is_digital"),
    ("initiator", "initiator"),
    ("sector", "sector"),
    ("start_date", "start_date"),
    ("rollout_date", "rollout_date"),
    ("year_started", "year_started"),
    ("continuity", "continuity"),
    ("award_tier", "award_tier"),
    ("replication_count", "replication_count"),
    ("has_legal_basis", "has_legal_basis"),
    ("readiness", "readiness"),
    ("website", "website"),
    ("video_url", "video_url"),
    ("published_at", "published_at"),
]
HEADER = [name for name, _path in EXPORT_FIELDS] + ["categories", "sdgs", "awards"]

# Query parameters: one declared filter set for the catalogue, the API and the exports (filters.py).

parse_catalogue_params = parse_catalogue_params  # re-exported for callers of this module


# Rows ------------------------------------------------------------------------------------------


def _bits(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def _ordered_ids(query: CatalogueQuery, limit: int):
    """The result's ids in catalogue order (from the catalogue's search), or None to use a queryset."""
    result = search_catalogue(query, with_facets=False)
    if not result.searchable:
        return []
    ids = getattr(result.queryset, "ids", None)
    return None if ids is None else [int(i) for i in ids[:limit]]


def export_rows(query: CatalogueQuery, *, limit: int = MAX_ROWS) -> Iterator[dict]:
    """Dicts of the export columns for the search result, in catalogue order, at most `limit`.

    The order and matches come from the catalogue's search (`search_catalogue`); rows are then
    read by primary key, CHUNK at a time (one query each, constant memory).
    """
    categories = dict(Category.objects.values_list("bit", "code"))
    sdg_numbers = set(Sdg.objects.values_list("number", flat=True))
    paths = [path for _name, path in EXPORT_FIELDS] + ["category_mask", "sdg_mask"]
    ids = _ordered_ids(query, limit)
    if ids is None:  # fall back to the ordered queryset
        qs = catalogue_queryset(query)
        chunks = [] if qs is None else [list(qs.values_list(*paths)[:limit].iterator(chunk_size=CHUNK))]
    else:
        chunks = (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))
    book = TierBook()
    for chunk in chunks:
        if chunk and not isinstance(chunk[0], tuple):
            by_id = {row[0]: row for row in Innovation.objects.filter(pk__in=chunk).values_list(*paths)}
            chunk = [by_id[i] for i in chunk if i in by_id]
        awards: dict[int, list[str]] = {}
        for innovation_id, year, tier, competition in (
            Award.objects.filter(innovation_id__in=[v[0] for v in chunk])
            .order_by("-year", "tier")
            .values_list("innovation_id", "year", "tier", "competition")
        ):
            found = book.get(year=year, code=tier, competition=competition)
            awards.setdefault(innovation_id, []).append(f"{year} {found.name if found else tier}")
        for values in chunk:
            row = {name: value for (name, _path), value in zip(EXPORT_FIELDS, values, strict=False)}
            row["categories"] = [categories[b] for b in _bits(values[-2] or 0) if b in categories]
            row["sdgs"] = [n for n in _bits(values[-1] or 0) if n in sdg_numbers]
            row["awards"] = "; ".join(awards.get(values[0], []))
            yield row


def _flat(value):
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # no formula injection when the file is opened in a spreadsheet
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_chunks(query: CatalogueQuery, *, limit: int = MAX_ROWS) -> Iterator[str]:
    """The CSV text in pieces (UTF-8 BOM first, so Excel reads the Indonesian text correctly)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    buffer = []
    for row in export_rows(query, limit=limit):
        buffer.append(writer.writerow([_flat(row[name]) for name in HEADER]))
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def json_chunks(query: CatalogueQuery, *, limit: int = MAX_ROWS) -> Iterator[str]:
    """A JSON document {"query": ..., "results": [...]} in pieces."""
    meta = {name: value for name, value in vars(query).items() if value not in ("", None)}
    yield '{"query": ' + json.dumps(meta, ensure_ascii=False) + ', "limit": ' + str(limit) + ', "results": ['
    first = True
    buffer = []
    for row in export_rows(query, limit=limit):
        text = json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False)
        buffer.append(text if first else "," + text)
        first = False
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    buffer.append("]}")
    yield "".join(buffer)


def xlsx_file(query: CatalogueQuery, *, limit: int = MAX_ROWS):
    """A temporary file (rewound) holding the XLSX workbook of the search result."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inovasi")
    bold = Font(bold=True)
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in export_rows(query, limit=limit):
        values = []
        for name in HEADER:
            value = row[name]
            if isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None)
            elif isinstance(value, list | bool) or (isinstance(value, str) and value[:1] in ("=", "+", "-", "@")):
                value = _flat(value)
            values.append(value)
        sheet.append(values)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (returned open, closed by FileResponse)
    workbook.save(handle)
    handle.seek(0)
    return handle
