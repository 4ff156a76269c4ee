"""An uploaded sheet's bytes (a roster, a tree …) -> a table of cells, or a typed error saying what
is wrong with the file.

``.xlsx`` is read with openpyxl (the first worksheet; defusedxml guards its XML parsing), ``.csv`` with
the csv module (UTF-8 with or without BOM, GB18030 as Excel writes it in Chinese locales, UTF-16;
comma, tab or semicolon). What is decided here is about the file as a whole, and every refusal is a
:class:`ImportFileError` (code, Chinese message, ``field="file"``): not a spreadsheet, an old or
encrypted ``.xls``, an empty sheet, too many rows (``ZHIBU_IMPORT_MAX_ROWS``), more unpacked data
than ``ZHIBU_IMPORT_MAX_UNPACKED_BYTES``, formulas, merged cells. The first row is the header.

This is CPU-bound: callers run :func:`read_table` in a worker thread.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from core.error_codes import ImportErrorCode
from core.errors import DomainError

XLSX, CSV = "XLSX", "CSV"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx")
_LISTED = 5  # coordinates named in a message


class ImportFileError(DomainError):
    """The file as a whole cannot be imported; nothing was changed."""

    def __init__(self, code: ImportErrorCode, **details: Any):
        super().__init__(code, field="file", **details)


@dataclass
class Table:
    format: str
    #: header cells of row 1, one per used column
    headers: list[Any]
    #: (row number in the sheet, cells) of every row below the header that is not blank
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    sheet: str = ""


def column_letter(index: int) -> str:
    """0 -> ``A``, 26 -> ``AA``."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _listing(items: list[str], total: int) -> str:
    shown = "、".join(items[:_LISTED])
    return shown + (f" 等{total}处" if total > _LISTED else "")


def read_table(data: bytes, filename: str, *, max_rows: int, max_unpacked_bytes: int) -> Table:
    """The table in ``data`` (an upload named ``filename``)."""
    if not data:
        raise ImportFileError(ImportErrorCode.IMPORT_FILE_EMPTY, reason="文件是空的")
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_UNSUPPORTED,
            reason="旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx（不设密码）或 .csv",
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
    if (filename or "").lower().endswith(_EXCEL_SUFFIXES):
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET, reason="文件不是 Excel 工作簿（.xlsx）"
        )
    return _read_csv(data, max_rows=max_rows)


def _table(fmt: str, sheet: str, rows: list[tuple[int, list[Any]]], max_rows: int) -> Table:
    """Header from the first row, the rest without blank rows; checks the row limit."""
    if not rows or all(_blank(v) for v in rows[0][1]):
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_EMPTY, reason="第1行应为表头，但工作表的第1行是空的"
        )
    header = rows[0][1]
    body = [(number, cells) for number, cells in rows[1:] if not all(_blank(v) for v in cells)]
    if not body:
        raise ImportFileError(ImportErrorCode.IMPORT_FILE_EMPTY, reason="表头下没有数据行")
    if len(body) > max_rows:
        raise ImportFileError(
            ImportErrorCode.IMPORT_TOO_MANY_ROWS,
            limit=max_rows,
            rows=len(body),
        )
    width = max(
        [i + 1 for i, v in enumerate(header) if not _blank(v)]
        + [i + 1 for _, cells in body for i, v in enumerate(cells) if not _blank(v)]
    )
    headers = list(header[:width]) + [None] * (width - len(header))
    padded = [(number, list(cells[:width]) + [None] * (width - len(cells))) for number, cells in body]
    return Table(fmt, headers, padded, sheet)


def _read_xlsx(data: bytes, *, max_rows: int, max_unpacked_bytes: int) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET, reason="文件已损坏，无法作为 Excel 工作簿读取"
        ) from exc
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET, reason="文件不是 Excel 工作簿（.xlsx）"
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ImportFileError(ImportErrorCode.IMPORT_FILE_UNSUPPORTED, reason="加密的 Excel 文件")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_unpacked_bytes:
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_TOO_LARGE,
            limit=max_unpacked_bytes,
            size_mib=unpacked >> 20,
            limit_mib=max_unpacked_bytes >> 20,
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=False, data_only=False, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure is a property of the uploaded file
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET, reason="文件已损坏或格式不符"
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(ImportErrorCode.IMPORT_FILE_EMPTY, reason="工作簿中没有工作表")
        sheet = workbook.worksheets[0]
        merged = [str(r) for r in sheet.merged_cells.ranges]
        if merged:
            raise ImportFileError(
                ImportErrorCode.IMPORT_MERGED_CELLS,
                cells=merged[:50],
                sheet=sheet.title,
                listed=_listing(merged, len(merged)),
            )
        rows: list[tuple[int, list[Any]]] = []
        formulas: list[str] = []
        for cells in sheet.iter_rows():
            values = []
            for cell in cells:
                if cell.data_type == "f":
                    formulas.append(cell.coordinate)
                values.append(cell.value)
            if cells:
                rows.append((cells[0].row, values))
        if formulas:
            raise ImportFileError(
                ImportErrorCode.IMPORT_FORMULAS,
                cells=formulas[:50],
                where=f"工作表“{sheet.title}”",
                listed=_listing(formulas, len(formulas)),
            )
        return _table(XLSX, sheet.title, rows, max_rows)
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET,
        reason="文件既不是 Excel 工作簿（.xlsx），也不是 CSV 文本（UTF-8 或 GB18030 编码）",
    )


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if any(d in first_line for d in ",\t;") else ","
    rows: list[tuple[int, list[Any]]] = []
    formulas: list[str] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            if number > max_rows + 1 and any(v.strip() for v in record):
                # count on without keeping the cells: the message says how many there are
                rows.append((number, ["x"]))
                continue
            for index, value in enumerate(record):
                if value.lstrip().startswith("="):
                    formulas.append(f"{column_letter(index)}{number}")
            rows.append((number, list(record)))
    except csv.Error as exc:
        raise ImportFileError(
            ImportErrorCode.IMPORT_FILE_NOT_SPREADSHEET, reason=f"CSV 格式错误：{exc}"
        ) from exc
    if formulas:
        raise ImportFileError(
            ImportErrorCode.IMPORT_FORMULAS,
            cells=formulas[:50],
            where="文件",
            listed=_listing(formulas, len(formulas)),
        )
    return _table(CSV, "", rows, max_rows)


def cell_text(value: Any) -> str:
    """A cell as the text a person sees (for reports and messages)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
