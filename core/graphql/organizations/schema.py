"""Query and mutation fields of the organization tree."""

from __future__ import annotations

import strawberry

from core.error_codes import OrganizationErrorCode
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, scoped
from core.graphql.core.mutations import mutation
from core.graphql.core.nodes import decode_id
from core.graphql.organizations.filters import filter_organizations
from core.graphql.organizations.types import (
    ORGANIZATION_ORDER_COLUMNS,
    CreateOrganizationInput,
    DissolveOrganizationInput,
    MoveOrganizationInput,
    Organization,
    OrganizationConnection,
    OrganizationFilter,
    OrganizationKind,
    OrganizationOrder,
    OrganizationPayload,
    OrganizationSector,
    SetPartyGroupLeaderInput,
    UpdateOrganizationInput,
)
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.registry import ORGANIZATION_SECTORS
from core.services import organizations as service


@strawberry.type
class Query:
    @field(permission=Permission.ORG_READ, description="One organization by ID.")
    async def organization(self, info: Info, id: strawberry.ID) -> Organization | None:
        row = await info.context.loaders.by_id(OrganizationModel).load(decode_id(id, "Organization"))
        return Organization.from_model(row) if row else None

    @field(permission=Permission.ORG_READ, description="Organizations the caller may see, paged.")
    async def organizations(
        self,
        info: Info,
        filter: OrganizationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: list[OrganizationOrder] | None = None,
    ) -> OrganizationConnection:
        query = await filter_organizations(
            scoped(info, OrganizationModel.all(), "path"), filter or OrganizationFilter()
        )
        ordered = query.order_by(*ordering(order_by, ORGANIZATION_ORDER_COLUMNS, ("path",)))
        return await paginate(
            ordered, Organization.from_model, first=first, after=after, last=last, before=before
        )

    @field(permission=Permission.ORG_READ, description="Top organizations visible to the caller.")
    async def organization_roots(self, info: Info) -> list[Organization]:
        principal = info.context.principal
        prefixes = principal.prefixes(Permission.ORG_READ)
        if prefixes is None:
            rows = await OrganizationModel.filter(parent_id=None).order_by("id")
        else:
            rows = await scoped(info, OrganizationModel.all(), "path").order_by("path")
            # keep only the highest visible organizations
            kept: list[OrganizationModel] = []
            for row in rows:
                if not any(row.path.startswith(k.path) for k in kept):
                    kept.append(row)
            rows = kept
        return [Organization.from_model(r) for r in rows]

    @field(permission=Permission.TENANT_READ, description="Organization kinds in force.")
    async def organization_kinds(self, info: Info) -> list[OrganizationKind]:
        vocabulary = await info.context.vocabulary()
        return [
            OrganizationKind(
                code=s.code,
                label=s.label,
                allowed_children=sorted(s.allowed_children),
                may_be_root=s.may_be_root,
                is_branch=s.is_branch,
            )
            for s in vocabulary.organization_kinds.values()
        ]

    @field(permission=Permission.TENANT_READ, description="Sectors (领域) an organization may be in.")
    async def organization_sectors(self, info: Info) -> list[OrganizationSector]:
        return [OrganizationSector(code=code, label=label) for code, label in ORGANIZATION_SECTORS.items()]


@strawberry.type
class Mutation:
    @mutation(permission=Permission.ORG_MANAGE, description="Create an organization.")
    async def create_organization(self, info: Info, input: CreateOrganizationInput) -> OrganizationPayload:
        org = await service.create_organization(
            kind=input.kind,
            name=input.name,
            parent_id=decode_id(input.parent_id, "Organization", field="parentId")
            if input.parent_id
            else None,
            established_on=input.established_on,
            covered_units=input.covered_units,
            temporary_body=input.temporary_body,
            sector=input.sector,
        )
        return {"organization": Organization.from_model(org)}

    @mutation(permission=Permission.ORG_MANAGE, description="Update an organization.")
    async def update_organization(self, info: Info, input: UpdateOrganizationInput) -> OrganizationPayload:
        org = await service.update_organization(
            decode_id(input.id, "Organization"),
            name=input.name,
            established_on=input.established_on,
            covered_units=input.covered_units,
            temporary_body=input.temporary_body,
            sector=input.sector,
        )
        return {"organization": Organization.from_model(org)}

    @mutation(
        permission=Permission.ORG_MANAGE,
        description="Dissolve an organization (refused while it has members or live children).",
    )
    async def dissolve_organization(
        self, info: Info, input: DissolveOrganizationInput
    ) -> OrganizationPayload:
        org = await service.dissolve_organization(decode_id(input.id, "Organization"), on=input.dissolved_on)
        return {"organization": Organization.from_model(org)}

    @mutation(
        permission=Permission.ORG_MANAGE,
        description="Move an organization and its subtree under another parent.",
    )
    async def move_organization(self, info: Info, input: MoveOrganizationInput) -> OrganizationPayload:
        org = await service.move_organization(
            decode_id(input.id, "Organization"),
            decode_id(input.new_parent_id, "Organization", field="newParentId"),
        )
        return {"organization": Organization.from_model(org)}

    @mutation(
        permission=Permission.ORG_MANAGE,
        description="Set (or clear) the leader of a party group; the leader must be in the group.",
    )
    async def set_party_group_leader(
        self, info: Info, input: SetPartyGroupLeaderInput
    ) -> OrganizationPayload:
        org = await service.set_group_leader(
            decode_id(input.group_id, "Organization", field="groupId"),
            decode_id(input.member_id, "Member", field="memberId") if input.member_id else None,
        )
        return {"organization": Organization.from_model(org)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(OrganizationErrorCode),)
