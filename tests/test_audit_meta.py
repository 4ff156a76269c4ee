"""Meta-tests over the schema: every root field has a catalog entry, and every mutation, run
successfully, leaves an audit record (written by ``run_mutation`` in the mutation's transaction)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.models import AuditRecord
from core.principal import Principal
from core.tenancy import platform_scope
from schema import builtin_schema
from tests.catalog import Position, catalog, run
from tests.catalog.world import build_world
from tests.support import GraphQLClient

ENTRIES = catalog()
#: core and the built-in plugins: third-party plugins check their own fields with ``core.testing``
_SCHEMA = builtin_schema()._schema
QUERIES = sorted(f for f in _SCHEMA.query_type.fields if f not in ("node", "nodes"))
MUTATIONS = sorted(_SCHEMA.mutation_type.fields)
POSITIONS = (Position("subtree", "OB", "OB"), Position("own", "O", "OB"))


def test_every_root_field_has_an_entry():
    missing = [f for f in QUERIES + MUTATIONS if f not in ENTRIES]
    assert not missing, f"root fields without a catalog entry (add them in tests/catalog/): {missing}"
    stale = [f for f in ENTRIES if f not in QUERIES + MUTATIONS]
    assert not stale, f"catalog entries for fields that no longer exist: {stale}"


@pytest_asyncio.fixture(scope="module")
async def world():
    return await build_world()


async def _count(operation: str) -> int:
    with platform_scope():
        return await AuditRecord.filter(operation=operation).count()


@pytest.mark.parametrize("field", MUTATIONS)
async def test_mutation_leaves_an_audit_record(field, world):
    if field not in ENTRIES:
        pytest.fail(f"{field} has no catalog entry: cannot run it")
    op = ENTRIES[field]
    world.caller = "admin"
    target = None
    for position in POSITIONS:
        target = await op.build(world, position)
        if target is not None:
            break
    assert target is not None
    client = (
        GraphQLClient(Principal.platform_operator(label="平台运营"))
        if op.scope == "platform"
        else world.admin
    )
    before = await _count(field)
    outcome = await run(client, op, target)
    assert outcome.allowed and outcome.code is None, f"{field} did not succeed: {outcome}"
    assert await _count(field) > before, f"{field} succeeded without an audit record"
