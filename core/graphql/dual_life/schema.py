"""Query and mutation fields of leaders' dual organizational life (双重组织生活)."""

from __future__ import annotations

import strawberry

from core.error_codes import DualLifeErrorCode
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, organization_argument
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.dual_life.types import (
    IssueLeaderReminderLetterInput,
    LeaderAttendance,
    LeaderReminderLetter,
    LeaderReminderLetterPayload,
)
from core.lifecycle import dual_life as service
from core.lifecycle.dates import today
from core.lifecycle.models import LeaderReminderLetter as LetterModel
from core.models import Organization
from core.permissions import Permission
from core.services.tenants import current_tenant
from core.tenant_config import effective_config


async def _org(info: Info, org_id: strawberry.ID) -> Organization:
    return await organization_argument(info, org_id, permission=Permission.MEMBER_READ)


@strawberry.type
class Query:
    @field(
        permission=Permission.MEMBER_READ,
        description="Leadership cadres (member category LEADER) in the organization's subtree with their "
        "attendance at their own branch's life meetings and party lectures in a year (up to today).",
    )
    async def leader_attendance(
        self, info: Info, organization_id: strawberry.ID, year: int
    ) -> list[LeaderAttendance]:
        org = await _org(info, organization_id)
        start, end = service.year_window(year, today())
        if end < start:
            return []
        need = service.requirement(effective_config(await current_tenant()), start, end)
        return [
            LeaderAttendance(
                member_name=row["name"],
                life_meetings_attended=row["life_meetings"],
                life_meetings_required=need.life_meetings,
                party_lectures_attended=row["party_lectures"],
                party_lectures_required=need.party_lectures,
                skipped=service.skipped(row, need),
                member_id=row["member_id"],
            )
            for row in await service.leader_attendance(start, end, prefix=org.path + "%")
        ]

    @field(
        permission=Permission.MEMBER_READ,
        description="Reminder letters (提醒函) to leaders of branches in the organization's subtree, "
        "newest first.",
    )
    async def leader_reminder_letters(
        self, info: Info, organization_id: strawberry.ID, year: int | None = None
    ) -> list[LeaderReminderLetter]:
        org = await _org(info, organization_id)
        query = LetterModel.filter(branch__path__startswith=org.path)
        if year is not None:
            query = query.filter(year=year)
        return [LeaderReminderLetter.from_row(r) for r in await query.order_by("-issued_on", "-id")]


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Record a reminder letter (提醒函) to a leader who skipped their branch's life meetings "
        "or party lectures in a year (refused when they did not).",
    )
    async def issue_leader_reminder_letter(
        self, info: Info, input: IssueLeaderReminderLetterInput
    ) -> LeaderReminderLetterPayload:
        letter = await service.issue_letter(
            decode_id(input.member_id, "Member", field="memberId"),
            year=input.year,
            issued_on=input.issued_on,
            issued_by=input.issued_by,
            notes=input.notes,
        )
        return {"letter": LeaderReminderLetter.from_row(letter)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(DualLifeErrorCode),)
