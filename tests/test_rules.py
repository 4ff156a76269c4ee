"""Every core rule code: build the situation, assert the finding through GraphQL, fix it, assert
it is gone. The base is a branch that meets every rule for the year (no findings at all)."""

from __future__ import annotations

import datetime as dt

from tests import standards_factories as f

FINDINGS = """
query($scope: ID, $from: Date!, $to: Date!, $codes: [String!]) {
  findings(scopeId: $scope, from: $from, to: $to, ruleCodes: $codes) {
    ruleCode title severity area areaLabel message period numbers
    organization { id name } branch { id }
  }
}
"""


async def findings(client, scope: str | None, year: int = f.YEAR, codes=None) -> list[dict]:
    data = await client.ok(
        FINDINGS, scope=scope, codes=codes, **{"from": f"{year}-01-01", "to": f"{year}-12-31"}
    )
    return data["findings"]


async def test_compliant_branch_has_no_findings(admin, tenant):
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root)
    assert await findings(admin, kit.gid) == []


# --- one scenario per rule code: (build options, break it, fix it) ------------------------------

import pytest  # noqa: E402

from core.models import Activity, Attendance, CommitteeSeat, CommitteeTerm, Member, Organization  # noqa: E402
from core.registry import vocabulary_for  # noqa: E402
from core.standards.rules import core_rules  # noqa: E402
from core.tenancy import tenant_scope  # noqa: E402

D = dt.date
Y = f.YEAR


async def _set_status(t, members, status):
    with tenant_scope(t):
        await Member.filter(id__in=[m.id for m in members]).update(status=status)


async def _update_org(t, org, **values):
    with tenant_scope(t):
        await Organization.filter(id=org.id).update(**values)


async def _update_term(t, kit, **values):
    with tenant_scope(t):
        await CommitteeTerm.filter(id=kit.term.id).update(**values)


async def _update_seat(t, seat, **values):
    with tenant_scope(t):
        await CommitteeSeat.filter(id=seat.id).update(**values)


async def _new_seat(t, kit, role, member):
    with tenant_scope(t):
        return await CommitteeSeat.create(
            term_id=kit.term.id, role=role, member_id=member.id if member else None
        )


def _board(kit):
    return [m for m in kit.members if m.id in {s.member_id for s in kit.seats.values()}]


async def _attendance(t, kind, kit, status, members):
    with tenant_scope(t):
        ids = await Activity.filter(organization_id=kit.id, kind=kind).values_list("id", flat=True)
        await Attendance.filter(activity_id__in=list(ids), member_id__in=[m.id for m in members]).update(
            status=status
        )


async def _min_full_break(t, kit):
    await _set_status(t, kit.members[2:], "PROBATIONARY")


async def _min_full_fix(t, kit):
    await _set_status(t, kit.members[2:3], "FULL")


async def _joint_break(t, kit):
    await _update_org(t, kit.branch, kind="JOINT_BRANCH", covered_units=list("甲乙丙丁戊己"))


async def _joint_fix(t, kit):
    await _update_org(t, kit.branch, covered_units=list("甲乙丙丁戊"))


async def _max_members_break(t, kit):
    kit.extra = await f.add_members(t, kit.branch, 43)  # 51


async def _max_members_fix(t, kit):
    await _set_status(t, kit.extra[:1], "TRANSFERRED_OUT")  # 50


async def _needs_groups_break(t, kit):
    await f.add_members(t, kit.branch, 12)  # 20


async def _needs_groups_fix(t, kit):
    await f.org(t, "PARTY_GROUP", "第一党小组", kit.branch)


def _group_members(kit, n):
    return [m for m in kit.members if m.party_group_id == kit.groups[n].id]


async def _move(t, members, group):
    with tenant_scope(t):
        await Member.filter(id__in=[m.id for m in members]).update(party_group_id=group.id)


async def _group_min_break(t, kit):
    first = _group_members(kit, 0)
    kit.moved = [m for m in first if m.id != kit.groups[0].leader_id][:2]
    await _move(t, kit.moved, kit.groups[1])  # 4 -> 2


async def _group_min_fix(t, kit):
    await _move(t, kit.moved[:1], kit.groups[0])  # 3


async def _group_full_break(t, kit):
    await _set_status(t, _group_members(kit, 0), "PROBATIONARY")


async def _group_full_fix(t, kit):
    await _set_status(t, _group_members(kit, 0)[:1], "FULL")


