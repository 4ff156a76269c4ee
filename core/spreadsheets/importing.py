"""The one import mechanism: a sheet's rows checked, planned, applied through the domain services
and reported row by row. Each kind of import (:mod:`core.imports.members`,
:mod:`core.imports.organizations`) is an :class:`Importer`; :func:`run_import` runs any of them
the same way:

1. :func:`read_upload` reads the file (:mod:`core.spreadsheets.reader`, in a worker thread) —
   file-level refusals are :class:`~core.spreadsheets.reader.ImportFileError`; the importer's
   :class:`~core.spreadsheets.columns.ColumnSet` checks the header;
2. :meth:`Importer.prepare` reads every row's cells (each problem on its row and column), looks up
   what the rows refer to in a constant number of statements, and refuses the whole file
   (``PERMISSION_DENIED``, the rows named) when a row reaches outside the caller's grant;
3. then, row by row in the file's order, :meth:`Importer.plan` decides CREATE, UPDATE (with which
   changes) or UNCHANGED, and :meth:`Importer.apply` writes through the domain services — each row
   in its own savepoint, so a service's refusal is reported on its row and column and undone alone;
4. a dry run, or an all-or-nothing import with any bad row, rolls everything back (the same checks
   ran, in the same order); ``VALID_ROWS`` keeps the valid rows.

One audit record (``<Kind>Import``) carries the counts of every import, dry runs included; written
rows add the services' own create/update records. :func:`report_workbook` writes the report as an
``.xlsx``: the rows as uploaded plus 导入结果 and 错误说明, bad cells marked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.errors import CommonErrorCode, DomainError, ErrorCode, PermissionDenied
from core.spreadsheets.columns import (
    IGNORED_HEADERS,
    PROBLEM_HEADER,
    RESULT_HEADER,
    TEXT_KINDS,
    Column,
    ColumnSet,
)
from core.spreadsheets.reader import Table, cell_text, read_table


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "ALL_OR_NOTHING"
    VALID_ROWS = "VALID_ROWS"


class RowAction(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    UNCHANGED = "UNCHANGED"
    INVALID = "INVALID"


ACTION_LABELS = {
    RowAction.CREATE: "新增",
    RowAction.UPDATE: "更新",
    RowAction.UNCHANGED: "无变化",
    RowAction.INVALID: "有误",
}
_WRITES = (RowAction.CREATE, RowAction.UPDATE)


@dataclass(frozen=True)
class Problem:
    row: int
    #: the header as the file writes it (None: the row as a whole)
    column: str | None
    code: str
    message: str
    #: position of the column in the file (for marking the cell in the report)
    index: int | None = None


@dataclass
class RowOutcome:
    row: int
    cells: list[Any]
    name: str = ""
    action: RowAction = RowAction.INVALID
    #: the record the row is matched to (or created, once written)
    target_id: int | None = None
    #: headers of the columns an update changes
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the cells read, by column key (empty cells left out)
    values: dict[str, Any] = field(default_factory=dict)
    #: the existing record the row is matched to
    existing: Any = None


@dataclass
class ImportReport:
    filename: str
    format: str
    dry_run: bool
    mode: ImportMode
    committed: bool
    headers: list[Any]
    rows: list[RowOutcome]
    columns: ColumnSet

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.rows if row.action is action)

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "format": self.format,
            "dryRun": self.dry_run,
            "mode": self.mode.value,
            "committed": self.committed,
            "rows": len(self.rows),
            **{action.value.lower(): self.count(action) for action in RowAction},
        }


async def read_upload(data: bytes, filename: str) -> Table:
    """The table in an uploaded file (parsed in a worker thread), or an ``ImportFileError``."""
    from core.settings import get_settings

    settings = get_settings()
    return await asyncio.to_thread(
        read_table,
        data,
        filename,
        max_rows=settings.import_max_rows,
        max_unpacked_bytes=settings.import_max_unpacked_bytes,
    )


# --- reading cells ---------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class CellError(Exception):
    """A cell that cannot be read; reported on its row and column. ``code`` is an enum member
    (the report shows its value); ``message`` is the row's own zh-CN message."""

    def __init__(self, message: str, code: ErrorCode = CommonErrorCode.INVALID_INPUT):
        super().__init__(message)
        self.message, self.code = message, code


