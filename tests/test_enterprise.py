"""Enterprise plugin through GraphQL: benchmark branches, four demonstrations, 党建+业务 items."""

from __future__ import annotations

from tests.plugin_factories import create_member, create_org, plugin_client

BENCHMARK = """mutation($org: ID!, $status: BenchmarkStatus!) {
  setBenchmarkBranch(input: {organizationId: $org, year: 2025, status: $status}) {
    errors { code field } benchmark { status statusLabel designatedOn organization { name } } } }"""
DEMO = """mutation($org: ID!, $kind: DemonstrationKind!, $name: String!) {
  createDemonstration(input: {organizationId: $org, kind: $kind, name: $name, year: 2025,
                              commitment: "服务零投诉", businessGoal: "营业额提升10%"}) {
    errors { code field } demonstration { id kindLabel } } }"""
JOIN = """mutation($demo: ID!, $member: ID!, $pledge: String!) {
  addDemonstrationParticipant(input: {demonstrationId: $demo, memberId: $member, pledge: $pledge}) {
    errors { code field } demonstration { participants { name pledge } } } }"""
ITEM = """mutation($org: ID!) {
  recordIntegrationItem(input: {organizationId: $org, year: 2025, title: "党员先锋队攻坚", unit: "万元",
                                businessMetric: "销售收入", targetValue: "200", tiedToPerformancePay: true}) {
    errors { code field } item { id attainment } } }"""
RESULT = """mutation($id: ID!, $value: Decimal!) {
  recordIntegrationResult(input: {id: $id, actualValue: $value}) { errors { code } item { attainment } } }"""


async def _company(client):
    committee = await create_org(client, "PARTY_COMMITTEE", "市烟草公司党委")
    sales = await create_org(client, "BRANCH", "营销中心党支部", committee)
    logistics = await create_org(client, "BRANCH", "物流中心党支部", committee)
    return committee, sales, logistics


async def test_benchmark_branch_designation():
    _, client = await plugin_client("enterprise", domain="enterprise")
    committee, sales, _ = await _company(client)
    assert (await client.mutate(BENCHMARK, org=sales, status="APPLYING"))["benchmark"][
        "statusLabel"
    ] == "创建中"
    payload = await client.mutate(BENCHMARK, org=sales, status="DESIGNATED")
    assert payload["benchmark"]["statusLabel"] == "标杆党支部"
    assert payload["benchmark"]["designatedOn"] is not None
    assert (
        await client.error_code(BENCHMARK, org=sales, status="DESIGNATED") == "ENTERPRISE_BENCHMARK_UNCHANGED"
    )
    # only branches can be benchmark branches
    assert await client.error_code(BENCHMARK, org=committee, status="APPLYING") == "ORG_KIND_NOT_ALLOWED"
    data = await client.ok("{ benchmarkBranches(year: 2025) { status organization { name } } }")
    assert data["benchmarkBranches"] == [{"status": "DESIGNATED", "organization": {"name": "营销中心党支部"}}]


async def test_four_demonstrations_with_members_and_pledges():
    _, client = await plugin_client("enterprise", domain="enterprise")
    _, sales, logistics = await _company(client)
    wang = await create_member(client, sales, "王芳")
    li = await create_member(client, sales, "李明")
    outsider = await create_member(client, logistics, "赵六")
    demo_ids = {}
    for kind, name in (
        ("POST", "客户经理示范岗"),
        ("FIELD", "烟叶示范田"),
        ("SHOP", "诚信示范店"),
        ("ZONE", "仓储示范区"),
    ):
        demo_ids[kind] = (await client.mutate(DEMO, org=sales, kind=kind, name=name))["demonstration"]["id"]
    await client.mutate(JOIN, demo=demo_ids["POST"], member=wang, pledge="全年服务零投诉")
    payload = await client.mutate(JOIN, demo=demo_ids["POST"], member=li, pledge="带动新客户20户")
    assert payload["demonstration"]["participants"] == [
        {"name": "王芳", "pledge": "全年服务零投诉"},
        {"name": "李明", "pledge": "带动新客户20户"},
    ]
    code = await client.error_code(JOIN, demo=demo_ids["POST"], member=outsider, pledge="x")
    assert code == "ENTERPRISE_MEMBER_OTHER_BRANCH"
    code = await client.error_code(JOIN, demo=demo_ids["POST"], member=wang, pledge="again")
    assert code == "ENTERPRISE_ALREADY_PARTICIPATING"
    query = "{ demonstrations(year: 2025) { totalCount nodes { kindLabel participants { name } } } }"
    data = (await client.ok(query))["demonstrations"]
    assert data["totalCount"] == 4
    assert {n["kindLabel"] for n in data["nodes"]} == {"党员示范岗", "党员示范田", "党员示范店", "党员示范区"}


async def test_integration_item_attainment():
    _, client = await plugin_client("enterprise", domain="enterprise")
    _, sales, _ = await _company(client)
    item = (await client.mutate(ITEM, org=sales))["item"]
    assert item["attainment"] is None
    assert (await client.mutate(RESULT, id=item["id"], value="230"))["item"]["attainment"] == 1.15
    assert await client.error_code(RESULT, id=item["id"], value="-1") == "INVALID_INPUT"
    data = await client.ok(
        "{ integrationItems(year: 2025) { nodes { title attainment tiedToPerformancePay } } }"
    )
    assert data["integrationItems"]["nodes"] == [
        {"title": "党员先锋队攻坚", "attainment": 1.15, "tiedToPerformancePay": True}
    ]


async def test_enterprise_fields_need_the_plugin():
    _, client = await plugin_client("rural")
    assert await client.error_code("{ benchmarkBranches(year: 2025) { year } }") == "PLUGIN_NOT_ENABLED"
