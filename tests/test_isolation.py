"""Cross-tenant suite: every catalogued operation replayed with ANOTHER tenant's administrator
token and the first tenant's IDs returns none of the first tenant's data and changes nothing in it
(every tenant-owned table of the first tenant compared before and after)."""

from __future__ import annotations

import json

import pytest
import pytest_asyncio
from tortoise import Tortoise

from core.models import Tenant
from core.tenancy import TenantModel, platform_scope
from tests.catalog import Position, catalog, run
from tests.catalog.world import build_world, client_of

ENTRIES = catalog()
POSITIONS = (Position("subtree", "OB", "OB"), Position("own", "O", "OB"))


@pytest_asyncio.fixture(scope="module")
async def worlds():
    return await build_world(), await build_world()


async def tenant_state(tenant_id: int) -> dict:
    """Every row of every tenant-owned table of ``tenant_id``, and the tenant row itself."""
    state: dict = {}
    with platform_scope():
        for label, models in Tortoise.apps.items():
            for name, model in models.items():
                if issubclass(model, TenantModel) and not model._meta.abstract:
                    pk = model._meta.pk_attr
                    state[f"{label}.{name}"] = await model.filter(tenant_id=tenant_id).order_by(pk).values()
        state["core.Tenant"] = await Tenant.filter(id=tenant_id).values()
    return state


def fingerprints(world, target) -> set[str]:
    marks = {world.tenant.slug}
    marks |= {world.org_gid(k) for k in world.orgs} | {world.member_gid(k) for k in world.members}
    marks |= {u.username for u in world.users.values()}
    for value in json.dumps(target.variables).split('"'):
        if len(value) > 8 and value.isascii() and value.endswith("="):
            marks.add(value)  # global IDs in the variables
    if target.expect:
        marks.add(target.expect)
    return marks


@pytest.mark.parametrize("field", sorted(ENTRIES))
async def test_other_tenant_sees_and_changes_nothing(field, worlds):
    first, second = worlds
    op = ENTRIES[field]
    first.caller = "admin"
    target = None
    for position in POSITIONS:
        target = await op.build(first, position)
        if target is not None:
            break
    assert target is not None
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
    assert after == before, f"{field} changed the other tenant's data"
    leaked = json.dumps(result.data, ensure_ascii=False) if result.data else ""
    found = [mark for mark in fingerprints(first, target) if mark in leaked]
    assert not found, f"{field} returned the other tenant's data: {found}"
    outcome = await run(intruder, op, target) if op.kind == "query" and op.scope in ("tree", "list") else None
    if outcome is not None:
        visible = outcome.allowed and outcome.code is None
        assert not visible, f"{field}: another tenant's object was visible ({outcome})"
