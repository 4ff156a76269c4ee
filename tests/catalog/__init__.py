"""The operation catalog: every GraphQL root field, how to call it, what it needs.

Each module ``tests/catalog/<domain>.py`` exports ``OPERATIONS: list[Op]``; this package collects
all of them (:func:`catalog`). Three suites walk the catalog:

- ``tests/test_access_matrix.py``: every operation x every role x position (own organization,
  subtree, sibling, ancestor) -> expected allow/deny, derived from the role table;
- ``tests/test_isolation.py``: every operation replayed with another tenant's token and this tenant's
  IDs -> no data, no change (database compared before/after);
- ``tests/test_audit_meta.py``: every mutation in the schema has an entry, and running it leaves an
  audit record. ``test_every_root_field_has_an_entry`` fails for a root field without an entry.

See ``tests/catalog/README.md`` for how to add entries.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.catalog.world import World

#: How an operation is authorized:
#: - "tree": on the object at the position (denied outside the caller's subtree)
#: - "list": a list filtered in SQL; allowed = the position's object is in the result
#: - "holder": holding the permission anywhere is enough (tenant-level reads)
#: - "tenant": needs the permission on the whole tenant (accounts, audit, tenant config)
#: - "self": any signed-in user, acting on their own things
#: - "public": no sign-in (login, refresh)
#: - "platform": platform operators only
Scope = Literal["tree", "list", "holder", "tenant", "self", "public", "platform"]


@dataclass(frozen=True)
class Position:
    """Where the target stands relative to the caller's role: the organization and a branch (for
    branch-held objects such as members and activities) at that position."""

    name: str
    org: str
    branch: str

    @property
    def member(self) -> str:
        return f"{self.branch}-1"


@dataclass
class Target:
    variables: dict[str, Any]
    #: for lists: a global ID that appears in the result exactly when the caller may see the target
    expect: str | None = None
    #: the user to run as instead of the role's user (for "self" operations, e.g. logout)
    as_user: str | None = None


Builder = Callable[[World, Position], Awaitable[Target | None]]


@dataclass(frozen=True)
class Op:
    field: str
    kind: Literal["query", "mutation"]
    document: str
    permission: str | None
    scope: Scope
    build: Builder
    #: mutations only: whether a successful call leaves an audit record (all of them must)
    audited: bool = True
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def catalog() -> dict[str, Op]:
    """Every entry of every ``tests/catalog/<domain>.py`` module, by root field name."""
    entries: dict[str, Op] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in ("world",) or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for op in getattr(module, "OPERATIONS", ()):
            if op.field in entries:
                raise RuntimeError(f"two catalog entries for {op.field}")
            entries[op.field] = op
    return entries


AUTH_CODES = frozenset({"PERMISSION_DENIED", "UNAUTHENTICATED", "PLUGIN_NOT_ENABLED"})


@dataclass
class Outcome:
    allowed: bool
    code: str | None = None
    data: Any = None


async def run(client: Any, op: Op, target: Target) -> Outcome:
    """Execute ``op`` and classify: denied (an authorization error, hidden object, or the target not
    in a list) or allowed (success, or a domain error raised after authorization)."""
    result = await client.execute(op.document, target.variables)
    if result.errors:
        code = (result.errors[0].extensions or {}).get("code")
        if code is None:
            raise AssertionError(f"{op.field}: unexpected error {result.errors[0].message}")
        return Outcome(code not in AUTH_CODES, code)
    data = (result.data or {}).get(op.field)
    if op.kind == "mutation":
        errors = (data or {}).get("errors") or []
        if errors:
            return Outcome(errors[0]["code"] not in AUTH_CODES, errors[0]["code"], data)
        return Outcome(True, None, data)
    if data is None:
        return Outcome(False, "HIDDEN")
    if target.expect is not None:
        return Outcome(target.expect in json.dumps(data, ensure_ascii=False), None, data)
    return Outcome(True, None, data)
