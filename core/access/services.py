"""Users, logins, API tokens and role assignments (the writes of the access domain).

Login, refresh and logout run as ordinary audited mutations; the tenant comes from the tenant slug
at login and from the token afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.access import tokens
from core.access.models import ApiToken, PlatformOperator, RoleAssignment, RoleSource, User
from core.access.passwords import (
    hash_password_async,
    hash_secret,
    needs_rehash,
    new_secret,
    verify_password_async,
)
from core.access.roles import assign_role, sync_tenant_policies
from core.error_codes import AccessErrorCode, MemberErrorCode, OrganizationErrorCode
from core.errors import DomainError, NotFound, ValidationFailed
from core.guard import current_principal, require
from core.principal import Principal
from core.tenancy import current_tenant_id, tenant_scope

MAX_API_TOKEN_DAYS = 365


def invalid_credentials() -> DomainError:
    return DomainError(AccessErrorCode.INVALID_CREDENTIALS, scope="单位、")


def _same_tenant(tenant_id: int) -> None:
    """A caller signed in to another tenant may not sign in (or refresh) here in the same request:
    the audit record would land in the wrong tenant."""
    principal = current_principal()
    if principal is not None and principal.tenant_id is not None and principal.tenant_id != tenant_id:
        raise DomainError(AccessErrorCode.ALREADY_SIGNED_IN)


def _audit_actor(user_id: int, label: str, tenant_id: int | None = None) -> None:
    trail = audit.current_trail()
    if trail is not None:
        trail.actor_id, trail.actor = user_id, label
        trail.target_type, trail.target_id = "User", str(user_id)
        if tenant_id is not None:
            trail.tenant_id = tenant_id


async def login(tenant_slug: str, username: str, password: str) -> tuple[User, tokens.TokenPair]:
    """Check the credentials; one generic error whatever was wrong."""
    from core.models import Tenant

    tenant = await Tenant.get_or_none(slug=(tenant_slug or "").strip())
    user = None
    if tenant is not None and tenant.is_active:
        with tenant_scope(tenant.id):
            user = await User.get_or_none(username=(username or "").strip())
    ok = await verify_password_async(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.is_active:
        raise invalid_credentials()
    _same_tenant(user.tenant_id)
    with tenant_scope(user.tenant_id):
        user.last_login_at = tokens.now()
        fields = ["last_login_at"]
        if needs_rehash(user.password_hash):
            user.password_hash = await hash_password_async(password)
            fields.append("password_hash")
        await user.save(update_fields=fields)
    _audit_actor(user.id, user.display_name or user.username, user.tenant_id)
    return user, tokens.issue_pair(user.id, user.tenant_id, user.token_version)


async def refresh(refresh_token: str) -> tuple[User, tokens.TokenPair]:
    from core.access.authentication import load_user

    claims = tokens.decode(refresh_token or "", "refresh")
    if claims.get("tenant") is None:
        raise tokens.InvalidToken()
    user = await load_user(claims["tenant"], claims["sub"], claims["ver"])
    _same_tenant(user.tenant_id)
    _audit_actor(user.id, user.display_name or user.username, user.tenant_id)
    return user, tokens.issue_pair(user.id, user.tenant_id, user.token_version)


async def platform_login(username: str, password: str) -> tuple[PlatformOperator, tokens.TokenPair]:
    operator = await PlatformOperator.get_or_none(username=(username or "").strip())
    ok = await verify_password_async(operator.password_hash if operator else None, password or "")
    if not ok or operator is None or not operator.is_active:
        raise DomainError(AccessErrorCode.INVALID_CREDENTIALS, scope="")
    return operator, tokens.issue_pair(operator.id, None, operator.token_version, platform=True)


async def platform_refresh(refresh_token: str) -> tokens.TokenPair:
    from core.access.authentication import load_operator

    claims = tokens.decode(refresh_token or "", "platform_refresh")
    operator = await load_operator(claims["sub"], claims["ver"])
    return tokens.issue_pair(operator.id, None, operator.token_version, platform=True)


async def create_platform_operator(username: str, password: str, display_name: str = "") -> PlatformOperator:
    if await PlatformOperator.filter(username=username).exists():
        raise DomainError(AccessErrorCode.USERNAME_TAKEN, field="username", username=username)
    return await PlatformOperator.create(
        username=username, password_hash=await hash_password_async(password), display_name=display_name
    )


def caller() -> Principal:
    principal = current_principal()
    if principal is None or principal.user_id is None or principal.tenant_id is None:
        raise DomainError(AccessErrorCode.UNAUTHENTICATED)
    return principal


async def current_user() -> User:
    principal = caller()
    user = await User.get_or_none(id=principal.user_id)
    if user is None:
        raise DomainError(AccessErrorCode.UNAUTHENTICATED)
    return user


async def _bump_version(user: User) -> None:
    before = audit.snapshot(user)
    user.token_version += 1
    await user.save(update_fields=["token_version", "updated_at"])
    audit.changed(user, before)


async def logout() -> User:
    """End every session of the caller: tokens issued before stop working."""
    user = await current_user()
    await _bump_version(user)
    return user


async def change_password(old_password: str, new_password: str) -> User:
    user = await current_user()
    if not await verify_password_async(user.password_hash, old_password or ""):
        raise invalid_credentials()
    user.password_hash = await hash_password_async(new_password)
    user.must_change_password = False
    await user.save(update_fields=["password_hash", "must_change_password", "updated_at"])
    await _bump_version(user)
    return user


async def _check_member(member_id: int | None, user_id: int | None = None) -> None:
    if member_id is None:
        return
    from core.models import Member

    if not await Member.filter(id=member_id).exists():
        raise NotFound("党员", member_id, field="memberId")
    linked = User.filter(member_id=member_id)
    if user_id is not None:
        linked = linked.exclude(id=user_id)
    if await linked.exists():
        raise DomainError(MemberErrorCode.MEMBER_ALREADY_LINKED, field="memberId")


MAX_DISPLAY_NAME = 100


def check_account_input(username: str, password: str, display_name: str = "") -> str:
    """The rules every new account follows (CLI, ``createUser``, a new tenant's first
    administrator): returns the cleaned username or raises a typed error naming the field."""
    from core.access.passwords import MIN_PASSWORD_LENGTH

    username = (username or "").strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise ValidationFailed("用户名不能为空、不能含空格且不超过64个字符", field="username")
    if len((display_name or "").strip()) > MAX_DISPLAY_NAME:
        raise ValidationFailed(f"姓名不能超过{MAX_DISPLAY_NAME}个字符", field="displayName")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"密码长度不能少于{MIN_PASSWORD_LENGTH}位", field="password")
    return username


async def create_user(
    *, username: str, password: str, display_name: str = "", member_id: int | None = None
) -> User:
    require(None)  # accounts are a tenant-wide matter
    username = check_account_input(username, password, display_name)
    if await User.filter(username=username).exists():
        raise DomainError(AccessErrorCode.USERNAME_TAKEN, field="username", username=username)
    await _check_member(member_id)
    user = await User.create(
        username=username,
        password_hash=await hash_password_async(password),
        display_name=(display_name or "").strip(),
        member_id=member_id,
    )
    audit.created(user)
    if member_id is not None:
        await sync_tenant_policies(current_tenant_id())
    return user


async def create_first_admin(tenant_id: int, *, username: str, password: str, display_name: str = "") -> User:
    """The first administrator of a new tenant: an account holding TENANT_ADMIN tenant-wide, created
    in the onboarding transaction (and audited with it)."""
    from core.access.roles import Role

    with tenant_scope(tenant_id):
        user = await create_user(username=username, password=password, display_name=display_name)
        user.must_change_password = True  # the platform operator chose it: changed at first sign-in
        await user.save(update_fields=["must_change_password", "updated_at"])
        await assign_role(role=Role.TENANT_ADMIN, user_id=user.id)
    return user


async def get_user(user_id: int) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("用户", user_id, field="id")
    return user


_UNSET: Any = object()


async def update_user(
    user_id: int, *, display_name: str | None = None, is_active: bool | None = None, member_id: Any = _UNSET
) -> User:
    require(None)
    user = await get_user(user_id)
    before = audit.snapshot(user)
    if display_name is not None:
        user.display_name = display_name.strip()
    resync = False
    if member_id is not _UNSET and member_id != user.member_id:
        await _check_member(member_id, user.id)
        user.member_id = member_id
        resync = True
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        if not is_active:
            user.token_version += 1  # a deactivated user's tokens die at once
        resync = True
    await user.save()
    audit.changed(user, before)
    if resync:
        await sync_tenant_policies(current_tenant_id())
    return user


async def reset_password(user_id: int, new_password: str) -> User:
    require(None)
    user = await get_user(user_id)
    user.password_hash = await hash_password_async(new_password)
    user.must_change_password = True  # chosen by an administrator: the user replaces it first
    await user.save(update_fields=["password_hash", "must_change_password", "updated_at"])
    await _bump_version(user)
    return user


async def assign_user_role(user_id: int, role: str, organization_id: int | None) -> RoleAssignment:
    from core.models import Organization

    require(None)
    await get_user(user_id)
    if organization_id is not None:
        org = await Organization.get_or_none(id=organization_id)
        if org is None:
            raise NotFound("组织", organization_id, field="organizationId")
        if org.dissolved_on is not None:
            raise DomainError(OrganizationErrorCode.ORG_DISSOLVED, field="organizationId", name=org.name)
    return await assign_role(role=role, organization_id=organization_id, user_id=user_id)


async def revoke_role(assignment_id: int) -> RoleAssignment:
    require(None)
    assignment = await RoleAssignment.get_or_none(id=assignment_id)
    if assignment is None:
        raise NotFound("角色分配", assignment_id, field="id")
    if assignment.source == RoleSource.SEAT:
        raise DomainError(AccessErrorCode.ROLE_FROM_SEAT, field="id")
    audit.removed(assignment)
    await assignment.delete()
    await sync_tenant_policies(current_tenant_id())
    return assignment


async def create_api_token(name: str, scopes: list[str], expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A token acting as the caller within ``scopes`` (permissions the caller holds)."""
    principal = caller()
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("令牌名称不能为空", field="name")
    scopes = sorted(set(scopes or []))
    if not scopes:
        raise ValidationFailed("至少选择一项权限", field="scopes")
    not_held = [s for s in scopes if s not in principal.grants]
    if not_held:
        raise DomainError(
            AccessErrorCode.API_TOKEN_SCOPE_NOT_HELD, field="scopes", not_held="、".join(not_held)
        )
    days = 90 if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_API_TOKEN_DAYS:
        raise ValidationFailed(f"有效期应为1到{MAX_API_TOKEN_DAYS}天", field="expiresInDays")
    secret = new_secret()
    token = await ApiToken.create(
        user_id=principal.user_id,
        name=name,
        prefix=secret[:8],
        secret_hash=hash_secret(secret),
        scopes=scopes,
        expires_at=tokens.now() + dt.timedelta(days=days),
    )
    audit.created(token)
    return token, tokens.format_api_token(token.tenant_id, token.id, secret)


async def revoke_api_token(token_id: int) -> ApiToken:
    principal = caller()
    token = await ApiToken.get_or_none(id=token_id)
    if token is None:
        raise NotFound("API 令牌", token_id, field="id")
    if token.user_id != principal.user_id:
        require(None, "USER_MANAGE")  # someone else's token: tenant account managers only
    if token.revoked_at is not None:
        raise DomainError(AccessErrorCode.API_TOKEN_REVOKED, field="id")
    before = audit.snapshot(token)
    token.revoked_at = tokens.now()
    await token.save(update_fields=["revoked_at"])
    audit.changed(token, before)
    return token