async def _group_leader_break(t, kit):
    await _update_org(t, kit.groups[0], leader_id=None)


async def _group_leader_fix(t, kit):
    await _update_org(t, kit.groups[0], leader_id=_group_members(kit, 0)[0].id)


async def _review_break(t, kit):
    from core.standards.models import Inspection

    with tenant_scope(t):
        await Inspection.filter(organization_id=kit.id, kind="SETUP_REVIEW").delete()


async def _review_fix(t, kit, admin):
    # a review recorded on the superior committee covers its whole subtree
    payload = await admin.mutate(
        """mutation($input: RecordInspectionInput!) {
             recordInspection(input: $input) { errors { code } inspection { kind checkedOn } } }""",
        input={
            "organizationId": f.gid("Organization", kit.branch.parent_id),
            "kind": "SETUP_REVIEW",
            "checkedOn": "2025-09-01",
            "conclusion": "组织设置符合条件",
        },
    )
    assert payload["inspection"] == {"kind": "SETUP_REVIEW", "checkedOn": "2025-09-01"}


async def _committee_required_break(t, kit):
    await _update_term(t, kit, closed_on=D(Y, 1, 1), live_organization_id=None)


async def _committee_required_fix(t, kit):
    await f.committee(
        t,
        kit.branch,
        {"SECRETARY": kit.members[0], "DISCIPLINE": kit.members[1], "ORGANIZATION": kit.members[2]},
    )


async def _size_break(t, kit):
    await _update_seat(t, kit.seats["ORGANIZATION"], ended_on=D(Y, 5, 1))


async def _size_fix(t, kit):
    await _new_seat(t, kit, "ORGANIZATION", kit.members[3])


async def _secretary_break(t, kit):
    await _update_seat(t, kit.seats["SECRETARY"], member_id=None)


async def _secretary_fix(t, kit):
    await _update_seat(t, kit.seats["SECRETARY"], member_id=kit.members[0].id)


async def _discipline_break(t, kit):
    await _update_seat(t, kit.seats["DISCIPLINE"], ended_on=D(Y, 5, 1))


async def _discipline_fix(t, kit):
    await _new_seat(t, kit, "DISCIPLINE", kit.members[4])


async def _expired_break(t, kit):
    await _update_term(t, kit, starts_on=D(2022, 7, 1), ends_on=D(Y, 6, 30))


async def _expired_fix(t, kit):
    await _update_term(t, kit, starts_on=D(Y, 7, 1), ends_on=D(Y + 3, 6, 30))


async def _length_break(t, kit):
    await _update_term(t, kit, ends_on=D(Y + 4, 5, 31))  # 5 years


async def _length_fix(t, kit):
    await _update_term(t, kit, ends_on=D(Y + 2, 5, 31))  # 3 years


async def _ending_break(t, kit):
    await _update_term(t, kit, starts_on=D(2023, 4, 1), ends_on=D(Y + 1, 3, 31))


async def _ending_fix(t, kit):
    await _update_term(t, kit, starts_on=D(Y, 4, 1), ends_on=D(Y + 3, 3, 31))


async def _vacant_break(t, kit):
    kit.vacant = await _new_seat(t, kit, "PUBLICITY", None)


async def _vacant_fix(t, kit):
    await _update_seat(t, kit.vacant, member_id=kit.members[5].id)


async def _h2h_break(t, kit):
    kit.newcomer = (await f.add_members(t, kit.branch, 1))[0]


async def _h2h_fix(t, kit):
    await f.activity(t, kit.branch, "HEART_TO_HEART", D(Y, 11, 20), [kit.newcomer, kit.members[0]])


async def _themed_break(t, kit):
    await _attendance(t, "THEMED_PARTY_DAY", kit, "ABSENT", kit.members[-2:])  # 6/8 = 75%


async def _themed_fix(t, kit):
    await _attendance(t, "THEMED_PARTY_DAY", kit, "PRESENT", kit.members[-1:])  # 7/8


async def _themed_parts_break(t, kit):
    with tenant_scope(t):
        themed = Activity.filter(organization_id=kit.id, kind="THEMED_PARTY_DAY")
        day = await themed.order_by("held_on").first()
        await Activity.filter(id=day.id).update(extra={"parts": ["OATH", "STUDY", "DUES"]})
    kit.meeting = day


