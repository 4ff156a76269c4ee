"""Roster import: every row validated and reported; members matched by ID number; applied through the
member services, all or nothing (or only the valid rows, when asked).

1. :func:`read_upload` reads the file (:mod:`core.roster.reader`, in a worker thread) — file-level
   refusals are :class:`~core.roster.reader.ImportFileError`; :func:`map_headers` checks the header.
2. :func:`import_table` runs inside the caller's transaction (the mutation's, or the CLI's):

   - every cell is read by its column (dates, the 18-character ID number with its check digit, the
     phone, status and category labels, 所在组织 by name path ``党委/支部`` or by a name that is
     unique, 党小组 by name inside that branch), with the member services' own validators;
   - each row is matched to a member by ID number (one query for the file); a row naming the same ID
     number as an earlier row is refused; a row whose organization or whose existing member lies
     outside the caller's ``MEMBER_MANAGE`` grant refuses the whole file (``PERMISSION_DENIED``, the
     rows named): a secretary imports into their own subtree only;
   - a new ID number becomes ``create_member``, a known one whose cells differ becomes
     ``update_member`` with only the changed fields (audited like any edit; empty cells change
     nothing), an identical one changes nothing — so importing the same file twice changes nothing;
   - each row is applied in its own savepoint, so a refusal by a service (a status change that needs
     its procedure, a party-group leader moved away …) is reported on its row and column and undone
     alone; then a dry run, or an all-or-nothing import with any bad row, rolls everything back.

One audit record (``MemberImport``) carries the counts of every import, dry runs included; committed
rows add the members' own create/update records.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.errors import DomainError, PermissionDenied, ValidationFailed
from core.guard import current_principal
from core.models import Member, MemberCategoryAssignment, MemberStatus, Organization
from core.models.member import Gender
from core.permissions import Permission
from core.roster.columns import BY_FIELD, BY_KEY, IGNORED_HEADERS, Column, column_for, known_headers
from core.roster.reader import ImportFileError, Table, cell_text, column_letter, read_table
from core.services import members as member_service

IMPORT_REASON = "花名册导入"
_CHUNK = 500


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
    member_id: int | None = None
    #: headers of the columns an update changes
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    existing: Member | None = None


@dataclass
class ImportReport:
    filename: str
    format: str
    dry_run: bool
    mode: ImportMode
    committed: bool
    headers: list[Any]
    rows: list[RowOutcome]

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


# --- reading the file -------------------------------------------------------------------------


async def read_upload(data: bytes, filename: str) -> Table:
    """The table in an uploaded file (parsed in a worker thread), or an :class:`ImportFileError`."""
    from core.settings import get_settings

    settings = get_settings()
    return await asyncio.to_thread(
        read_table,
        data,
        filename,
        max_rows=settings.import_max_rows,
        max_unpacked_bytes=settings.import_max_unpacked_bytes,
    )


def map_headers(headers: list[Any]) -> dict[str, int]:
    """Column key -> position; refuses missing, unknown, unnamed and repeated columns."""
    positions: dict[str, int] = {}
    unknown, unnamed, repeated = [], [], []
    ignored = {h for h in IGNORED_HEADERS}
    for index, header in enumerate(headers):
        text = cell_text(header)
        if not text:
            unnamed.append(column_letter(index))
            continue
        if text in ignored:
            continue
        column = column_for(text)
        if column is None:
            unknown.append(text)
        elif column.key in positions:
            repeated.append(text)
        else:
            positions[column.key] = index
    missing = [c.header for c in BY_KEY.values() if c.required and c.key not in positions]
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
            "IMPORT_HEADERS_INVALID",
            "第1行表头有误：" + "；".join(parts) + f"。可用的列：{known_headers()}",
            missing=missing,
            unknown=unknown,
            repeated=repeated,
            unnamed=unnamed,
        )
    return positions


# --- the tenant's organizations, by name path ------------------------------------------------


class _Tree:
    """The tenant's organizations, resolvable by name path (one query)."""

    def __init__(self, orgs: list[Organization], branch_kinds: frozenset[str]):
        self.by_id = {o.id: o for o in orgs}
        self.branch_kinds = branch_kinds
        self.names: dict[int, list[str]] = {}
        for org in orgs:
            ids = [int(p) for p in org.path.strip("/").split("/") if p]
            self.names[org.id] = [self.by_id[i].name if i in self.by_id else "?" for i in ids]

    def name_path(self, org: Organization) -> str:
        return "/".join(self.names.get(org.id, [org.name]))

    def matching(self, text: str) -> list[Organization]:
        segments = [s.strip() for s in re.split(r"[/／>＞]", text) if s.strip()]
        if not segments:
            return []
        n = len(segments)
        return [o for o in self.by_id.values() if self.names[o.id][-n:] == segments]

    def groups_of(self, branch_id: int) -> list[Organization]:
        return [
            o
            for o in self.by_id.values()
            if o.parent_id == branch_id and o.kind == "PARTY_GROUP" and o.dissolved_on is None
        ]


