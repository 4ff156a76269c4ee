"""Each domain plugin on its demo tenant: the seeded plugin data through GraphQL, and the plugin's
rules in force and finding things in that data."""

from __future__ import annotations

import datetime as dt

import pytest_asyncio

from core.models import Tenant
from core.principal import Principal
from tenants.demo.seed import DEMO_TENANTS, seed_tenant
from tests.support import GraphQLClient, unique_slug

RUN = """mutation($start: Date!, $end: Date!) {
  runScoring(input: {periodStart: $start, periodEnd: $end}) {
    errors { code message } run { id scorer ruleCodes branchCount } } }"""
FINDINGS = """query($id: ID!, $code: String!) { scoreRun(id: $id) {
  findings(ruleCode: $code, first: 50) { nodes { ruleCode message plugin } } } }"""


@pytest_asyncio.fixture(scope="module")
async def demo() -> dict[str, GraphQLClient]:
    """The four demo tenants (fresh slugs), each with an administrator client, keyed by domain."""
    clients = {}
    for spec in DEMO_TENANTS:
        tenant, _ = await seed_tenant(spec, slug=unique_slug(spec.slug))
        clients[spec.domain] = GraphQLClient(Principal.tenant_admin(tenant.id, label="演示管理员"))
    return clients


async def _run(client: GraphQLClient) -> dict:
    today = dt.date.today()
    payload = await client.mutate(
        RUN, start=(today - dt.timedelta(days=365)).isoformat(), end=today.isoformat()
    )
    return payload["run"]


async def _finding_messages(client: GraphQLClient, run: dict, code: str) -> list[str]:
    data = await client.ok(FINDINGS, id=run["id"], code=code)
    nodes = data["scoreRun"]["findings"]["nodes"]
    assert all(n["ruleCode"] == code for n in nodes)
    return [n["message"] for n in nodes]


async def _tenant(client: GraphQLClient) -> Tenant:
    return await Tenant.get(id=client.principal.tenant_id)


async def test_rural_demo_tenant(demo):
    client = demo["rural"]
    data = await client.ok(
        """{ ruralGrids { totalCount nodes { naturalVillage organization { name } } }
             firstSecretaries { nodes { name dispatchingAgency organization { name } } } }"""
    )
    assert data["ruralGrids"]["totalCount"] == 4
    assert {n["naturalVillage"] for n in data["ruralGrids"]["nodes"]} == {
        "上东岭",
        "下东岭",
        "茶园坞",
        "南坪",
    }
    assert {(n["name"], n["organization"]["name"]) for n in data["firstSecretaries"]["nodes"]} == {
        ("周振华", "西河村党支部"),
        ("陈思远", "北山村党支部"),
    }
    run = await _run(client)
    assert run["scorer"] == "rural"
    assert {"RURAL_YOUNG_CADRES", "RURAL_CAPABLE_LOCALS"} <= set(run["ruleCodes"])
    young = await _finding_messages(client, run, "RURAL_YOUNG_CADRES")
    assert sorted(m.split("村“两委”")[0] for m in young) == ["北山村党支部", "南坪村党支部"]
    capable = await _finding_messages(client, run, "RURAL_CAPABLE_LOCALS")
    assert [m.split("村“两委”")[0] for m in capable] == ["北山村党支部"]


async def test_enterprise_demo_tenant(demo):
    client = demo["enterprise"]
    year = dt.date.today().year
    data = await client.ok(
        """query($y: Int!) { benchmarkBranches(year: $y) { status organization { name } }
             demonstrations(year: $y) { totalCount nodes { kindLabel participants { name } } }
             integrationItems(year: $y) { nodes { title attainment } } }""",
        y=year,
    )
    assert {(b["status"], b["organization"]["name"]) for b in data["benchmarkBranches"]} == {
        ("DESIGNATED", "一车间党支部"),
        ("APPLYING", "研发中心党支部"),
    }
    demos = data["demonstrations"]
    assert demos["totalCount"] == 4
    assert {d["kindLabel"] for d in demos["nodes"]} == {
        "党员示范岗",
        "党员示范田",
        "党员示范店",
        "党员示范区",
    }
    assert sum(len(d["participants"]) for d in demos["nodes"]) == 8
    assert {i["title"]: i["attainment"] for i in data["integrationItems"]["nodes"]} == {
        "党员攻坚降本增效": 1.0958,
        "党员科技创新突击队": 0.7,
        "党建引领市场开拓": None,
    }
    run = await _run(client)
    assert run["scorer"] == "enterprise"
    assert {"ENTERPRISE_DEMONSTRATION_MISSING", "ENTERPRISE_INTEGRATION_BEHIND"} <= set(run["ruleCodes"])
    behind = await _finding_messages(client, run, "ENTERPRISE_INTEGRATION_BEHIND")
    # 市场营销部 has no result yet; 一车间 reached its target (131.5 of 120)
    assert any(m.startswith("市场营销部党支部") for m in behind), behind
    assert not any(m.startswith("一车间党支部") for m in behind), behind
    missing = await _finding_messages(client, run, "ENTERPRISE_DEMONSTRATION_MISSING")
    # the customer-service shop has no member yet, so 市场营销部 has no demonstration that counts
    assert any(m.startswith("市场营销部党支部") for m in missing), missing
    assert not any(m.startswith("一车间党支部") for m in missing), missing