async def _themed_parts_fix(t, kit):
    with tenant_scope(t):
        await Activity.filter(id=kit.meeting.id).update(extra={"parts": list(f.THEMED_DAY_PARTS)})


async def _talk_trigger_break(t, kit):
    from core.models import TalkTrigger

    with tenant_scope(t):  # after the branch's yearly talk on 11-01: a new talk is owed
        await TalkTrigger.create(
            member_id=kit.members[0].id, organization_id=kit.id, kind="JOB_CHANGE", occurred_on=D(Y, 11, 5)
        )


async def _talk_trigger_fix(t, kit):
    await f.activity(t, kit.branch, "HEART_TO_HEART", D(Y, 11, 20), kit.members[:1], minutes="")


async def _congress_quorum_break(t, kit):
    kit.meeting = await f.activity(
        t, kit.branch, "MEMBER_CONGRESS", D(Y, 6, 2), kit.members[:4], kit.members[4:]
    )


async def _congress_quorum_fix(t, kit):
    with tenant_scope(t):
        await Attendance.filter(activity_id=kit.meeting.id, member_id=kit.members[4].id).update(
            status="PRESENT"
        )


async def _committee_quorum_break(t, kit):
    board = _board(kit)
    kit.meeting = await f.activity(t, kit.branch, "COMMITTEE_MEETING", D(Y, 6, 3), board[:1], board[1:])


async def _committee_quorum_fix(t, kit):
    with tenant_scope(t):
        await Attendance.filter(activity_id=kit.meeting.id, member_id=_board(kit)[1].id).update(
            status="PRESENT"
        )


async def _probation_break(t, kit):
    kit.probationer = (
        await f.add_members(t, kit.branch, 1, status="PROBATIONARY", joined_on=D(Y - 1, 6, 1))
    )[0]


async def _probation_fix(t, kit):
    await _set_status(t, [kit.probationer], "FULL")


async def _unqualified_break(t, kit):
    from core.lifecycle.models import AppraisalRating

    with tenant_scope(t):
        kit.unqualified = await AppraisalRating.create(
            member_id=kit.members[0].id,
            branch_id=kit.branch.id,
            year=Y - 1,
            grade="UNQUALIFIED",
            rated_on=D(Y, 1, 15),
        )


async def _unqualified_fix(t, kit):
    from core.lifecycle.models import UnqualifiedHandlingStep

    with tenant_scope(t):
        await UnqualifiedHandlingStep.create(
            rating_id=kit.unqualified.id,
            step="CORRECTION_DEADLINE",
            done_on=D(Y, 2, 1),
            acted_by="支部委员会",
            deadline_on=D(Y, 8, 1),
        )


async def _leader_break(t, kit):
    from core.models import Activity, MemberCategoryAssignment

    leader = kit.members[0]
    with tenant_scope(t):
        await MemberCategoryAssignment.create(member_id=leader.id, category="LEADER")
        lecture = await Activity.filter(organization_id=kit.branch.id, kind="PARTY_LECTURE").first()
        await Attendance.filter(activity_id=lecture.id, member_id=leader.id).update(status="ABSENT")
    kit.skipped_lecture = lecture


async def _leader_fix(t, kit):
    with tenant_scope(t):
        await Attendance.filter(activity_id=kit.skipped_lecture.id, member_id=kit.members[0].id).update(
            status="PRESENT"
        )


async def _venue_break(t, kit):
    await f.inspection(t, kit.branch, "VENUE", [i for i in f.VENUE_ITEMS if i != "FLAG"], D(Y, 6, 1))


async def _venue_fix(t, kit):
    await f.inspection(t, kit.branch, "VENUE", f.VENUE_ITEMS, D(Y, 7, 1))


async def _records_break(t, kit):
    await f.inspection(t, kit.branch, "RECORDS", ["BOOKS"], D(Y, 6, 1))


async def _records_fix(t, kit):
    await f.inspection(t, kit.branch, "RECORDS", f.RECORDS_ITEMS, D(Y, 7, 1))


async def _record_break(t, kit):
    with tenant_scope(t):
        kit.blank = await Activity.filter(organization_id=kit.id, kind="PARTY_LECTURE").first()
        await Activity.filter(id=kit.blank.id).update(minutes="")


async def _record_fix(t, kit):
    with tenant_scope(t):
        await Activity.filter(id=kit.blank.id).update(minutes="记录")