def _may_manage(path: str) -> bool:
    principal = current_principal()
    return principal is None or principal.allows(Permission.MEMBER_MANAGE, path)


# --- reading cells ---------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE}
_STATUS_ALIASES = {
    "正式": MemberStatus.FULL,
    "预备": MemberStatus.PROBATIONARY,
    "积极分子": MemberStatus.ACTIVIST,
    "申请人": MemberStatus.APPLICANT,
}


class _CellError(Exception):
    def __init__(self, message: str, code: str = "INVALID_INPUT"):
        super().__init__(message)
        self.message, self.code = message, code


def _text(value: Any, column: Column) -> str:
    text = cell_text(value)
    if column.max_length is not None and len(text) > column.max_length:
        raise _CellError(f"{column.header}不能超过{column.max_length}个字符")
    return text


def _date(value: Any, column: Column) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise _CellError(f"{column.header}“{cell_text(value)}”不是日期：请写到日，如 2010-07-01")


def _id_number(value: Any, column: Column) -> str:
    if isinstance(value, float):
        raise _CellError("身份证号应以文本格式填写（数字格式会丢失末几位）：请把该列设为“文本”后重新录入")
    try:
        number = member_service.normalize_id_number(cell_text(value))
    except ValidationFailed as error:
        raise _CellError(error.message) from error
    if number is None:
        raise _CellError("身份证号不能为空（导入按身份证号识别党员）")
    return number


def _phone(value: Any, column: Column) -> str:
    try:
        return member_service.check_phone(_text(value, column))
    except ValidationFailed as error:
        raise _CellError(error.message) from error


def _gender(value: Any, column: Column) -> Gender:
    text = cell_text(value)
    if text in _GENDERS:
        return _GENDERS[text]
    try:
        return Gender(text.upper())
    except ValueError:
        raise _CellError(f"性别“{text}”应为“男”或“女”") from None


def _status(value: Any, column: Column) -> MemberStatus:
    text = cell_text(value)
    labels = {label: status for status, label in member_service.STATUS_LABELS.items()}
    if text in labels:
        return labels[text]
    if text in _STATUS_ALIASES:
        return _STATUS_ALIASES[text]
    try:
        return MemberStatus(text.upper())
    except ValueError:
        raise _CellError(f"状态“{text}”应为：{'、'.join(labels)}") from None


