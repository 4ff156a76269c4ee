"""Query and mutation fields of committees."""

from __future__ import annotations

import strawberry

from core.error_codes import CommitteeErrorCode
from core.graphql.committees.types import (
    AppointCommitteeSeatInput,
    CommitteeSeat,
    CommitteeSeatPayload,
    CommitteeTerm,
    CommitteeTermPayload,
    EndCommitteeSeatInput,
    FillVacancyInput,
    StartCommitteeTermInput,
)
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.models import CommitteeTerm as TermModel
from core.permissions import Permission
from core.services import committees as service


@strawberry.type
class Query:
    @field(permission=Permission.COMMITTEE_READ, description="One committee term by ID.")
    async def committee_term(self, info: Info, id: strawberry.ID) -> CommitteeTerm | None:
        row = await TermModel.get_or_none(id=decode_id(id, "CommitteeTerm")).select_related("organization")
        return CommitteeTerm.from_row(row) if row else None


async def _term(term_id: int) -> CommitteeTerm:
    return CommitteeTerm.from_row(await service.get_term(term_id))


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.COMMITTEE_MANAGE,
        description="Start a new committee term; the live term (if any) becomes history.",
    )
    async def start_committee_term(self, info: Info, input: StartCommitteeTermInput) -> CommitteeTermPayload:
        seats = [
            service.SeatSpec(
                role=s.role,
                member_id=decode_id(s.member_id, "Member", field=f"seats.{i}.memberId")
                if s.member_id
                else None,
                source=s.source,
            )
            for i, s in enumerate(input.seats or [])
        ]
        term = await service.start_committee_term(
            decode_id(input.organization_id, "Organization", field="organizationId"),
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            seats=seats,
        )
        return {"term": CommitteeTerm.from_row(term)}

    @mutation(permission=Permission.COMMITTEE_MANAGE, description="Add a seat to the live term.")
    async def appoint_committee_seat(
        self, info: Info, input: AppointCommitteeSeatInput
    ) -> CommitteeSeatPayload:
        term_id = decode_id(input.term_id, "CommitteeTerm", field="termId")
        seat = await service.appoint_committee_seat(
            term_id,
            role=input.role,
            member_id=decode_id(input.member_id, "Member", field="memberId") if input.member_id else None,
            source=input.source,
            started_on=input.started_on,
        )
        return {"seat": CommitteeSeat.from_model(seat), "term": await _term(term_id)}

    @mutation(
        permission=Permission.COMMITTEE_MANAGE,
        description="End a person's tenure on a seat (by default the seat stays, vacant).",
    )
    async def end_committee_seat(self, info: Info, input: EndCommitteeSeatInput) -> CommitteeSeatPayload:
        seat, vacancy = await service.end_committee_seat(
            decode_id(input.seat_id, "CommitteeSeat", field="seatId"),
            ended_on=input.ended_on,
            keep_vacant=input.keep_vacant,
        )
        return {
            "seat": CommitteeSeat.from_model(seat),
            "vacancy": CommitteeSeat.from_model(vacancy) if vacancy else None,
            "term": await _term(seat.term_id),
        }

    @mutation(permission=Permission.COMMITTEE_MANAGE, description="Put a member on a vacant seat.")
    async def fill_vacancy(self, info: Info, input: FillVacancyInput) -> CommitteeSeatPayload:
        seat = await service.fill_vacancy(
            decode_id(input.seat_id, "CommitteeSeat", field="seatId"),
            member_id=decode_id(input.member_id, "Member", field="memberId"),
            source=input.source,
            started_on=input.started_on,
        )
        return {"seat": CommitteeSeat.from_model(seat), "term": await _term(seat.term_id)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(CommitteeErrorCode),)
