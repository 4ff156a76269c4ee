"""Foreign-affairs office plugin through GraphQL: 两专六有, 五个一, section-chief group leaders,
党建带群建."""

from __future__ import annotations

import datetime as dt

from plugins.foreign_affairs import services
from tests.plugin_factories import create_member, create_org, plugin_client

VENUE = """mutation($org: ID!, $present: [String!]!) {
  recordVenueChecklist(input: {organizationId: $org, present: $present, checkedOn: "2025-05-01"}) {
    errors { code field } venue { dedicatedMet equippedMet complete items { code present } } } }"""
MASS = """mutation($org: ID!, $kind: MassOrganizationKind!, $name: String!) {
  registerMassOrganization(input: {organizationId: $org, kind: $kind, name: $name, memberCount: 12}) {
    errors { code field } massOrganization { kindLabel } } }"""
RECORD = """mutation($org: ID!, $kind: String!, $on: Date!) {
  recordActivity(input: {organizationId: $org, kind: $kind, heldOn: $on, topic: "五个一"}) {
    errors { code message } } }"""
EXTRA = """mutation($member: ID!, $values: JSON!) {
  updateMemberExtra(input: {memberId: $member, values: $values}) {
    errors { code field } memberExtra { values } } }"""
LEADER = """mutation($group: ID!, $member: ID!) {
  setPartyGroupLeader(input: {groupId: $group, memberId: $member}) { errors { code message } } }"""


async def _office(client):
    committee = await create_org(client, "PARTY_COMMITTEE", "市直机关工委")
    branch = await create_org(client, "BRANCH", "市外事办党支部", committee)
    return branch


async def test_two_dedicated_rooms_and_six_items():
    _, client = await plugin_client("foreign_affairs", domain="foreign_affairs")
    branch = await _office(client)
    payload = await client.mutate(VENUE, org=branch, present=["activity_room", "party_office", "computer"])
    assert (payload["venue"]["dedicatedMet"], payload["venue"]["equippedMet"]) == (2, 1)
    assert payload["venue"]["complete"] is False
    everything = [
        "activity_room",
        "party_office",
        "conference_table",
        "computer",
        "air_conditioning",
        "video_conferencing",
        "bookcase",
        "record_books",
    ]
    payload = await client.mutate(VENUE, org=branch, present=everything)
    assert payload["venue"]["complete"] is True
    assert await client.error_code(VENUE, org=branch, present=["swimming_pool"]) == "INVALID_INPUT"
    data = await client.ok("{ venueChecklists { complete organization { name } } }")
    assert data["venueChecklists"] == [{"complete": True, "organization": {"name": "市外事办党支部"}}]


KINDS = "{ activityKinds { code period times keyDatesConfigKey keyDates { date name } } }"
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""
CALENDAR = """query($org: ID!) {
  activityCalendar(organizationId: $org, from: "2025-01-01", to: "2025-12-31",
                   kinds: ["PATRIOTIC_EDUCATION"]) {
    cycle period start due status heldOn numbers } }"""
FINDINGS = """query($org: ID!) {
  findings(scopeId: $org, from: "2025-01-01", to: "2025-12-31",
           ruleCodes: ["PATRIOTIC_EDUCATION_MISSING"]) {
    ruleCode period message numbers } }"""
PROGRESS = """query($org: ID!, $month: Int!) {
  fiveOnesProgress(organizationId: $org, year: 2025, month: $month) {
  kind label period expected held met } }"""


