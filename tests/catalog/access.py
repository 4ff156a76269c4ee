"""Catalog entries: identity, access and the audit trail (helper B's)."""

from __future__ import annotations

import datetime as dt

from core.testing.world import PASSWORD, gid, make_user
from tests.catalog import Op, Target
from tests.catalog._helpers import seq


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _login(world, pos):  # noqa: ANN001, ANN202
    user = world.users[world.caller]
    return Target({"input": {"tenant": world.tenant.slug, "username": user.username, "password": PASSWORD}})


async def _refresh(world, pos):  # noqa: ANN001, ANN202
    from core.access.models import User
    from core.access.tokens import issue_pair
    from core.tenancy import tenant_scope

    with tenant_scope(world.tenant_id):
        user = await User.get(id=world.users[world.caller].id)
    pair = issue_pair(user.id, world.tenant_id, user.token_version)
    return Target({"input": {"refreshToken": pair.refresh_token}})


async def _change_password(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"oldPassword": PASSWORD, "newPassword": PASSWORD}})


async def _fresh_user(world):  # noqa: ANN001, ANN202
    return await make_user(world.tenant_id, f"fresh{seq()}-{world.tenant_id}")


async def _user(world, pos):  # noqa: ANN001, ANN202
    return Target({"id": gid("User", world.users["admin"].id)})


async def _create_user(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"username": f"new{seq()}-{world.tenant_id}", "password": PASSWORD}})


async def _update_user(world, pos):  # noqa: ANN001, ANN202
    user = await _fresh_user(world)
    return Target({"input": {"id": gid("User", user.id), "displayName": "改名"}})


async def _reset(world, pos):  # noqa: ANN001, ANN202
    user = await _fresh_user(world)
    return Target({"input": {"id": gid("User", user.id), "newPassword": "Another-pass-1"}})


async def _assign(world, pos):  # noqa: ANN001, ANN202
    user = await _fresh_user(world)
    return Target(
        {
            "input": {
                "userId": gid("User", user.id),
                "role": "ORG_INSPECTOR",
                "organizationId": world.org_gid(pos.org),
            }
        }
    )


async def _revoke(world, pos):  # noqa: ANN001, ANN202
    from core.access.roles import assign_role
    from core.tenancy import tenant_scope

    user = await _fresh_user(world)
    with tenant_scope(world.tenant_id):
        assignment = await assign_role(
            role="ORG_INSPECTOR", organization_id=world.orgs[pos.org].id, user_id=user.id
        )
    return Target({"input": {"id": gid("RoleAssignment", assignment.id)}})


async def _create_token(world, pos):  # noqa: ANN001, ANN202
    return Target({"input": {"name": f"集成{seq()}", "scopes": ["TENANT_READ"], "expiresInDays": 30}})


async def _revoke_token(world, pos):  # noqa: ANN001, ANN202
    from core.access.models import ApiToken
    from core.tenancy import tenant_scope

    with tenant_scope(world.tenant_id):
        token = await ApiToken.create(
            user_id=world.users[world.caller].id,
            name=f"旧令牌{seq()}",
            prefix="x",
            secret_hash="x",
            scopes=["TENANT_READ"],
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
        )
    return Target({"input": {"id": gid("ApiToken", token.id)}})


USER = "errors { code } user { id }"

OPERATIONS = [
    Op("me", "query", "{ me { user { username } roles } }", None, "self", _none),
    Op(
        "users",
        "query",
        "{ users(first: 100) { totalCount edges { node { id username } } } }",
        "USER_READ",
        "tenant",
        _none,
    ),
    Op("user", "query", "query($id: ID!) { user(id: $id) { id username } }", "USER_READ", "tenant", _user),
    Op("apiTokens", "query", "{ apiTokens { id name } }", None, "self", _none),
    Op(
        "auditRecords",
        "query",
        "{ auditRecords(first: 5) { edges { node { id operation } } } }",
        "AUDIT_READ",
        "tenant",
        _none,
    ),
    Op(
        "login",
        "mutation",
        "mutation($input: LoginInput!) { login(input: $input) { errors { code } accessToken } }",
        None,
        "public",
        _login,
        extra={"isolation": {"password": "not-the-password"}},
    ),
    Op(
        "refreshToken",
        "mutation",
        "mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { errors { code } accessToken } }",  # noqa: E501
        None,
        "public",
        _refresh,
        extra={"isolation": {"refreshToken": "not-a-refresh-token"}},
    ),
    Op("logout", "mutation", f"mutation {{ logout {{ {USER} }} }}", None, "self", _none),
    Op(
        "changePassword",
        "mutation",
        f"mutation($input: ChangePasswordInput!) {{ changePassword(input: $input) {{ {USER} }} }}",
        None,
        "self",
        _change_password,
    ),
    Op(
        "createUser",
        "mutation",
        f"mutation($input: CreateUserInput!) {{ createUser(input: $input) {{ {USER} }} }}",
        "USER_MANAGE",
        "tenant",
        _create_user,
    ),
    Op(
        "updateUser",
        "mutation",
        f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) {{ {USER} }} }}",
        "USER_MANAGE",
        "tenant",
        _update_user,
    ),
    Op(
        "resetUserPassword",
        "mutation",
        f"mutation($input: ResetUserPasswordInput!) {{ resetUserPassword(input: $input) {{ {USER} }} }}",
        "USER_MANAGE",
        "tenant",
        _reset,
    ),
    Op(
        "assignRole",
        "mutation",
        "mutation($input: AssignRoleInput!) { assignRole(input: $input) { errors { code } roleAssignment { id } } }",  # noqa: E501
        "USER_MANAGE",
        "tenant",
        _assign,
    ),
    Op(
        "revokeRole",
        "mutation",
        "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { errors { code } roleAssignment { id } } }",  # noqa: E501
        "USER_MANAGE",
        "tenant",
        _revoke,
    ),
    Op(
        "createApiToken",
        "mutation",
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { errors { code } apiToken { id } } }",  # noqa: E501
        None,
        "self",
        _create_token,
    ),
    Op(
        "revokeApiToken",
        "mutation",
        "mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { errors { code } apiToken { id } } }",  # noqa: E501
        None,
        "self",
        _revoke_token,
    ),
]
