"""GraphQL types of the organization tree."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from core.graphql.core.connection import (
    NESTED_ACTIVITIES,
    NESTED_MAX,
    NESTED_MEMBERS,
    Connection,
    nested_limit,
    order_input,
)
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.filters import OptionalDateFrom, OptionalDateTo, between
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import Activity as ActivityModel
from core.models import CommitteeTerm as TermModel
from core.models import Member as MemberModel
from core.models import Organization as OrganizationModel
from core.models.member import ACTIVE_STATUSES
from core.permissions import Permission
from core.registry import ORGANIZATION_SECTORS
from core.services.organizations import ancestor_ids

if TYPE_CHECKING:
    from core.graphql.activities.types import Activity
    from core.graphql.committees.types import CommitteeTerm
    from core.graphql.members.types import Member, MemberStatus

MemberRef = Annotated["Member", strawberry.lazy("core.graphql.members.types")]
MemberStatusRef = Annotated["MemberStatus", strawberry.lazy("core.graphql.members.types")]
ActivityRef = Annotated["Activity", strawberry.lazy("core.graphql.activities.types")]
TermRef = Annotated["CommitteeTerm", strawberry.lazy("core.graphql.committees.types")]


@strawberry.type(description="A kind of organization and where it may stand in the tree.")
class OrganizationKind:
    code: str
    label: str
    allowed_children: list[str]
    may_be_root: bool
    is_branch: bool


@strawberry.type(description="A sector (领域) an organization works in.")
class OrganizationSector:
    code: str
    label: str


async def organization_by_id(info: Info, org_id: int | None) -> Organization | None:
    """The organization a node points at (``organization``, ``branch``, ``parent`` …), through the
    request's loader; ``None`` when there is none. Declare the field ``@field(permission=
    Permission.ORG_READ)``: the permission extension nulls it outside the caller's grants."""
    if org_id is None:
        return None
    row = await info.context.loaders.by_id(OrganizationModel).load(org_id)
    return Organization.from_model(row) if row is not None else None


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
    sector: str | None = strawberry.field(
        description="Sector code (organizationSectors), e.g. VILLAGE; null when not registered."
    )
    parent_id: strawberry.Private[int | None]
    leader_id: strawberry.Private[int | None]

    @strawberry.field(description="Whether the organization has been dissolved.")
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @strawberry.field(description="Chinese label of the sector (村、社区、机关 …).")
    def sector_label(self) -> str | None:
        return ORGANIZATION_SECTORS.get(self.sector or "")

    @strawberry.field(description="Chinese label of the kind.")
    async def kind_label(self, info: Info) -> str:
        vocabulary = await info.context.vocabulary()
        spec = vocabulary.organization_kinds.get(self.kind)
        return spec.label if spec else self.kind

    @field(permission=Permission.ORG_READ, description="The parent organization.")
    async def parent(self, info: Info) -> Organization | None:
        return await organization_by_id(info, self.parent_id)

    @field(permission=Permission.ORG_READ, description="Direct sub-organizations.")
    async def children(self, info: Info, include_dissolved: bool = False) -> list[Organization]:
        filters = {} if include_dissolved else {"dissolved_on__isnull": True}
        rows = await info.context.loaders.group_by(
            OrganizationModel, "parent_id", order_by=("id",), **filters
        ).load(self.id)
        return [Organization.from_model(r) for r in rows]

    @field(permission=Permission.ORG_READ, description="Ancestors from the root down (not self).")
    async def ancestors(self, info: Info) -> list[Organization]:
        ids = ancestor_ids(self.path)[:-1]
        rows = await info.context.loaders.by_id(OrganizationModel).load_many(ids)
        return [Organization.from_model(r) for r in rows if r is not None]

    @field(
        permission=Permission.MEMBER_READ,
        description="People on the roster of this branch (or in this party group); default: still attached. "
        f"At most `first` (default {NESTED_MEMBERS}, up to {NESTED_MAX}); the `members` connection pages.",
    )
    async def members(
        self, info: Info, statuses: list[MemberStatusRef] | None = None, first: int | None = None
    ) -> list[MemberRef]:
        from core.graphql.members.types import Member, branch_path_of_group

        wanted = tuple(sorted(str(s) for s in (statuses or ACTIVE_STATUSES)))
        if self.kind == "PARTY_GROUP":
            column, branch_path = "party_group_id", branch_path_of_group(self.path)
        else:
            column, branch_path = "branch_id", self.path
        limit = nested_limit(first, NESTED_MEMBERS)
        rows = await info.context.loaders.group_by(
            MemberModel,
            column,
            order_by=("id",),
            limit=limit,
            values=True,
            omit=("extra", "created_at", "updated_at"),
            status__in=wanted,
        ).load(self.id)
        # Member.from_row of each row (the rows are values of one query)
        return Member.from_rows(rows, Member.RAW_COLUMNS, branch_path=branch_path)

    @field(permission=Permission.MEMBER_READ, description="The leader of a party group (党小组组长).")
    async def leader(self, info: Info) -> MemberRef | None:
        from core.graphql.members.types import Member, member_loader

        if self.leader_id is None:
            return None
        row = await member_loader(info).load(self.leader_id)
        return Member.from_row(row) if row else None

    @field(
        permission=Permission.ACTIVITY_READ,
        scope="source",
        description="Activities this organization held, newest first (cancelled ones left out). At most "
        f"`first` (default {NESTED_ACTIVITIES}, up to {NESTED_MAX}); the `activities` connection pages.",
    )
    async def activities(
        self,
        info: Info,
        first: int | None = None,
        kinds: list[str] | None = None,
        held_from: OptionalDateFrom = None,
        held_to: OptionalDateTo = None,
    ) -> list[ActivityRef]:
        from core.graphql.activities.types import Activity, prefetch_stats

        filters: dict = {"cancelled_on__isnull": True, **between("held_on", held_from, held_to)}
        if kinds:
            filters["kind__in"] = tuple(sorted(kinds))
        rows = await info.context.loaders.group_by(
            ActivityModel,
            "organization_id",
            order_by=("-held_on", "-id"),
            limit=nested_limit(first, NESTED_ACTIVITIES),
            values=True,
            omit=("created_at",),
            **filters,
        ).load(self.id)
        return await prefetch_stats(info, Activity.from_rows(rows, org_path=self.path))

    @field(permission=Permission.COMMITTEE_READ, scope="source", description="Committee terms, newest first.")
    async def committee_terms(self, info: Info) -> list[TermRef]:
        from core.graphql.committees.types import CommitteeTerm

        rows = await info.context.loaders.group_by(
            TermModel, "organization_id", order_by=("-starts_on", "-id")
        ).load(self.id)
        return [CommitteeTerm.from_row(r, self.path) for r in rows]

    @field(
        permission=Permission.COMMITTEE_READ,
        scope="source",
        description="The committee term in office, if any.",
    )
    async def current_committee(self, info: Info) -> TermRef | None:
        from core.graphql.committees.types import CommitteeTerm

        rows = await info.context.loaders.group_by(
            TermModel, "organization_id", order_by=("-starts_on", "-id")
        ).load(self.id)
        live = [r for r in rows if r.closed_on is None]
        return CommitteeTerm.from_row(live[0], self.path) if live else None


