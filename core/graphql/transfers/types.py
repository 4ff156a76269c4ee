"""GraphQL types of relation transfers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.lifecycle.models import RelationTransfer as TransferModel
from core.lifecycle.models import TransferKind as TransferKindEnum
from core.lifecycle.models import TransferStatus as TransferStatusEnum
from core.models import Organization as OrganizationModel
from core.permissions import Permission

if TYPE_CHECKING:
    from core.graphql.members.types import Member
    from core.graphql.organizations.types import Organization

MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]
OrganizationRef = Annotated["Organization", strawberry.lazy("core.graphql.organizations.types")]

TransferKind = strawberry.enum(
    TransferKindEnum, description="INTERNAL (between branches of the tenant), OUTGOING, INCOMING."
)
TransferStatus = strawberry.enum(TransferStatusEnum, description="ISSUED (letter open), COMPLETED, RETURNED.")


@strawberry.type(
    description="A transfer of a member's organizational relation (组织关系接转), kept as history."
)
class RelationTransfer(ModelNode):
    model = TransferModel

    id: relay.NodeID[int]
    kind: TransferKind
    status: TransferStatus
    external_organization: str = strawberry.field(
        description="The organization outside the tenant (destination or origin of the letter)."
    )
    letter_number: str = strawberry.field(description="介绍信编号")
    issued_on: dt.date
    completed_on: dt.date | None
    returned_on: dt.date | None
    reason: str
    return_reason: str
    abroad: bool = strawberry.field(description="Placed under the party organization of an embassy.")
    person: strawberry.Private[dict]
    member_id: strawberry.Private[int | None]
    from_organization_id: strawberry.Private[int | None]
    to_organization_id: strawberry.Private[int | None]
    scope_paths: strawberry.Private[tuple[str, ...]] = ()

    @classmethod
    def from_row(cls, row: TransferModel) -> RelationTransfer:
        """From a row loaded with both organizations; readable from either end (``scope_paths``):
        both ends see a transfer between them."""
        paths = tuple(
            org.path
            for org in (row.from_organization, row.to_organization)
            if org is not None and not isinstance(org, int)
        )
        return cls.from_model(row, scope_paths=paths)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[RelationTransfer | None]:
        ids = [int(i) for i in node_ids]
        query = TransferModel.filter(id__in=ids).select_related("from_organization", "to_organization")
        rows = {r.id: r for r in await query}
        return [cls.from_row(rows[i]) if i in rows else None for i in ids]

    @strawberry.field(description="Name of the person transferred.")
    def person_name(self) -> str:
        return (self.person or {}).get("name", "")

    @field(
        permission=Permission.ORG_READ,
        description="The branch the member left (null for incoming, or not visible to the caller).",
    )
    async def from_organization(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.from_organization_id)

    @field(
        permission=Permission.ORG_READ,
        description="The receiving branch (null for outgoing, or not visible to the caller).",
    )
    async def to_organization(self, info: Info) -> OrganizationRef | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.to_organization_id)

    @strawberry.field(description="Name of the branch the member left (kept with the history).")
    async def from_organization_name(self, info: Info) -> str | None:
        return await _organization_name(info, self.from_organization_id)

    @strawberry.field(description="Name of the receiving branch (kept with the history).")
    async def to_organization_name(self, info: Info) -> str | None:
        return await _organization_name(info, self.to_organization_id)

    @field(
        permission=Permission.MEMBER_READ,
        description="The member, when the caller may see the member where they are now (null otherwise).",
    )
    async def member(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)


async def _organization_name(info: Info, org_id: int | None) -> str | None:
    if org_id is None:
        return None
    row = await info.context.loaders.by_id(OrganizationModel).load(org_id)
    return row.name if row else None


RelationTransferConnection = Connection[RelationTransfer]


@strawberry.input(description="Filters for the transfer history.")
class RelationTransferFilter:
    member_id: strawberry.ID | None = None
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Transfers from or to this organization."
    )
    kinds: list[TransferKind] | None = None
    statuses: list[TransferStatus] | None = None


@strawberry.input
class TransferMemberInput:
    member_id: strawberry.ID
    to_branch_id: strawberry.ID
    transferred_on: dt.date
    party_group_id: strawberry.ID | None = None
    letter_number: str = ""
    reason: str = ""
    abroad: bool = strawberry.field(
        default=False,
        description="Place a member working abroad under an embassy's party organization (newspaper plugin).",
    )


@strawberry.input
class IssueTransferLetterInput:
    member_id: strawberry.ID
    destination: str = strawberry.field(description="The receiving party organization outside the tenant.")
    issued_on: dt.date
    letter_number: str = ""
    reason: str = ""


@strawberry.input(description="The person named in an incoming transfer letter.")
class TransferPersonInput:
    name: str
    status: str = strawberry.field(description="FULL or PROBATIONARY.")
    id_number: str | None = None
    gender: str | None = strawberry.field(default=None, description="MALE or FEMALE.")
    birth_date: dt.date | None = None
    joined_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    ethnicity: str = ""
    education: str = ""
    phone: str = ""


@strawberry.input
class ReceiveTransferLetterInput:
    to_branch_id: strawberry.ID
    origin: str = strawberry.field(description="The party organization that issued the letter.")
    issued_on: dt.date
    person: TransferPersonInput
    letter_number: str = ""
    reason: str = ""


@strawberry.input
class CompleteTransferInput:
    id: strawberry.ID
    completed_on: dt.date
    party_group_id: strawberry.ID | None = strawberry.field(
        default=None, description="For an incoming transfer: the party group to join."
    )


@strawberry.input
class ReturnTransferInput:
    id: strawberry.ID
    returned_on: dt.date
    reason: str


@strawberry.type
class RelationTransferPayload(MutationPayload):
    transfer: RelationTransfer | None = None


@strawberry.enum(description="Columns relation transfers can be sorted by (orderBy).")
class RelationTransferOrderField(Enum):
    ISSUED_ON = "ISSUED_ON"
    STATUS = "STATUS"
    KIND = "KIND"


RELATIONTRANSFER_ORDER_COLUMNS = {"ISSUED_ON": "issued_on", "STATUS": "status", "KIND": "kind"}
RelationTransferOrder = order_input(
    "RelationTransferOrder",
    RelationTransferOrderField,
    "Sort relation transfers by a column, ascending or descending.",
)
