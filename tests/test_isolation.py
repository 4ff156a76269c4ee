"""Cross-tenant suite: every catalogued operation replayed with ANOTHER tenant's administrator
token and the first tenant's IDs returns none of the first tenant's data and changes nothing in it
(every tenant-owned table of the first tenant compared before and after). The check is
:func:`core.testing.contract.check_isolation`, the one plugins run over their own fields."""

from __future__ import annotations

import pytest
import pytest_asyncio

from core.testing.contract import check_isolation
from core.testing.world import build_world
from tests.catalog import catalog

ENTRIES = catalog()


@pytest_asyncio.fixture(scope="module")
async def worlds():
    return await build_world(), await build_world()


@pytest.mark.parametrize("field", sorted(ENTRIES))
async def test_other_tenant_sees_and_changes_nothing(field, worlds):
    first, second = worlds
    await check_isolation(ENTRIES[field], first, second)
