"""Roster import (花名册导入): members matched by ID number, applied through the member services.

On top of :mod:`core.spreadsheets.importing` (the file, the savepoints, dry runs, modes, report):

- every cell is read by its column (dates, the 18-character ID number with its check digit, the
  phone, status and category labels, 所在组织 by name path ``党委/支部`` or by a name that is unique,
  党小组 by name inside that branch), with the member services' own validators;
- each row is matched to a member by ID number (one query for the file); a row naming the same ID
  number as an earlier row is refused; a row whose organization or whose existing member lies
  outside the caller's ``MEMBER_MANAGE`` grant refuses the whole file (``PERMISSION_DENIED``, the
  rows named): a secretary imports into their own subtree only;
- a new ID number becomes ``create_member``, a known one whose cells differ becomes
  ``update_member`` with only the changed fields (audited like any edit; empty cells change
  nothing), an identical one changes nothing — so importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from core.error_codes import ImportErrorCode, MemberErrorCode, OrganizationErrorCode
from core.errors import CommonErrorCode, ValidationFailed
from core.imports.tree import OrgTree, may
from core.models import Member, MemberCategoryAssignment, MemberStatus, Organization
from core.models.member import Gender
from core.permissions import Permission
from core.services import members as member_service
from core.spreadsheets.columns import Column, ColumnSet
from core.spreadsheets.importing import CellError, Importer, RowAction, RowOutcome, deny_rows
from core.spreadsheets.reader import cell_text

IMPORT_REASON = "花名册导入"
_CHUNK = 500

COLUMNS = ColumnSet((
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
))  # fmt: skip


# --- reading cells ---------------------------------------------------------------------------

_GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE}
_STATUS_ALIASES = {
    "正式": MemberStatus.FULL,
    "预备": MemberStatus.PROBATIONARY,
    "积极分子": MemberStatus.ACTIVIST,
    "申请人": MemberStatus.APPLICANT,
}
NO_ID_NUMBER = "身份证号不能为空（导入按身份证号识别党员）"


def _id_number(value: Any, column: Column) -> str:
    if isinstance(value, float):
        raise CellError("身份证号应以文本格式填写（数字格式会丢失末几位）：请把该列设为“文本”后重新录入")
    try:
        number = member_service.normalize_id_number(cell_text(value))
    except ValidationFailed as error:
        raise CellError(error.message) from error
    if number is None:
        raise CellError(NO_ID_NUMBER)
    return number


def _phone(value: Any, column: Column) -> str:
    from core.spreadsheets.importing import read_text

    try:
        return member_service.check_phone(read_text(value, column))
    except ValidationFailed as error:
        raise CellError(error.message) from error


def _gender(value: Any, column: Column) -> Gender:
    text = cell_text(value)
    if text in _GENDERS:
        return _GENDERS[text]
    try:
        return Gender(text.upper())
    except ValueError:
        raise CellError(f"性别“{text}”应为“男”或“女”") from None


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
        raise CellError(f"状态“{text}”应为：{'、'.join(labels)}") from None


# --- the import ------------------------------------------------------------------------------


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


class MemberImporter(Importer):
    name = "members"
    columns = COLUMNS
    audit_target = "MemberImport"
    readers = {**Importer.readers, "id_number": _id_number, "phone": _phone, "gender": _gender,
               "status": _status}  # fmt: skip
    fallback_keys = {CommonErrorCode.PERMISSION_DENIED: "branch"}

    async def prepare(self, outcomes: list[RowOutcome]) -> None:
        from core.services.organizations import current_vocabulary

        self.vocabulary = await current_vocabulary()
        self.tree = OrgTree(await Organization.all(), self.vocabulary.branch_kinds())
        self.category_codes: dict[str, str] = {}
        for spec in self.vocabulary.member_categories.values():
            for name in (spec.code, spec.label, spec.label.removesuffix("党员")):
                self.category_codes[name] = spec.code

        seen: dict[str, int] = {}
        for outcome in outcomes:
            self._read(outcome)
            number = outcome.values.get("id_number")
            if number is None:
                continue
            if number in seen:
                message = f"与第{seen[number]}行的身份证号相同"
                self.problem(outcome, "id_number", ImportErrorCode.IMPORT_DUPLICATE_ROW, message)
            else:
                seen[number] = outcome.row

        existing = await _existing_members(list(seen))
        denied = []
        for outcome in outcomes:
            outcome.existing = existing.get(outcome.values.get("id_number", ""))
            paths = [outcome.values["branch"].path] if "branch" in outcome.values else []
            if outcome.existing is not None:
                paths.append(outcome.existing.branch.path)
            if not all(may(Permission.MEMBER_MANAGE, path) for path in paths):
                denied.append(outcome.row)
        if denied:
            raise deny_rows(
                denied,
                "不在您的管理范围内（所在组织或已登记的党员属于其他组织）：只能导入本组织及下级组织的党员",
                Permission.MEMBER_MANAGE.value,
            )
        self.categories = await _categories_of([m.id for m in existing.values()])

    # reading

    def _read(self, outcome: RowOutcome) -> None:
        values = self.read_cells(outcome)
        for key, resolve in (("categories", self._categories), ("branch", self._branch)):
            if key in values:
                try:
                    values[key] = resolve(values[key])
                except CellError as error:
                    del values[key]
                    self.problem(outcome, key, error.code, error.message)
        outcome.name = values.get("name", "") or cell_text(outcome.cells[self.positions["name"]])
        if "name" not in values and not self.has_problem(outcome, "name"):
            self.problem(outcome, "name", CommonErrorCode.INVALID_INPUT, "姓名不能为空")
        if "id_number" not in values and not self.has_problem(outcome, "id_number"):
            self.problem(outcome, "id_number", CommonErrorCode.INVALID_INPUT, NO_ID_NUMBER)

    def _categories(self, text: str) -> list[str]:
        names = [n.strip() for n in re.split(r"[、,，;；/\s]+", text) if n.strip()]
        unknown = [n for n in names if n not in self.category_codes]
        if unknown:
            known = "、".join(spec.label for spec in self.vocabulary.member_categories.values())
            message = f"未知的党员类别：{'、'.join(unknown)}（可用：{known}）"
            raise CellError(message, MemberErrorCode.MEMBER_CATEGORY_UNKNOWN)
        return list(dict.fromkeys(self.category_codes[n] for n in names))

    def _branch(self, text: str) -> Organization:
        found = self.tree.matching(text)
        branches = [o for o in found if o.kind in self.tree.branch_kinds and o.dissolved_on is None]
        if not branches:
            if any(o.kind in self.tree.branch_kinds for o in found):
                raise CellError(f"组织“{text}”已撤销", OrganizationErrorCode.ORG_DISSOLVED)
            if found:
                raise CellError(f"“{text}”不是党支部：党员只能编入党支部（含联合、临时党支部）",
                                MemberErrorCode.MEMBER_BRANCH_KIND_INVALID)  # fmt: skip
            raise CellError(f"未找到组织“{text}”：请写组织全称，或用“/”写出上级，如“机关党委/第一党支部”",
                            OrganizationErrorCode.ORG_NOT_FOUND)  # fmt: skip
        if len(branches) > 1:
            mine = [o for o in branches if may(Permission.MEMBER_MANAGE, o.path)]
            if len(mine) == 1:
                return mine[0]
            listed = "；".join(self.tree.name_path(o) for o in (mine or branches)[:3])
            message = f"“{text}”有多个同名组织（{listed}）：请用“/”写出上级组织"
            raise CellError(message, OrganizationErrorCode.ORG_AMBIGUOUS)
        return branches[0]

    def _group(self, outcome: RowOutcome, branch: Organization) -> Organization | None:
        name = outcome.values.get("party_group")
        if not name:
            return None
        for group in self.tree.groups_of(branch.id):
            if group.name == name:
                return group
        self.problem(outcome, "party_group", MemberErrorCode.MEMBER_PARTY_GROUP_INVALID,
                     f"“{name}”不是“{branch.name}”下设的党小组")  # fmt: skip
        return None

    # planning

    async def plan(self, outcome: RowOutcome) -> None:
        self._check_dates(outcome)
        if not outcome.problems:
            self._plan(outcome)

    def _check_dates(self, outcome: RowOutcome) -> None:
        """The member services' date rules on the row merged over the existing record."""
        member = outcome.existing
        merged = {
            key: outcome.values.get(key, getattr(member, key) if member else None)
            for key in ("birth_date", "joined_on", "confirmed_on")
        }
        try:
            member_service.check_dates(Member(**merged))
        except ValidationFailed as error:
            self.refused(outcome, error)

    def _plan(self, outcome: RowOutcome) -> None:
        """Decide what the row does: create, update (with which changes), or nothing."""
        values, member = outcome.values, outcome.existing
        branch: Organization | None = values.get("branch")
        if member is None:
            if branch is None:
                self.problem(outcome, "branch", CommonErrorCode.INVALID_INPUT, "新登记人员须填写所在组织")
                return
            values["party_group_obj"] = self._group(outcome, branch)
            if not outcome.problems:
                outcome.action = RowAction.CREATE
            return
        outcome.target_id = member.id
        target = branch or member.branch
        group = self._group(outcome, target) if values.get("party_group") else None
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
        if "categories" in values and set(values["categories"]) != self.categories.get(member.id, set()):
            changes["categories"] = values["categories"]
        values["changes"] = changes
        keys = {"branch_id": "branch", "party_group_id": "party_group"}
        outcome.changed = [self.header(keys.get(k, k)) for k in changes]
        outcome.action = RowAction.UPDATE if changes else RowAction.UNCHANGED

    # writing

    async def apply(self, outcome: RowOutcome) -> None:
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
            outcome.target_id = member.id
        else:
            changes = dict(values["changes"])
            if "status" in changes:
                changes["status_reason"] = IMPORT_REASON
            await member_service.update_member(outcome.existing.id, **changes)
