"""Row-level security on PostgreSQL: the database itself keeps tenants apart (core and plugin tables).

These tests send raw SQL without any tenant filter through the application's own connection (the
suite runs as a role that owns nothing and bypasses nothing, like production)."""

from __future__ import annotations

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from core.models import Organization
from core.rls import database_role_problems, tenant_tables
from core.tenancy import platform_scope, tenant_scope
from core.testing.database import backend
from plugins.enterprise.models import BenchmarkBranch
from tests.support import make_tenant

pytestmark = pytest.mark.skipif(backend() != "postgres", reason="row-level security is a PostgreSQL feature")


async def _two_tenants_with_rows():
    first, second = await make_tenant(plugins=["enterprise"]), await make_tenant(plugins=["enterprise"])
    for tenant in (first, second):
        with tenant_scope(tenant.id):
            branch = await Organization.create(kind="BRANCH", name=f"支部 {tenant.slug}", path="/", depth=0)
            await BenchmarkBranch.create(organization_id=branch.id, year=2026)
    return first, second


async def raw(sql: str) -> list[dict]:
    return await connections.get("default").execute_query_dict(sql)


async def test_raw_sql_without_a_tenant_filter_sees_only_the_bound_tenant():
    first, second = await _two_tenants_with_rows()
    for tenant in (first, second):
        with tenant_scope(tenant.id):
            organizations = await raw("SELECT DISTINCT tenant_id FROM organization")
            benchmarks = await raw("SELECT DISTINCT tenant_id FROM enterprise_benchmark_branch")
            assert [r["tenant_id"] for r in organizations] == [tenant.id]  # a core table
            assert [r["tenant_id"] for r in benchmarks] == [tenant.id]  # a plugin table
    # nothing bound: nothing visible
    assert await raw("SELECT id FROM organization") == []
    # platform work says so explicitly
    with platform_scope():
        seen = {r["tenant_id"] for r in await raw("SELECT DISTINCT tenant_id FROM organization")}
    assert {first.id, second.id} <= seen


async def test_the_binding_follows_the_task_inside_a_transaction():
    first, second = await _two_tenants_with_rows()
    async with in_transaction():
        with tenant_scope(first.id):
            assert {r["tenant_id"] for r in await raw("SELECT tenant_id FROM organization")} == {first.id}
        with tenant_scope(second.id):
            assert {r["tenant_id"] for r in await raw("SELECT tenant_id FROM organization")} == {second.id}
        assert await raw("SELECT id FROM organization") == []
    with tenant_scope(first.id):  # after the transaction the session binding is right again
        assert {r["tenant_id"] for r in await raw("SELECT tenant_id FROM organization")} == {first.id}


async def test_a_raw_write_into_another_tenant_is_refused():
    first, second = await _two_tenants_with_rows()
    from tortoise.exceptions import OperationalError

    with tenant_scope(first.id), pytest.raises(OperationalError, match="row-level security"):
        await connections.get("default").execute_query(
            "INSERT INTO organization (tenant_id, kind, name, path, depth, covered_units, extra, "
            "created_at, updated_at) VALUES ($1, 'BRANCH', 'x', '/x/', 0, '[]', '{}', now(), now())",
            [second.id],
        )
    with tenant_scope(first.id):
        changed, _ = await connections.get("default").execute_query(
            "UPDATE organization SET name = name WHERE tenant_id = $1", [second.id]
        )
    assert changed == 0  # the other tenant's rows are not even there to update


async def test_every_tenant_table_has_the_policy_and_the_app_role_bypasses_nothing():
    rows = await raw(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
    )
    by_name = {r["relname"]: r for r in rows}
    tables = tenant_tables()
    assert "enterprise_benchmark_branch" in tables and "member" in tables
    missing = [t for t in tables if not (by_name[t]["relrowsecurity"] and by_name[t]["relforcerowsecurity"])]
    assert not missing, missing
    policies = {r["tablename"] for r in await raw("SELECT tablename FROM pg_policies")}
    assert set(tables) <= policies
    assert await database_role_problems(connections.get("default")) == []
