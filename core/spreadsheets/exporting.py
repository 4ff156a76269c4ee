"""The one export mechanism: every ``.xlsx`` export is an :class:`ExportKind` in a module of
:mod:`core.exports`, and this module runs it the same way for the HTTP route
(``GET /export/<kind>.xlsx``, :mod:`core.spreadsheets.http`) and the command line
(``zhibu export <kind>``, :mod:`core.spreadsheets.command`):

1. the parameters are parsed from text (query parameters, or command-line options) by the kind's
   :class:`Param` list — a bad one is ``INVALID_INPUT`` with its name as the field, an unknown one
   too;
2. a caller must hold the kind's permission somewhere (else ``PERMISSION_DENIED``); the kind's
   ``build`` then reads exactly what GraphQL would show that caller — rows filtered in SQL by the
   caller's grants, fields masked where GraphQL masks them (``principal=None`` is trusted code:
   everything, unmasked);
3. the sheets are written by :func:`core.spreadsheets.xlsx.write_workbook` in a worker thread;
4. every export leaves one audit record (operation ``export<Kind>`` over HTTP, ``cli:export
   <kind>`` on the command line; target ``<Kind>Export`` with the rows, masked rows and filters).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import keyword
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from core.errors import PermissionDenied, ValidationFailed
from core.principal import Principal
from core.spreadsheets.xlsx import Sheet

#: the modules that define an export kind (``KIND``), in the order commands and docs list them
KIND_MODULES: tuple[str, ...] = (
    "core.exports.members",
    "core.exports.activities",
    "core.exports.dues",
    "core.exports.scores",
    "core.exports.rectification",
    "core.exports.reports",
)

_CHUNK = 500


@dataclass(frozen=True)
class Param:
    """A parameter of an export: ``name`` is the query parameter (and the field of its errors),
    ``flag`` the command-line option. ``type``: ``org`` (an organization), ``node:<Type>`` (another
    object), ``date`` (YYYY-MM-DD), ``int``, ``choice`` (one of ``choices``), ``text``."""

    name: str
    flag: str
    type: str
    help: str
    many: bool = False
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The keyword ``build`` receives: ``subtreeOf`` -> ``subtree_of``, ``from`` -> ``from_``."""
        key = re.sub(r"(?<!^)([A-Z])", r"_\1", self.name).lower()
        return f"{key}_" if keyword.iskeyword(key) else key


#: the parameter most kinds take
SUBTREE_OF = Param("subtreeOf", "--org", "org", "only this organization's subtree")


def choice_param(name: str, flag: str, values: Iterable[Any], help: str) -> Param:
    """A repeatable parameter taking the values of an enum (``status`` …)."""
    return Param(name, flag, "choice", help, many=True, choices=tuple(str(v) for v in values))


@dataclass
class Export:
    """What a kind built: the sheets, the file-name stem, and facts for the audit record."""

    title: str
    sheets: list[Sheet]
    #: rows of the main sheet
    rows: int
    #: rows in which something was withheld or masked for the caller
    masked: int = 0
    #: the audit record's target id (the organization, run or report the export is about)
    target_id: Any = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportKind:
    #: ``members``: ``GET /export/members.xlsx``, ``zhibu export members``
    name: str
    #: audit operation over HTTP (``exportMembers``) and target type (``MemberExport``)
    operation: str
    target: str
    #: held somewhere, or the export is refused (403)
    permission: str
    help: str
    params: tuple[Param, ...]
    #: ``build(principal, **params)``: the sheets for ``principal`` (``None``: trusted, unmasked)
    build: Callable[..., Awaitable[Export]]


@cache
def kinds() -> dict[str, ExportKind]:
    """Every export kind by name."""
    found = [importlib.import_module(name).KIND for name in KIND_MODULES]
    return {kind.name: kind for kind in found}


# --- parameters ----------------------------------------------------------------------------------


def _one(param: Param, text: str, *, cli: bool) -> Any:
    from core.graphql.core.nodes import decode_id

    text = text.strip()
    if param.type == "org" or param.type.startswith("node:"):
        type_name = "Organization" if param.type == "org" else param.type.split(":", 1)[1]
        if cli and text.isdigit():  # the command line also takes database ids
            return int(text)
        return decode_id(text, type_name, field=param.name)
    if param.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationFailed(f"{param.name} 应为日期（YYYY-MM-DD）：{text}", field=param.name) from None
    if param.type == "int":
        try:
            return int(text)
        except ValueError:
            raise ValidationFailed(f"{param.name} 应为整数：{text}", field=param.name) from None
    if param.type == "choice":
        if text not in param.choices:
            raise ValidationFailed(
                f"未知的{param.name}：{text}（可选：{'、'.join(param.choices)}）", field=param.name
            )
        return text
    return text


