"""Organization tree import (组织架构导入): organizations matched by their name path, created and
updated through the organization services.

On top of :mod:`core.spreadsheets.importing` (the file, the savepoints, dry runs, modes, report):

- 组织名称 is the organization's name; 上级组织 its parent — a name path (``机关党委/第一党支部``), the
  tail of one or a name that is unique — or empty for a root; 组织类型 a kind code (``BRANCH``) or its
  Chinese label (党支部); 成立日期, 所在领域 (code or label), 覆盖单位 (joint branches), 依托临时机构
  (temporary branches) as ``createOrganization`` takes them;
- a parent may be an organization already in the tree or one **created by an earlier row of the
  same file** (a parent further down is reported on its row: put it first);
- a row is matched by its name path (the parent's, then its name): none yet creates the organization
  (``create_organization``: the nesting rules, joint-branch units, temporary bodies are its own), a
  match whose cells differ is updated (``update_organization``, only what changed; the kind cannot
  change), an identical one changes nothing — importing the same file twice changes nothing;
- a row reaching outside the caller's ``ORG_MANAGE`` grant (a new organization under a parent they
  do not manage, a new root without a tenant-wide grant, an existing organization they do not
  manage) refuses the whole file (``PERMISSION_DENIED``, the rows named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.error_codes import ImportErrorCode, OrganizationErrorCode
from core.errors import CommonErrorCode
from core.imports.tree import OrgTree, may, split_path
from core.models import Organization
from core.permissions import Permission
from core.registry import ORGANIZATION_SECTORS
from core.services import organizations as org_service
from core.spreadsheets.columns import Column, ColumnSet
from core.spreadsheets.importing import CellError, Importer, RowAction, RowOutcome, deny_rows
from core.spreadsheets.reader import cell_text

COLUMNS = ColumnSet((
    Column("name", "组织名称", ("名称", "组织全称", "党组织名称"), required=True, field="name", width=24,
           max_length=200),
    Column("parent", "上级组织", ("上级党组织", "上级"), required=True, field="parentId", width=36),
    Column("kind", "组织类型", ("类型", "组织类别", "党组织类型"), kind="org_kind", required=True,
           field="kind", width=12),
    Column("established_on", "成立日期", ("成立时间",), kind="date", field="establishedOn", width=12),
    Column("sector", "所在领域", ("领域",), kind="sector", field="sector", width=14),
    Column("covered_units", "覆盖单位", ("联合单位",), kind="units", field="coveredUnits", width=30),
    Column("temporary_body", "依托临时机构", ("临时机构", "所依托的临时机构"), field="temporaryBody",
           width=24, max_length=200),
))  # fmt: skip

_COMPARED = ("established_on", "sector", "covered_units", "temporary_body")


def _units(value: Any, column: Column) -> list[str]:
    return [u.strip() for u in re.split(r"[、,，;；\n]+", cell_text(value)) if u.strip()]


def _sector(value: Any, column: Column) -> str:
    text = cell_text(value)
    for code, label in ORGANIZATION_SECTORS.items():
        if text.upper() == code or text == label:
            return code
    choices = "、".join(ORGANIZATION_SECTORS.values())
    raise CellError(f"未知的所在领域“{text}”（可选：{choices}）")


@dataclass(eq=False)
class _Node:
    """An organization a row stands for: an existing one, or one the row creates."""

    segments: list[str]
    outcome: RowOutcome | None = None
    existing: Organization | None = None
    #: the caller may manage it (and so create below it)
    managed: bool = False
    #: name -> the node below it (None: several existing organizations of that name)
    children: dict[str, _Node | None] | None = None


class OrganizationImporter(Importer):
    name = "organizations"
    columns = COLUMNS
    audit_target = "OrganizationImport"
    readers = {**Importer.readers, "units": _units, "sector": _sector}
    fallback_keys = {CommonErrorCode.PERMISSION_DENIED: "parent", OrganizationErrorCode.ORG_DISSOLVED: "name"}

    async def prepare(self, outcomes: list[RowOutcome]) -> None:
        self.vocabulary = await org_service.current_vocabulary()
        self.kinds: dict[str, str] = {}
        for spec in self.vocabulary.organization_kinds.values():
            self.kinds[spec.code] = self.kinds[spec.label] = spec.code
        orgs = await Organization.all()
        self.tree = OrgTree(orgs, self.vocabulary.branch_kinds())
        self.below: dict[int | None, list[Organization]] = {}
        for org in orgs:
            self.below.setdefault(org.parent_id, []).append(org)
        self.readers = {**self.readers, "org_kind": self._kind}
        self.existing: dict[int, _Node] = {}
        self.created: list[_Node] = []  # rows that create an organization, in order
        self.broken: dict[str, int] = {}  # name -> the first row with that name that has a problem
        self.roots = _Node([])
        denied = []
        for outcome in outcomes:
            self.read_cells(outcome)
            outcome.name = outcome.values.get("name", "")
            if "name" not in outcome.values and not self.has_problem(outcome, "name"):
                self.problem(outcome, "name", CommonErrorCode.INVALID_INPUT, "组织名称不能为空")
        for index, outcome in enumerate(outcomes):
            node = None
            if not outcome.problems:
                parent = self._parent(outcome, outcomes[index + 1 :])
                if not outcome.problems:
                    node = self._place(outcome, parent)
            if node is None:
                self.broken.setdefault(outcome.name, outcome.row)
            elif not node.managed:
                denied.append(outcome.row)
        if denied:
            raise deny_rows(
                denied,
                "不在您的管理范围内（上级组织或已有的组织属于其他组织，或新建顶级组织）：只能导入本组织及下级组织",
                Permission.ORG_MANAGE.value,
            )

    # reading

    def _kind(self, value: Any, column: Column) -> str:
        text = cell_text(value)
        code = self.kinds.get(text) or self.kinds.get(text.upper())
        if code is None:
            choices = "、".join(spec.label for spec in self.vocabulary.organization_kinds.values())
            raise CellError(f"未知的组织类型“{text}”（可选：{choices}）")
        return code

    # resolving parents and rows, in the file's order

    def _node_of(self, org: Organization) -> _Node:
        if org.id not in self.existing:
            managed = may(Permission.ORG_MANAGE, org.path)
            self.existing[org.id] = _Node(self.tree.names[org.id], existing=org, managed=managed)
        return self.existing[org.id]

    def _parent(self, outcome: RowOutcome, later: list[RowOutcome]) -> _Node | None:
        """The node 上级组织 names (None: a root), or a problem on the row."""
        text = outcome.values.get("parent")
        if text is None:
            return None
        segments = split_path(text)
        matched = self.tree.matching(text)
        live = [o for o in matched if o.dissolved_on is None] or matched
        found = [self._node_of(o) for o in live]
        found += [node for node in self.created if node.segments[-len(segments) :] == segments]
        if len(found) > 1:
            mine = [node for node in found if node.managed]
            if len(mine) == 1:
                return mine[0]
            listed = "；".join("/".join(node.segments) for node in (mine or found)[:3])
            message = f"“{text}”有多个同名组织（{listed}）：请用“/”写出上级组织"
            self.problem(outcome, "parent", OrganizationErrorCode.ORG_AMBIGUOUS, message)
        elif found:
            return found[0]
        elif segments[-1] in self.broken:
            message = f"上级组织“{text}”（第{self.broken[segments[-1]]}行）有误，未能建立"
            self.problem(outcome, "parent", ImportErrorCode.IMPORT_PARENT_INVALID, message)
        elif below := next((o for o in later if o.values.get("name") == segments[-1]), None):
            message = f"上级组织“{text}”在第{below.row}行：请把上级组织放在下级组织之前"
            self.problem(outcome, "parent", ImportErrorCode.IMPORT_PARENT_ORDER, message)
        else:
            message = f"未找到上级组织“{text}”：请写组织全称，或用“/”写出上级，如“机关党委/第一党支部”"
            self.problem(outcome, "parent", OrganizationErrorCode.ORG_NOT_FOUND, message)
        return None

    def _children(self, parent: _Node | None) -> dict[str, _Node | None]:
        """The nodes below ``parent`` (None: the roots) by name; live organizations preferred."""
        holder = parent if parent is not None else self.roots
        if holder.children is None:
            holder.children = {}
            if parent is None or parent.existing is not None:
                by_name: dict[str, list[Organization]] = {}
                for org in self.below.get(parent.existing.id if parent is not None else None, []):
                    by_name.setdefault(org.name, []).append(org)
                for name, orgs in by_name.items():
                    live = [o for o in orgs if o.dissolved_on is None] or orgs
                    holder.children[name] = self._node_of(live[0]) if len(live) == 1 else None
        return holder.children

    def _place(self, outcome: RowOutcome, parent: _Node | None) -> _Node | None:
        """The node the row stands for: the existing organization of that name under ``parent``,
        or a new one."""
        name = outcome.values["name"]
        siblings = self._children(parent)
        if name in siblings:
            node = siblings[name]
            if node is None:
                where = "/".join(parent.segments) if parent else "顶级"
                message = f"“{where}”之下有多个名为“{name}”的组织"
                self.problem(outcome, "name", OrganizationErrorCode.ORG_AMBIGUOUS, message)
                return None
            if node.outcome is not None:
                message = f"与第{node.outcome.row}行是同一个组织"
                self.problem(outcome, "name", ImportErrorCode.IMPORT_DUPLICATE_ROW, message)
                return None
        else:
            managed = may(Permission.ORG_MANAGE, None) if parent is None else parent.managed
            node = siblings[name] = _Node([*(parent.segments if parent else []), name], managed=managed)
            self.created.append(node)
        node.outcome = outcome
        outcome.existing = node.existing
        outcome.values["parent_node"] = parent
        return node

    # planning, once the rows above are applied

    async def plan(self, outcome: RowOutcome) -> None:
        values, org = outcome.values, outcome.existing
        parent: _Node | None = values.get("parent_node")
        if parent is not None and parent.existing is None:
            above = parent.outcome  # the row that creates the parent, applied before this one
            if above.action is RowAction.INVALID or above.target_id is None:
                message = f"上级组织（第{above.row}行）有误，未能建立"
                self.problem(outcome, "parent", ImportErrorCode.IMPORT_PARENT_INVALID, message)
                return
            values["parent_id"] = above.target_id
        elif parent is not None:
            values["parent_id"] = parent.existing.id
        if org is None:
            if "kind" not in values:
                self.problem(outcome, "kind", CommonErrorCode.INVALID_INPUT, "新建组织须填写组织类型")
                return
            outcome.action = RowAction.CREATE
            return
        outcome.target_id = org.id
        if "kind" in values and values["kind"] != org.kind:
            message = f"组织类型不能通过导入更改（现为{self._label(org.kind)}）"
            self.problem(outcome, "kind", OrganizationErrorCode.ORG_KIND_CHANGE_NOT_ALLOWED, message)
            return
        changes = {
            key: values[key] for key in _COMPARED if key in values and values[key] != self._current(org, key)
        }
        values["changes"] = changes
        outcome.changed = [self.header(key) for key in changes]
        outcome.action = RowAction.UPDATE if changes else RowAction.UNCHANGED

    def _label(self, kind: str) -> str:
        spec = self.vocabulary.organization_kinds.get(kind)
        return spec.label if spec else kind

    @staticmethod
    def _current(org: Organization, key: str) -> Any:
        value = getattr(org, key)
        return list(value or []) if key == "covered_units" else value

    # writing

    async def apply(self, outcome: RowOutcome) -> None:
        values = outcome.values
        if outcome.action is RowAction.CREATE:
            org = await org_service.create_organization(
                kind=values["kind"],
                name=values["name"],
                parent_id=values.get("parent_id"),
                established_on=values.get("established_on"),
                covered_units=values.get("covered_units"),
                temporary_body=values.get("temporary_body"),
                sector=values.get("sector"),
            )
            outcome.target_id = org.id
        else:
            await org_service.update_organization(outcome.existing.id, **values["changes"])