async def test_newspaper_demo_tenant(demo):
    client = demo["newspaper"]
    data = await client.ok(
        """{ overseasBureaus { embassyPartyOrganization abroadMembers organization { name } }
             emergencyTeams { name temporaryBranch { name kind } }
             socialMediaAccounts { totalCount } jointBranchCoverage { withinLimit } }"""
    )
    (bureau,) = data["overseasBureaus"]
    assert bureau["organization"]["name"] == "驻外记者站党支部" and bureau["abroadMembers"] == 4
    assert data["emergencyTeams"][0]["temporaryBranch"]["kind"] == "TEMPORARY_BRANCH"
    assert data["socialMediaAccounts"]["totalCount"] == 3
    assert all(j["withinLimit"] for j in data["jointBranchCoverage"])
    orgs = await client.ok('{ organizations(filter: {nameContains: "编辑中心"}) { nodes { id } } }')
    branch = orgs["organizations"]["nodes"][0]["id"]
    checklist = await client.ok(
        """query($org: ID!, $y: Int!) { newspaperChecklist(organizationId: $org, year: $y) {
             met partial notAssessed } }""",
        org=branch,
        y=dt.date.today().year,
    )
    assert checklist["newspaperChecklist"] == {"met": 19, "partial": 2, "notAssessed": 0}
    run = await _run(client)
    assert run["scorer"] == "newspaper"
    assert "NEWSPAPER_CHECKLIST_BELOW_PASS" in run["ruleCodes"]
    below = await _finding_messages(client, run, "NEWSPAPER_CHECKLIST_BELOW_PASS")
    assert any("编辑中心党支部" in m for m in below)


async def test_foreign_affairs_demo_tenant(demo):
    client = demo["foreign_affairs"]
    data = await client.ok(
        "{ venueChecklists { dedicatedMet equippedMet complete organization { id name } } }"
    )
    (venue,) = data["venueChecklists"]
    assert (venue["dedicatedMet"], venue["equippedMet"], venue["complete"]) == (2, 5, False)
    office = venue["organization"]["id"]
    data = await client.ok(
        """query($org: ID!) { massWork(organizationId: $org) { missing organizations { kindLabel } }
             partyGroupLeadership(organizationId: $org) { expectedGroups ledBySectionChief ok } }""",
        org=office,
    )
    assert data["massWork"]["missing"] == []
    assert len(data["massWork"]["organizations"]) == 3
    leadership = data["partyGroupLeadership"]
    assert (leadership["expectedGroups"], leadership["ledBySectionChief"], leadership["ok"]) == (4, 3, False)
    run = await _run(client)
    assert run["scorer"] == "foreign_affairs"
    assert {"FOREIGN_AFFAIRS_PARTY_GROUPS", "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS", "VENUE_INCOMPLETE"} <= set(
        run["ruleCodes"]
    )
    assert await _finding_messages(client, run, "FOREIGN_AFFAIRS_MASS_ORGANIZATIONS") == []
    assert await _finding_messages(client, run, "FOREIGN_AFFAIRS_PARTY_GROUPS") == []  # four groups
    venue_findings = await _finding_messages(client, run, "VENUE_INCOMPLETE")
    # the plugin replaces the core venue rule with 两专六有: only the video conferencing set is missing
    assert len(venue_findings) == 1 and venue_findings[0].endswith("缺少：有会议电视"), venue_findings


async def test_plugin_rules_stay_with_their_tenants(demo):
    rural = await _run(demo["rural"])
    newspaper = await _run(demo["newspaper"])
    assert not any(code.startswith("NEWSPAPER_") for code in rural["ruleCodes"])
    assert not any(code.startswith("RURAL_") for code in newspaper["ruleCodes"])
