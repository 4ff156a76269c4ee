"""Columns of an imported sheet: Chinese headers with the variants people write.

A header is recognised by its name or an alias, ignoring spaces, a required-mark ``*`` and
full-width brackets. ``key`` is what the importer reads the cell into, ``field`` the input field
the domain services name in their errors (``birthDate``, ``parentId``), so a service's refusal
lands on the right column of the report. :meth:`ColumnSet.map_headers` refuses a header row with
a missing required column, an unknown, repeated or unnamed one — a misspelt column is never
silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.error_codes import ImportErrorCode
from core.spreadsheets.reader import ImportFileError, cell_text, column_letter


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    #: how a cell is read (the importer's readers: text, date, id_number, phone, …)
    kind: str = "text"
    #: the file must have this column
    required: bool = False
    #: the input field the domain services name in their errors
    field: str = ""
    #: column width (characters) in exports and reports
    width: int = 12
    #: longest value the database keeps (text columns)
    max_length: int | None = None


#: headers read and then ignored: a running number, and the two columns the import report adds
#: (so a corrected report can be imported again as it is)
IGNORED_HEADERS = ("序号", "导入结果", "错误说明")
RESULT_HEADER, PROBLEM_HEADER = IGNORED_HEADERS[1], IGNORED_HEADERS[2]
#: cell kinds written as text cells (``@``): long digit strings Excel would mangle
TEXT_KINDS = frozenset({"id_number", "phone"})


def normalize_header(text: object) -> str:
    """``" 身份证号码* "`` -> ``"身份证号码"``; ``（）`` -> ``()``."""
    value = "" if text is None else str(text)
    value = value.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*＊]+", "", value)


class ColumnSet:
    """The columns one kind of import knows."""

    def __init__(self, columns: tuple[Column, ...]):
        self.columns = columns
        self.by_key = {column.key: column for column in columns}
        self.by_field = {column.field: column for column in columns if column.field}
        self._lookup: dict[str, Column] = {}
        for column in columns:
            for name in (column.header, *column.aliases):
                self._lookup[normalize_header(name)] = column

    def __iter__(self):  # noqa: ANN204
        return iter(self.columns)

    def column_for(self, header: object) -> Column | None:
        return self._lookup.get(normalize_header(header))

    def known_headers(self) -> str:
        """The headers the import knows, for messages: ``姓名、性别、…``."""
        return "、".join(column.header for column in self.columns)

    def width(self, header: str) -> int:
        column = self.column_for(header)
        return column.width if column else max(10, 2 * len(header) + 2)

    def map_headers(self, headers: list[Any]) -> dict[str, int]:
        """Column key -> position; refuses missing, unknown, unnamed and repeated columns."""
        positions: dict[str, int] = {}
        unknown, unnamed, repeated = [], [], []
        for index, header in enumerate(headers):
            text = cell_text(header)
            if not text:
                unnamed.append(column_letter(index))
                continue
            if text in IGNORED_HEADERS:
                continue
            column = self.column_for(text)
            if column is None:
                unknown.append(text)
            elif column.key in positions:
                repeated.append(text)
            else:
                positions[column.key] = index
        missing = [c.header for c in self.columns if c.required and c.key not in positions]
        parts = []
        if missing:
            parts.append(f"缺少必需的列：{'、'.join(missing)}")
        if unknown:
            parts.append(f"无法识别的列：{'、'.join(unknown)}")
        if repeated:
            parts.append(f"重复的列：{'、'.join(repeated)}")
        if unnamed:
            parts.append(f"第{'、'.join(unnamed)}列有数据但没有表头")
        if parts:
            raise ImportFileError(
                ImportErrorCode.IMPORT_HEADERS_INVALID,
                problems="；".join(parts),
                known=self.known_headers(),
                missing=missing,
                unknown=unknown,
                repeated=repeated,
                unnamed=unnamed,
            )
        return positions
