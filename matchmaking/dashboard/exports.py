"""A dashboard table as CSV or XLSX: the same rows as on the page, numbers as numbers."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import DECIMAL, MONEY, Table


def _plain(value):
    """Lazy translations become text; Decimals stay numbers (int when whole, so Excel shows no '.00')."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, int | float):
        return value
    return str(value)


def table_rows(table: Table) -> list[list]:
    """The header, the rows and the footer (when the table has one) as plain values."""
    rows = [[str(column.label) for column in table.columns]]
    rows += [[_plain(v) for v in row] for row in table.rows]
    if table.footer:
        rows.append([_plain(v) for v in table.footer])
    return rows


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), comma-separated, header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table_rows(table):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in str(table.title) if c not in "[]:*?/\\")[:31] or table.key[:31]
    rows = table_rows(table)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(table.columns, start=1):
        number_format = {MONEY: "#,##0", DECIMAL: "#,##0.##"}.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[cell.column_letter if rows[1:] else "A"].width = 18
    sheet.column_dimensions["A"].width = 45
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
