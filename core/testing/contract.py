"""Contract checks for GraphQL root fields: the access matrix, tenant isolation and the audit trail.

Each root field is described by one :class:`Op`: its document, the permission it declares, how it is
authorized (:data:`Scope`) and a builder that creates what a call needs at a :class:`Position` of the
:class:`~core.testing.world.World` and returns the call's :class:`Target` (variables). Three checks
walk the operations; core's suite runs them over every core and built-in field
(``tests/test_access_matrix.py``, ``tests/test_isolation.py``, ``tests/test_audit_meta.py``) and a
plugin runs the same checks over its own fields::

    # tests/test_contract.py of a plugin
    from core.testing.contract import Op, Target, contract_tests

    OPERATIONS = [Op("helloRecords", "query", "{ helloRecords { id } }", "ORG_READ", "list", _records)]
    globals().update(contract_tests(OPERATIONS, plugin="hello"))

- :func:`check_access_matrix`: the operation x every role (TENANT_ADMIN; ORG_SECRETARY,
  ORG_COMMITTEE and ORG_INSPECTOR bound at a committee; ORG_SECRETARY and MEMBER at a branch) x
  position (own, subtree, sibling, ancestor) is allowed exactly where the role table
  (:func:`core.access.roles.role_permissions`, plugins' permissions included) and the position say;
  a denied mutation leaves no audit record.
- :func:`check_isolation`: another tenant's administrator replaying the call with this tenant's IDs
  gets none of its data and changes none of its rows (every tenant-owned table compared).
- :func:`check_audit_trail`: a mutation run by the administrator succeeds and leaves an audit record.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from core.error_codes import AccessErrorCode, PluginErrorCode
from core.errors import CommonErrorCode
from core.testing.world import World, build_world, client_of

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
    """One root field: how to call it and how it is authorized."""

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


AUTH_CODES = frozenset(
    {CommonErrorCode.PERMISSION_DENIED, AccessErrorCode.UNAUTHENTICATED, PluginErrorCode.PLUGIN_NOT_ENABLED}
)


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


# --- the access matrix ------------------------------------------------------------------------------

_AT_O = (
    Position("own", "O", "OB"),
    Position("subtree", "OB", "OB"),
    Position("sibling", "X", "XB"),
    Position("ancestor", "R", "RB"),
)
_AT_OB = (
    Position("own", "OB", "OB"),
    Position("subtree", "OG", "OB"),
    Position("sibling", "O2B", "O2B"),
    Position("ancestor", "O", "O2B"),
)
#: user key -> (role, positions relative to where the role is bound)
ROLES: dict[str, tuple[str, tuple[Position, ...]]] = {
    "admin": ("TENANT_ADMIN", _AT_O),
    "secretary": ("ORG_SECRETARY", _AT_O),
    "committee": ("ORG_COMMITTEE", _AT_O),
    "inspector": ("ORG_INSPECTOR", _AT_O),
    "branch_secretary": ("ORG_SECRETARY", _AT_OB),
    "member": ("MEMBER", _AT_OB),
}
#: where isolation and audit checks take their target: the first position that can build one
TARGET_POSITIONS = (Position("subtree", "OB", "OB"), Position("own", "O", "OB"))


def expected(role: str, op: Op, position: Position) -> bool:
    """Whether ``role`` may run ``op`` on the target at ``position``, by the role table."""
    from core.access.roles import role_permissions

    if op.scope in ("self", "public"):
        return True
    if op.scope == "platform":
        return False
    if op.permission not in role_permissions()[role]:
        return False
    if op.scope == "holder":
        return True
    if op.scope == "tenant":
        return role == "TENANT_ADMIN"
    return role == "TENANT_ADMIN" or position.name in ("own", "subtree")


async def role_clients(world: World) -> dict[str, Any]:
    """One client per matrix role, built by the real access layer."""
    return {key: await client_of(world.users[key]) for key in ROLES}


async def _audit_count(world: World, operation: str | None = None) -> int:
    from core.models import AuditRecord
    from core.tenancy import platform_scope, tenant_scope

    if operation is not None:
        with platform_scope():
            return await AuditRecord.filter(operation=operation).count()
    with tenant_scope(world.tenant_id):
        return await AuditRecord.all().count()


async def check_access_matrix(op: Op, world: World, clients: dict[str, Any]) -> None:
    """Every role x position cell of ``op`` is allowed or denied as :func:`expected` says, and a
    denied mutation is not audited (nothing was committed)."""
    mismatches, cells = [], 0
    for user_key, (role, positions) in ROLES.items():
        world.caller = user_key
        for position in positions:
            target = await op.build(world, position)
            if target is None:
                continue  # no such object at that position (e.g. a group has no child)
            cells += 1
            before = await _audit_count(world) if op.kind == "mutation" else None
            outcome = await run(clients[user_key], op, target)
            want = expected(role, op, position)
            if outcome.allowed != want:
                mismatches.append(
                    f"{user_key}@{position.name}: want {'allow' if want else 'deny'}, got {outcome}"
                )
            if op.kind == "mutation" and not outcome.allowed:
                assert await _audit_count(world) == before, f"{op.field} denied but audited ({user_key})"
    assert cells, f"{op.field}: no cell could be built"
    assert not mismatches, f"{op.field}:\n" + "\n".join(mismatches)


# --- tenant isolation -------------------------------------------------------------------------------


async def tenant_state(tenant_id: int) -> dict[str, Any]:
    """Every row of every tenant-owned table of ``tenant_id``, and the tenant row itself."""
    from tortoise import Tortoise

    from core.models import Tenant
    from core.tenancy import TenantModel, platform_scope

    state: dict[str, Any] = {}
    with platform_scope():
        for label, models in Tortoise.apps.items():
            for name, model in models.items():
                if issubclass(model, TenantModel) and not model._meta.abstract:
                    pk = model._meta.pk_attr
                    state[f"{label}.{name}"] = await model.filter(tenant_id=tenant_id).order_by(pk).values()
        state["core.Tenant"] = await Tenant.filter(id=tenant_id).values()
    return state


def fingerprints(world: World, target: Target) -> set[str]:
    """Strings that only this world's data contains: its slug, IDs and user names."""
    marks = {world.tenant.slug}
    marks |= {world.org_gid(k) for k in world.orgs} | {world.member_gid(k) for k in world.members}
    marks |= {u.username for u in world.users.values()}
    for value in json.dumps(target.variables).split('"'):
        if len(value) > 8 and value.isascii() and value.endswith("="):
            marks.add(value)  # global IDs in the variables
    if target.expect:
        marks.add(target.expect)
    return marks