async def test_five_ones_follow_the_reports_cadences():
    """The report: 每月一理论讲习、每月一升旗仪式、每周一文体活动 on their cycles; patriotic education at
    key dates (重要节点) — the tenant's configured dates, not a quarterly cycle; no volunteer service."""
    _, client = await plugin_client("foreign_affairs", domain="foreign_affairs")
    branch = await _office(client)
    kinds = {k["code"]: k for k in (await client.ok(KINDS))["activityKinds"]}
    assert {c: (kinds[c]["period"], kinds[c]["times"]) for c in services.FIVE_ONES} == {
        "MONTHLY_THEORY_SESSION": ("MONTH", 1),
        "MONTHLY_FLAG_RAISING": ("MONTH", 1),
        "WEEKLY_SPORTS": ("WEEK", 1),
    }
    assert kinds["PATRIOTIC_EDUCATION"] == {
        "code": "PATRIOTIC_EDUCATION",
        "period": None,
        "times": None,
        "keyDatesConfigKey": "foreign_affairs.patriotic_education_dates",
        "keyDates": [],
    }
    assert kinds["MASS_JOINT_ACTIVITY"]["period"] is None  # recorded, no cadence
    assert not {"MONTHLY_VOLUNTEER_SERVICE", "QUARTERLY_PATRIOTIC_EDUCATION"} & set(kinds)
    rules = {r["code"] for r in (await client.ok("{ standardRules { code } }"))["standardRules"]}
    assert {"PATRIOTIC_EDUCATION_MISSING", "WEEKLY_SPORTS_MISSING"} <= rules
    assert not {"MONTHLY_VOLUNTEER_SERVICE_MISSING", "MASS_JOINT_ACTIVITY_MISSING"} & rules
    # the report names no date: nothing is expected until the tenant lists its key dates
    await client.mutate(RECORD, org=branch, kind="PATRIOTIC_EDUCATION", on="2025-06-28")
    assert (await client.ok(CALENDAR, org=branch))["activityCalendar"] == []
    dates = [{"date": "07-01", "name": "建党纪念日"}, {"date": "12-13", "name": "国家公祭日"}]
    payload = await client.mutate(CONFIG, patch={"foreign_affairs": {"patriotic_education_dates": dates}})
    config = payload["tenant"]["config"]
    tolerance = config["standards"]["key_date_tolerance_days"]
    kinds = {k["code"]: k for k in (await client.ok(KINDS))["activityKinds"]}
    assert kinds["PATRIOTIC_EDUCATION"]["keyDates"] == dates
    # one expected occurrence per key date, on time within the tolerance around it
    await client.mutate(RECORD, org=branch, kind="PATRIOTIC_EDUCATION", on="2025-08-20")  # no key date
    entries = (await client.ok(CALENDAR, org=branch))["activityCalendar"]

    def due(day: dt.date) -> str:
        return (day + dt.timedelta(days=tolerance)).isoformat()

    assert [(e["cycle"], e["period"], e["due"], e["status"], e["heldOn"]) for e in entries] == [
        ("KEY_DATE", "2025-07-01", due(dt.date(2025, 7, 1)), "DONE", ["2025-06-28"]),
        ("KEY_DATE", "2025-12-13", due(dt.date(2025, 12, 13)), "MISSING", []),
    ]
    (missing,) = (await client.ok(FINDINGS, org=branch))["findings"]
    assert missing["period"] == "2025-12-13" and missing["numbers"]["key_date"] == "国家公祭日"
    assert "2025年12月13日（国家公祭日）" in missing["message"]
    # 五个一 progress: the three named cycles every month, patriotic education only in key-date months
    for kind, day in (
        ("MONTHLY_THEORY_SESSION", "2025-07-05"),
        ("MONTHLY_FLAG_RAISING", "2025-07-03"),
        ("WEEKLY_SPORTS", "2025-07-11"),
        ("WEEKLY_SPORTS", "2025-07-18"),
    ):
        await client.mutate(RECORD, org=branch, kind=kind, on=day)
    items = {i["kind"]: i for i in (await client.ok(PROGRESS, org=branch, month=7))["fiveOnesProgress"]}
    assert items["MONTHLY_THEORY_SESSION"] == {
        "kind": "MONTHLY_THEORY_SESSION",
        "label": "每月一理论讲习",
        "period": "2025-07",
        "expected": 1,
        "held": 1,
        "met": True,
    }
    assert (items["WEEKLY_SPORTS"]["expected"], items["WEEKLY_SPORTS"]["held"]) == (4, 2)  # 4 Mondays
    assert items["PATRIOTIC_EDUCATION"] == {
        "kind": "PATRIOTIC_EDUCATION",
        "label": "爱国主义主题教育（建党纪念日）",
        "period": "2025-07-01",
        "expected": 1,
        "held": 1,
        "met": True,
    }
    march = [i["kind"] for i in (await client.ok(PROGRESS, org=branch, month=3))["fiveOnesProgress"]]
    assert march == list(services.FIVE_ONES)
    bad = {"foreign_affairs": {"patriotic_education_dates": [{"date": "13-40", "name": "x"}]}}
    assert await client.error_code(CONFIG, patch=bad) == "INVALID_INPUT"
    # the kinds only exist for tenants with the plugin
    _, plain = await plugin_client()
    other = await _office(plain)
    assert (
        await plain.error_code(RECORD, org=other, kind="WEEKLY_SPORTS", on="2025-03-07")
        == "ACTIVITY_KIND_UNKNOWN"
    )


