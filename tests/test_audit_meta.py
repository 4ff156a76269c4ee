"""Meta-tests over the schema: every root field has a catalog entry, and every mutation, run
successfully, leaves an audit record (written by ``run_mutation`` in the mutation's transaction)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.testing.contract import check_audit_trail
from core.testing.world import build_world
from schema import builtin_schema
from tests.catalog import catalog

ENTRIES = catalog()
#: core and the built-in plugins: third-party plugins check their own fields with
#: ``core.testing.contract.contract_tests``
_SCHEMA = builtin_schema()._schema
QUERIES = sorted(f for f in _SCHEMA.query_type.fields if f not in ("node", "nodes"))
MUTATIONS = sorted(_SCHEMA.mutation_type.fields)


def test_every_root_field_has_an_entry():
    missing = [f for f in QUERIES + MUTATIONS if f not in ENTRIES]
    assert not missing, f"root fields without a catalog entry (add them in tests/catalog/): {missing}"
    stale = [f for f in ENTRIES if f not in QUERIES + MUTATIONS]
    assert not stale, f"catalog entries for fields that no longer exist: {stale}"


@pytest_asyncio.fixture(scope="module")
async def world():
    return await build_world()


@pytest.mark.parametrize("field", MUTATIONS)
async def test_mutation_leaves_an_audit_record(field, world):
    if field not in ENTRIES:
        pytest.fail(f"{field} has no catalog entry: cannot run it")
    await check_audit_trail(ENTRIES[field], world)
