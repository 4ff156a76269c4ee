"""GraphQL types of leaders' dual organizational life (双重组织生活)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import encode_id
from core.lifecycle.models import LeaderReminderLetter as LetterModel
from core.permissions import Permission

if TYPE_CHECKING:
    from core.graphql.members.types import Member

MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]


@strawberry.type(
    description="A leadership cadre's attendance at their own branch's organizational life meetings "
    "(组织生活会) and party lectures (党课) in a year, against what is required."
)
class LeaderAttendance:
    member_name: str
    life_meetings_attended: int
    life_meetings_required: int
    party_lectures_attended: int
    party_lectures_required: int
    skipped: bool = strawberry.field(description="Fewer than required of either.")
    member_id: strawberry.Private[int]

    @field(permission=Permission.MEMBER_READ, description="The leader.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)


@strawberry.type(
    description="A reminder letter (提醒函) to a leader who skipped their branch's organizational life."
)
class LeaderReminderLetter:
    id: strawberry.ID
    year: int
    issued_on: dt.date
    issued_by: str
    life_meetings_attended: int
    life_meetings_required: int
    party_lectures_attended: int
    party_lectures_required: int
    notes: str
    member_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: LetterModel) -> LeaderReminderLetter:
        return cls(
            id=strawberry.ID(encode_id("LeaderReminderLetter", row.id)),
            year=row.year,
            issued_on=row.issued_on,
            issued_by=row.issued_by,
            life_meetings_attended=row.life_meetings_attended,
            life_meetings_required=row.life_meetings_required,
            party_lectures_attended=row.party_lectures_attended,
            party_lectures_required=row.party_lectures_required,
            notes=row.notes,
            member_id=row.member_id,
        )

    @field(permission=Permission.MEMBER_READ, description="The leader reminded.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)


@strawberry.input
class IssueLeaderReminderLetterInput:
    member_id: strawberry.ID
    year: int
    issued_on: dt.date
    issued_by: str = strawberry.field(description="The organization or person who issued it.")
    notes: str = ""


@strawberry.type
class LeaderReminderLetterPayload(MutationPayload):
    letter: LeaderReminderLetter | None = None
