"""The roster's columns: Chinese headers (with the variants people write), shared by import and export.

Import recognises a header by its name or an alias, ignoring spaces, a required-mark ``*`` and
full-width brackets; export writes :attr:`Column.header`. ``key`` is the member attribute, and
``field`` the input field name the member services use in their errors (``birthDate``), so a
service's refusal lands on the right column of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    #: how a cell is read: text, date, id_number, phone, branch, group, gender, status, categories
    kind: str = "text"
    #: the file must have this column
    required: bool = False
    #: the input field the member services name in their errors
    field: str = ""
    #: export column width (characters)
    width: int = 12
    #: longest value the database keeps (text columns)
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("党员姓名",), required=True, field="name", width=10, max_length=100),
    Column("gender", "性别", kind="gender", field="gender", width=6),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证"), kind="id_number",
           required=True, field="idNumber", width=21),
    Column("birth_date", "出生日期", ("出生年月日",), kind="date", field="birthDate", width=12),
    Column("ethnicity", "民族", field="ethnicity", width=8, max_length=32),
    Column("education", "学历", ("文化程度",), field="education", width=10, max_length=64),
    Column("branch", "所在组织", ("所在支部", "所在党支部", "党支部", "所属组织"), kind="branch",
           field="branchId", width=36),
    Column("party_group", "党小组", ("所在党小组",), kind="group", field="partyGroupId", width=14),
    Column("status", "状态", ("党员状态", "人员状态"), kind="status", field="status", width=12),
    Column("categories", "类别", ("党员类别", "人员类别"), kind="categories", field="categories", width=18),
    Column("joined_on", "入党日期", ("入党时间",), kind="date", field="joinedOn", width=12),
    Column("confirmed_on", "转正日期", ("转正时间",), kind="date", field="confirmedOn", width=12),
    Column("phone", "手机", ("手机号码", "手机号", "联系电话", "电话"), kind="phone", field="phone",
           width=15, max_length=32),
)  # fmt: skip

#: headers read and then ignored: a running number, and the two columns the import report adds
#: (so a corrected report can be imported again as it is)
IGNORED_HEADERS = ("序号", "导入结果", "错误说明")
RESULT_HEADER, PROBLEM_HEADER = IGNORED_HEADERS[1], IGNORED_HEADERS[2]

BY_KEY = {column.key: column for column in COLUMNS}
BY_FIELD = {column.field: column for column in COLUMNS if column.field}


def normalize_header(text: object) -> str:
    """``" 身份证号码* "`` -> ``"身份证号码"``; ``（）`` -> ``()``."""
    value = "" if text is None else str(text)
    value = value.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s*＊]+", "", value)


_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _LOOKUP[normalize_header(_name)] = _column


def column_for(header: object) -> Column | None:
    return _LOOKUP.get(normalize_header(header))


def known_headers() -> str:
    """The headers the import knows, for messages: ``姓名、性别、…``."""
    return "、".join(column.header for column in COLUMNS)