def _add(kind, day, group=False):
    async def fix(t, kit):
        for org in kit.groups if group else [kit.branch]:
            members = [m for m in kit.members if not group or m.party_group_id == org.id]
            await f.activity(t, org, kind, day, members)

    return fix


async def _nothing(t, kit):
    return None


def _calendar(kind, month, late_day, fix_day, group=False):
    """(MISSING scenario, LATE scenario) for a calendar kind: skip ``month``; hold it late / on time."""
    opts = {"skip": {(kind, month)}, "groups": 2 if group else 0}
    missing = (opts, _nothing, _add(kind, fix_day, group))
    late = (opts, _add(kind, late_day, group), _add(kind, fix_day, group))
    return missing, late


CM_MISSING, CM_LATE = _calendar("COMMITTEE_MEETING", 4, D(Y, 5, 3), D(Y, 4, 28))
GM_MISSING, GM_LATE = _calendar("GROUP_MEETING", 6, D(Y, 7, 2), D(Y, 6, 25), group=True)
MC_MISSING, MC_LATE = _calendar("MEMBER_CONGRESS", 5, D(Y, 7, 5), D(Y, 6, 20))
PL_MISSING, PL_LATE = _calendar("PARTY_LECTURE", 8, D(Y, 10, 9), D(Y, 9, 9))
TD_MISSING, TD_LATE = _calendar("THEMED_PARTY_DAY", 7, D(Y, 7, 26), D(Y, 7, 20))
LM_MISSING, LM_LATE = _calendar("LIFE_MEETING", 0, D(Y + 1, 1, 15), D(Y, 12, 20))
DA_MISSING, DA_LATE = _calendar("DEMOCRATIC_APPRAISAL", 0, D(Y + 1, 1, 16), D(Y, 12, 21))
# 年初有计划: due standards.work_plan_due_days (31) after 1 January; 年底有总结: by 31 December
WP_MISSING, WP_LATE = _calendar("WORK_PLAN", 0, D(Y, 3, 1), D(Y, 1, 20))
WS_MISSING, WS_LATE = _calendar("WORK_SUMMARY", 0, D(Y + 1, 1, 20), D(Y, 12, 22))


# 年初部署、季度检查、半年点评、年终考核: the root 党委's artefacts (committee_root records YEAR's on time);
# broken by deleting one or moving it past its due day, fixed through recordAssessment / updateAssessment
RECORD_ASSESSMENT = """mutation($input: RecordAssessmentInput!) {
  recordAssessment(input: $input) { errors { code } assessment { id } } }"""
UPDATE_ASSESSMENT = """mutation($input: UpdateAssessmentInput!) {
  updateAssessment(input: $input) { errors { code } assessment { id } } }"""


def _cadence_record(t, kit, stage, period):
    from core.standards.models import AssessmentRecord

    return AssessmentRecord.filter(organization_id=kit.branch.parent_id, stage=stage, period=period)


def _assessment(stage, period, late_day, on_time_day):
    """(MISSING scenario, LATE scenario) for one stage of the root committee's cadence."""
    quarter = int(period[-1]) if "-Q" in period else None

    async def delete(t, kit):
        with tenant_scope(t):
            await _cadence_record(t, kit, stage, period).delete()

    async def record(t, kit, admin):
        await admin.mutate(
            RECORD_ASSESSMENT,
            input={
                "organizationId": f.gid("Organization", kit.branch.parent_id),
                "stage": stage,
                "year": Y,
                "quarter": quarter,
                "heldOn": on_time_day.isoformat(),
                "summary": "补记",
            },
        )

    async def make_late(t, kit):
        with tenant_scope(t):
            await _cadence_record(t, kit, stage, period).update(held_on=late_day)

    async def correct(t, kit, admin):
        with tenant_scope(t):
            record_id = (await _cadence_record(t, kit, stage, period).first()).id
        await admin.mutate(
            UPDATE_ASSESSMENT,
            input={"id": f.gid("AssessmentRecord", record_id), "heldOn": on_time_day.isoformat()},
        )

    opts = {"committee_level": True}
    return (opts, delete, record), (opts, make_late, correct)


