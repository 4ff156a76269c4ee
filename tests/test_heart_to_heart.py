"""谈心谈话“四必谈” through GraphQL: recording an occasion (岗位变动、组织处置、家庭变故、苗头性问题)
owes the member a heart-to-heart talk within standards.heart_to_heart_trigger_days, and
HEART_TO_HEART_TRIGGER_MISSING flags it when none listing the member present was held in time."""

from __future__ import annotations

import datetime as dt

from core.models import AuditRecord, TalkTrigger
from core.tenancy import tenant_scope
from tests.core_factories import db_id, member, tree

TRIGGER = """
mutation($input: RecordTalkTriggerInput!) {
  recordTalkTrigger(input: $input) {
    errors { code field }
    talkTrigger { kind kindLabel occurredOn dueOn talkedOn note member { name } }
  }
}
"""
RECORD = """
mutation($input: RecordActivityInput!) { recordActivity(input: $input) { errors { code } activity { id } } }
"""
FINDINGS = """
query($scope: ID, $from: Date!, $to: Date!) {
  findings(scopeId: $scope, from: $from, to: $to, ruleCodes: ["HEART_TO_HEART_TRIGGER_MISSING"]) {
    ruleCode message period numbers
  }
}
"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""

TODAY = dt.date.today()


def _ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


async def _findings(admin, scope: str) -> list[dict]:
    window = {"from": (TODAY - dt.timedelta(days=200)).isoformat(), "to": TODAY.isoformat()}
    return (await admin.ok(FINDINGS, scope=scope, **window))["findings"]


async def _talk(admin, branch: str, person: str, days_ago: int) -> None:
    await admin.mutate(
        RECORD,
        input={
            "organizationId": branch,
            "kind": "HEART_TO_HEART",
            "heldOn": _ago(days_ago),
            "topic": "谈心谈话",
            "attendance": [{"memberId": person, "status": "PRESENT"}],
        },
    )


async def test_trigger_owes_a_talk_within_the_configured_days(admin, tenant):
    """HEART_TO_HEART_TRIGGER_MISSING reads standards.heart_to_heart_trigger_days (30): an occasion 40
    days ago with no talk is a finding; one 10 days ago is still due; a talk after the deadline is
    late and still a finding; a talk in time clears it; 50 days in config makes the late talk timely."""
    days = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]["standards"][
        "heart_to_heart_trigger_days"
    ]
    assert days == 30
    t = await tree(admin)
    branch = t["branch"]["id"]
    zhang = await member(admin, t["branch"], "张三")
    li = await member(admin, t["branch"], "李四")
    payload = await admin.mutate(
        TRIGGER,
        input={"memberId": zhang["id"], "kind": "JOB_CHANGE", "occurredOn": _ago(40), "note": "调任"},
    )
    trigger = payload["talkTrigger"]
    assert trigger["kindLabel"] == "岗位变动" and trigger["member"]["name"] == "张三"
    assert trigger["dueOn"] == (TODAY - dt.timedelta(days=40 - days)).isoformat()
    assert trigger["talkedOn"] is None
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordTalkTrigger").exists()
    await admin.mutate(
        TRIGGER, input={"memberId": li["id"], "kind": "FAMILY_MISFORTUNE", "occurredOn": _ago(10)}
    )

    (finding,) = await _findings(admin, branch)  # 李四's talk is not due yet
    assert finding["numbers"]["member_id"] == db_id(zhang)
    assert finding["numbers"]["trigger_days"] == days and finding["numbers"]["talked_on"] is None
    assert "张三" in finding["message"] and "岗位变动" in finding["message"]

    await _talk(admin, branch, zhang["id"], 5)  # 35 days after the occasion: late
    (finding,) = await _findings(admin, branch)
    assert finding["numbers"]["talked_on"] == _ago(5)

    await admin.mutate(CONFIG, patch={"standards": {"heart_to_heart_trigger_days": 50}})
    assert await _findings(admin, branch) == []


async def test_a_talk_in_time_with_that_member_clears_it(admin):
    t = await tree(admin)
    branch = t["branch"]["id"]
    zhang = await member(admin, t["branch"], "张三")
    other = await member(admin, t["branch"], "王五")
    await admin.mutate(
        TRIGGER, input={"memberId": zhang["id"], "kind": "EARLY_WARNING", "occurredOn": _ago(60)}
    )
    await _talk(admin, branch, other["id"], 50)  # a talk with someone else does not count
    assert len(await _findings(admin, branch)) == 1
    await _talk(admin, branch, zhang["id"], 45)  # 15 days after: in time
    assert await _findings(admin, branch) == []


async def test_trigger_refusals(admin, tenant):
    t = await tree(admin)
    zhang = await member(admin, t["branch"], "张三")
    base = {"memberId": zhang["id"], "kind": "DISCIPLINARY_ACTION", "occurredOn": _ago(3)}
    assert await admin.error_code(TRIGGER, input={**base, "occurredOn": _ago(-1)}) == "INVALID_INPUT"
    await admin.mutate(TRIGGER, input=base)
    assert await admin.error_code(TRIGGER, input=base) == "TALK_TRIGGER_DUPLICATE"
    with tenant_scope(tenant.id):
        assert await TalkTrigger.all().count() == 1