OrganizationConnection = Connection[Organization]


@strawberry.input(description="Filters for the organization list.")
class OrganizationFilter:
    subtree_of: strawberry.ID | None = strawberry.field(
        default=None, description="Only this organization and everything below it."
    )
    kinds: list[str] | None = None
    include_dissolved: bool = False
    name_contains: str | None = None


@strawberry.input
class CreateOrganizationInput:
    kind: str
    name: str
    parent_id: strawberry.ID | None = None
    established_on: dt.date | None = None
    covered_units: list[str] | None = None
    temporary_body: str | None = None
    sector: str | None = strawberry.field(
        default=None, description="Sector code (organizationSectors); VILLAGE, COMMUNITY: 5-year terms."
    )


@strawberry.input
class UpdateOrganizationInput:
    id: strawberry.ID
    name: str | None = None
    established_on: dt.date | None = None
    covered_units: list[str] | None = None
    temporary_body: str | None = None
    sector: str | None = strawberry.field(default=None, description='Sector code; "" clears it.')


@strawberry.input
class DissolveOrganizationInput:
    id: strawberry.ID
    dissolved_on: dt.date | None = None


@strawberry.input
class MoveOrganizationInput:
    id: strawberry.ID
    new_parent_id: strawberry.ID


@strawberry.input
class SetPartyGroupLeaderInput:
    group_id: strawberry.ID
    member_id: strawberry.ID | None = strawberry.field(default=None, description="Null clears the leader.")


@strawberry.type
class OrganizationPayload(MutationPayload):
    organization: Organization | None = None


@strawberry.enum(description="Columns organizations can be sorted by (orderBy).")
class OrganizationOrderField(Enum):
    PATH = "PATH"
    NAME = "NAME"
    KIND = "KIND"
    DEPTH = "DEPTH"
    CREATED_AT = "CREATED_AT"


ORGANIZATION_ORDER_COLUMNS = {
    "PATH": "path",
    "NAME": "name",
    "KIND": "kind",
    "DEPTH": "depth",
    "CREATED_AT": "created_at",
}
OrganizationOrder = order_input(
    "OrganizationOrder", OrganizationOrderField, "Sort organizations by a column, ascending or descending."
)
