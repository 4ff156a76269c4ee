"""Catalog entries: leaders' dual organizational life (双重组织生活).

The lists are read at the position's organization (its subtree); a reminder letter goes to a fresh
leader (member category LEADER) of the position's branch who attended nothing last year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.tenancy import tenant_scope
from core.testing import gid
from tests.catalog import Op, Target
from tests.catalog.lifecycle import _person


def _today() -> dt.date:
    from core.lifecycle.dates import today

    return today()


async def _leader(world, pos) -> Any:  # noqa: ANN001
    from core.models import MemberCategoryAssignment

    member = await _person(world, pos.branch, "FULL")
    with tenant_scope(world.tenant_id):
        await MemberCategoryAssignment.create(member_id=member.id, category="LEADER")
    return member


async def _attendance(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org), "year": _today().year - 1})


async def _letters(world, pos):  # noqa: ANN001, ANN202
    return Target({"org": world.org_gid(pos.org)})


async def _issue(world, pos):  # noqa: ANN001, ANN202
    leader = await _leader(world, pos)
    return Target(
        {
            "input": {
                "memberId": gid("Member", leader.id),
                "year": _today().year - 1,
                "issuedOn": (_today() - dt.timedelta(days=1)).isoformat(),
                "issuedBy": "机关党委",
            }
        }
    )


OPERATIONS = [
    Op(
        "leaderAttendance",
        "query",
        "query($org: ID!, $year: Int!) "
        "{ leaderAttendance(organizationId: $org, year: $year) { memberName } }",
        "MEMBER_READ",
        "tree",
        _attendance,
    ),
    Op(
        "leaderReminderLetters",
        "query",
        "query($org: ID!) { leaderReminderLetters(organizationId: $org) { id } }",
        "MEMBER_READ",
        "tree",
        _letters,
    ),
    Op(
        "issueLeaderReminderLetter",
        "mutation",
        "mutation($input: IssueLeaderReminderLetterInput!) "
        "{ issueLeaderReminderLetter(input: $input) { errors { code } } }",
        "MEMBER_MANAGE",
        "tree",
        _issue,
    ),
]
