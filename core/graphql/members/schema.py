"""Query and mutation fields of members."""

from __future__ import annotations

import strawberry

from core.error_codes import MemberErrorCode
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.members.filters import filter_members
from core.graphql.members.types import (
    MEMBER_ORDER_COLUMNS,
    CorrectMemberIdNumberInput,
    CreateMemberInput,
    Member,
    MemberCategory,
    MemberConnection,
    MemberFilter,
    MemberOrder,
    MemberPayload,
    UpdateMemberInput,
    member_loader,
)
from core.models import Member as MemberModel
from core.permissions import Permission
from core.services import members as service

_ID_FIELDS = {"branch_id": ("Organization", "branchId"), "party_group_id": ("Organization", "partyGroupId")}


@strawberry.type
class Query:
    @field(permission=Permission.MEMBER_READ, description="One member by ID.")
    async def member(self, info: Info, id: strawberry.ID) -> Member | None:
        row = await member_loader(info).load(decode_id(id, "Member"))
        return Member.from_row(row) if row else None

    @field(permission=Permission.MEMBER_READ, description="Members on rosters the caller may see, paged.")
    async def members(
        self,
        info: Info,
        filter: MemberFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[MemberOrder] | None = None,
    ) -> MemberConnection:
        query = await filter_members(
            scoped(info, MemberModel.all(), "branch__path"), filter or MemberFilter()
        )
        ordered = query.select_related("branch").order_by(
            *ordering(order_by, MEMBER_ORDER_COLUMNS, ("branch_id", "id"))
        )
        return await paginate(ordered, Member.from_row, first=first, after=after, last=last, before=before)

    @field(permission=Permission.TENANT_READ, description="Member categories in force for the tenant.")
    async def member_categories(self, info: Info) -> list[MemberCategory]:
        vocabulary = await info.context.vocabulary()
        return [MemberCategory(code=s.code, label=s.label) for s in vocabulary.member_categories.values()]


def _changes(input: UpdateMemberInput) -> dict:
    """The fields the caller sent (UNSET ones left out), ids decoded."""
    changes = {}
    for name in (
        "name",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "phone",
        "id_number",
        "joined_on",
        "confirmed_on",
        "status",
        "status_reason",
        "branch_id",
        "party_group_id",
        "categories",
    ):
        value = getattr(input, name)
        if value is strawberry.UNSET:
            continue
        if name in _ID_FIELDS and value is not None:
            type_name, field_name = _ID_FIELDS[name]
            value = decode_id(value, type_name, field=field_name)
        changes[name] = value
    return changes


@strawberry.type
class Mutation:
    @mutation(permission=Permission.MEMBER_MANAGE, description="Put a person on a branch roster.")
    async def create_member(self, info: Info, input: CreateMemberInput) -> MemberPayload:
        member = await service.create_member(
            name=input.name,
            branch_id=decode_id(input.branch_id, "Organization", field="branchId"),
            party_group_id=decode_id(input.party_group_id, "Organization", field="partyGroupId")
            if input.party_group_id
            else None,
            gender=input.gender,
            birth_date=input.birth_date,
            ethnicity=input.ethnicity,
            education=input.education,
            phone=input.phone,
            id_number=input.id_number,
            joined_on=input.joined_on,
            confirmed_on=input.confirmed_on,
            status=input.status,
            categories=input.categories or [],
        )
        return {"member": Member.from_row(member)}

    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Change roster fields (not the ID number; status only to LEFT/DECEASED).",
    )
    async def update_member(self, info: Info, input: UpdateMemberInput) -> MemberPayload:
        member = await service.update_member(decode_id(input.id, "Member"), **_changes(input))
        return {"member": Member.from_row(member)}

    @mutation(
        permission=Permission.MEMBER_MANAGE,
        description="Correct a member's ID number (the only way to change it), with a reason.",
    )
    async def correct_member_id_number(self, info: Info, input: CorrectMemberIdNumberInput) -> MemberPayload:
        member = await service.correct_member_id_number(
            decode_id(input.id, "Member"), input.id_number, input.reason
        )
        return {"member": Member.from_row(member)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(MemberErrorCode),)
