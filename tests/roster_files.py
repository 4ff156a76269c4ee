"""Roster files for the import tests: .xlsx built with openpyxl, .csv in the encodings people send."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook
from starlette.datastructures import UploadFile

HEADER = ["序号", "姓名", "性别", "身份证号", "出生日期", "所在组织", "党小组", "状态", "类别", "入党日期",
          "转正日期", "手机"]  # fmt: skip

IMPORT = """
mutation($input: ImportMembersInput!) {
  importMembers(input: $input) {
    errors { code message field }
    report {
      fileName format dryRun mode committed totalRows created updated unchanged invalid
      rows { row action name memberId changedColumns problems { column code } }
      problems { row column code message }
    }
  }
}
"""
IMPORT_WITH_FILE = IMPORT.replace("rows { row", "reportXlsx rows { row")


def xlsx(rows: list[list[Any]], *, merge: str | None = None, text_columns: tuple[int, ...] = ()) -> bytes:
    """A workbook whose first sheet holds ``rows`` (``"=…"`` strings become formulas)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = sheet.cell(row=r, column=c, value=value)
            if c - 1 in text_columns:
                cell.number_format = "@"
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def upload(data: bytes, filename: str = "花名册.xlsx") -> UploadFile:
    """What strawberry hands the resolver for a multipart file."""
    return UploadFile(file=io.BytesIO(data), filename=filename)


def zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def open_report(encoded: str):  # noqa: ANN201
    """The report workbook sent back as base64."""
    import base64

    return load_workbook(io.BytesIO(base64.b64decode(encoded)))