AD_MISSING, AD_LATE = _assessment("DEPLOYMENT", f"{Y}", D(Y, 2, 20), D(Y, 1, 30))
AQ_MISSING, AQ_LATE = _assessment("QUARTERLY_CHECK", f"{Y}-Q2", D(Y, 7, 3), D(Y, 6, 30))
AH_MISSING, AH_LATE = _assessment("HALF_YEAR_REVIEW", f"{Y}-H1", D(Y, 7, 5), D(Y, 6, 29))
AY_MISSING, AY_LATE = _assessment("YEAR_END_ASSESSMENT", f"{Y}", D(Y + 1, 1, 8), D(Y, 12, 31))

NEEDS_ADMIN = {"ANNUAL_SETUP_REVIEW"} | {
    f"ASSESSMENT_{stage}_{status}"
    for stage in ("DEPLOYMENT", "QUARTERLY_CHECK", "HALF_YEAR_REVIEW", "YEAR_END_ASSESSMENT")
    for status in ("MISSING", "LATE")
}

SCENARIOS: dict[str, tuple[dict, object, object]] = {
    "BRANCH_MIN_FULL_MEMBERS": ({}, _min_full_break, _min_full_fix),
    "JOINT_BRANCH_MAX_UNITS": ({}, _joint_break, _joint_fix),
    "BRANCH_MAX_MEMBERS": ({}, _max_members_break, _max_members_fix),
    "BRANCH_NEEDS_PARTY_GROUPS": ({}, _needs_groups_break, _needs_groups_fix),
    "PARTY_GROUP_MIN_MEMBERS": ({"groups": 2}, _group_min_break, _group_min_fix),
    "PARTY_GROUP_NEEDS_FULL_MEMBER": ({"groups": 2}, _group_full_break, _group_full_fix),
    "PARTY_GROUP_NEEDS_LEADER": ({"groups": 2}, _group_leader_break, _group_leader_fix),
    "ANNUAL_SETUP_REVIEW": ({}, _review_break, _review_fix),
    "COMMITTEE_REQUIRED": ({}, _committee_required_break, _committee_required_fix),
    "COMMITTEE_SIZE": ({}, _size_break, _size_fix),
    "SECRETARY_REQUIRED": ({}, _secretary_break, _secretary_fix),
    "DISCIPLINE_DESIGNEE_REQUIRED": ({}, _discipline_break, _discipline_fix),
    "COMMITTEE_TERM_EXPIRED": ({}, _expired_break, _expired_fix),
    "COMMITTEE_TERM_LENGTH": ({}, _length_break, _length_fix),
    "COMMITTEE_TERM_ENDING_SOON": ({}, _ending_break, _ending_fix),
    "SEAT_VACANT": ({}, _vacant_break, _vacant_fix),
    "HEART_TO_HEART_COVERAGE": ({}, _h2h_break, _h2h_fix),
    "THEMED_DAY_ATTENDANCE_LOW": ({}, _themed_break, _themed_fix),
    "HEART_TO_HEART_TRIGGER_MISSING": ({}, _talk_trigger_break, _talk_trigger_fix),
    "THEMED_DAY_PARTS_MISSING": ({}, _themed_parts_break, _themed_parts_fix),
    "CONGRESS_QUORUM_NOT_MET": ({}, _congress_quorum_break, _congress_quorum_fix),
    "COMMITTEE_QUORUM_NOT_MET": ({}, _committee_quorum_break, _committee_quorum_fix),
    "PROBATION_OVERDUE": ({}, _probation_break, _probation_fix),
    "UNQUALIFIED_MEMBER_UNHANDLED": ({}, _unqualified_break, _unqualified_fix),
    "LEADER_DUAL_LIFE_MISSED": ({}, _leader_break, _leader_fix),
    "VENUE_INCOMPLETE": ({}, _venue_break, _venue_fix),
    "RECORDS_INCOMPLETE": ({}, _records_break, _records_fix),
    "ACTIVITY_RECORD_INCOMPLETE": ({}, _record_break, _record_fix),
    "COMMITTEE_MEETING_MISSING": CM_MISSING,
    "COMMITTEE_MEETING_LATE": CM_LATE,
    "GROUP_MEETING_MISSING": GM_MISSING,
    "GROUP_MEETING_LATE": GM_LATE,
    "MEMBER_CONGRESS_MISSING": MC_MISSING,
    "MEMBER_CONGRESS_LATE": MC_LATE,
    "PARTY_LECTURE_MISSING": PL_MISSING,
    "PARTY_LECTURE_LATE": PL_LATE,
    "THEMED_PARTY_DAY_MISSING": TD_MISSING,
    "THEMED_PARTY_DAY_LATE": TD_LATE,
    "LIFE_MEETING_MISSING": LM_MISSING,
    "LIFE_MEETING_LATE": LM_LATE,
    "DEMOCRATIC_APPRAISAL_MISSING": DA_MISSING,
    "DEMOCRATIC_APPRAISAL_LATE": DA_LATE,
    "WORK_PLAN_MISSING": WP_MISSING,
    "WORK_PLAN_LATE": WP_LATE,
    "WORK_SUMMARY_MISSING": WS_MISSING,
    "WORK_SUMMARY_LATE": WS_LATE,
    "ASSESSMENT_DEPLOYMENT_MISSING": AD_MISSING,
    "ASSESSMENT_DEPLOYMENT_LATE": AD_LATE,
    "ASSESSMENT_QUARTERLY_CHECK_MISSING": AQ_MISSING,
    "ASSESSMENT_QUARTERLY_CHECK_LATE": AQ_LATE,
    "ASSESSMENT_HALF_YEAR_REVIEW_MISSING": AH_MISSING,
    "ASSESSMENT_HALF_YEAR_REVIEW_LATE": AH_LATE,
    "ASSESSMENT_YEAR_END_ASSESSMENT_MISSING": AY_MISSING,
    "ASSESSMENT_YEAR_END_ASSESSMENT_LATE": AY_LATE,
}