class _Reader:
    """Reads the cells of one row into member values, collecting problems per column."""

    def __init__(self, positions: dict[str, int], headers: list[Any], tree: _Tree, vocabulary: Any):
        self.positions, self.headers, self.tree, self.vocabulary = positions, headers, tree, vocabulary
        categories = vocabulary.member_categories.values()
        self.categories: dict[str, str] = {}
        for spec in categories:
            for name in (spec.code, spec.label, spec.label.removesuffix("党员")):
                self.categories[name] = spec.code

    def header(self, key: str) -> str:
        index = self.positions.get(key)
        return cell_text(self.headers[index]) if index is not None else BY_KEY[key].header

    def problem(self, outcome: RowOutcome, key: str | None, code: str, message: str) -> None:
        index = self.positions.get(key) if key else None
        column = self.header(key) if key else None
        outcome.problems.append(Problem(outcome.row, column, code, message, index))

    def read(self, outcome: RowOutcome) -> None:
        readers = {"text": _text, "date": _date, "id_number": _id_number, "phone": _phone,
                   "gender": _gender, "status": _status}  # fmt: skip
        values: dict[str, Any] = {}
        for key, index in self.positions.items():
            column = BY_KEY[key]
            raw = outcome.cells[index]
            if cell_text(raw) == "":
                continue  # an empty cell changes nothing
            try:
                if column.kind in readers:
                    values[key] = readers[column.kind](raw, column)
                elif column.kind == "categories":
                    values[key] = self._categories(raw)
                elif column.kind == "branch":
                    values[key] = self._branch(cell_text(raw))
                elif column.kind == "group":
                    values[key] = cell_text(raw)  # resolved once the branch is known
            except _CellError as error:
                self.problem(outcome, key, error.code, error.message)
        outcome.values = values
        outcome.name = values.get("name", "") or cell_text(outcome.cells[self.positions["name"]])
        if "name" not in values:
            self.problem(outcome, "name", "INVALID_INPUT", "姓名不能为空")
        if "id_number" not in values and not any(
            p.index == self.positions["id_number"] for p in outcome.problems
        ):
            self.problem(outcome, "id_number", "INVALID_INPUT", "身份证号不能为空（导入按身份证号识别党员）")

    def _categories(self, raw: Any) -> list[str]:
        names = [n.strip() for n in re.split(r"[、,，;；/\s]+", cell_text(raw)) if n.strip()]
        unknown = [n for n in names if n not in self.categories]
        if unknown:
            known = "、".join(spec.label for spec in self.vocabulary.member_categories.values())
            raise _CellError(
                f"未知的党员类别：{'、'.join(unknown)}（可用：{known}）", "MEMBER_CATEGORY_UNKNOWN"
            )
        return list(dict.fromkeys(self.categories[n] for n in names))

    def _branch(self, text: str) -> Organization:
        found = self.tree.matching(text)
        branches = [o for o in found if o.kind in self.tree.branch_kinds and o.dissolved_on is None]
        if not branches:
            if any(o.kind in self.tree.branch_kinds for o in found):
                raise _CellError(f"组织“{text}”已撤销", "ORG_DISSOLVED")
            if found:
                raise _CellError(f"“{text}”不是党支部：党员只能编入党支部（含联合、临时党支部）",
                                 "MEMBER_BRANCH_KIND_INVALID")  # fmt: skip
            raise _CellError(f"未找到组织“{text}”：请写组织全称，或用“/”写出上级，如“机关党委/第一党支部”",
                             "ORG_NOT_FOUND")  # fmt: skip
        if len(branches) > 1:
            mine = [o for o in branches if _may_manage(o.path)]
            if len(mine) == 1:
                return mine[0]
            listed = "；".join(self.tree.name_path(o) for o in (mine or branches)[:3])
            raise _CellError(f"“{text}”有多个同名组织（{listed}）：请用“/”写出上级组织", "ORG_AMBIGUOUS")
        return branches[0]

    def group(self, outcome: RowOutcome, branch: Organization) -> Organization | None:
        name = outcome.values.get("party_group")
        if not name:
            return None
        for group in self.tree.groups_of(branch.id):
            if group.name == name:
                return group
        self.problem(outcome, "party_group", "MEMBER_PARTY_GROUP_INVALID",
                     f"“{name}”不是“{branch.name}”下设的党小组")  # fmt: skip
        return None


