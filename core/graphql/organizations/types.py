"""GraphQL types of the organization tree."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from core.graphql.core.connection import Connection
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import Organization as OrganizationModel
from core.permissions import Permission
from core.services.organizations import ancestor_ids


@strawberry.type(description="A kind of organization and where it may stand in the tree.")
class OrganizationKind:
    code: str
    label: str
    allowed_children: list[str]
    may_be_root: bool
    is_branch: bool


@strawberry.type(description="A party organization (党委、党总支、党支部、党小组 …) in the tree.")
class Organization(ModelNode):
    model = OrganizationModel

    id: relay.NodeID[int]
    kind: str = strawberry.field(description="Organization kind code, e.g. BRANCH.")
    name: str
    path: str = strawberry.field(description="Materialized path of database ids, /1/5/23/.")
    depth: int
    established_on: dt.date | None
    dissolved_on: dt.date | None
    covered_units: list[str] = strawberry.field(description="Units a joint branch covers (≤ 5).")
    temporary_body: str | None = strawberry.field(description="The temporary body a temporary branch serves.")
    parent_id: strawberry.Private[int | None]

    @property
    def scope_path(self) -> str:
        return self.path

    @strawberry.field(description="Whether the organization has been dissolved.")
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @strawberry.field(description="Chinese label of the kind.")
    async def kind_label(self, info: Info) -> str:
        vocabulary = await info.context.vocabulary()
        spec = vocabulary.organization_kinds.get(self.kind)
        return spec.label if spec else self.kind

    @field(permission=Permission.ORG_READ, description="The parent organization.")
    async def parent(self, info: Info) -> Organization | None:
        if self.parent_id is None:
            return None
        row = await info.context.loaders.by_id(OrganizationModel).load(self.parent_id)
        if row is None or not info.context.principal.allows(Permission.ORG_READ, row.path):
            return None
        return Organization.from_model(row)

    @field(permission=Permission.ORG_READ, description="Direct sub-organizations.")
    async def children(self, info: Info, include_dissolved: bool = False) -> list[Organization]:
        filters = {} if include_dissolved else {"dissolved_on__isnull": True}
        rows = await info.context.loaders.group_by(
            OrganizationModel, "parent_id", order_by=("id",), **filters
        ).load(self.id)
        principal = info.context.principal
        return [Organization.from_model(r) for r in rows if principal.allows(Permission.ORG_READ, r.path)]

    @field(permission=Permission.ORG_READ, description="Ancestors from the root down (not self).")
    async def ancestors(self, info: Info) -> list[Organization]:
        ids = ancestor_ids(self.path)[:-1]
        rows = await info.context.loaders.by_id(OrganizationModel).load_many(ids)
        principal = info.context.principal
        return [
            Organization.from_model(r)
            for r in rows
            if r is not None and principal.allows(Permission.ORG_READ, r.path)
        ]


OrganizationConnection = Connection[Organization]


@strawberry.input(description="Filters for the organization list.")
class OrganizationFilter:
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="Only this organization and everything below it."
    )
    kinds: list[str] | None = None
    include_dissolved: bool = False
    name_contains: str | None = None


@strawberry.input
class CreateOrganizationInput:
    kind: str
    name: str
    parent_id: relay.GlobalID | None = None
    established_on: dt.date | None = None
    covered_units: list[str] | None = None
    temporary_body: str | None = None


@strawberry.input
class UpdateOrganizationInput:
    id: relay.GlobalID
    name: str | None = None
    established_on: dt.date | None = None
    covered_units: list[str] | None = None
    temporary_body: str | None = None


@strawberry.input
class DissolveOrganizationInput:
    id: relay.GlobalID
    dissolved_on: dt.date | None = None


@strawberry.input
class MoveOrganizationInput:
    id: relay.GlobalID
    new_parent_id: relay.GlobalID


@strawberry.type
class OrganizationPayload(MutationPayload):
    organization: Organization | None = None
