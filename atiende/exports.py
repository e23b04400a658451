"""Files people open in a spreadsheet program: CSV and Excel (xlsx), written one way for
every export (portal lists, SLA report...).

What users typed (a subject, a company's name) is data, never a formula. Excel and
LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and old DDE forms such as
`=cmd|' /C calc'!A0`), so a subject could send the next cells to a stranger's server
or start a program on the reader's computer. In Excel files every text is written as a
text cell, never a formula; in CSV, where a cell has no type, a text that a spreadsheet
would read as a formula gets a leading apostrophe, as OWASP recommends ("CSV
injection"). Numbers, dates and times keep their types.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils.http import content_disposition_header

Cell = str | int | float | Decimal | datetime.date | None
Row = Sequence[Cell]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What starts a formula in Excel, LibreOffice or Google Sheets, in ASCII and full width
# (some spreadsheet programs read ＝ as =), and the control characters that
# move to another cell before one.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# What a spreadsheet program may skip before reading the first character.
SKIPPED = " \u00a0\u3000\"'\x00\x0b\x0c"
EXCEL_CELL_LIMIT = 32_767


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could read `text` as a formula: it starts with a
    formula character, also after leading spaces or quotes."""
    return bool(text) and (text[0] in FORMULA_STARTS or text.lstrip(SKIPPED)[:1] in FORMULA_STARTS)


def csv_text_cell(text: str) -> str:
    """A text for a CSV cell: with a leading apostrophe when it would run as a formula."""
    return f"'{text}" if looks_like_formula(text) else text


def _csv_cell(value: Cell) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, int | float | Decimal):
        return value
    return csv_text_cell(str(value))


def csv_text(headers: Row, rows: Iterable[Row]) -> str:
    """The table as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(cell) for cell in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def csv_response(filename: str, headers: Row, rows: Iterable[Row]) -> HttpResponse:
    """A CSV download named `filename` (with its extension). It starts with a byte-order
    mark so spreadsheet programs read the accents right."""
    content = "\ufeff" + csv_text(headers, rows)
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), filename)


def xlsx_bytes(
    sheet_name: str, headers: Row, rows: Iterable[Row], *, widths: dict[int, float] | None = None
) -> bytes:
    """The table as an Excel workbook of one sheet: a bold, frozen header row, texts as
    text cells (never formulas nor links), numbers as numbers, dates as dates."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: write() would never turn a text into a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    # A text that looks like a formula also keeps Excel's "quote prefix", so editing the
    # cell later does not turn it into one either.
    quoted = workbook.add_format({"quote_prefix": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    for column, title in enumerate(headers):
        sheet.write_string(0, column, str(title or ""), bold)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(index, column, value.replace(tzinfo=None), when)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(index, column, value, day)
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(index, column, float(value))
            else:
                text = str(value)[:EXCEL_CELL_LIMIT]
                sheet.write_string(index, column, text, quoted if looks_like_formula(text) else None)
    for column, width in (widths or {}).items():
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(
    filename: str,
    sheet_name: str,
    headers: Row,
    rows: Iterable[Row],
    *,
    widths: dict[int, float] | None = None,
) -> HttpResponse:
    """An Excel download named `filename` (with its extension)."""
    content = xlsx_bytes(sheet_name, headers, rows, widths=widths)
    return _attachment(HttpResponse(content, content_type=XLSX_TYPE), filename)
