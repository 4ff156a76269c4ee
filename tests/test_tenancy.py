"""Tenant scoping is structural: no tenant bound means a loud failure, never every tenant's rows."""

from __future__ import annotations

import pytest

from core.models import Organization
from core.tenancy import CrossTenantWrite, TenantNotBound, platform_scope, tenant_scope
from tests.support import make_tenant


async def test_query_without_tenant_fails_loudly():
    with pytest.raises(TenantNotBound):
        await Organization.all()
    with pytest.raises(TenantNotBound):
        await Organization.filter(name="x").count()
    with pytest.raises(TenantNotBound):
        await Organization.create(kind="BRANCH", name="x", path="/x/")


async def test_queries_only_see_the_bound_tenant():
    a, b = await make_tenant(), await make_tenant()
    with tenant_scope(a.id):
        org = await Organization.create(kind="BRANCH", name="甲", path="/a/")
    with tenant_scope(b.id):
        await Organization.create(kind="BRANCH", name="乙", path="/b/")
        assert [o.name for o in await Organization.all()] == ["乙"]
        assert await Organization.get_or_none(id=org.id) is None
        org.name = "篡改"
        with pytest.raises(CrossTenantWrite):
            await org.save()
        with pytest.raises(CrossTenantWrite):
            await Organization.bulk_create([Organization(tenant_id=a.id, kind="BRANCH", name="x")])
    with platform_scope():
        names = {o.name for o in await Organization.filter(tenant_id__in=[a.id, b.id])}
    assert names == {"甲", "乙"}
