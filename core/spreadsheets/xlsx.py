"""Writing ``.xlsx``: the one place zhibu turns values into cells.

Every file zhibu hands out (an export, an import report) goes through here, so they all look and
behave alike: Chinese headers in a bold, shaded, **frozen** first row with a filter, column widths
set, dates as date cells (``yyyy-mm-dd``), instants in Beijing time, money as numbers
(``#,##0.00``), rates as percentages, ID numbers and phones as text cells (``@``), and **never a
formula**: openpyxl stores a string that starts with ``=`` as a formula, so such strings are marked
as text.

:func:`write_workbook` writes a list of :class:`Sheet` in openpyxl's write-only mode (memory stays
flat however many rows); :func:`put` and :func:`header_row` write single cells of an ordinary
workbook (the import report, which marks cells and adds comments).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets.reader import cell_text

DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center")
BAD_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's "bad" style
BAD_FONT = Font(color="FF9C0006")
#: the product's days and times are Beijing time (as in core.services.statistics)
TIMEZONE = ZoneInfo("Asia/Shanghai")

# cell types of a column
TEXT, CODE, NUMBER, MONEY, DATE, MONTH, DATETIME, PERCENT, AUTO = (
    "text", "code", "number", "money", "date", "month", "datetime", "percent", "auto",
)  # fmt: skip


@dataclass(frozen=True)
class Col:
    """A column of a sheet: its header, width (characters) and cell type — ``text``; ``code`` (ID
    numbers, phones: text cells); ``number``; ``money`` (two decimals); ``date``; ``month``;
    ``datetime``; ``percent`` (a 0–1 rate); ``auto`` (by the value: the label/value sheets)."""

    header: str
    width: int = 12
    type: str = TEXT


@dataclass(frozen=True)
class Typed:
    """A value written with its own cell type, whatever its column's (``Typed(0.93, PERCENT)`` in a
    label/value sheet)."""

    value: Any
    type: str


@dataclass
class Sheet:
    title: str
    columns: list[Col]
    rows: list[list[Any]] = field(default_factory=list)


def _instant(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: an aware instant becomes Beijing wall-clock time."""
    if value.tzinfo is not None:
        value = value.astimezone(TIMEZONE).replace(tzinfo=None)
    return value.replace(microsecond=0)


def cell_value(value: Any, type_: str = AUTO) -> tuple[Any, str | None]:
    """(value to store, number format) of ``value`` in a column of ``type_``."""
    if isinstance(value, Typed):
        value, type_ = value.value, value.type
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, str) and type_ != CODE:
        return value, None  # a label in a column of numbers or dates (合计) is text
    if type_ == AUTO:
        if isinstance(value, dt.datetime):
            type_ = DATETIME if value.time() != dt.time() or value.tzinfo else DATE
        elif isinstance(value, dt.date):
            type_ = DATE
        elif isinstance(value, Decimal):
            type_ = MONEY
        elif isinstance(value, int | float):
            type_ = NUMBER
        else:
            type_ = TEXT
    if type_ == CODE:
        return cell_text(value), TEXT_FORMAT
    if type_ in (DATE, MONTH):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day, DATE_FORMAT if type_ == DATE else MONTH_FORMAT
    if type_ == DATETIME:
        if not isinstance(value, dt.datetime):
            return value, DATE_FORMAT
        return _instant(value), DATETIME_FORMAT
    if type_ == MONEY:
        return Decimal(value), MONEY_FORMAT
    if type_ == PERCENT:
        return float(value), PERCENT_FORMAT
    if type_ == NUMBER:
        return value, None
    return cell_text(value), None


def _write_only_cell(sheet: Any, value: Any, type_: str) -> Any:
    stored, number_format = cell_value(value, type_)
    if number_format is None and not (isinstance(stored, str) and stored.startswith("=")):
        return stored  # a plain value: openpyxl writes it as it is (a third faster than a cell object)
    cell = WriteOnlyCell(sheet, value=stored)
    if isinstance(stored, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if number_format:
        cell.number_format = number_format
    return cell


def _header_cell(sheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def write_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an ``.xlsx`` (write-only mode: constant memory per row). CPU-bound: callers
    run it in a worker thread."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        for index, column in enumerate(spec.columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(spec.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(spec.rows) + 1}"
        sheet.append([_header_cell(sheet, column.header) for column in spec.columns])
        types = [column.type for column in spec.columns]
        for row in spec.rows:
            sheet.append([_write_only_cell(sheet, value, t) for value, t in zip(row, types, strict=True)])
    return to_bytes(workbook)


def facts_sheet(title: str, facts: list[tuple[str, Any]]) -> Sheet:
    """A two-column sheet of labels and values (what a run or a report was)."""
    return Sheet(title, [Col("项目", 18), Col("内容", 40, AUTO)], [[label, value] for label, value in facts])


# --- single cells of an ordinary workbook (the import report) ----------------------------------


def put(sheet: Worksheet, row: int, column: int, value: Any, *, text: bool = False) -> Any:
    """Write one cell: dates as dates, ``text`` columns and every string as text."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if text and value is not None and not isinstance(value, str):
        value = cell_text(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
    if isinstance(value, dt.date | dt.datetime):
        cell.number_format = DATE_FORMAT
    elif text:
        cell.number_format = TEXT_FORMAT
    return cell


def header_row(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = put(sheet, 1, index, header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
