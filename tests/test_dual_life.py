"""Leaders' dual organizational life (双重组织生活) through GraphQL: a member marked LEADER is counted
from the attendance of their own branch's life meetings and party lectures, the rule
LEADER_DUAL_LIFE_MISSED reads the required numbers from tenant config (dual_life.*), and a reminder
letter (提醒函) is recorded only for a leader who skipped."""

from __future__ import annotations

import datetime as dt

from core.models import Attendance, AuditRecord
from core.tenancy import tenant_scope
from tests import standards_factories as f
from tests.test_rules import findings

UPDATE_MEMBER = """
mutation($input: UpdateMemberInput!) {
  updateMember(input: $input) { errors { code } member { categories { code label } } }
}
"""
ATTENDANCE = """
query($org: ID!, $year: Int!) {
  leaderAttendance(organizationId: $org, year: $year) {
    memberName lifeMeetingsAttended lifeMeetingsRequired partyLecturesAttended partyLecturesRequired skipped
    member { name }
  }
}
"""
ISSUE = """
mutation($input: IssueLeaderReminderLetterInput!) {
  issueLeaderReminderLetter(input: $input) {
    errors { code message field }
    letter { year issuedBy lifeMeetingsAttended lifeMeetingsRequired partyLecturesAttended
             partyLecturesRequired member { name } }
  }
}
"""
LETTERS = """
query($org: ID!) { leaderReminderLetters(organizationId: $org) { year issuedOn member { name } } }
"""
CONFIG = (
    "mutation($input: UpdateTenantConfigInput!) { updateTenantConfig(input: $input) { errors { code } } }"
)
CODE = "LEADER_DUAL_LIFE_MISSED"
D = dt.date


async def _setup(admin, tenant):
    root = await f.committee_root(tenant.id)
    branch = await f.org(tenant.id, "BRANCH", "第一党支部", root)
    other = await f.org(tenant.id, "BRANCH", "第二党支部", root)
    leader, diligent, ordinary = await f.add_members(tenant.id, branch, 3)
    for person in (leader, diligent):
        marked = await admin.mutate(
            UPDATE_MEMBER, input={"id": f.gid("Member", person.id), "categories": ["LEADER"]}
        )
        assert marked["member"]["categories"] == [{"code": "LEADER", "label": "党员领导干部"}]
    everyone = [leader, diligent, ordinary]
    # 2025: four party lectures, the leader misses the November one; one life meeting he misses
    for month in (2, 5, 8):
        await f.activity(tenant.id, branch, "PARTY_LECTURE", D(2025, month, 16), everyone)
    await f.activity(tenant.id, branch, "PARTY_LECTURE", D(2025, 11, 16), [diligent, ordinary], [leader])
    life = await f.activity(
        tenant.id, branch, "LIFE_MEETING", D(2025, 12, 15), [diligent, ordinary], [leader]
    )
    # attending another branch's life meeting does not count for his own branch
    await f.activity(tenant.id, other, "LIFE_MEETING", D(2025, 12, 16), [leader])
    return branch, leader, diligent, ordinary, life


async def test_leader_who_skipped_is_flagged_with_numbers_from_tenant_config(admin, tenant):
    branch, leader, diligent, _, life = await _setup(admin, tenant)
    scope = f.gid("Organization", branch.id)
    (finding,) = await findings(admin, scope, codes=[CODE])
    assert finding["numbers"]["life_meetings_required"] == 1
    assert finding["numbers"]["party_lectures_required"] == 4
    assert finding["numbers"]["leaders"] == [
        {"member_id": leader.id, "life_meetings": 0, "party_lectures": 3}
    ]
    assert leader.name in finding["message"] and diligent.name not in finding["message"]

    # he attended his own branch's life meeting after all: the lectures alone (3 of 4) still fall short
    with tenant_scope(tenant.id):
        await Attendance.filter(activity_id=life.id, member_id=leader.id).update(status="PRESENT")
    (finding,) = await findings(admin, scope, codes=[CODE])
    assert finding["numbers"]["leaders"][0]["life_meetings"] == 1
    # the tenant asks for three party lectures a year: 3 is enough
    await admin.mutate(CONFIG, input={"patch": {"dual_life": {"party_lectures_per_year": 3}}})
    assert await findings(admin, scope, codes=[CODE]) == []
    # half a year asks half the lectures (1 of 3, rounded down) and no life meeting yet
    rows = await admin.ok(
        """query($scope: ID, $codes: [String!]) {
          findings(scopeId: $scope, from: "2025-01-01", to: "2025-06-30", ruleCodes: $codes) { numbers } }""",
        scope=scope,
        codes=[CODE],
    )
    assert rows["findings"] == []


async def test_attendance_is_listed_and_a_letter_goes_only_to_a_leader_who_skipped(admin, tenant):
    branch, leader, diligent, ordinary, _ = await _setup(admin, tenant)
    await f.activity(tenant.id, branch, "LIFE_MEETING", D(2025, 12, 20), [diligent])
    org = f.gid("Organization", branch.id)
    rows = (await admin.ok(ATTENDANCE, org=org, year=2025))["leaderAttendance"]
    by_name = {r["memberName"]: r for r in rows}
    assert set(by_name) == {leader.name, diligent.name}
    assert by_name[leader.name]["member"]["name"] == leader.name
    assert (
        by_name[leader.name]["lifeMeetingsAttended"],
        by_name[leader.name]["partyLecturesAttended"],
        by_name[leader.name]["skipped"],
    ) == (0, 3, True)
    assert (by_name[diligent.name]["lifeMeetingsAttended"], by_name[diligent.name]["skipped"]) == (2, False)

    base = {"year": 2025, "issuedOn": "2026-01-10", "issuedBy": "机关党委"}
    not_leader = {**base, "memberId": f.gid("Member", ordinary.id)}
    assert await admin.error_code(ISSUE, input=not_leader) == "LEADER_NOT_A_LEADER"
    attended = {**base, "memberId": f.gid("Member", diligent.id)}
    assert await admin.error_code(ISSUE, input=attended) == "LEADER_DID_NOT_SKIP"
    no_issuer = {**base, "issuedBy": " ", "memberId": f.gid("Member", leader.id)}
    assert await admin.error_code(ISSUE, input=no_issuer) == "LEADER_LETTER_ISSUER_REQUIRED"
    letter = (await admin.mutate(ISSUE, input={**base, "memberId": f.gid("Member", leader.id)}))["letter"]
    assert letter == {
        "year": 2025,
        "issuedBy": "机关党委",
        "lifeMeetingsAttended": 0,
        "lifeMeetingsRequired": 1,
        "partyLecturesAttended": 3,
        "partyLecturesRequired": 4,
        "member": {"name": leader.name},
    }
    again = {**base, "memberId": f.gid("Member", leader.id)}
    assert await admin.error_code(ISSUE, input=again) == "LEADER_LETTER_ALREADY_ISSUED"
    root = f.gid("Organization", branch.parent_id)
    listed = (await admin.ok(LETTERS, org=root))["leaderReminderLetters"]
    assert listed == [{"year": 2025, "issuedOn": "2026-01-10", "member": {"name": leader.name}}]
    with tenant_scope(tenant.id):
        assert await AuditRecord.filter(operation="issueLeaderReminderLetter").count() == 1
