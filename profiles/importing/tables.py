"""Reading a CSV or XLSX upload into header-keyed rows, with the row numbers a person sees."""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 15 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000


class TableError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row number: the header is row 1
    cells: dict[str, str]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("The CSV file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise TableError(_("The XLSX file cannot be opened. Is it really an Excel workbook?")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> tuple[list[str], list[Row]]:
    """Return the lower-cased header and the non-empty rows of a CSV or XLSX file."""
    if len(data) > MAX_IMPORT_BYTES:
        raise TableError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        grid = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        grid = _read_csv(data)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not grid or not any(grid[0]):
        raise TableError(_("The file is empty: the first row must be the column names."))
    header = [cell.strip().lower() for cell in grid[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for index, values in enumerate(grid[1:], start=2):
        if not any(v.strip() for v in values if v):
            continue
        cells = {column: (values[i].strip() if i < len(values) and values[i] else "")
                 for i, column in enumerate(header)}
        rows.append(Row(number=index, cells=cells))
    if len(rows) > MAX_IMPORT_ROWS:
        raise TableError(_("The file has more than %(n)d rows; split it.") % {"n": MAX_IMPORT_ROWS})
    return header, rows