# --- the import ------------------------------------------------------------------------------


class _Discard(Exception):
    """Raised to roll the import's savepoint back (dry run, or all-or-nothing with bad rows)."""


async def _existing_members(numbers: list[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        for member in await Member.filter(id_number__in=chunk).select_related("branch"):
            found[member.id_number] = member
    return found


async def _categories_of(member_ids: list[int]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {i: set() for i in member_ids}
    for start in range(0, len(member_ids), _CHUNK):
        chunk = member_ids[start : start + _CHUNK]
        for member_id, code in await MemberCategoryAssignment.filter(member_id__in=chunk).values_list(
            "member_id", "category"
        ):
            result[member_id].add(code)
    return result


_COMPARED = ("name", "gender", "birth_date", "ethnicity", "education", "phone", "joined_on",
             "confirmed_on", "status")  # fmt: skip


def _plan(outcome: RowOutcome, reader: _Reader, categories: dict[int, set[str]]) -> None:
    """Decide what the row does: create, update (with which changes), or nothing."""
    values, member = outcome.values, outcome.existing
    branch: Organization | None = values.get("branch")
    if member is None:
        if branch is None:
            reader.problem(outcome, "branch", "INVALID_INPUT", "新登记人员须填写所在组织")
            return
        values["party_group_obj"] = reader.group(outcome, branch)
        if not outcome.problems:
            outcome.action = RowAction.CREATE
        return
    outcome.member_id = member.id
    target = branch or member.branch
    group = reader.group(outcome, target) if values.get("party_group") else None
    if outcome.problems:
        return
    changes: dict[str, Any] = {}
    for key in _COMPARED:
        if key in values and values[key] != getattr(member, key):
            changes[key] = values[key]
    if branch is not None and branch.id != member.branch_id:
        changes["branch_id"] = branch.id
    if group is not None and group.id != member.party_group_id:
        changes["party_group_id"] = group.id
    if "categories" in values and set(values["categories"]) != categories.get(member.id, set()):
        changes["categories"] = values["categories"]
    values["changes"] = changes
    keys = {"branch_id": "branch", "party_group_id": "party_group"}
    outcome.changed = [reader.header(keys.get(k, k)) for k in changes]
    outcome.action = RowAction.UPDATE if changes else RowAction.UNCHANGED


def _check_dates(outcome: RowOutcome, reader: _Reader) -> None:
    """The member services' date rules on the row merged over the existing record."""
    member = outcome.existing
    merged = {
        key: outcome.values.get(key, getattr(member, key) if member else None)
        for key in ("birth_date", "joined_on", "confirmed_on")
    }
    try:
        member_service.check_dates(Member(**merged))
    except ValidationFailed as error:
        column = BY_FIELD.get(error.field or "")
        reader.problem(outcome, column.key if column else None, error.code, error.message)


async def _apply(outcome: RowOutcome) -> None:
    values = outcome.values
    if outcome.action is RowAction.CREATE:
        group = values.get("party_group_obj")
        member = await member_service.create_member(
            name=values["name"],
            branch_id=values["branch"].id,
            party_group_id=group.id if group else None,
            gender=values.get("gender"),
            birth_date=values.get("birth_date"),
            ethnicity=values.get("ethnicity", ""),
            education=values.get("education", ""),
            phone=values.get("phone", ""),
            id_number=values["id_number"],
            joined_on=values.get("joined_on"),
            confirmed_on=values.get("confirmed_on"),
            status=values.get("status", MemberStatus.FULL),
            categories=values.get("categories", ()),
        )
        outcome.member_id = member.id
    elif outcome.action is RowAction.UPDATE:
        changes = dict(values["changes"])
        if "status" in changes:
            changes["status_reason"] = IMPORT_REASON
        await member_service.update_member(outcome.existing.id, **changes)


def _refused(outcome: RowOutcome, reader: _Reader, error: DomainError) -> None:
    column = BY_FIELD.get(error.field or "")
    key = column.key if column else ("branch" if error.code == "PERMISSION_DENIED" else None)
    reader.problem(outcome, key, error.code, error.message)
    outcome.action = RowAction.INVALID
    if outcome.existing is None:
        outcome.member_id = None


async def import_table(
    table: Table, filename: str, *, dry_run: bool = False, mode: ImportMode = ImportMode.ALL_OR_NOTHING
) -> ImportReport:
    """Validate, plan and (unless a dry run) apply the table; call inside a transaction with the
    tenant bound (and, for a caller with limited grants, the mutation's guard)."""
    from core.graphql.core.errors import bad_input_error
    from core.services.organizations import current_vocabulary

    positions = map_headers(table.headers)
    vocabulary = await current_vocabulary()
    tree = _Tree(await Organization.all(), vocabulary.branch_kinds())
    reader = _Reader(positions, table.headers, tree, vocabulary)
    outcomes = [RowOutcome(row=number, cells=cells) for number, cells in table.rows]

    seen: dict[str, int] = {}
    for outcome in outcomes:
        reader.read(outcome)
        number = outcome.values.get("id_number")
        if number is not None:
            if number in seen:
                reader.problem(
                    outcome, "id_number", "IMPORT_DUPLICATE_ROW", f"与第{seen[number]}行的身份证号相同"
                )
            else:
                seen[number] = outcome.row

    existing = await _existing_members(list(seen))
    denied = []
    for outcome in outcomes:
        outcome.existing = existing.get(outcome.values.get("id_number", ""))
        branch = outcome.values.get("branch")
        if (branch is not None and not _may_manage(branch.path)) or (
            outcome.existing is not None and not _may_manage(outcome.existing.branch.path)
        ):
            denied.append(outcome.row)
    if denied:
        rows = "、".join(str(r) for r in denied[:10]) + (f" 等{len(denied)}行" if len(denied) > 10 else "")
        raise PermissionDenied(
            f"第{rows}不在您的管理范围内（所在组织或已登记的党员属于其他组织）：只能导入本组织及下级组织的党员",
            field="file",
            permission=Permission.MEMBER_MANAGE.value,
            rows=denied,
        )

    categories = await _categories_of([m.id for m in existing.values()])
    for outcome in outcomes:
        if not outcome.problems:
            _check_dates(outcome, reader)
        if not outcome.problems:
            _plan(outcome, reader, categories)

    trail = audit.current_trail()
    start = len(trail.changes) if trail is not None else 0
    committed = False
    try:
        async with in_transaction():  # a savepoint: everything below can be undone together
            for outcome in outcomes:
                if outcome.action not in (RowAction.CREATE, RowAction.UPDATE):
                    continue
                mark = len(trail.changes) if trail is not None else 0
                try:
                    async with in_transaction():  # one savepoint per row
                        await _apply(outcome)
                except Exception as error:  # noqa: BLE001 - typed below, or re-raised
                    typed = error if isinstance(error, DomainError) else bad_input_error(error)
                    if typed is None:
                        raise
                    if trail is not None:
                        del trail.changes[mark:]
                    _refused(outcome, reader, typed)
            bad = any(outcome.action is RowAction.INVALID for outcome in outcomes)
            if dry_run or (bad and mode is ImportMode.ALL_OR_NOTHING):
                raise _Discard
            committed = True
    except _Discard:
        if trail is not None:
            del trail.changes[start:]
        for outcome in outcomes:
            if outcome.action is RowAction.CREATE:
                outcome.member_id = None

    report = ImportReport(
        filename=filename,
        format=table.format,
        dry_run=dry_run,
        mode=mode,
        committed=committed,
        headers=table.headers,
        rows=outcomes,
    )
    audit.event("MemberImport", filename or "-", report.summary())
    return report