def test_every_core_rule_has_a_scenario():
    codes = {rule.code for rule in core_rules(vocabulary_for(()))}
    assert codes == set(SCENARIOS)


@pytest.mark.parametrize("code", sorted(SCENARIOS))
async def test_rule_fires_and_clears(code, admin, tenant):
    options, breaker, fixer = SCENARIOS[code]
    options = dict(options)
    # a committee-level rule (the assessment cadence): judged on the root 党委 and its subtree
    committee_level = options.pop("committee_level", False)
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root, **options)
    scope = f.gid("Organization", root.id) if committee_level else kit.gid
    if "skip" not in options:
        assert [x["ruleCode"] for x in await findings(admin, scope)] == []
    await breaker(tenant.id, kit)
    fired = [x for x in await findings(admin, scope) if x["ruleCode"] == code]
    assert fired, f"{code} did not fire"
    for finding in fired:
        if committee_level:
            assert finding["organization"]["id"] == finding["branch"]["id"] == scope
        else:
            assert finding["branch"]["id"] == kit.gid
        assert finding["message"] and finding["areaLabel"] and finding["title"]
    if code in NEEDS_ADMIN:
        await fixer(tenant.id, kit, admin)
    else:
        await fixer(tenant.id, kit)
    assert [x for x in await findings(admin, scope) if x["ruleCode"] == code] == []


async def test_evaluation_statements_do_not_grow_with_branches(admin, tenant):
    """Rules read the scope with grouped aggregates: the statement count is the same for 2 and
    for 6 branches (with party groups and a year of activities)."""
    from tests.support import count_statements

    root = await f.committee_root(tenant.id)
    for _ in range(2):
        await f.compliant_branch(tenant.id, root, skip={("COMMITTEE_MEETING", 2)})
    scope = f.gid("Organization", root.id)
    with count_statements() as small:
        assert await findings(admin, scope)
    for _ in range(4):
        await f.compliant_branch(tenant.id, root, groups=2, skip={("THEMED_PARTY_DAY", 5)})
    with count_statements() as large:
        assert len(await findings(admin, scope)) > 2
    assert len(large) == len(small), (len(small), len(large))


