"""The access matrix: every catalogued operation x every role x position -> expected allow/deny.

Expectations are derived from the ONE role table (``core.access.roles.role_permissions()``) and the
position: a positional role may act on its own organization and subtree, never on a sibling or an
ancestor; TENANT_ADMIN acts everywhere; tenant-wide operations need a tenant-wide grant. Callers are
built by the real access layer (Casbin enforcer -> grants). Denied mutations must leave no audit
record (nothing committed). Another tenant is covered by ``tests/test_isolation.py``.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.access.roles import role_permissions
from core.models import AuditRecord
from core.tenancy import tenant_scope
from tests.catalog import Op, Position, catalog, run
from tests.catalog.world import World, build_world, client_of

ENTRIES = catalog()

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
ROLES = {
    "admin": ("TENANT_ADMIN", _AT_O),
    "secretary": ("ORG_SECRETARY", _AT_O),
    "committee": ("ORG_COMMITTEE", _AT_O),
    "inspector": ("ORG_INSPECTOR", _AT_O),
    "branch_secretary": ("ORG_SECRETARY", _AT_OB),
    "member": ("MEMBER", _AT_OB),
}


def expected(role: str, op: Op, position: Position) -> bool:
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


@pytest_asyncio.fixture(scope="module")
async def world() -> World:
    return await build_world()


@pytest_asyncio.fixture(scope="module")
async def clients(world):
    return {key: await client_of(world.users[key]) for key in ROLES}


async def _audit_count(world: World) -> int:
    with tenant_scope(world.tenant_id):
        return await AuditRecord.all().count()


@pytest.mark.parametrize("field", sorted(ENTRIES))
async def test_matrix(field, world, clients):
    op = ENTRIES[field]
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
                assert await _audit_count(world) == before, f"{field} denied but audited ({user_key})"
    assert cells, f"{field}: no cell could be built"
    assert not mismatches, f"{field}:\n" + "\n".join(mismatches)
