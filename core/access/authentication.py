"""Who is calling: the request's :class:`~core.principal.Principal`, from its bearer token alone.

``Authorization: Bearer <token>`` carries an access JWT (tenant user), a platform access JWT
(platform operator) or an API token (``zbt_…``). No header: an anonymous principal that may only log
in. A bad, expired or revoked token: :class:`~core.access.tokens.InvalidToken` (the app answers 401
with the code ``UNAUTHENTICATED`` or ``TOKEN_EXPIRED`` and never says more).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt

from core.access import tokens
from core.access.enforcer import EnforcerCache, current_cache, grants_for
from core.access.models import ApiToken, PlatformOperator, User
from core.access.passwords import hash_secret, secret_hash_matches
from core.access.tokens import InvalidToken
from core.error_codes import AccessErrorCode
from core.principal import Principal
from core.tenancy import tenant_scope

ANONYMOUS = Principal(tenant_id=None, label="anonymous")


async def principal_from_request(request: Any) -> Principal:
    """The principal of an HTTP request (starlette ``Request``)."""
    header = (request.headers.get("authorization") or "").strip()
    if not header:
        return ANONYMOUS
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise InvalidToken()
    loaded: dict[str, Any] = {}
    principal = await principal_from_token(credentials.strip(), loaded=loaded)
    if "tenant" in loaded:  # the request's context reuses the row instead of loading it again
        request.state.tenant = loaded["tenant"]
    return principal


async def principal_from_token(token: str, *, loaded: dict[str, Any] | None = None) -> Principal:
    """The principal a bearer token stands for; :class:`InvalidToken` otherwise. ``loaded``
    receives the tenant row it read (key ``tenant``)."""
    loaded = {} if loaded is None else loaded
    if token.startswith(tokens.API_TOKEN_PREFIX):
        return await principal_from_api_token(token, loaded=loaded)
    try:
        kind = jwt.decode(token, options={"verify_signature": False}).get("type")
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    if kind == "platform_access":
        claims = tokens.decode(token, "platform_access")
        operator = await load_operator(claims["sub"], claims["ver"])
        return Principal.platform_operator(
            user_id=operator.id, label=operator.display_name or operator.username
        )
    claims = tokens.decode(token, "access")
    if claims.get("tenant") is None:
        raise InvalidToken()
    user = await load_user(claims["tenant"], claims["sub"], claims["ver"])
    loaded["tenant"] = user.tenant
    return await principal_for_user(
        user, branch_path=user.auth_branch_path, policy_version=user.auth_policy_version or 0
    )


#: the path of the branch of the user's member when that member is current (probationary or full);
#: correlated to the user row of the same tenant (the outer query is tenant-scoped)
_BRANCH_PATH_SQL = (
    "(SELECT o.path FROM member m JOIN organization o ON o.id = m.branch_id"
    ' WHERE m.id = "access_user"."member_id" AND m.tenant_id = "access_user"."tenant_id"'
    " AND o.tenant_id = m.tenant_id AND m.status IN ('PROBATIONARY', 'FULL'))"
)


async def load_user(tenant_id: int, user_id: int, version: int | None) -> User:
    """An active user of an active tenant whose tokens of ``version`` are still valid.

    One statement: the user with its tenant (``user.tenant``), the tenant's policy version
    (``user.auth_policy_version``, 0 before any policy) and the path of the user's member's current
    branch (``user.auth_branch_path``) — everything a request's principal is made of, so a request
    costs one authentication round trip and still sees every revocation and policy change committed
    by any worker before it."""
    from tortoise.expressions import RawSQL, Subquery

    from core.access.models import PolicyVersion

    with tenant_scope(tenant_id):
        user = (
            await User.get_or_none(id=user_id)
            .select_related("tenant")
            .annotate(
                auth_policy_version=Subquery(PolicyVersion.all().limit(1).values("version")),
                auth_branch_path=RawSQL(_BRANCH_PATH_SQL),
            )
        )
    if user is None or not user.tenant.is_active:
        raise InvalidToken()
    if not user.is_active or (version is not None and user.token_version != version):
        raise InvalidToken()
    return user


async def load_operator(operator_id: int, version: int | None) -> PlatformOperator:
    operator = await PlatformOperator.get_or_none(id=operator_id)
    if (
        operator is None
        or not operator.is_active
        or (version is not None and operator.token_version != version)
    ):
        raise InvalidToken()
    return operator


async def member_branch_path(member_id: int | None) -> str | None:
    """The path of the branch of a current member (probationary or full), else ``None``."""
    if member_id is None:
        return None
    from core.models import Member
    from core.models.member import CURRENT_MEMBER_STATUSES

    paths = await Member.filter(id=member_id, status__in=list(CURRENT_MEMBER_STATUSES)).values_list(
        "branch__path", flat=True
    )
    return paths[0] if paths else None


_UNKNOWN: Any = object()


async def principal_for_user(
    user: User,
    *,
    scopes: list[str] | None = None,
    cache: EnforcerCache | None = None,
    branch_path: str | None = _UNKNOWN,
    policy_version: int | None = None,
) -> Principal:
    """The principal of ``user``: grants from the tenant's Casbin enforcer (once per request),
    restricted to ``scopes`` for API tokens. ``branch_path`` and ``policy_version``, when the caller
    read them with the user (:func:`load_user`), save their statements."""
    with tenant_scope(user.tenant_id):
        if branch_path is _UNKNOWN:
            branch_path = await member_branch_path(user.member_id)
        grants, _roles = await grants_for(
            user.tenant_id,
            user.id,
            branch_path=branch_path,
            cache=cache or current_cache(),
            version=None if policy_version is None else int(policy_version),
        )
    if scopes is not None:
        allowed = set(scopes)
        grants = {perm: prefixes for perm, prefixes in grants.items() if perm in allowed}
    return Principal(
        tenant_id=user.tenant_id,
        user_id=user.id,
        label=user.display_name or user.username,
        grants=grants,
        member_id=user.member_id,
        must_change_password=user.must_change_password,
    )


async def principal_from_api_token(value: str, *, loaded: dict[str, Any] | None = None) -> Principal:
    tenant_id, token_id, secret = tokens.parse_api_token(value)
    from core.models import Tenant

    tenant = await Tenant.get_or_none(id=tenant_id)
    if tenant is None or not tenant.is_active:
        raise InvalidToken()
    if loaded is not None:
        loaded["tenant"] = tenant
    with tenant_scope(tenant_id):
        token = await ApiToken.get_or_none(id=token_id)
        matches, old_key = secret_hash_matches(token.secret_hash, secret) if token else (False, False)
        if token is None or not matches:
            raise InvalidToken()
        if old_key:  # signed before the last key rotation: store it under the current key
            await ApiToken.filter(id=token.id).update(secret_hash=hash_secret(secret))
        if token.revoked_at is not None:
            raise InvalidToken()
        if token.expires_at is not None and token.expires_at <= tokens.now():
            raise InvalidToken(AccessErrorCode.TOKEN_EXPIRED)
        user = await User.get_or_none(id=token.user_id)
        if user is None or not user.is_active:
            raise InvalidToken()
        # last use, at most once a minute
        stamp = tokens.now()
        if token.last_used_at is None or stamp - token.last_used_at > dt.timedelta(minutes=1):
            await ApiToken.filter(id=token.id).update(last_used_at=stamp)
    principal = await principal_for_user(user, scopes=list(token.scopes or []))
    return Principal(
        tenant_id=principal.tenant_id,
        user_id=principal.user_id,
        label=f"{principal.label}（API：{token.name}）",
        grants=principal.grants,
        member_id=principal.member_id,
    )
