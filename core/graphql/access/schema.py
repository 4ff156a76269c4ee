"""Query and mutation fields of identity and access."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q, Subquery

from core.access import services
from core.access.enforcer import grants_for
from core.access.models import ApiToken as ApiTokenModel
from core.access.models import RoleAssignment as RoleAssignmentModel
from core.access.models import User as UserModel
from core.access.throttle import SignInKeys, SignInThrottle, client_address
from core.access.tokens import refresh_token_subject
from core.error_codes import AccessErrorCode
from core.errors import DomainError
from core.graphql.access.types import (
    USER_ORDER_COLUMNS,
    ApiToken,
    ApiTokenPayload,
    AssignRoleInput,
    AuthPayload,
    ChangePasswordInput,
    CreateApiTokenInput,
    CreateUserInput,
    Grant,
    LoginInput,
    Me,
    RefreshTokenInput,
    ResetUserPasswordInput,
    RevokeApiTokenInput,
    RevokeRoleInput,
    RoleAssignment,
    RoleAssignmentPayload,
    UpdateUserInput,
    User,
    UserConnection,
    UserFilter,
    UserOrder,
    UserPayload,
)
from core.graphql.core.connection import ordering, paginate
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.errors import UserError, domain_graphql_error
from core.graphql.core.fields import field
from core.graphql.core.mutations import mutation, run_mutation
from core.graphql.core.nodes import decode_id
from core.permissions import Permission


def require_user(info: Info) -> None:
    principal = info.context.principal
    if principal.user_id is None or principal.tenant_id is None:
        raise domain_graphql_error(DomainError(AccessErrorCode.UNAUTHENTICATED))


@strawberry.type
class Query:
    @field(
        permission=None, description="The signed-in caller: account, roles, permissions, own member record."
    )
    async def me(self, info: Info) -> Me:
        require_user(info)
        principal = info.context.principal
        row = await UserModel.get_or_none(id=principal.user_id)
        if row is None:
            raise domain_graphql_error(DomainError(AccessErrorCode.UNAUTHENTICATED))
        from core.access.authentication import member_branch_path

        _, roles = await grants_for(
            principal.tenant_id, principal.user_id, branch_path=await member_branch_path(row.member_id)
        )
        grants = [Grant(permission=p, paths=list(paths)) for p, paths in sorted(principal.grants.items())]
        return Me(user=User.from_model(row), roles=roles, grants=grants, member_id=row.member_id)

    @field(
        permission=Permission.USER_READ,
        scope="tenant",
        description="Accounts of the tenant (tenant administrators).",
    )
    async def users(
        self,
        info: Info,
        filter: UserFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: list[UserOrder] | None = None,
    ) -> UserConnection:
        query = UserModel.all()
        f = filter or UserFilter()
        if f.username_contains:
            query = query.filter(username__contains=f.username_contains)
        if f.is_active is not None:
            query = query.filter(is_active=f.is_active)
        if f.role:
            holders = RoleAssignmentModel.filter(role=f.role)
            user_ids = Subquery(holders.filter(user_id__isnull=False).values_list("user_id", flat=True))
            member_ids = Subquery(holders.filter(member_id__isnull=False).values_list("member_id", flat=True))
            query = query.filter(Q(id__in=user_ids) | Q(member_id__in=member_ids))
        orders = ordering(order_by, USER_ORDER_COLUMNS, ("username",))
        return await paginate(query.order_by(*orders), User.from_model, first=first, after=after)

    @field(permission=Permission.USER_READ, scope="tenant", description="One account by ID.")
    async def user(self, info: Info, id: strawberry.ID) -> User | None:
        row = await info.context.loaders.by_id(UserModel).load(decode_id(id, "User"))
        return User.from_model(row) if row else None

    @field(permission=None, description="The caller's own API tokens.")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        require_user(info)
        rows = await ApiTokenModel.filter(user_id=info.context.principal.user_id).order_by("-id")
        return [ApiToken.from_model(r) for r in rows]


def _auth(user: UserModel, pair) -> dict:  # noqa: ANN001
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "expires_at": pair.expires_at,
        "user": User.from_model(user),
    }


async def throttled(info: Info, keys: SignInKeys, action) -> AuthPayload:  # noqa: ANN001
    """A sign-in mutation under the shared throttle: refused while locked, counted afterwards."""
    throttle = SignInThrottle()
    refusal = await throttle.refusal(keys)
    if refusal is not None:
        return AuthPayload(errors=[UserError.from_domain(refusal)])
    payload = await run_mutation(info, AuthPayload, action)
    await throttle.settle(keys, [error.code for error in payload.errors])
    return payload


@strawberry.type
class Mutation:
    @mutation(
        atomic=False,
        permission=None,
        description="Sign in to a tenant: a short-lived access token and a refresh token.",
    )
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        async def action() -> dict:
            user, pair = await services.login(input.tenant, input.username, input.password)
            return _auth(user, pair)

        # cut to the columns' lengths (no longer slug or username exists): the counter's key stays
        # within its column and the lockout's tenant look-up is a valid query
        slug, username = input.tenant.strip()[:63], input.username.strip()[:64]
        keys = SignInKeys(
            account=f"login:{slug.lower()}:{username.lower()}",
            address=client_address(info.context.request),
            tenant_slug=slug,
        )
        return await throttled(info, keys, action)

    @mutation(atomic=False, permission=None, description="A new token pair for a valid refresh token.")
    async def refresh_token(self, info: Info, input: RefreshTokenInput) -> AuthPayload:
        async def action() -> dict:
            user, pair = await services.refresh(input.refresh_token)
            return _auth(user, pair)

        subject = refresh_token_subject(input.refresh_token)
        keys = SignInKeys(
            account=f"refresh:{subject}" if subject else None, address=client_address(info.context.request)
        )
        return await throttled(info, keys, action)

    @mutation(permission=None, description="Sign out everywhere: every token issued so far stops working.")
    async def logout(self, info: Info) -> UserPayload:
        return {"user": User.from_model(await services.logout())}

    @mutation(permission=None, description="Change the caller's password (signs out every session).")
    async def change_password(self, info: Info, input: ChangePasswordInput) -> UserPayload:
        user = await services.change_password(input.old_password, input.new_password)
        return {"user": User.from_model(user)}

    @mutation(
        permission=Permission.USER_MANAGE, description="Create an account (optionally linked to a member)."
    )
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        user = await services.create_user(
            username=input.username,
            password=input.password,
            display_name=input.display_name,
            member_id=decode_id(input.member_id, "Member", field="memberId") if input.member_id else None,
        )
        return {"user": User.from_model(user)}

    @mutation(permission=Permission.USER_MANAGE, description="Rename, (de)activate or (un)link an account.")
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserPayload:
        kwargs = {}
        if input.unlink_member:
            kwargs["member_id"] = None
        elif input.member_id is not None:
            kwargs["member_id"] = decode_id(input.member_id, "Member", field="memberId")
        user = await services.update_user(
            decode_id(input.id, "User"),
            display_name=input.display_name,
            is_active=input.is_active,
            **kwargs,
        )
        return {"user": User.from_model(user)}

    @mutation(permission=Permission.USER_MANAGE, description="Set a new password for an account.")
    async def reset_user_password(self, info: Info, input: ResetUserPasswordInput) -> UserPayload:
        user = await services.reset_password(decode_id(input.id, "User"), input.new_password)
        return {"user": User.from_model(user)}

    @mutation(
        permission=Permission.USER_MANAGE, description="Grant a role at an organization (or tenant-wide)."
    )
    async def assign_role(self, info: Info, input: AssignRoleInput) -> RoleAssignmentPayload:
        assignment = await services.assign_user_role(
            decode_id(input.user_id, "User", field="userId"),
            input.role,
            decode_id(input.organization_id, "Organization", field="organizationId")
            if input.organization_id
            else None,
        )
        return {"role_assignment": RoleAssignment.from_model(assignment)}

    @mutation(permission=Permission.USER_MANAGE, description="Withdraw an assigned role.")
    async def revoke_role(self, info: Info, input: RevokeRoleInput) -> RoleAssignmentPayload:
        assignment = await services.revoke_role(decode_id(input.id, "RoleAssignment"))
        return {"role_assignment": RoleAssignment.from_model(assignment)}

    @mutation(
        permission=None, description="Create an API token acting as the caller within the given scopes."
    )
    async def create_api_token(self, info: Info, input: CreateApiTokenInput) -> ApiTokenPayload:
        token, secret = await services.create_api_token(input.name, input.scopes, input.expires_in_days)
        return {"api_token": ApiToken.from_model(token), "token": secret}

    @mutation(permission=None, description="Revoke an API token (own, or any for account managers).")
    async def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> ApiTokenPayload:
        token = await services.revoke_api_token(decode_id(input.id, "ApiToken"))
        return {"api_token": ApiToken.from_model(token)}


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(AccessErrorCode),)