async def first_target(op: Op, world: World) -> Target:
    """The administrator's target of ``op`` at the first position that can build one."""
    world.caller = "admin"
    for position in TARGET_POSITIONS:
        target = await op.build(world, position)
        if target is not None:
            return target
    raise AssertionError(f"{op.field}: no target could be built")


async def check_isolation(op: Op, first: World, second: World) -> None:
    """``second``'s administrator running ``op`` with ``first``'s IDs sees and changes nothing of it."""
    target = await first_target(op, first)
    target.variables = {
        key: (
            {**value, **op.extra["isolation"]}
            if isinstance(value, dict) and "isolation" in op.extra
            else value
        )
        for key, value in target.variables.items()
    }
    intruder = await client_of(second.users["admin"])
    before = await tenant_state(first.tenant_id)
    result = await intruder.execute(op.document, target.variables)
    after = await tenant_state(first.tenant_id)
    assert after == before, f"{op.field} changed the other tenant's data"
    leaked = json.dumps(result.data, ensure_ascii=False) if result.data else ""
    found = [mark for mark in fingerprints(first, target) if mark in leaked]
    assert not found, f"{op.field} returned the other tenant's data: {found}"
    if op.kind == "query" and op.scope in ("tree", "list"):
        outcome = await run(intruder, op, target)
        assert not (outcome.allowed and outcome.code is None), (
            f"{op.field}: another tenant's object was visible ({outcome})"
        )


# --- the audit trail --------------------------------------------------------------------------------


async def check_audit_trail(op: Op, world: World) -> None:
    """``op`` (a mutation) run by the administrator, or a platform operator for platform operations,
    succeeds and leaves an audit record."""
    from core.principal import Principal
    from core.testing import GraphQLClient

    target = await first_target(op, world)
    client = (
        GraphQLClient(Principal.platform_operator(label="平台运营"))
        if op.scope == "platform"
        else world.admin
    )
    before = await _audit_count(world, op.field)
    outcome = await run(client, op, target)
    assert outcome.allowed and outcome.code is None, f"{op.field} did not succeed: {outcome}"
    assert await _audit_count(world, op.field) > before, f"{op.field} succeeded without an audit record"