def read_text(value: Any, column: Column) -> str:
    text = cell_text(value)
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(f"{column.header}不能超过{column.max_length}个字符")
    return text


def read_date(value: Any, column: Column) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise CellError(f"{column.header}“{cell_text(value)}”不是日期：请写到日，如 2010-07-01")


def deny_rows(rows: list[int], reason: str, permission: str) -> PermissionDenied:
    """The whole file refused: ``rows`` reach outside the caller's grant."""
    listed = "、".join(str(r) for r in rows[:10]) + (f" 等{len(rows)}行" if len(rows) > 10 else "")
    return PermissionDenied(f"第{listed}{reason}", field="file", permission=permission, rows=rows)


# --- the importer ------------------------------------------------------------------------------


class Importer:
    """One kind of import. Subclasses set the class attributes and implement :meth:`prepare`,
    :meth:`plan` (unless ``prepare`` plans every row) and :meth:`apply`."""

    #: ``zhibu import <name>``
    name: str = ""
    #: the sheet's columns
    columns: ColumnSet
    #: target type of the import's audit record (``MemberImport``)
    audit_target: str = ""
    #: how cells of each column kind are read (``kind -> reader(value, column)``)
    readers: dict[str, Any] = {"text": read_text, "date": read_date}
    #: the column a service refusal without a known field lands on, by error code
    fallback_keys: dict[ErrorCode, str] = {}

    def __init__(self, table: Table):
        self.headers = table.headers
        self.positions = self.columns.map_headers(table.headers)

    # reading and reporting

    def header(self, key: str) -> str:
        index = self.positions.get(key)
        return cell_text(self.headers[index]) if index is not None else self.columns.by_key[key].header

    def problem(self, outcome: RowOutcome, key: str | None, code: ErrorCode, message: str) -> None:
        """A problem on the row (and on ``key``'s column): ``code`` is an enum member, never a
        string; the report shows its value."""
        self._append(outcome, key, str(code), message)

    def _append(self, outcome: RowOutcome, key: str | None, code: str, message: str) -> None:
        index = self.positions.get(key) if key else None
        column = self.header(key) if key else None
        outcome.problems.append(Problem(outcome.row, column, code, message, index))

    def has_problem(self, outcome: RowOutcome, key: str) -> bool:
        index = self.positions.get(key)
        return any(p.index == index for p in outcome.problems) if index is not None else False

    def read_cells(self, outcome: RowOutcome) -> dict[str, Any]:
        """Every non-empty cell read by its column's reader (a problem per unreadable cell); a
        ``kind`` without a reader keeps the cell's text."""
        values: dict[str, Any] = {}
        for key, index in self.positions.items():
            column = self.columns.by_key[key]
            raw = outcome.cells[index]
            if cell_text(raw) == "":
                continue  # an empty cell changes nothing
            reader = self.readers.get(column.kind)
            try:
                values[key] = reader(raw, column) if reader else cell_text(raw)
            except CellError as error:
                self.problem(outcome, key, error.code, error.message)
        outcome.values = values
        return values

    def refused(self, outcome: RowOutcome, error: DomainError) -> None:
        """A service refused the row: the problem on the column its field names."""
        column = self.columns.by_field.get(error.field or "")
        key = column.key if column else self.fallback_keys.get(error.code)
        # the service's code as it raised it (a third-party plugin's deprecated string code too)
        self._append(outcome, key, error.code, error.message)
        outcome.action = RowAction.INVALID
        if outcome.existing is None:
            outcome.target_id = None

    def discarded(self, outcome: RowOutcome) -> None:
        """Everything was rolled back: rows created have no record after all."""
        if outcome.action is RowAction.CREATE:
            outcome.target_id = None

    # the kind's work

    async def prepare(self, outcomes: list[RowOutcome]) -> None:
        raise NotImplementedError

    async def plan(self, outcome: RowOutcome) -> None:
        """Decide the row's action just before it is applied (rows above it are applied)."""

    async def apply(self, outcome: RowOutcome) -> None:
        raise NotImplementedError


