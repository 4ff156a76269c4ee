"""The ``.xlsx`` files zhibu writes: the import report (the uploaded rows with the result and the
problems, bad cells marked) and the roster export (花名册).

Text is always written as text: openpyxl would store a string that starts with ``=`` as a formula,
so :func:`put` marks such cells as strings (no formula ever reaches a file zhibu hands out); ID
numbers and phones are text cells (``@``), dates are date cells (``yyyy-mm-dd``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.roster.columns import IGNORED_HEADERS, PROBLEM_HEADER, RESULT_HEADER, column_for
from core.roster.reader import cell_text

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")
BAD_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's "bad" style
BAD_FONT = Font(color="FF9C0006")
AUTHOR = "zhibu"


def put(sheet: Worksheet, row: int, column: int, value: Any, *, text: bool = False) -> Any:
    """Write one cell: dates as dates, ``text`` columns and ``=…`` strings as text."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if text and value is not None and not isinstance(value, str):
        value = cell_text(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # never a formula
    if isinstance(value, dt.date | dt.datetime):
        cell.number_format = DATE_FORMAT
    elif text:
        cell.number_format = TEXT_FORMAT
    return cell


def header_row(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = put(sheet, 1, index, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _width(header: str) -> int:
    column = column_for(header)
    return column.width if column else max(10, 2 * len(header) + 2)


def report_workbook(report: Any) -> bytes:
    """The uploaded rows as they came, then 导入结果 and 错误说明; bad cells filled red with the
    problem as a comment. A second sheet sums it up. Fix the file and import it again as it is
    (the two added columns are ignored on import)."""
    from core.roster.importer import ACTION_LABELS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入报告"
    added = set(IGNORED_HEADERS[1:])
    kept = [i for i, h in enumerate(report.headers) if cell_text(h) not in added]
    headers = [cell_text(report.headers[i]) for i in kept] + [RESULT_HEADER, PROBLEM_HEADER]
    header_row(sheet, headers, [_width(h) for h in headers[:-2]] + [10, 60])
    position = {original: index + 1 for index, original in enumerate(kept)}
    text_columns = {
        i for i in kept if (c := column_for(report.headers[i])) and c.kind in ("id_number", "phone")
    }
    result_column, problem_column = len(kept) + 1, len(kept) + 2
    suffix = "" if report.committed else "（未写入）"
    for line, outcome in enumerate(report.rows, 2):
        for original in kept:
            put(sheet, line, position[original], outcome.cells[original], text=original in text_columns)
        put(sheet, line, result_column, ACTION_LABELS[outcome.action] + suffix)
        messages = []
        for problem in outcome.problems:
            messages.append(f"{problem.column}：{problem.message}" if problem.column else problem.message)
            where = position.get(problem.index) if problem.index is not None else problem_column
            cell = sheet.cell(row=line, column=where or problem_column)
            cell.fill, cell.font = BAD_FILL, BAD_FONT
            note = f"{problem.code}：{problem.message}"
            cell.comment = Comment(f"{cell.comment.text}\n{note}" if cell.comment else note, AUTHOR)
        if messages:
            put(sheet, line, problem_column, "；".join(messages)).font = BAD_FONT
    summary = workbook.create_sheet("汇总")
    facts = report.summary()
    labels = [
        ("文件", facts["file"]),
        ("格式", facts["format"]),
        ("试运行（不写入）", "是" if report.dry_run else "否"),
        ("方式", "全部正确才写入" if facts["mode"] == "ALL_OR_NOTHING" else "只写入正确的行"),
        ("已写入", "是" if report.committed else "否"),
        ("数据行", facts["rows"]),
        ("新增", facts["create"]),
        ("更新", facts["update"]),
        ("无变化", facts["unchanged"]),
        ("有误", facts["invalid"]),
    ]
    for line, (label, value) in enumerate(labels, 1):
        put(summary, line, 1, label).font = HEADER_FONT
        put(summary, line, 2, value)
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 40
    return to_bytes(workbook)


def roster_workbook(export: Any) -> bytes:
    """The roster (花名册): 序号 and the import's columns in Chinese, the header frozen and filtered,
    column widths set, dates as date cells, ID numbers and phones as text. Written in openpyxl's
    write-only mode (constant memory whatever the roster's size)."""
    from openpyxl.cell import WriteOnlyCell

    from core.roster.columns import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    headers = ["序号", *(c.header for c in COLUMNS)]
    for index, width in enumerate([6, *(c.width for c in COLUMNS)], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(export.rows) + 1}"

    def cell(value: Any, *, text: bool = False, bold: bool = False) -> Any:
        item = WriteOnlyCell(sheet, value=value if not (text and value is not None) else str(value))
        if isinstance(item.value, str) and item.value.startswith("="):
            item.data_type = "s"  # never a formula
        if isinstance(value, dt.date):
            item.number_format = DATE_FORMAT
        elif text:
            item.number_format = TEXT_FORMAT
        if bold:
            item.font, item.fill = HEADER_FONT, HEADER_FILL
            item.alignment = Alignment(horizontal="center", vertical="center")
        return item

    sheet.append([cell(h, bold=True) for h in headers])
    text_keys = {c.key for c in COLUMNS if c.kind in ("id_number", "phone")}
    for number, row in enumerate(export.rows, 1):
        sheet.append(
            [cell(number)]
            + [
                cell(row.get(c.key) if row.get(c.key) != "" else None, text=c.key in text_keys)
                for c in COLUMNS
            ]
        )
    return to_bytes(workbook)
