"""The expected-activity calendar: slots per cycle, matching (done / late / missing / pending),
the themed day on the tenant's fixed day with attendance, party groups, plugin kinds."""

from __future__ import annotations

import datetime as dt

from core.models import Activity, Organization
from core.principal import Principal
from core.registry import Period
from core.services.tenants import get_tenant
from core.standards.calendar import SlotStatus, match, slots
from core.tenancy import tenant_scope
from core.tenant_config import update_config
from tests import standards_factories as f
from tests.support import GraphQLClient, make_tenant

D = dt.date

CALENDAR = """
query($org: ID!, $from: Date!, $to: Date!, $kinds: [String!], $statuses: [CalendarStatus!]) {
  activityCalendar(organizationId: $org, from: $from, to: $to, kinds: $kinds, statuses: $statuses) {
    kind kindLabel cycle period start end due expected status statusLabel heldOn attendanceRate numbers
    organization { name }
  }
}
"""


async def calendar(client, org_gid: str, start: str, end: str, **kw) -> list[dict]:
    return (await client.ok(CALENDAR, org=org_gid, **{"from": start, "to": end}, **kw))["activityCalendar"]


def test_slots_per_cycle():
    assert [s.period for s in slots(Period.QUARTER, D(2025, 2, 1), D(2025, 12, 31))] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    months = slots(Period.MONTH, D(2025, 1, 1), D(2025, 12, 31))
    assert len(months) == 12 and months[1].end == D(2025, 2, 28)
    weeks = slots(Period.WEEK, D(2025, 1, 1), D(2025, 1, 31))
    assert weeks[0].period == "2025-W01" and weeks[0].start == D(2024, 12, 30) and len(weeks) == 5
    assert [s.period for s in slots(Period.HALF_YEAR, D(2025, 1, 1), D(2025, 12, 31))] == [
        "2025-H1",
        "2025-H2",
    ]
    assert [s.period for s in slots(Period.YEAR, D(2024, 6, 1), D(2025, 6, 1))] == ["2024", "2025"]


def test_matching_prefers_own_period_then_catches_up():
    months = slots(Period.MONTH, D(2025, 1, 1), D(2025, 4, 30))
    today = D(2025, 4, 20)
    # Jan on time; Feb missing but Mar 5 catches it up (Mar keeps Mar 25); Apr not yet due
    dates = [D(2025, 1, 10), D(2025, 3, 5), D(2025, 3, 25)]
    result = [status for status, _, _ in match(months, dates, 1, 15, today)]
    assert result == [SlotStatus.DONE, SlotStatus.LATE, SlotStatus.DONE, SlotStatus.PENDING]
    # a single March meeting counts for March, not as February's catch-up
    result = [status for status, _, _ in match(months, [D(2025, 3, 5)], 1, 15, today)]
    assert result[:3] == [SlotStatus.MISSING, SlotStatus.MISSING, SlotStatus.DONE]
    # twice a month expected: one held is not enough
    assert match(months[:1], [D(2025, 1, 3)], 2, 0, today)[0][0] is SlotStatus.MISSING


