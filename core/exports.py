"""Tables to spreadsheets: .xlsx (openpyxl) and CSV, safe to open in Excel or WPS.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read as a formula by a spreadsheet (CSV/formula injection, OWASP). :func:`safe_cell` prefixes such
text with an apostrophe; in .xlsx the cell is also stored as text with the quote prefix set, so
that nothing is evaluated. Numbers stay numbers. CSV is UTF-8 with a byte-order mark, which Excel
needs to read Chinese correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: Excel's limit on a sheet name, and the characters it refuses in one
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = set("[]:*?/\\")


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """The value to write: numbers and dates as they are, text neutralized, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, Decimal, dt.date)):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not exported; give an int, a Decimal or a text")
    text = str(value)
    return "'" + text if is_dangerous(text) else text


def sheet_name(title: str) -> str:
    cleaned = "".join("_" if ch in _SHEET_NAME_BAD else ch for ch in title).strip("'") or "Sheet"
    return cleaned[:_SHEET_NAME_MAX]


def table_to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named after ``title``: a bold header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(title)
    for row_index, row in enumerate([headers, *rows], start=1):
        for column, value in enumerate(row, start=1):
            _xlsx_cell(sheet.cell(row=row_index, column=column), value)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        width = max(len(str(header)) * 2, 10)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width, 40)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(cell: Any, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, Decimal, dt.date, float)):
        cell.value = safe_cell(value)
        return
    # control characters (NUL …) are refused by the .xlsx format: shown as a replacement character
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell.value = text
    # text stays text (a string cell is never evaluated); a formula-looking one gets the quote prefix
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True


def table_to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a BOM, every text cell neutralized."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(safe_cell(v)) for v in row])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
