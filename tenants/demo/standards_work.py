"""Demo seeder: the standardization work of the previous calendar year, imperfect on purpose, so each
rule of issue 13 has something to find in the demo (and a user something to fix):

- the committee's assessment cadence (年初部署、季度检查、半年点评、年终考核): the rural township
  committee recorded a late deployment, a late Q2 check, no Q3 check, a late half-year review and a
  year-end assessment in January; the enterprise committee recorded nothing; the newspaper all on time;
- the branches' yearly plan and summary (年初有计划、年底有总结): on time, except the first branch
  (both late) and the second (neither);
- a themed party day without its volunteer service (“4+X”), an occasion owing a heart-to-heart talk
  that never happened, a member rated 不合格 with no handling step, a leadership cadre who skipped
  the branch's life meeting and party lectures (a reminder letter sent), a probation extended and
  then let run out, a congress and a committee meeting without their quorum;
- enterprise: a branch whose live term was entered for 5 years instead of 3;
- rural: 双覆盖 — five units under the township committee, two with neither a party organization nor
  party work.

Everything falls in the year before ``world.today`` (the demo's score run covers the last twelve
months; ``findings`` for that year shows the lot). Runs with the tenant bound and no guard (trusted
code), through the same services as the GraphQL mutations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.lifecycle import appraisal, development, dual_life
from core.lifecycle.dates import add_months
from core.lifecycle.development import StepData
from core.lifecycle.models import AppraisalGrade
from core.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    CommitteeSeat,
    CommitteeTerm,
    Member,
    MemberCategoryAssignment,
    Organization,
    Tenant,
)
from core.models.member import CURRENT_MEMBER_STATUSES
from core.services import activities
from core.services.activities import AttendanceEntry
from core.standards import assessment
from tenants.demo.lifecycle import _open, _vote, _walk, to_probation

_BRANCH_KINDS = ("BRANCH", "JOINT_BRANCH")


async def seed_standards_work(tenant: Tenant, world: Any) -> list[str]:
    today: dt.date = world.today
    year = today.year - 1
    branches = [o for o in world.orgs() if o.kind in _BRANCH_KINDS and o.dissolved_on is None]
    if not branches:
        return []
    lines = [f"{tenant.slug}: {year}年度标准化工作（考核部署检查、年度计划总结、4+X、谈心谈话、民主评议等）"]
    await _cadence(tenant, world, year, today)
    await _plans(branches, year, today)
    first = branches[0]
    roster = [
        m
        for m in await Member.filter(branch_id=first.id).order_by("id")
        if m.status in CURRENT_MEMBER_STATUSES
    ]
    if len(roster) >= 6:
        await _themed_day(first, roster, year)
        await activities.record_talk_trigger(
            roster[-1].id, kind="JOB_CHANGE", occurred_on=dt.date(year, 9, 1), note="调整工作岗位"
        )
        await _ratings(roster, year)
        await _leader(first, roster[-2], year)
        await _congress_without_quorum(first, roster, year)
    await _extended_probation(first, year)
    await _committee_without_quorum(branches, year)
    await _term_too_long(world)
    await _covered_units(world)
    return lines


async def _cadence(tenant: Tenant, world: Any, year: int, today: dt.date) -> None:
    committees = [o for o in world.orgs() if o.kind == "PARTY_COMMITTEE" and o.parent_id is None]
    if not committees or tenant.domain == "enterprise":  # the enterprise committee recorded nothing
        return
    committee = committees[0]
    if tenant.domain == "rural":
        plan: list[tuple[str, int | None, dt.date]] = [
            ("DEPLOYMENT", None, dt.date(year, 2, 20)),
            ("QUARTERLY_CHECK", 1, dt.date(year, 3, 26)),
            ("QUARTERLY_CHECK", 2, dt.date(year, 7, 8)),
            ("HALF_YEAR_REVIEW", None, dt.date(year, 7, 12)),
            ("QUARTERLY_CHECK", 4, dt.date(year, 12, 18)),
            ("YEAR_END_ASSESSMENT", None, min(dt.date(year + 1, 1, 10), today)),
        ]
    else:
        plan = [
            ("DEPLOYMENT", None, dt.date(year, 1, 16)),
            *(("QUARTERLY_CHECK", q, dt.date(year, q * 3, 24)) for q in range(1, 5)),
            ("HALF_YEAR_REVIEW", None, dt.date(year, 6, 27)),
            ("YEAR_END_ASSESSMENT", None, dt.date(year, 12, 29)),
        ]
    texts = {
        "DEPLOYMENT": "召开党建工作会议，部署全年党支部标准化规范化建设任务",
        "QUARTERLY_CHECK": "检查各支部“三会一课”、主题党日和台账落实情况",
        "HALF_YEAR_REVIEW": "半年工作点评，通报存在问题并明确整改要求",
        "YEAR_END_ASSESSMENT": "年终考核各党支部标准化建设情况，评定等次",
    }
    for stage, quarter, held_on in plan:
        await assessment.record_assessment(
            committee.id, stage=stage, year=year, quarter=quarter, held_on=held_on, summary=texts[stage]
        )


async def _plans(branches: list[Organization], year: int, today: dt.date) -> None:
    for n, branch in enumerate(branches):
        if n == 1:
            continue  # the second branch wrote neither
        plan_on, summary_on = dt.date(year, 1, 18), dt.date(year, 12, 22)
        if n == 0:  # the first branch, both late
            plan_on, summary_on = dt.date(year, 3, 2), min(dt.date(year + 1, 1, 15), today)
        await activities.record_activity(
            branch.id,
            kind="WORK_PLAN",
            held_on=plan_on,
            topic=f"{branch.name}{year}年党建工作计划",
            minutes="围绕标准化规范化建设，明确全年“三会一课”、主题党日和党员教育安排。",
        )
        await activities.record_activity(
            branch.id,
            kind="WORK_SUMMARY",
            held_on=summary_on,
            topic=f"{branch.name}{year}年党建工作总结",
            minutes="总结全年组织生活、党员教育管理和服务群众情况，查找不足，提出来年打算。",
        )


async def _themed_day(branch: Organization, roster: list[Member], year: int) -> None:
    """A themed party day that skipped its volunteer service (4+X without one of the four)."""
    parts = [p["code"] for p in await activities.themed_day_parts()]
    await activities.record_activity(
        branch.id,
        kind="THEMED_PARTY_DAY",
        held_on=dt.date(year, 6, 20),
        topic="6月主题党日：学习党章",
        minutes="重温入党誓词，集中学习党章，交纳党费。",
        attendance=[AttendanceEntry(m.id) for m in roster],
        themed_day_parts=parts[:-1],
        themed_day_extras=["观看警示教育片"],
    )


async def _ratings(roster: list[Member], year: int) -> None:
    """The democratic appraisal of the year before: one member 不合格, never handled."""
    grades = [AppraisalGrade.EXCELLENT, AppraisalGrade.QUALIFIED, AppraisalGrade.QUALIFIED]
    for member, grade in zip(roster[:3], grades, strict=True):
        await appraisal.record_rating(
            member.id, year=year - 1, grade=grade, rated_on=dt.date(year, 1, 18), rated_by="支部党员大会"
        )
    await appraisal.record_rating(
        roster[3].id,
        year=year - 1,
        grade=AppraisalGrade.UNQUALIFIED,
        rated_on=dt.date(year, 1, 18),
        rated_by="支部党员大会",
        notes="长期不参加组织生活",
    )


async def _leader(branch: Organization, member: Member, year: int) -> None:
    """A leadership cadre (党员领导干部) absent from the branch's life meetings and lectures of ``year``,
    sent a reminder letter (提醒函) in December."""
    await MemberCategoryAssignment.get_or_create(member_id=member.id, category="LEADER")
    ids = await Activity.filter(
        organization_id=branch.id,
        kind__in=["LIFE_MEETING", "PARTY_LECTURE"],
        held_on__gte=dt.date(year, 1, 1),
        held_on__lte=dt.date(year, 12, 31),
    ).values_list("id", flat=True)
    await Attendance.filter(activity_id__in=list(ids), member_id=member.id).update(
        status=AttendanceStatus.ABSENT
    )
    await dual_life.issue_letter(
        member.id,
        year=year,
        issued_on=dt.date(year, 12, 20),
        issued_by=f"{branch.name}委员会",
        notes="请以普通党员身份参加所在支部组织生活会和党课",
    )


async def _congress_without_quorum(branch: Organization, roster: list[Member], year: int) -> None:
    full = [m for m in roster if m.status == "FULL"]
    present = full[: len(full) // 3]
    await activities.record_activity(
        branch.id,
        kind="MEMBER_CONGRESS",
        held_on=dt.date(year, 5, 15),
        topic="支部党员大会：讨论年度工作",
        minutes="到会人数不足，会议照常进行。",
        attendance=[AttendanceEntry(m.id) for m in present],
        mark_others_absent=True,
    )


async def _committee_without_quorum(branches: list[Organization], year: int) -> None:
    """A committee meeting where one member of a committee of three or more came."""
    day = dt.date(year, 11, 8)
    for branch in branches:
        term = await CommitteeTerm.filter(
            organization_id=branch.id, closed_on__isnull=True, starts_on__lte=dt.date(year, 10, 1)
        ).first()
        if term is None:
            continue
        seated = [
            s.member_id
            for s in await CommitteeSeat.filter(term_id=term.id, ended_on=None, member_id__isnull=False)
            if s.started_on is None or s.started_on <= day
        ]
        if len(set(seated)) < 3:
            continue
        await activities.record_activity(
            branch.id,
            kind="COMMITTEE_MEETING",
            held_on=day,
            topic="支委会：研究发展党员工作",
            minutes="仅一名委员到会。",
            attendance=[AttendanceEntry(seated[0])],
        )
        return


async def _extended_probation(branch: Organization, year: int) -> None:
    """A probationary member whose probation was extended by six months and ran out again
    (15 October of ``year``) without the confirmation congress."""
    congress = dt.date(year - 1, 4, 15)
    full = await Member.filter(branch_id=branch.id, status="FULL").count()
    vote = _vote(full)
    applied, steps = to_probation(congress, vote)
    case_id = await _open(branch, "孙志强", dt.date(year - 28, 2, 11), applied)
    await _walk(case_id, steps)
    case = await development.get_case(case_id)
    await development.extend_probation(
        case_id,
        months=6,
        data=StepData(
            done_on=case.probation_ends_on, vote=vote, acted_by="支部党员大会", recorded_by="演示数据"
        ),
        reason="理论学习不够深入，需要继续考察",
    )


async def _term_too_long(world: Any) -> None:
    """Enterprise: a branch whose live term was entered for 5 years (a branch serves 3; the rural
    demo's terms all have the right length, 5 years for villages)."""
    if world.tenant.domain != "enterprise":
        return
    for org in world.orgs():
        if org.kind != "BRANCH":
            continue
        term = await CommitteeTerm.filter(organization_id=org.id, closed_on__isnull=True).first()
        if term is not None:
            term.ends_on = add_months(term.starts_on, 60)
            await term.save(update_fields=["ends_on"])
            return


async def _covered_units(world: Any) -> None:
    """Rural: the units the township committee covers (双覆盖), two of them not covered yet."""
    from core.services import coverage

    if world.tenant.domain != "rural":
        return
    town = next((o for o in world.orgs() if o.kind == "PARTY_COMMITTEE" and o.parent_id is None), None)
    if town is None:
        return
    joint = next((o for o in world.orgs() if o.kind == "JOINT_BRANCH"), None)
    units = [
        ("青山镇恒达机械有限公司", "NON_PUBLIC_ENTERPRISE", joint.id if joint else None, False),
        ("青山镇绿源农产品有限公司", "NON_PUBLIC_ENTERPRISE", None, True),
        ("青山镇兴旺建材厂", "NON_PUBLIC_ENTERPRISE", None, False),
        ("青山镇老年人协会", "SOCIAL_ORGANIZATION", None, True),
        ("青山镇志愿者协会", "SOCIAL_ORGANIZATION", None, False),
    ]
    for name, kind, party_org, work in units:
        await coverage.record_covered_unit(
            town.id,
            name=name,
            kind=kind,
            has_party_organization=party_org is not None,
            party_organization_id=party_org,
            has_party_work=work,
        )
