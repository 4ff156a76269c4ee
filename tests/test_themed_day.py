"""主题党日“4+X” through GraphQL: the four required parts (activities.themed_day_required_parts)
recorded per themed party day plus the branch's own items, and THEMED_DAY_PARTS_MISSING."""

from __future__ import annotations

import datetime as dt

from core.models import Activity, AuditRecord
from core.tenancy import tenant_scope
from tests.core_factories import db_id, member, tree

RECORD = """
mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) {
    errors { code message field }
    activity { id kind themedDayParts themedDayExtras }
  }
}
"""
UPDATE = """
mutation($input: UpdateActivityInput!) {
  updateActivity(input: $input) { errors { code field } activity { themedDayParts themedDayExtras } }
}
"""
FINDINGS = """
query($scope: ID, $from: Date!, $to: Date!) {
  findings(scopeId: $scope, from: $from, to: $to, ruleCodes: ["THEMED_DAY_PARTS_MISSING"]) {
    ruleCode message period numbers organization { name }
  }
}
"""
CONFIG = """mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { config } } }"""


def _day(days_ago: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()


async def _findings(admin, scope: str) -> list[dict]:
    today = dt.date.today()
    window = {"from": (today - dt.timedelta(days=40)).isoformat(), "to": today.isoformat()}
    return (await admin.ok(FINDINGS, scope=scope, **window))["findings"]


async def test_themed_day_records_four_plus_x_and_rule_reads_the_parts_from_config(admin, tenant):
    """THEMED_DAY_PARTS_MISSING reads activities.themed_day_required_parts (4 parts by default): a themed
    day missing one of the four is a finding naming it; recording it clears it; a tenant that sets its
    own list is judged by that list."""
    config = (await admin.ok("{ tenant { config } }"))["tenant"]["config"]
    required = config["activities"]["themed_day_required_parts"]
    codes = [p["code"] for p in required]
    assert len(required) == 4 and codes == ["OATH", "STUDY", "DUES", "SERVICE"]
    t = await tree(admin)
    await member(admin, t["branch"], "党员甲")
    payload = await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "THEMED_PARTY_DAY",
            "heldOn": _day(3),
            "topic": "主题党日",
            "themedDayParts": ["STUDY", "OATH", "DUES", "STUDY"],
            "themedDayExtras": ["参观红色教育基地", " "],
        },
    )
    activity = payload["activity"]
    assert activity["themedDayParts"] == ["OATH", "STUDY", "DUES"]  # in the configured order, once each
    assert activity["themedDayExtras"] == ["参观红色教育基地"]
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="recordActivity").exists()

    (finding,) = await _findings(admin, t["branch"]["id"])
    assert finding["numbers"]["missing"] == ["SERVICE"] and finding["numbers"]["required"] == codes
    assert finding["numbers"]["activity_id"] == db_id(activity)
    assert "志愿服务" in finding["message"] and finding["organization"]["name"] == "第一党支部"

    fixed = await admin.mutate(
        UPDATE, input={"id": activity["id"], "themedDayParts": ["OATH", "STUDY", "DUES", "SERVICE"]}
    )
    assert fixed["activity"]["themedDayParts"] == codes
    assert fixed["activity"]["themedDayExtras"] == ["参观红色教育基地"]  # kept
    assert await _findings(admin, t["branch"]["id"]) == []

    # the tenant's own four parts: the same record now lacks the new one
    own = [*required[:3], {"code": "FLAG", "label": "升国旗"}]
    await admin.mutate(CONFIG, patch={"activities": {"themed_day_required_parts": own}})
    (finding,) = await _findings(admin, t["branch"]["id"])
    assert finding["numbers"]["missing"] == ["FLAG"] and "升国旗" in finding["message"]


async def test_themed_day_without_parts_lacks_all_four(admin):
    t = await tree(admin)
    await admin.mutate(
        RECORD,
        input={
            "organizationId": t["branch"]["id"],
            "kind": "THEMED_PARTY_DAY",
            "heldOn": _day(2),
            "topic": "主题党日",
        },
    )
    (finding,) = await _findings(admin, t["branch"]["id"])
    assert finding["numbers"]["missing"] == ["OATH", "STUDY", "DUES", "SERVICE"]


async def test_four_plus_x_refusals(admin, tenant):
    t = await tree(admin)
    base = {"organizationId": t["branch"]["id"], "heldOn": _day(1), "topic": "学习"}
    unknown = {**base, "kind": "THEMED_PARTY_DAY", "themedDayParts": ["OATH", "NOPE"]}
    assert await admin.error_code(RECORD, input=unknown) == "THEMED_DAY_PART_UNKNOWN"
    lecture = {**base, "kind": "PARTY_LECTURE", "themedDayParts": ["OATH"]}
    assert await admin.error_code(RECORD, input=lecture) == "THEMED_DAY_PARTS_NOT_APPLICABLE"
    with tenant_scope(tenant.id):
        assert await Activity.all().count() == 0
    bad = [{"code": "OATH", "label": "重温入党誓词"}, {"code": "OATH", "label": "又一次"}]
    result = await admin.ok(CONFIG, patch={"activities": {"themed_day_required_parts": bad}})
    errors = result["updateTenantConfig"]["errors"]
    assert [e["field"] for e in errors] == ["activities.themed_day_required_parts"]