async def test_party_groups_led_by_section_chiefs():
    _, client = await plugin_client("foreign_affairs", domain="foreign_affairs")
    branch = await _office(client)
    fields = (await client.ok("{ memberFields { code label type choices plugin } }"))["memberFields"]
    assert {"code": "rank", "label": "职级", "type": "CHOICE", "plugin": "foreign_affairs"}.items() <= fields[
        0
    ].items()
    for n, rank in enumerate(["正科级", "正科级", "正科级", "副科级"], start=1):
        group = await create_org(client, "PARTY_GROUP", f"第{n}党小组", branch)
        leader = await create_member(client, branch, f"组长{n}", partyGroupId=group)
        await client.mutate(EXTRA, member=leader, values={"rank": rank})
        await client.mutate(LEADER, group=group, member=leader)
    assert await client.error_code(EXTRA, member=leader, values={"rank": "将军"}) == "INVALID_INPUT"
    assert await client.error_code(EXTRA, member=leader, values={"shoe_size": 42}) == "INVALID_INPUT"
    query = """query($org: ID!) { partyGroupLeadership(organizationId: $org) {
      expectedGroups ledBySectionChief ok groups { leaderName leaderRank ledBySectionChief } } }"""
    data = (await client.ok(query, org=branch))["partyGroupLeadership"]
    assert (data["expectedGroups"], data["ledBySectionChief"], data["ok"]) == (4, 3, False)
    assert data["groups"][3] == {"leaderName": "组长4", "leaderRank": "副科级", "ledBySectionChief": False}
    # the report: all four group leaders are section chiefs (正科级); a 副处级 leader is not one
    config = (await client.ok("{ tenant { config } }"))["tenant"]["config"]["foreign_affairs"]
    assert config["group_leader_ranks"] == ["正科级"]
    await client.mutate(EXTRA, member=leader, values={"rank": "副处级"})
    data = (await client.ok(query, org=branch))["partyGroupLeadership"]
    assert (data["ledBySectionChief"], data["ok"], data["groups"][3]["ledBySectionChief"]) == (
        3,
        False,
        False,
    )
    await client.mutate(EXTRA, member=leader, values={"rank": "正科级"})
    assert (await client.ok(query, org=branch))["partyGroupLeadership"]["ok"] is True
    # a tenant whose groups may be led by division-level cadres says so in its config
    await client.mutate(EXTRA, member=leader, values={"rank": "副处级"})
    await client.mutate(CONFIG, patch={"foreign_affairs": {"group_leader_ranks": ["正科级", "副处级"]}})
    assert (await client.ok(query, org=branch))["partyGroupLeadership"]["ok"] is True


async def test_party_building_leads_mass_organizations():
    _, client = await plugin_client("foreign_affairs", domain="foreign_affairs")
    branch = await _office(client)
    await client.mutate(MASS, org=branch, kind="TRADE_UNION", name="市外事办工会")
    payload = await client.mutate(MASS, org=branch, kind="WOMEN_GROUP", name="市外事办妇女小组")
    assert payload["massOrganization"]["kindLabel"] == "妇女小组"
    code = await client.error_code(MASS, org=branch, kind="TRADE_UNION", name="又一个工会")
    assert code == "FOREIGN_AFFAIRS_MASS_ORG_EXISTS"
    query = """query($org: ID!) { massWork(organizationId: $org) { missing organizations { kind } } }"""
    data = (await client.ok(query, org=branch))["massWork"]
    assert data["missing"] == ["YOUTH_LEAGUE"]


async def test_foreign_affairs_fields_need_the_plugin():
    _, client = await plugin_client("newspaper")
    assert await client.error_code("{ venueChecklists { complete } }") == "PLUGIN_NOT_ENABLED"
