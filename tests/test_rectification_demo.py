"""The demo seeder of rectification and acceptance, read back through GraphQL."""

from __future__ import annotations

from core.principal import Principal
from tenants.demo import seed
from tests.support import GraphQLClient, unique_slug

SUMMARY = "{ rectificationSummary { total unclosed closed overdue byStatus { status count } } }"
APPS = """
{ acceptanceApplications { nodes { status onsiteSelected organizationName } }
  acceptanceRounds { nodes { title sampleDraw { id seed chosenIds } applications { status } } } }
"""
VERIFY = "query($id: ID!) { verifyAcceptanceSample(id: $id) { matches populationUnchanged } }"


async def test_demo_seeder_opens_items_in_every_state_and_one_application(monkeypatch):
    monkeypatch.setattr(seed, "SEEDERS", ["tenants.demo.rectification:seed_rectification"])
    spec = next(s for s in seed.DEMO_TENANTS if s.slug == "demo-rural")
    tenant, lines = await seed.seed_tenant(spec, slug=unique_slug("demo-rect"))
    assert any("整改事项" in line for line in lines) and any("验收申请" in line for line in lines)
    admin = GraphQLClient(Principal.tenant_admin(tenant.id))

    summary = (await admin.ok(SUMMARY))["rectificationSummary"]
    by_status = {s["status"]: s["count"] for s in summary["byStatus"]}
    assert summary["total"] >= 4 and summary["overdue"] >= 1 and summary["closed"] >= 1
    assert by_status["SUBMITTED"] >= 1 and by_status["IN_PROGRESS"] >= 1

    data = await admin.ok(APPS)
    (app,) = data["acceptanceApplications"]["nodes"]
    assert app["status"] == "ASSESSED" and app["onsiteSelected"] is True
    (batch,) = data["acceptanceRounds"]["nodes"]
    assert batch["sampleDraw"]["seed"] == "20250701" and len(batch["sampleDraw"]["chosenIds"]) == 1
    verified = (await admin.ok(VERIFY, id=batch["sampleDraw"]["id"]))["verifyAcceptanceSample"]
    assert verified == {"matches": True, "populationUnchanged": True}