class _Discard(Exception):
    """Raised to roll the import's savepoint back (dry run, or all-or-nothing with bad rows)."""


async def run_import(
    importer: Importer,
    table: Table,
    filename: str,
    *,
    dry_run: bool = False,
    mode: ImportMode = ImportMode.ALL_OR_NOTHING,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate, plan and (unless a dry run) apply the table; call inside a transaction with the
    tenant bound (and, for a caller with limited grants, the mutation's guard). ``progress(done,
    total)`` is told after every row (the CLI draws its progress bar with it)."""
    from core.graphql.core.errors import bad_input_error

    outcomes = [RowOutcome(row=number, cells=cells) for number, cells in table.rows]
    await importer.prepare(outcomes)

    trail = audit.current_trail()
    start = len(trail.changes) if trail is not None else 0
    committed = False
    try:
        async with in_transaction():  # a savepoint: everything below can be undone together
            for done, outcome in enumerate(outcomes, 1):
                if progress is not None:
                    progress(done, len(outcomes))
                if not outcome.problems:
                    await importer.plan(outcome)
                if outcome.problems:
                    outcome.action = RowAction.INVALID
                if outcome.action not in _WRITES:
                    continue
                mark = len(trail.changes) if trail is not None else 0
                try:
                    async with in_transaction():  # one savepoint per row
                        await importer.apply(outcome)
                except Exception as error:  # noqa: BLE001 - typed below, or re-raised
                    typed = error if isinstance(error, DomainError) else bad_input_error(error)
                    if typed is None:
                        raise
                    if trail is not None:
                        del trail.changes[mark:]
                    importer.refused(outcome, typed)
            bad = any(outcome.action is RowAction.INVALID for outcome in outcomes)
            if dry_run or (bad and mode is ImportMode.ALL_OR_NOTHING):
                raise _Discard
            committed = True
    except _Discard:
        if trail is not None:
            del trail.changes[start:]
        for outcome in outcomes:
            importer.discarded(outcome)

    report = ImportReport(
        filename=filename,
        format=table.format,
        dry_run=dry_run,
        mode=mode,
        committed=committed,
        headers=table.headers,
        rows=outcomes,
        columns=importer.columns,
    )
    audit.event(importer.audit_target, filename or "-", report.summary())
    return report


# --- the report as a workbook --------------------------------------------------------------------


def report_workbook(report: ImportReport) -> bytes:
    """The uploaded rows as they came, then 导入结果 and 错误说明; bad cells filled red with the
    problem as a comment. A second sheet sums it up. Fix the file and import it again as it is
    (the two added columns are ignored on import)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    from core.spreadsheets.xlsx import BAD_FILL, BAD_FONT, HEADER_FONT, header_row, put, to_bytes

    columns = report.columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入报告"
    added = set(IGNORED_HEADERS[1:])
    kept = [i for i, h in enumerate(report.headers) if cell_text(h) not in added]
    headers = [cell_text(report.headers[i]) for i in kept] + [RESULT_HEADER, PROBLEM_HEADER]
    header_row(sheet, headers, [columns.width(h) for h in headers[:-2]] + [10, 60])
    position = {original: index + 1 for index, original in enumerate(kept)}
    text_columns = {i for i in kept if (c := columns.column_for(report.headers[i])) and c.kind in TEXT_KINDS}
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
            cell.comment = Comment(f"{cell.comment.text}\n{note}" if cell.comment else note, "zhibu")
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
