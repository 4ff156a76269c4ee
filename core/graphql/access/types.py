"""GraphQL types of the access domain."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from core.access.models import ApiToken as ApiTokenModel
from core.access.models import RoleAssignment as RoleAssignmentModel
from core.access.models import User as UserModel
from core.access.roles import ROLE_LABELS
from core.graphql.core.connection import Connection, order_input
from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.permissions import Permission

if TYPE_CHECKING:
    from core.graphql.members.types import Member
    from core.graphql.organizations.types import Organization


@strawberry.type(description="A role bound to a position in the organization tree (or tenant-wide).")
class RoleAssignment(ModelNode):
    model = RoleAssignmentModel

    id: relay.NodeID[int]
    role: str = strawberry.field(description="TENANT_ADMIN, ORG_SECRETARY, ORG_COMMITTEE, ORG_INSPECTOR.")
    source: str = strawberry.field(description="MANUAL (assigned) or SEAT (from a committee seat).")
    created_at: dt.datetime
    organization_id: strawberry.Private[int | None]

    @strawberry.field(description="Chinese label of the role.")
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @field(
        permission=Permission.ORG_READ,
        description="The organization the role is bound to; null = the whole tenant.",
    )
    async def organization(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("core.graphql.organizations.types")] | None:
        from core.graphql.organizations.types import organization_by_id

        return await organization_by_id(info, self.organization_id)


@strawberry.type(description="An account that signs in to the tenant.")
class User(ModelNode):
    model = UserModel

    id: relay.NodeID[int]
    username: str
    display_name: str
    is_active: bool
    must_change_password: bool = strawberry.field(
        description="Signed in with an initial or reset password: change it first (changePassword)."
    )
    last_login_at: dt.datetime | None
    created_at: dt.datetime
    member_id: strawberry.Private[int | None]

    @strawberry.field(description="Roles of the account, including those from committee seats.")
    async def roles(self, info: Info) -> list[RoleAssignment]:
        own = await info.context.loaders.group_by(RoleAssignmentModel, "user_id").load(self.id)
        seats = (
            await info.context.loaders.group_by(RoleAssignmentModel, "member_id").load(self.member_id)
            if self.member_id is not None
            else []
        )
        return [RoleAssignment.from_model(r) for r in [*own, *seats]]

    @field(permission=Permission.MEMBER_READ, description="The member record linked to the account, if any.")
    async def member(
        self, info: Info
    ) -> Annotated[Member, strawberry.lazy("core.graphql.members.types")] | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)


UserConnection = Connection[User]


@strawberry.type(description="A permission and the subtrees (path prefixes) it is granted on; / = all.")
class Grant:
    permission: str
    paths: list[str]


@strawberry.type(description="The caller: account, roles, effective permissions and own member record.")
class Me:
    user: User
    roles: list[str] = strawberry.field(description="Role instances, e.g. ORG_SECRETARY@/1/5/.")
    grants: list[Grant]
    member_id: strawberry.Private[int | None]

    @strawberry.field(description="The caller's own member record (always readable by its owner).")
    async def member(
        self, info: Info
    ) -> Annotated[Member, strawberry.lazy("core.graphql.members.types")] | None:
        from core.graphql.members.types import member_by_id

        return await member_by_id(info, self.member_id)


@strawberry.type(description="A scoped, revocable token for integrations (the secret is shown once).")
class ApiToken(ModelNode):
    model = ApiTokenModel

    id: relay.NodeID[int]
    name: str
    prefix: str = strawberry.field(description="First characters of the secret, to recognise it.")
    scopes: list[str]
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime


@strawberry.input
class LoginInput:
    tenant: str = strawberry.field(description="The tenant's slug, e.g. demo-rural.")
    username: str
    password: str


@strawberry.input
class RefreshTokenInput:
    refresh_token: str


@strawberry.input
class ChangePasswordInput:
    old_password: str
    new_password: str


@strawberry.input
class CreateUserInput:
    username: str
    password: str
    display_name: str = ""
    member_id: strawberry.ID | None = None


@strawberry.input
class UpdateUserInput:
    id: strawberry.ID
    display_name: str | None = None
    is_active: bool | None = None
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="Link to a member; see unlinkMember."
    )
    unlink_member: bool = False


@strawberry.input
class ResetUserPasswordInput:
    id: strawberry.ID
    new_password: str


@strawberry.input
class AssignRoleInput:
    user_id: strawberry.ID
    role: str
    organization_id: strawberry.ID | None = None


@strawberry.input
class RevokeRoleInput:
    id: strawberry.ID


@strawberry.input
class CreateApiTokenInput:
    name: str
    scopes: list[str]
    expires_in_days: int | None = 90


@strawberry.input
class RevokeApiTokenInput:
    id: strawberry.ID


@strawberry.input(description="Filters for the user list.")
class UserFilter:
    username_contains: str | None = None
    is_active: bool | None = None
    role: str | None = None


@strawberry.type
class AuthPayload(MutationPayload):
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: dt.datetime | None = None
    user: User | None = None


@strawberry.type
class UserPayload(MutationPayload):
    user: User | None = None


@strawberry.type
class RoleAssignmentPayload(MutationPayload):
    role_assignment: RoleAssignment | None = None


@strawberry.type
class ApiTokenPayload(MutationPayload):
    api_token: ApiToken | None = None
    token: str | None = strawberry.field(default=None, description="The full token; shown only once.")


@strawberry.enum(description="Columns users can be sorted by (orderBy).")
class UserOrderField(Enum):
    USERNAME = "USERNAME"
    CREATED_AT = "CREATED_AT"


USER_ORDER_COLUMNS = {"USERNAME": "username", "CREATED_AT": "created_at"}
UserOrder = order_input("UserOrder", UserOrderField, "Sort users by a column, ascending or descending.")
