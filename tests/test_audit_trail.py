"""The audit trail query: tenant administrators only, filters in SQL, append-only records."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from tortoise.transactions import in_transaction

from core import sql
from core.models import AuditRecord
from core.tenancy import tenant_scope
from core.testing.database import backend
from core.testing.world import build_world, gid

AUDIT = """
query($filter: AuditRecordFilter, $first: Int, $after: String) {
  auditRecords(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { node { operation targetType targetId actor userId before after requestId createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
UPDATE = (
    "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { errors { code } } }"
)


async def test_audit_records_filtered_by_user_target_operation_and_time():
    world = await build_world()
    secretary_admin = world.admin
    await secretary_admin.mutate(UPDATE, input={"id": world.org_gid("OB"), "name": "办公室党支部（新）"})
    await secretary_admin.mutate(UPDATE, input={"id": world.org_gid("XB"), "name": "综合处党支部（新）"})

    data = (await world.admin.ok(AUDIT, filter={"operation": "updateOrganization"}))["auditRecords"]
    assert data["totalCount"] == 2
    newest = data["edges"][0]["node"]
    assert newest["targetId"] == str(world.orgs["XB"].id) and newest["targetType"] == "Organization"
    assert newest["before"] == {"name": "综合处党支部"} and newest["after"] == {"name": "综合处党支部（新）"}
    assert newest["userId"] == gid("User", world.users["admin"].id) and newest["requestId"]

    by_target = await world.admin.ok(
        AUDIT, filter={"targetType": "Organization", "targetId": world.org_gid("OB")}
    )
    assert [e["node"]["after"] for e in by_target["auditRecords"]["edges"]] == [
        {"name": "办公室党支部（新）"}
    ]

    by_user = await world.admin.ok(AUDIT, filter={"userId": gid("User", world.users["admin"].id)})
    assert by_user["auditRecords"]["totalCount"] == 2
    nobody = await world.admin.ok(AUDIT, filter={"userId": gid("User", world.users["inspector"].id)})
    assert nobody["auditRecords"]["totalCount"] == 0

    now = dt.datetime.now(dt.UTC)
    window = {
        "from": (now - dt.timedelta(hours=1)).isoformat(),
        "to": (now + dt.timedelta(hours=1)).isoformat(),
    }
    assert (await world.admin.ok(AUDIT, filter={**window, "operation": "updateOrganization"}))[
        "auditRecords"
    ]["totalCount"] == 2
    past = {"to": (now - dt.timedelta(hours=1)).isoformat()}
    assert (await world.admin.ok(AUDIT, filter=past))["auditRecords"]["totalCount"] == 0

    page = (await world.admin.ok(AUDIT, first=1))["auditRecords"]
    assert len(page["edges"]) == 1 and page["pageInfo"]["hasNextPage"]


async def test_only_tenant_administrators_read_the_trail():
    world = await build_world()
    for key in ("secretary", "inspector", "branch_secretary", "member"):
        client = await world.client(key)
        result = await client.execute(AUDIT)
        assert result.errors[0].extensions["code"] == "PERMISSION_DENIED", key


async def test_records_are_append_only_and_denied_mutations_leave_none():
    world = await build_world()
    inspector = await world.client("inspector")
    code = await inspector.error_code(UPDATE, input={"id": world.org_gid("OB"), "name": "x"})
    assert code == "PERMISSION_DENIED"
    with tenant_scope(world.tenant_id):
        assert await AuditRecord.filter(operation="updateOrganization").count() == 0
    await world.admin.mutate(UPDATE, input={"id": world.org_gid("OB"), "name": "改名"})
    with tenant_scope(world.tenant_id):
        record = await AuditRecord.get(operation="updateOrganization")
        snapshot = await AuditRecord.filter(tenant_id=world.tenant_id).order_by("id").values()
        record.operation = "tampered"
        with pytest.raises(PermissionError):
            await record.save()
        # whatever code path tries it, the database itself refuses to change or remove a record
        attempts = [
            lambda: AuditRecord.filter(id=record.id).update(operation="tampered"),
            lambda: AuditRecord.filter(id=record.id).delete(),
            lambda: sql.execute(
                "UPDATE audit_record SET actor = 'x' WHERE tenant_id = :tenant_id AND id = :id", id=record.id
            ),
            lambda: sql.execute("DELETE FROM audit_record WHERE tenant_id = :tenant_id"),
        ]
        # SQLite: the trigger; PostgreSQL: the application role holds no UPDATE/DELETE grant on the
        # table, and the trigger refuses even the tables' owner
        refusal = "append-only|permission denied for table audit_record"
        for attempt in attempts:
            with pytest.raises(Exception, match=refusal):
                async with in_transaction():
                    await attempt()
        if backend() == "postgres":
            import asyncpg

            owner = await asyncpg.connect(
                os.environ["ZHIBU_MIGRATE_DB_URL"].replace("postgres://", "postgresql://")
            )
            try:
                for statement in ("UPDATE audit_record SET actor = 'x'", "DELETE FROM audit_record"):
                    with pytest.raises(asyncpg.RaiseError, match="append-only"):
                        await owner.execute(f"{statement} WHERE id = $1", record.id)
            finally:
                await owner.close()
        assert await AuditRecord.filter(tenant_id=world.tenant_id).order_by("id").values() == snapshot
