"""The access matrix: every catalogued operation x every role x position -> expected allow/deny.

Expectations are derived from the ONE role table (``core.access.roles.role_permissions()``) and the
position: a positional role may act on its own organization and subtree, never on a sibling or an
ancestor; TENANT_ADMIN acts everywhere; tenant-wide operations need a tenant-wide grant. Callers are
built by the real access layer (Casbin enforcer -> grants). Denied mutations must leave no audit
record (nothing committed). The check is :func:`core.testing.contract.check_access_matrix`, the one
plugins run over their own fields. Another tenant is covered by ``tests/test_isolation.py``.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.testing.contract import check_access_matrix, role_clients
from core.testing.world import World, build_world
from tests.catalog import catalog

ENTRIES = catalog()


@pytest_asyncio.fixture(scope="module")
async def world() -> World:
    return await build_world()


@pytest_asyncio.fixture(scope="module")
async def clients(world):
    return await role_clients(world)


@pytest.mark.parametrize("field", sorted(ENTRIES))
async def test_matrix(field, world, clients):
    await check_access_matrix(ENTRIES[field], world, clients)
