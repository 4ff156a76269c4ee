"""The lifecycle demo seeder leaves people at three points of the pipeline and two transfers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from core.models import Member, Organization
from core.tenancy import tenant_scope
from tenants.demo.lifecycle import seed_lifecycle
from tenants.demo.seed import DemoWorld
from tests.test_development import db_id, make_branches
from tests.test_transfers import member

CASES = """
{ developmentCases(first: 10) {
    nodes { member { name status } nextStep { code } probationEndsOn isOverdue } } }
"""
TRANSFERS = "{ relationTransfers { nodes { kind status fromOrganizationName toOrganizationName } } }"


async def test_demo_seeder(admin, tenant):
    _, (one, two) = await make_branches(admin, "一支部", "二支部")
    for i in range(5):
        await member(admin, one, f"一支部党员{i}")
    for i in range(3):
        await member(admin, two, f"二支部党员{i}")
    today = dt.date.today()
    with tenant_scope(tenant.id):
        world = DemoWorld(tenant, SimpleNamespace(slug=tenant.slug), today)
        for key, org in (("one", one), ("two", two)):
            world[f"org:{key}"] = await Organization.get(id=db_id(org["id"]))
            world[f"members:{key}"] = list(await Member.filter(branch_id=db_id(org["id"])))
        lines = await seed_lifecycle(tenant, world)
    assert len(lines) == 2
    nodes = (await admin.ok(CASES))["developmentCases"]["nodes"]
    by_next = {n["nextStep"]["code"]: n for n in nodes}
    assert set(by_next) == {"APPLICATION_TALK", "CANDIDATE_DESIGNATED", "CONFIRMATION_APPLIED"}
    assert by_next["CANDIDATE_DESIGNATED"]["member"]["status"] == "ACTIVIST"
    probation = by_next["CONFIRMATION_APPLIED"]
    assert probation["member"]["status"] == "PROBATIONARY"
    ends = dt.date.fromisoformat(probation["probationEndsOn"])
    assert today < ends <= today + dt.timedelta(days=31)
    assert not any(n["isOverdue"] for n in nodes)
    transfers = (await admin.ok(TRANSFERS))["relationTransfers"]["nodes"]
    assert sorted((t["kind"], t["status"]) for t in transfers) == [
        ("INTERNAL", "COMPLETED"),
        ("OUTGOING", "ISSUED"),
    ]