async def test_organization_size_says_which_organization_is_required(admin, tenant):
    """BRANCH_MAX_MEMBERS: more than organization.branch_max_members (50) members — a general branch;
    more than organization.general_branch_max_members (100) — a grassroots committee (党委), for a
    branch and for a general branch counting the branches below it."""
    from core.tenant_config import effective_config

    limits = effective_config(tenant)["organization"]
    maximum, committee = limits["branch_max_members"], limits["general_branch_max_members"]
    assert (maximum, committee) == (50, 100)
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root)
    await f.add_members(tenant.id, kit.branch, maximum + 1 - len(kit.members))
    (finding,) = await findings(admin, kit.gid, codes=["BRANCH_MAX_MEMBERS"])
    assert finding["numbers"]["required_kind"] == "GENERAL_BRANCH" and "党总支" in finding["message"]
    assert "党委" not in finding["message"]
    await f.add_members(tenant.id, kit.branch, 125 - (maximum + 1))  # a 125-member branch
    (finding,) = await findings(admin, kit.gid, codes=["BRANCH_MAX_MEMBERS"])
    assert finding["numbers"]["members"] == 125
    assert finding["numbers"]["required_kind"] == "PARTY_COMMITTEE"
    assert "应设立党的基层委员会（党委）" in finding["message"] and "党总支" not in finding["message"]
    # a general branch of 125 members in branches of at most 50: it must become a committee
    general = await f.org(tenant.id, "GENERAL_BRANCH", "某党总支", root)
    for size in (45, 45, 35):
        branch = await f.org(tenant.id, "BRANCH", f"{size}人党支部", general)
        await f.add_members(tenant.id, branch, size)
    rows = await findings(admin, f.gid("Organization", general.id), codes=["BRANCH_MAX_MEMBERS"])
    assert [(r["organization"]["name"], r["numbers"]["required_kind"]) for r in rows] == [
        ("某党总支", "PARTY_COMMITTEE")
    ]
    # the tenant's own numbers are used
    from core.tenant_config import update_config

    await update_config(tenant, {"organization": {"general_branch_max_members": 130}})
    rows = await findings(admin, f.gid("Organization", general.id), codes=["BRANCH_MAX_MEMBERS"])
    assert rows == []


async def test_quorum_counts_the_roster_and_the_seats_not_the_attendance_list(admin, tenant):
    """CONGRESS_QUORUM_NOT_MET: entitled = the branch's full members that day (the roster), however
    few are on the attendance list; COMMITTEE_QUORUM_NOT_MET: entitled = the committee's seated
    members that day, and only they count as present (people sitting in, 列席, do not)."""
    from core.tenant_config import effective_config, update_config

    share = effective_config(tenant)["standards"]["quorum_share"]
    root = await f.committee_root(tenant.id)
    kit = await f.compliant_branch(tenant.id, root)  # 8 full members, a committee of 3
    roster, board = kit.members, _board(kit)
    assert (len(roster), len(board)) == (8, 3)
    codes = ["CONGRESS_QUORUM_NOT_MET", "COMMITTEE_QUORUM_NOT_MET"]
    assert await findings(admin, kit.gid, codes=codes) == []
    # a congress whose attendance list holds only the 4 who came: 4 of 8, not 4 of 4
    await f.activity(tenant.id, kit.branch, "MEMBER_CONGRESS", D(Y, 6, 2), roster[:4])
    # a committee meeting: one committee member and four people sitting in: 1 of 3, not 5 of 5
    others = [m for m in roster if m not in board]
    await f.activity(tenant.id, kit.branch, "COMMITTEE_MEETING", D(Y, 6, 3), board[:1] + others[:4])
    rows = {r["ruleCode"]: r for r in await findings(admin, kit.gid, codes=codes)}
    congress, committee = rows["CONGRESS_QUORUM_NOT_MET"], rows["COMMITTEE_QUORUM_NOT_MET"]
    assert (congress["numbers"]["entitled"], congress["numbers"]["present"]) == (8, 4)
    assert (committee["numbers"]["entitled"], committee["numbers"]["present"]) == (3, 1)
    assert congress["numbers"]["quorum_share"] == committee["numbers"]["quorum_share"] == share
    assert "应到8人、实到4人" in congress["message"]
    # a member confirmed after the congress was not entitled to vote at it: 4 of 7 is a quorum
    with tenant_scope(tenant.id):
        await Member.filter(id=roster[7].id).update(confirmed_on=D(Y, 7, 1))
    rows = {r["ruleCode"]: r for r in await findings(admin, kit.gid, codes=codes)}
    assert "CONGRESS_QUORUM_NOT_MET" not in rows
    # a seat that ended before the meeting does not count: 1 of 2 is still no quorum; the tenant's
    # share is used (at 0.4, 1 of 2 is enough)
    await _update_seat(tenant.id, kit.seats["ORGANIZATION"], ended_on=D(Y, 5, 1))
    (row,) = await findings(admin, kit.gid, codes=codes)
    assert (row["numbers"]["entitled"], row["numbers"]["present"]) == (2, 1)
    await update_config(tenant, {"standards": {"quorum_share": 0.4}})
    assert await findings(admin, kit.gid, codes=codes) == []
