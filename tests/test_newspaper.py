"""Newspaper plugin through GraphQL: 21-item checklist, overseas bureaus, emergency teams,
joint-branch coverage and members' social media accounts."""

from __future__ import annotations

from tests.plugin_factories import create_member, create_org, plugin_client

ASSESS = """mutation($org: ID!, $code: String!, $status: ItemStatus!, $evidence: String) {
  assessNewspaperChecklistItem(input: {organizationId: $org, year: 2025, itemCode: $code, status: $status,
                                       evidence: $evidence}) {
    errors { code field } checklist { met partial notMet notAssessed } } }"""
BUREAU = """mutation($org: ID!) {
  markOverseasBureau(input: {organizationId: $org, bureauName: "驻日内瓦记者站", country: "瑞士",
                             city: "日内瓦", embassyPartyOrganization: "驻瑞士使馆党委"}) {
    errors { code field } bureau { bureauName embassyPartyOrganization abroadMembers } } }"""
TEAM = """mutation($parent: ID!) {
  createEmergencyTeam(input: {parentId: $parent, name: "抗洪抢险应急报道队", event: "特大洪涝灾害",
                              approvedOn: "2025-07-01"}) {
    errors { code field } team { id name approvedBy temporaryBranch { id kind temporaryBody } } } }"""
ACCOUNT = """mutation($member: ID!, $platform: String!, $handle: String!) {
  registerSocialMediaAccount(input: {memberId: $member, platform: $platform, handle: $handle,
                                     registeredOn: "2025-03-01"}) {
    errors { code field } account { id platform handle memberName } } }"""


async def _paper(client):
    committee = await create_org(client, "PARTY_COMMITTEE", "报社机关党委")
    branch = await create_org(client, "BRANCH", "要闻部党支部", committee)
    return committee, branch


async def test_checklist_has_six_areas_and_twenty_one_items():
    _, client = await plugin_client("newspaper", domain="newspaper")
    data = await client.ok("{ newspaperChecklistAreas { label items { code number label } } }")
    areas = data["newspaperChecklistAreas"]
    assert [a["label"] for a in areas] == [
        "组织设置规范",
        "支委会建设规范",
        "组织生活规范",
        "功能作用规范",
        "党员队伍建设规范",
        "制度保障规范",
    ]
    items = [i for a in areas for i in a["items"]]
    assert [i["number"] for i in items] == list(range(1, 22))
    assert items[1]["label"] == "临时党支部的设立" and items[20]["label"] == "基础保障"
    assert [len(a["items"]) for a in areas] == [3, 2, 6, 3, 3, 4]


async def test_branch_assessment_against_the_checklist():
    _, client = await plugin_client("newspaper", domain="newspaper")
    _, branch = await _paper(client)
    await client.mutate(ASSESS, org=branch, code="N01", status="MET")
    await client.mutate(ASSESS, org=branch, code="N06", status="PARTIAL", evidence="党课记录不全")
    payload = await client.mutate(ASSESS, org=branch, code="N06", status="MET", evidence="已补齐")
    assert payload["checklist"] == {"met": 2, "partial": 0, "notMet": 0, "notAssessed": 19}
    assert await client.error_code(ASSESS, org=branch, code="N22", status="MET") == "INVALID_INPUT"
    # a shortfall needs an explanation
    assert await client.error_code(ASSESS, org=branch, code="N02", status="NOT_MET") == "INVALID_INPUT"
    query = """query($org: ID!) { newspaperChecklist(organizationId: $org, year: 2025) {
      entries { item { code areaLabel } status evidence } } }"""
    entries = (await client.ok(query, org=branch))["newspaperChecklist"]["entries"]
    assert entries[5] == {
        "item": {"code": "N06", "areaLabel": "组织生活规范"},
        "status": "MET",
        "evidence": "已补齐",
    }