# --- a plugin's contract tests ----------------------------------------------------------------------


def plugin_root_fields(name: str) -> tuple[list[str], list[str]]:
    """The GraphQL names of the query and mutation root fields the plugin ``name`` contributes
    (through its ``zhibu_graphql`` hook)."""
    from strawberry.schema.name_converter import NameConverter
    from strawberry.types.base import get_object_definition

    from core.plugins import get_plugin_manager

    impls = [i for i in get_plugin_manager().hook.zhibu_graphql.get_hookimpls() if i.plugin_name == name]
    if not impls and get_plugin_manager().get_plugin(name) is None:
        raise LookupError(f"plugin {name!r} is not loaded")
    parts: dict[str, Any] = {}
    for impl in impls:
        parts.update(impl.function() or {})
    converter = NameConverter()

    def names(cls: Any) -> list[str]:
        if cls is None:
            return []
        return sorted(converter.from_field(f) for f in get_object_definition(cls, strict=True).fields)

    return names(parts.get("query")), names(parts.get("mutation"))


def _enabling(build: Builder, plugin: str | None) -> Builder:
    """``build`` preceded by enabling ``plugin`` on the world's tenant (trusted code)."""
    if plugin is None:
        return build

    async def enabled_then_built(world: World, position: Position) -> Target | None:
        from core.models import Tenant

        tenant = await Tenant.get(id=world.tenant_id)
        if plugin not in (tenant.enabled_plugins or []):
            tenant.enabled_plugins = [*(tenant.enabled_plugins or []), plugin]
            await tenant.save(update_fields=["enabled_plugins"])
        return await build(world, position)

    return enabled_then_built


def contract_tests(operations: Iterable[Op], *, plugin: str | None = None) -> dict[str, Any]:
    """pytest fixtures and tests for a test module (``globals().update(contract_tests(...))``): the
    access matrix, isolation and audit trail of ``operations``, and — with ``plugin`` — a test that
    every root field the plugin contributes has an operation (the builders run with the plugin
    enabled on the world's tenant)."""
    import pytest
    import pytest_asyncio

    ops = {op.field: replace(op, build=_enabling(op.build, plugin)) for op in operations}
    mutations = sorted(f for f, op in ops.items() if op.kind == "mutation")

    @pytest_asyncio.fixture(scope="module", loop_scope="session")
    async def contract_worlds(zhibu_database: Any) -> tuple[World, World, dict[str, Any]]:
        first, second = await build_world(), await build_world()
        return first, second, await role_clients(first)

    @pytest.mark.parametrize("field", sorted(ops))
    async def test_contract_access_matrix(field: str, contract_worlds: Any) -> None:
        first, _, clients = contract_worlds
        await check_access_matrix(ops[field], first, clients)

    @pytest.mark.parametrize("field", sorted(ops))
    async def test_contract_isolation(field: str, contract_worlds: Any) -> None:
        first, second, _ = contract_worlds
        await check_isolation(ops[field], first, second)

    @pytest.mark.parametrize(
        "field", mutations or [pytest.param(None, marks=pytest.mark.skip("no mutation"))]
    )
    async def test_contract_audit_trail(field: str, contract_worlds: Any) -> None:
        first, _, _ = contract_worlds
        await check_audit_trail(ops[field], first)

    tests: dict[str, Any] = {
        "contract_worlds": contract_worlds,
        "test_contract_access_matrix": test_contract_access_matrix,
        "test_contract_isolation": test_contract_isolation,
        "test_contract_audit_trail": test_contract_audit_trail,
    }
    if plugin is not None:

        def test_contract_covers_every_plugin_field() -> None:
            queries, mutation_fields = plugin_root_fields(plugin)
            missing = [f for f in queries + mutation_fields if f not in ops]
            assert not missing, f"root fields of {plugin} without an Op: {missing}"
            stale = [f for f in ops if f not in queries + mutation_fields]
            assert not stale, f"operations for fields {plugin} does not contribute: {stale}"

        tests["test_contract_covers_every_plugin_field"] = test_contract_covers_every_plugin_field
    return tests
