"""Query and mutation fields of relation transfers."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from core.error_codes import TransferErrorCode
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, path_filter
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.transfers.types import (
    RELATIONTRANSFER_ORDER_COLUMNS,
    CompleteTransferInput,
    IssueTransferLetterInput,
    ReceiveTransferLetterInput,
    RelationTransfer,
    RelationTransferConnection,
    RelationTransferFilter,
    RelationTransferOrder,
    RelationTransferPayload,
    ReturnTransferInput,
    TransferMemberInput,
)
from core.lifecycle import transfers as service
from core.lifecycle.models import RelationTransfer as TransferModel
from core.permissions import Permission

_RELATED = ("from_organization", "to_organization")


def _visible(info: Info, permission: str) -> Q | None:
    """Transfers whose source or target lies in the caller's granted subtrees (None: all)."""
    prefixes = info.context.principal.prefixes(permission)
    if prefixes is None:
        return None
    return path_filter(prefixes, "from_organization__path") | path_filter(prefixes, "to_organization__path")


async def _payload(info: Info, transfer_id: int) -> dict:
    row = await TransferModel.filter(id=transfer_id).select_related(*_RELATED).first()
    return {"transfer": RelationTransfer.from_row(row)}


def _gid(value: strawberry.ID | None, type_name: str, field_name: str) -> int | None:
    return decode_id(value, type_name, field=field_name) if value is not None else None


@strawberry.type
class Query:
    @field(permission=Permission.TRANSFER_READ, description="One transfer by ID (seen from either end).")
    async def relation_transfer(self, info: Info, id: strawberry.ID) -> RelationTransfer | None:
        row = (
            await TransferModel.filter(id=decode_id(id, "RelationTransfer")).select_related(*_RELATED).first()
        )
        if row is None:
            return None
        return RelationTransfer.from_row(row)

    @field(
        permission=Permission.TRANSFER_READ, description="Transfer history the caller may see, newest first."
    )
    async def relation_transfers(
        self,
        info: Info,
        filter: RelationTransferFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[RelationTransferOrder] | None = None,
    ) -> RelationTransferConnection:
        query = TransferModel.all()
        visible = _visible(info, Permission.TRANSFER_READ)
        if visible is not None:
            query = query.filter(visible)
        f = filter or RelationTransferFilter()
        if f.member_id is not None:
            query = query.filter(member_id=decode_id(f.member_id, "Member", field="memberId"))
        if f.organization_id is not None:
            org_id = decode_id(f.organization_id, "Organization", field="organizationId")
            query = query.filter(Q(from_organization_id=org_id) | Q(to_organization_id=org_id))
        if f.kinds:
            query = query.filter(kind__in=[str(k) for k in f.kinds])
        if f.statuses:
            query = query.filter(status__in=[str(s) for s in f.statuses])
        ordered = query.select_related(*_RELATED).order_by(
            *ordering(order_by, RELATIONTRANSFER_ORDER_COLUMNS, ("-issued_on", "-id"))
        )
        return await paginate(
            ordered, RelationTransfer.from_row, first=first, after=after, last=last, before=before
        )


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.TRANSFER_MANAGE,
        description="Move a member to another branch of the tenant (history kept); with abroad, under an "
        "embassy's party organization.",
    )
    async def transfer_member(self, info: Info, input: TransferMemberInput) -> RelationTransferPayload:
        transfer = await service.transfer_within(
            decode_id(input.member_id, "Member", field="memberId"),
            decode_id(input.to_branch_id, "Organization", field="toBranchId"),
            on=input.transferred_on,
            party_group_id=_gid(input.party_group_id, "Organization", "partyGroupId"),
            letter_number=input.letter_number,
            reason=input.reason,
            abroad=input.abroad,
        )
        return await _payload(info, transfer.id)

    @mutation(
        permission=Permission.TRANSFER_MANAGE,
        description="Issue a transfer letter to an organization outside the tenant.",
    )
    async def issue_transfer_letter(
        self, info: Info, input: IssueTransferLetterInput
    ) -> RelationTransferPayload:
        transfer = await service.issue_letter(
            decode_id(input.member_id, "Member", field="memberId"),
            destination=input.destination,
            on=input.issued_on,
            letter_number=input.letter_number,
            reason=input.reason,
        )
        return await _payload(info, transfer.id)

    @mutation(
        permission=Permission.TRANSFER_MANAGE,
        description="Register a transfer letter from outside the tenant, to be accepted or returned.",
    )
    async def receive_transfer_letter(
        self, info: Info, input: ReceiveTransferLetterInput
    ) -> RelationTransferPayload:
        p = input.person
        transfer = await service.receive_letter(
            decode_id(input.to_branch_id, "Organization", field="toBranchId"),
            origin=input.origin,
            on=input.issued_on,
            letter_number=input.letter_number,
            reason=input.reason,
            person={
                "name": p.name,
                "status": p.status,
                "id_number": p.id_number,
                "gender": p.gender,
                "birth_date": p.birth_date,
                "joined_on": p.joined_on,
                "confirmed_on": p.confirmed_on,
                "ethnicity": p.ethnicity,
                "education": p.education,
                "phone": p.phone,
            },
        )
        return await _payload(info, transfer.id)

    @mutation(
        permission=Permission.TRANSFER_MANAGE,
        description="Complete an open letter: outgoing → member TRANSFERRED_OUT; incoming → member accepted.",
    )
    async def complete_transfer(self, info: Info, input: CompleteTransferInput) -> RelationTransferPayload:
        transfer = await service.complete_transfer(
            decode_id(input.id, "RelationTransfer"),
            on=input.completed_on,
            party_group_id=_gid(input.party_group_id, "Organization", "partyGroupId"),
        )
        return await _payload(info, transfer.id)

    @mutation(
        permission=Permission.TRANSFER_MANAGE,
        description="Return an open letter (an outgoing one came back, or an incoming one is refused).",
    )
    async def return_transfer(self, info: Info, input: ReturnTransferInput) -> RelationTransferPayload:
        transfer = await service.return_transfer(
            decode_id(input.id, "RelationTransfer"), on=input.returned_on, reason=input.reason
        )
        return await _payload(info, transfer.id)


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(TransferErrorCode),)