def parse_params(kind: ExportKind, raw: Mapping[str, list[str]], *, cli: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``kind.build`` from text values (every value a list)."""
    known = {param.name: param for param in kind.params}
    for name in raw:
        if name not in known:
            listed = "、".join(known) or "无"
            raise ValidationFailed(f"未知的参数：{name}（可用：{listed}）", field=name)
    values: dict[str, Any] = {}
    for param in kind.params:
        texts = [t for t in raw.get(param.name, []) if t is not None and t.strip() != ""]
        if not texts:
            if param.required:
                raise ValidationFailed(f"缺少参数 {param.name}", field=param.name)
            values[param.key] = [] if param.many else None
            continue
        if len(texts) > 1 and not param.many:
            raise ValidationFailed(f"参数 {param.name} 只能给一个值", field=param.name)
        parsed = [_one(param, text, cli=cli) for text in texts]
        values[param.key] = parsed if param.many else parsed[0]
    return values


# --- running an export -------------------------------------------------------------------------


async def run_export(
    kind: ExportKind,
    principal: Principal | None,
    raw: Mapping[str, list[str]],
    *,
    tenant_id: int,
    operation: str,
    actor: str,
    actor_id: int | None = None,
    request_id: str = "",
    cli: bool = False,
    note: Mapping[str, Any] | None = None,
) -> tuple[Export, bytes]:
    """Parse, check, build, write and audit one export for ``principal`` in ``tenant_id``."""
    from tortoise.transactions import in_transaction

    from core import audit
    from core.spreadsheets.xlsx import write_workbook
    from core.tenancy import tenant_scope

    params = parse_params(kind, raw, cli=cli)
    with tenant_scope(tenant_id):
        if principal is not None and principal.prefixes(kind.permission) == ():
            raise PermissionDenied(f"没有导出该数据的权限（{kind.permission}）", permission=kind.permission)
        export = await kind.build(principal, **params)
        data = await asyncio.to_thread(write_workbook, export.sheets)
        async with in_transaction():
            with audit.audited(operation, actor_id=actor_id, actor=actor, request_id=request_id) as trail:
                details = {"rows": export.rows, "masked": export.masked, **export.facts}
                details["filters"] = {
                    p.name: params[p.key] for p in kind.params if params[p.key] not in (None, [])
                }
                target = export.target_id if export.target_id is not None else "-"
                audit.event(kind.target, target, {**details, **(note or {})})
                await trail.flush(tenant_id)
    return export, data


def export_filename(export: Export, tenant_slug: str, today: dt.date | None = None) -> str:
    return f"{export.title}-{tenant_slug}-{(today or dt.date.today()).isoformat()}.xlsx"


# --- helpers for the kinds -----------------------------------------------------------------------


def readable(principal: Principal | None, permission: str) -> tuple[str, ...] | None:
    """Path prefixes ``principal`` may read with ``permission`` (``None``: everything)."""
    return None if principal is None else principal.prefixes(permission)


def allows(principal: Principal | None, permission: str, path: str | None) -> bool:
    return principal is None or principal.allows(permission, path)


def within(query: Any, principal: Principal | None, permission: str, path_field: str) -> Any:
    """``query`` restricted in SQL to the subtrees where ``principal`` holds ``permission``."""
    from core.graphql.core.fields import path_filter

    prefixes = readable(principal, permission)
    return query if prefixes is None else query.filter(path_filter(prefixes, path_field))


class NamePaths:
    """Organizations' name paths (``机关党委/第一党支部``) from their materialized paths: the names
    of every ancestor in a constant number of statements (chunks of 500 ids)."""

    def __init__(self, names: dict[int, str]):
        self.names = names

    @classmethod
    async def load(cls, paths: Iterable[str]) -> NamePaths:
        from core.models import Organization

        ids = sorted({int(p) for path in paths for p in path.strip("/").split("/") if p})
        names: dict[int, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            names.update(dict(await Organization.filter(id__in=chunk).values_list("id", "name")))
        return cls(names)

    def __call__(self, path: str) -> str:
        return "/".join(self.names.get(int(p), "?") for p in path.strip("/").split("/") if p)
