"""Demo seeder: people at different points of the development pipeline, and relation transfers.

Per tenant: a new applicant whose talk is due within days, an activist of more than a year ready to
become a development candidate, a probationary member whose probation ends within the month (a
reminder for the branch), one member moved between branches and one transfer letter out still open.
Runs with the tenant bound and no guard (trusted code), through the same services as GraphQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.lifecycle import development, transfers
from core.lifecycle.dates import add_months
from core.lifecycle.development import StepData, Vote
from core.models import CommitteeSeat, Member, Organization, Tenant
from core.models.member import MemberStatus

_BRANCH_KINDS = ("BRANCH", "JOINT_BRANCH")
_NAMES = ("许明远", "韩雪", "冯建国", "曹丽", "彭晓东", "蒋欣怡")


def _branches(world: Any) -> list[tuple[str, Organization]]:
    """(key, branch) of the live branches with a roster, in seed order."""
    found = []
    for key, value in world.items():
        if key.startswith("org:") and value.kind in _BRANCH_KINDS and value.dissolved_on is None:
            if world.members(key[4:]):
                found.append((key[4:], value))
    return found


def _vote(full_members: int) -> Vote:
    entitled = max(full_members, 3)
    present = entitled - max(1, entitled // 10)
    yes = present if entitled < 6 else present - 1
    return Vote(entitled=entitled, present=present, issued=present, returned=present, yes=yes)


def to_probation(congress: dt.date, vote: Vote) -> tuple[dt.date, list[tuple[str, dt.date, dict[str, Any]]]]:
    """The day of application and the steps, in the time the rules ask, of a case admitted by the
    branch congress on ``congress`` and educated through probation (up to 120 days after it)."""
    candidate_on = congress - dt.timedelta(days=60)
    activist_on = add_months(candidate_on, -12) - dt.timedelta(days=10)
    applied = add_months(activist_on, -2)
    return applied, [
        ("APPLICATION_TALK", applied + dt.timedelta(days=15), {"acted_by": "支部书记"}),
        ("ACTIVIST_DESIGNATED", activist_on, {"acted_by": "支部委员会"}),
        ("ACTIVIST_FILED", activist_on + dt.timedelta(days=5), {}),
        ("MENTORS_ASSIGNED", activist_on + dt.timedelta(days=10), {}),
        ("ACTIVIST_EDUCATED", candidate_on - dt.timedelta(days=30), {}),
        ("CANDIDATE_DESIGNATED", candidate_on, {"acted_by": "支部委员会"}),
        ("CANDIDATE_FILED", candidate_on + dt.timedelta(days=5), {}),
        ("INTRODUCERS_ASSIGNED", candidate_on + dt.timedelta(days=10), {}),
        ("POLITICAL_REVIEW", congress - dt.timedelta(days=45), {"documents": ["政审报告"]}),
        ("CANDIDATE_TRAINED", congress - dt.timedelta(days=40), {"training_days": 3}),
        ("BRANCH_COMMITTEE_REVIEW", congress - dt.timedelta(days=30), {}),
        ("SUPERIOR_PRE_REVIEW", congress - dt.timedelta(days=20), {}),
        ("APPLICATION_FORM_FILLED", congress - dt.timedelta(days=10), {}),
        ("ADMISSION_CONGRESS", congress, {"vote": vote, "acted_by": "支部党员大会"}),
        ("SUPERIOR_TALK", congress + dt.timedelta(days=10), {}),
        ("ADMISSION_APPROVED", congress + dt.timedelta(days=40), {"acted_by": "上级党委"}),
        ("ADMISSION_FILED", congress + dt.timedelta(days=45), {}),
        ("GROUP_ASSIGNED", congress + dt.timedelta(days=50), {}),
        ("OATH_TAKEN", congress + dt.timedelta(days=60), {}),
        ("PROBATION_EDUCATION", congress + dt.timedelta(days=120), {}),
    ]


async def _walk(case_id: int, plan: list[tuple[str, dt.date, dict[str, Any]]]) -> None:
    for code, day, extra in plan:
        await development.record_step(case_id, code, StepData(done_on=day, recorded_by="演示数据", **extra))


async def _open(branch: Organization, name: str, birth: dt.date, applied_on: dt.date) -> int:
    case = await development.start_case(
        branch_id=branch.id,
        applied_on=applied_on,
        person={
            "name": name,
            "birth_date": birth,
            "gender": "FEMALE" if name in ("韩雪", "曹丽") else "MALE",
        },
        acted_by=name,
        documents=["入党申请书"],
        recorded_by="演示数据",
    )
    return case.id


async def seed_lifecycle(tenant: Tenant, world: Any) -> list[str]:  # noqa: C901
    """Development cases at three stages and two transfers for one demo tenant."""
    branches = _branches(world)
    if not branches:
        return []
    today: dt.date = world.today
    (key, first), *others = branches
    second = others[0][1] if others else first
    full = len([m for m in world.members(key) if m.status == MemberStatus.FULL])
    vote = _vote(full)

    # 1. a new applicant: the talk is due within a month of the application
    await _open(first, _NAMES[0], dt.date(today.year - 24, 3, 12), today - dt.timedelta(days=20))

    # 2. an activist for more than a year, ready to become a development candidate
    activist_on = add_months(today, -13)
    applied = add_months(activist_on, -2)
    case_id = await _open(second, _NAMES[1], dt.date(today.year - 27, 8, 2), applied)
    await _walk(
        case_id,
        [
            ("APPLICATION_TALK", applied + dt.timedelta(days=15), {"acted_by": "支部书记"}),
            ("ACTIVIST_DESIGNATED", activist_on, {"acted_by": "支部委员会"}),
            ("ACTIVIST_FILED", activist_on + dt.timedelta(days=5), {}),
            ("MENTORS_ASSIGNED", activist_on + dt.timedelta(days=10), {"notes": "培养联系人两名"}),
            ("ACTIVIST_EDUCATED", today - dt.timedelta(days=20), {"documents": ["思想汇报（四个季度）"]}),
        ],
    )

    # 3. a probationary member whose probation ends within the month
    congress = add_months(today, -12) + dt.timedelta(days=20)
    applied, steps = to_probation(congress, vote)
    case_id = await _open(first, _NAMES[2], dt.date(today.year - 30, 5, 20), applied)
    await _walk(case_id, steps)
    lines = [f"{tenant.slug}: 3 development cases (applicant, activist, probationary)"]

    # 4. one member moved between branches, one letter out still open
    if second.id != first.id:
        leaders = set(await Organization.filter(leader_id__isnull=False).values_list("leader_id", flat=True))
        seated = set(
            await CommitteeSeat.filter(member_id__isnull=False, ended_on=None).values_list(
                "member_id", flat=True
            )
        )
        movable = [
            m
            for m in await Member.filter(branch_id=first.id, status=MemberStatus.FULL).order_by("-id")
            if m.id not in leaders and m.id not in seated
        ]
        if len(movable) >= 2:
            await transfers.transfer_within(
                movable[0].id,
                second.id,
                on=today - dt.timedelta(days=60),
                letter_number=f"内转〔{today.year}〕1号",
                reason="工作岗位调整",
            )
            await transfers.issue_letter(
                movable[1].id,
                destination="某区委组织部",
                on=today - dt.timedelta(days=7),
                letter_number=f"组转〔{today.year}〕1号",
                reason="调往外单位工作",
            )
            lines.append(f"{tenant.slug}: 1 transfer between branches, 1 transfer letter out open")
    return lines