async def test_branch_calendar_statuses(admin, tenant):
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(
        tenant.id,
        root,
        name="示范党支部",
        skip={
            ("COMMITTEE_MEETING", 3),
            ("COMMITTEE_MEETING", 5),
            ("THEMED_PARTY_DAY", 7),
            ("LIFE_MEETING", 0),
        },
    )
    # March caught up on Apr 8 (within 15 days; April keeps its Apr 10), May never; the July
    # themed day on the 26th
    await f.activity(tenant.id, kit.branch, "COMMITTEE_MEETING", D(2025, 4, 8), kit.members[:3])
    await f.activity(
        tenant.id, kit.branch, "THEMED_PARTY_DAY", D(2025, 7, 26), kit.members[:6], kit.members[6:]
    )
    # a cancelled life meeting does not count
    cancelled = await f.activity(tenant.id, kit.branch, "LIFE_MEETING", D(2025, 12, 10), kit.members)
    with tenant_scope(tenant.id):
        await Activity.filter(id=cancelled.id).update(cancelled_on=D(2025, 12, 11), cancel_reason="误录")

    items = await calendar(admin, kit.gid, "2025-01-01", "2025-12-31")
    by_key = {(i["kind"], i["period"]): i for i in items}
    assert len([i for i in items if i["kind"] == "COMMITTEE_MEETING"]) == 12
    assert len([i for i in items if i["kind"] == "MEMBER_CONGRESS"]) == 4
    march, april = by_key[("COMMITTEE_MEETING", "2025-03")], by_key[("COMMITTEE_MEETING", "2025-04")]
    assert (march["status"], march["heldOn"], march["statusLabel"]) == ("LATE", ["2025-04-08"], "延期完成")
    assert (april["status"], april["heldOn"]) == ("DONE", ["2025-04-10"])
    assert (
        by_key[("COMMITTEE_MEETING", "2025-05")]["status"],
        by_key[("COMMITTEE_MEETING", "2025-05")]["heldOn"],
    ) == (
        "MISSING",
        [],
    )
    july = by_key[("THEMED_PARTY_DAY", "2025-07")]
    assert (july["status"], july["due"], july["attendanceRate"]) == ("LATE", "2025-07-22", 0.75)
    june = by_key[("THEMED_PARTY_DAY", "2025-06")]
    assert (june["status"], june["heldOn"], june["attendanceRate"]) == ("DONE", ["2025-06-20"], 1.0)
    assert by_key[("LIFE_MEETING", "2025")]["status"] == "MISSING"
    talks = by_key[("HEART_TO_HEART", "2025")]
    assert talks["status"] == "DONE" and talks["numbers"]["coverage"] == 1.0
    assert all(i["organization"]["name"] == "示范党支部" for i in items)

    missing = await calendar(admin, kit.gid, "2025-01-01", "2025-12-31", statuses=["MISSING"])
    assert {(i["kind"], i["period"]) for i in missing} == {
        ("COMMITTEE_MEETING", "2025-05"),
        ("LIFE_MEETING", "2025"),
    }

    # the tenant's fixed themed day moves to the 25th: July 26 is now within the tolerance (2 days)
    with tenant_scope(tenant.id):
        await update_config(await get_tenant(tenant.id), {"activities": {"themed_party_day": 25}})
    july = (await calendar(admin, kit.gid, "2025-07-01", "2025-07-31", kinds=["THEMED_PARTY_DAY"]))[0]
    assert (july["status"], july["due"]) == ("DONE", "2025-07-27")


async def test_party_groups_and_pending_slots(admin, tenant):
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, full=8, groups=2, life=False)
    today = dt.date.today()
    year = today.year
    items = await calendar(admin, kit.gid, f"{year}-01-01", f"{year}-12-31", kinds=["GROUP_MEETING"])
    assert {i["organization"]["name"] for i in items} == {g.name for g in kit.groups}
    assert len(items) == 24
    for item in items:
        due = dt.date.fromisoformat(item["due"])
        assert item["status"] == ("PENDING" if due >= today else "MISSING"), item


async def test_branch_established_mid_year_expects_nothing_before(admin, tenant):
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, life=False)
    with tenant_scope(tenant.id):
        await Organization.filter(id=kit.id).update(established_on=D(2025, 6, 15))
    items = await calendar(admin, kit.gid, "2025-01-01", "2025-12-31", kinds=["COMMITTEE_MEETING"])
    assert [i["period"] for i in items] == [f"2025-{m:02d}" for m in range(7, 13)]


async def test_plugin_kinds_bring_their_cycles():
    office = await make_tenant(
        domain="foreign_affairs", plugins=["foreign_affairs"], scoring="foreign_affairs"
    )
    client = GraphQLClient(Principal.tenant_admin(office.id, label="外事办"))
    root = await f.committee_root(office.id)
    kit = await f.compliant_branch(office.id, root, life=False)
    await f.activity(office.id, kit.branch, "WEEKLY_SPORTS", D(2025, 3, 5), kit.members)
    items = await calendar(client, kit.gid, "2025-03-01", "2025-03-31", kinds=["WEEKLY_SPORTS"])
    assert [i["period"] for i in items] == [
        "2025-W09",
        "2025-W10",
        "2025-W11",
        "2025-W12",
        "2025-W13",
        "2025-W14",
    ]
    assert {i["cycle"] for i in items} == {"WEEK"} and items[0]["kindLabel"] == "每周一文体活动"
    assert [i["status"] for i in items[:2]] == ["MISSING", "DONE"]
    # a tenant without the plugin has no such kind
    office_kinds = {
        i["kind"]
        for i in await calendar(
            GraphQLClient(Principal.tenant_admin(office.id)), kit.gid, "2025-03-01", "2025-03-31"
        )
    }
    assert "MONTHLY_FLAG_RAISING" in office_kinds
    plain = await make_tenant()
    plain_root = await f.committee_root(plain.id)
    plain_kit = await f.compliant_branch(plain.id, plain_root, life=False)
    plain_items = await calendar(
        GraphQLClient(Principal.tenant_admin(plain.id)), plain_kit.gid, "2025-03-01", "2025-03-31"
    )
    assert "WEEKLY_SPORTS" not in {i["kind"] for i in plain_items}