async def test_overseas_bureau_members_under_the_embassy():
    _, client = await plugin_client("newspaper", domain="newspaper")
    committee, _ = await _paper(client)
    bureau = await create_org(client, "BRANCH", "驻日内瓦记者站党支部", committee)
    for name in ("陈记者", "周记者"):
        await create_member(client, bureau, name, categories=["WORKING_ABROAD"])
    await create_member(client, bureau, "国内编辑")
    payload = await client.mutate(BUREAU, org=bureau)
    assert payload["bureau"] == {
        "bureauName": "驻日内瓦记者站",
        "embassyPartyOrganization": "驻瑞士使馆党委",
        "abroadMembers": 2,
    }
    data = await client.ok("{ overseasBureaus { country organization { name } abroadMembers } }")
    assert data["overseasBureaus"] == [
        {"country": "瑞士", "organization": {"name": "驻日内瓦记者站党支部"}, "abroadMembers": 2}
    ]


async def test_emergency_team_gets_a_temporary_branch_dissolved_with_it():
    _, client = await plugin_client("newspaper", domain="newspaper")
    committee, _ = await _paper(client)
    team = (await client.mutate(TEAM, parent=committee))["team"]
    assert team["approvedBy"] == "编委会"
    assert team["temporaryBranch"]["kind"] == "TEMPORARY_BRANCH"
    assert team["temporaryBranch"]["temporaryBody"] == "抗洪抢险应急报道队"
    dissolve = """mutation($id: ID!) { dissolveEmergencyTeam(input: {id: $id, on: "2025-09-01"}) {
      errors { code } team { dissolvedOn temporaryBranch { dissolvedOn isDissolved } } } }"""
    payload = await client.mutate(dissolve, id=team["id"])
    assert payload["team"]["temporaryBranch"] == {"dissolvedOn": "2025-09-01", "isDissolved": True}
    assert await client.error_code(dissolve, id=team["id"]) == "NEWSPAPER_TEAM_DISSOLVED"
    assert (await client.ok("{ emergencyTeams { name } }"))["emergencyTeams"] == []


async def test_joint_branch_coverage_limit_is_config_that_may_only_be_lowered():
    _, client = await plugin_client("newspaper", domain="newspaper")
    committee, _ = await _paper(client)
    units = ["评论部", "理论部", "文艺部", "体育部"]
    await create_org(client, "JOINT_BRANCH", "评论理论联合党支部", committee, units=units)
    query = "{ jointBranchCoverage { coveredUnits limit withinLimit } }"
    assert (await client.ok(query))["jointBranchCoverage"] == [
        {"coveredUnits": units, "limit": 5, "withinLimit": True}
    ]
    lower = """mutation($n: Int!) { updatePluginConfig(input: {name: "newspaper",
      patch: {joint_branch_max_departments: $n}}) { errors { code field } } }"""
    await client.mutate(lower, n=3)
    assert (await client.ok(query))["jointBranchCoverage"][0]["withinLimit"] is False
    assert await client.error_code(lower, n=6) == "INVALID_INPUT"


async def test_social_media_accounts_are_registered_per_member():
    _, client = await plugin_client("newspaper", domain="newspaper")
    _, branch = await _paper(client)
    member = await create_member(client, branch, "吴编辑")
    account = (await client.mutate(ACCOUNT, member=member, platform="微博", handle="wu_editor"))["account"]
    assert account["memberName"] == "吴编辑"
    assert await client.error_code(ACCOUNT, member=member, platform="微博", handle="wu_editor") == (
        "NEWSPAPER_ACCOUNT_TAKEN"
    )
    assert await client.error_code(ACCOUNT, member=member, platform="脸书", handle="x") == "INVALID_INPUT"
    query = (
        """query($m: ID!) { socialMediaAccounts(memberId: $m) { totalCount nodes { platform handle } } }"""
    )
    data = (await client.ok(query, m=member))["socialMediaAccounts"]
    assert data == {"totalCount": 1, "nodes": [{"platform": "微博", "handle": "wu_editor"}]}
    close = """mutation($id: ID!) { closeSocialMediaAccount(input: {id: $id, on: "2025-06-01"}) {
      errors { code } account { closedOn } } }"""
    await client.mutate(close, id=account["id"])
    assert (await client.ok(query, m=member))["socialMediaAccounts"]["totalCount"] == 0


async def test_newspaper_fields_need_the_plugin():
    _, client = await plugin_client("rural")
    assert await client.error_code("{ overseasBureaus { country } }") == "PLUGIN_NOT_ENABLED"
