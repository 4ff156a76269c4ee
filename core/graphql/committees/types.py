"""GraphQL types of committees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import CommitteeRole as CommitteeRoleEnum
from core.models import CommitteeSeat as SeatModel
from core.models import CommitteeTerm as TermModel
from core.models import SeatSource as SeatSourceEnum
from core.permissions import Permission
from core.services.committees import ROLE_LABELS, vacancies

if TYPE_CHECKING:
    from core.graphql.members.types import Member
    from core.graphql.organizations.types import Organization

CommitteeRole = strawberry.enum(
    CommitteeRoleEnum,
    description="SECRETARY 书记, DEPUTY_SECRETARY 副书记, ORGANIZATION 组织委员, PUBLICITY 宣传委员, "
    "DISCIPLINE 纪检委员, MEMBER 委员.",
)
SeatSource = strawberry.enum(SeatSourceEnum, description="ELECTED 选举产生 or APPOINTED 上级任命.")

OrganizationRef = Annotated["Organization", strawberry.lazy("core.graphql.organizations.types")]
MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]


@strawberry.type(description="A person's tenure in a committee role; vacant while it has no member.")
class CommitteeSeat(ModelNode):
    model = SeatModel

    id: relay.NodeID[int]
    role: CommitteeRole
    source: SeatSource
    started_on: dt.date | None
    ended_on: dt.date | None
    member_id: strawberry.Private[int | None]
    term_id: strawberry.Private[int]

    @strawberry.field(description="Chinese label of the role.")
    def role_label(self) -> str:
        return ROLE_LABELS[CommitteeRoleEnum(self.role)]

    @strawberry.field(description="No member holds the seat.")
    def is_vacant(self) -> bool:
        return self.member_id is None and self.ended_on is None

    @field(permission=Permission.MEMBER_READ, description="Who holds it.")
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        if self.member_id is None:
            return None
        row = await member_loader(info).load(self.member_id)
        return Member.from_row(row) if row else None


@strawberry.type(description="A vacancy: a seat without a member, or a missing secretary (seat null).")
class VacantSeat:
    role: CommitteeRole
    seat: CommitteeSeat | None

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[CommitteeRoleEnum(self.role)]


@strawberry.type(description="One term (届) of an organization's committee; live while not closed.")
class CommitteeTerm(ModelNode):
    model = TermModel

    id: relay.NodeID[int]
    starts_on: dt.date
    ends_on: dt.date = strawberry.field(description="Scheduled end of the term (届满).")
    closed_on: dt.date | None = strawberry.field(description="When the next term started (换届).")
    organization_id: strawberry.Private[int]
    org_path: strawberry.Private[str]

    @property
    def scope_path(self) -> str:
        return self.org_path

    @classmethod
    def from_row(cls, row: TermModel, org_path: str | None = None) -> CommitteeTerm:
        return cls.from_model(row, org_path=org_path if org_path is not None else row.organization.path)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[CommitteeTerm | None]:
        ids = [int(i) for i in node_ids]
        rows = {t.id: t for t in await TermModel.filter(id__in=ids).select_related("organization")}
        return [cls.from_row(rows[i]) if i in rows else None for i in ids]

    @strawberry.field(description="Whether this is the term in office.")
    def is_live(self) -> bool:
        return self.closed_on is None

    @field(permission=Permission.ORG_READ, description="The organization.")
    async def organization(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.organization_id)

    @strawberry.field(description="Seats of the term (by default only those not ended).")
    async def seats(self, info: Info, include_ended: bool = False) -> list[CommitteeSeat]:
        rows = await info.context.loaders.group_by(SeatModel, "term_id").load(self.id)
        return [CommitteeSeat.from_model(r) for r in rows if include_ended or r.ended_on is None]

    @strawberry.field(description="Vacancies: seats without a member, plus a missing secretary.")
    async def vacant_seats(self, info: Info) -> list[VacantSeat]:
        if self.closed_on is not None:
            return []
        rows = await info.context.loaders.group_by(SeatModel, "term_id").load(self.id)
        return [
            VacantSeat(role=role, seat=CommitteeSeat.from_model(seat) if seat else None)
            for role, seat in vacancies(rows)
        ]


@strawberry.input(description="A seat of a new term: the role, who holds it (empty: vacant), how chosen.")
class SeatInput:
    role: CommitteeRole
    member_id: strawberry.ID | None = None
    source: SeatSource = SeatSourceEnum.ELECTED


@strawberry.input
class StartCommitteeTermInput:
    organization_id: strawberry.ID
    starts_on: dt.date
    ends_on: dt.date | None = strawberry.field(
        default=None, description="Default: starts_on + the term length (tenant config; 5 years for 党委)."
    )
    seats: list[SeatInput] | None = None


@strawberry.input
class AppointCommitteeSeatInput:
    term_id: strawberry.ID
    role: CommitteeRole
    member_id: strawberry.ID | None = None
    source: SeatSource = SeatSourceEnum.APPOINTED
    started_on: dt.date | None = None


@strawberry.input
class EndCommitteeSeatInput:
    seat_id: strawberry.ID
    ended_on: dt.date | None = None
    keep_vacant: bool = strawberry.field(default=True, description="Leave a vacant seat of the same role.")


@strawberry.input
class FillVacancyInput:
    seat_id: strawberry.ID
    member_id: strawberry.ID
    source: SeatSource = SeatSourceEnum.ELECTED
    started_on: dt.date | None = None


@strawberry.type
class CommitteeTermPayload(MutationPayload):
    term: CommitteeTerm | None = None


@strawberry.type
class CommitteeSeatPayload(MutationPayload):
    seat: CommitteeSeat | None = None
    vacancy: CommitteeSeat | None = None
    term: CommitteeTerm | None = None