async def test_calendar_permission_is_scoped(tenant):
    root = await f.committee_root(tenant.id)
    mine = await f.compliant_branch(tenant.id, root, life=False)
    other = await f.compliant_branch(tenant.id, root, life=False)
    secretary = GraphQLClient(
        Principal(tenant.id, label="书记", grants={"STANDARDS_READ": (mine.branch.path,)})
    )
    assert await calendar(secretary, mine.gid, "2025-01-01", "2025-01-31")
    code = await secretary.error_code(CALENDAR, org=other.gid, **{"from": "2025-01-01", "to": "2025-01-31"})
    assert code == "PERMISSION_DENIED"


RECORD_DOC = """
mutation($input: RecordActivityInput!) { recordActivity(input: $input) { errors { code } activity { id } } }
"""
PLAN_FINDINGS = """
query($org: ID!) {
  findings(scopeId: $org, from: "2025-01-01", to: "2025-12-31",
           ruleCodes: ["WORK_PLAN_MISSING", "WORK_PLAN_LATE", "WORK_SUMMARY_MISSING", "WORK_SUMMARY_LATE"]) {
    ruleCode period numbers
  }
}
"""


async def test_yearly_plan_due_at_year_start_and_summary_at_year_end(admin, tenant):
    """年初有计划、年底有总结: WORK_PLAN is due standards.work_plan_due_days (31) after 1 January — a plan
    recorded on 15 February is WORK_PLAN_LATE, on time once the tenant allows 60 days; no summary is
    WORK_SUMMARY_MISSING (due 31 December). Both are documents: no attendance list asked for."""
    config = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["standards"]
    assert config["work_plan_due_days"] == 31
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, skip={("WORK_PLAN", 0), ("WORK_SUMMARY", 0)})
    await admin.mutate(
        RECORD_DOC,
        input={
            "organizationId": kit.gid,
            "kind": "WORK_PLAN",
            "heldOn": "2025-02-15",
            "topic": "2025年工作计划",
        },
    )
    plan = (await calendar(admin, kit.gid, "2025-01-01", "2025-12-31", kinds=["WORK_PLAN"]))[0]
    assert (plan["status"], plan["due"], plan["heldOn"]) == ("LATE", "2025-01-31", ["2025-02-15"])
    found = {x["ruleCode"]: x for x in (await admin.ok(PLAN_FINDINGS, org=kit.gid))["findings"]}
    assert set(found) == {"WORK_PLAN_LATE", "WORK_SUMMARY_MISSING"}
    assert found["WORK_PLAN_LATE"]["numbers"]["due"] == "2025-01-31"
    assert found["WORK_SUMMARY_MISSING"]["period"] == "2025"

    await admin.mutate(
        RECORD_DOC,
        input={
            "organizationId": kit.gid,
            "kind": "WORK_SUMMARY",
            "heldOn": "2025-12-28",
            "topic": "2025年工作总结",
        },
    )
    with tenant_scope(tenant.id):
        await update_config(await get_tenant(tenant.id), {"standards": {"work_plan_due_days": 60}})
    assert (await admin.ok(PLAN_FINDINGS, org=kit.gid))["findings"] == []
    rules = """{ standardRules { code configKeys } }"""
    catalogue = {r["code"]: r for r in (await admin.ok(rules))["standardRules"]}
    assert "standards.work_plan_due_days" in catalogue["WORK_PLAN_MISSING"]["configKeys"]
    # documents are not activity records without attendance
    incomplete = """query($org: ID!) { findings(scopeId: $org, from: "2025-01-01", to: "2025-12-31",
      ruleCodes: ["ACTIVITY_RECORD_INCOMPLETE"]) { ruleCode } }"""
    assert (await admin.ok(incomplete, org=kit.gid))["findings"] == []
