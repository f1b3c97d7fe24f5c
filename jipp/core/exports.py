"""CSV and XLSX downloads of any list: `export_response(fmt, rows, headers, name)`; CSV is streamed.

Every text cell is spreadsheet-safe: text a spreadsheet would run as a formula (starting with =, +,
-, @, a tab or a carriage return) gets a leading apostrophe in CSV, and is written as a text cell
(never a formula) in XLSX. Code writing its own CSV uses `spreadsheet_safe` on every text cell.
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

MAX_ROWS = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @, tab, CR first): prefix a quote.

    A plain number written as text ("-12,5") is left alone.
    """
    if text and text.startswith(_FORMULA_START):
        plain = text.replace(",", "").replace(".", "", 1).lstrip("+-")
        if text[0] in "+-" and plain.isdigit():
            return text
        return "'" + text
    return text


def spreadsheet_safe(value):
    """`value`, neutralised with `safe_cell` if it is text."""
    return safe_cell(value) if isinstance(value, str) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    return safe_cell(str(value))


def _xlsx_cell(sheet, value):
    """A write-only cell; text is always a text cell, so `=HYPERLINK(...)` stays text."""
    if value is None:
        value = ""
    if isinstance(value, bool | int | float):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def export_response(fmt: str, rows, headers: list[str], name: str):
    """A download of `rows` (iterables of cells) under `headers`: CSV streamed, or an XLSX workbook."""
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append([_xlsx_cell(sheet, str(h)) for h in headers])
        for n, row in enumerate(rows):
            if n >= MAX_ROWS:
                break
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow([spreadsheet_safe(str(h)) for h in headers])
        for n, row in enumerate(rows):
            if n >= MAX_ROWS:
                break
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
