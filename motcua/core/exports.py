"""Spreadsheet exports (CSV and XLSX): every cell written through one rule that spreadsheets cannot run.

A text cell that starts with `= + - @`, a tab or a carriage return is read by Excel and LibreOffice as a
formula (`=HYPERLINK(...)` in a citizen's comment becomes a live link in an officer's export; OWASP "CSV
injection"). Such cells are prefixed with an apostrophe, which spreadsheets show as text. Numbers, dates and
booleans are left alone. Importers that read our own workbooks back call `unneutralise`.

    return exports.csv_response("danh-gia.csv", header, rows)
    return exports.xlsx_response("so-theo-doi.xlsx", exports.xlsx_bytes([("Sổ", header, rows)]))
    sheet.append(exports.safe_row(row))    # when a workbook is styled by hand
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet may store it: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def unneutralise(value: Any) -> Any:
    """The value an export neutralised, as it was (for importing our own workbooks back)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> str:
    """UTF-8 CSV with a BOM (Excel opens Vietnamese correctly only with it)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    if header:
        writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    return _attachment(HttpResponse(csv_text(header, rows), content_type=CSV_TYPE), filename)


def xlsx_bytes(
    sheets: Iterable[tuple[str, Sequence[Any], Iterable[Iterable[Any]]]], *, fit_columns: bool = False
) -> bytes:
    """A workbook of (title, header, rows) sheets, header in bold; `fit_columns` sizes columns to content."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        if header:
            sheet.append(safe_row(header))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
        if fit_columns:
            for column in sheet.columns:
                width = max(len(str(c.value or "")) for c in column)
                sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    return _attachment(HttpResponse(content, content_type=XLSX_TYPE), filename)
