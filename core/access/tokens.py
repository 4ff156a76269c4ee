"""Signed tokens: short-lived access JWTs, refresh JWTs, and the API-token format.

Access and refresh tokens are HS256 JWTs signed with ``ZHIBU_SECRET_KEY`` (during a key rotation the
previous key still verifies until ``ZHIBU_PREVIOUS_SECRET_KEY_UNTIL``). Claims: ``sub``
(user id), ``tenant`` (tenant id, or ``None`` for platform operators), ``ver`` (the user's
``token_version``: bumping it on logout kills every token issued before), ``type`` (``access`` /
``refresh`` / ``platform_access`` / ``platform_refresh``), ``iat``, ``exp``, ``jti``.

API tokens are opaque strings ``zbt_<tenant id>_<token id>_<secret>``; only a keyed hash of the
secret is stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from core.error_codes import AccessErrorCode
from core.errors import DomainError
from core.settings import get_settings

ALGORITHM = "HS256"
API_TOKEN_PREFIX = "zbt_"


def access_ttl() -> dt.timedelta:
    """Lifetime of access tokens (``ZHIBU_ACCESS_TOKEN_TTL`` seconds, default 15 minutes)."""
    return dt.timedelta(seconds=get_settings().access_token_ttl)


def refresh_ttl() -> dt.timedelta:
    """Lifetime of refresh tokens (``ZHIBU_REFRESH_TOKEN_TTL`` seconds, default 14 days)."""
    return dt.timedelta(seconds=get_settings().refresh_token_ttl)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class InvalidToken(DomainError):
    """A token that is malformed, badly signed, expired, revoked or of the wrong kind. The message
    never says which."""

    def __init__(self, code: AccessErrorCode = AccessErrorCode.UNAUTHENTICATED) -> None:
        super().__init__(code)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: dt.datetime


def _encode(claims: dict[str, Any], ttl: dt.timedelta) -> tuple[str, dt.datetime]:
    issued = now()
    expires = issued + ttl
    payload = {**claims, "iat": issued, "exp": expires, "jti": uuid.uuid4().hex}
    return jwt.encode(payload, get_settings().signing_keys()[0], algorithm=ALGORITHM), expires


def issue_pair(user_id: int, tenant_id: int | None, version: int, *, platform: bool = False) -> TokenPair:
    """A new access + refresh token for a user (or a platform operator)."""
    kind = "platform_" if platform else ""
    claims = {"sub": str(user_id), "tenant": tenant_id, "ver": version}
    access, expires = _encode({**claims, "type": f"{kind}access"}, access_ttl())
    refresh, _ = _encode({**claims, "type": f"{kind}refresh"}, refresh_ttl())
    return TokenPair(access, refresh, expires)


def decode(token: str, expected_type: str) -> dict[str, Any]:
    """The claims of a valid token of ``expected_type``; :class:`InvalidToken` otherwise."""
    claims = None
    for key in get_settings().signing_keys():  # current key first, then the previous one
        try:
            claims = jwt.decode(
                token, key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "type", "ver"]}
            )
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken(AccessErrorCode.TOKEN_EXPIRED) from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken() from exc
    if claims is None:
        raise InvalidToken()
    if claims.get("type") != expected_type:
        raise InvalidToken()
    try:
        claims["sub"] = int(claims["sub"])
        claims["ver"] = int(claims["ver"])
        if claims.get("tenant") is not None:
            claims["tenant"] = int(claims["tenant"])
    except (TypeError, ValueError) as exc:
        raise InvalidToken() from exc
    return claims


def refresh_token_subject(token: str) -> str | None:
    """Who a refresh token claims to be (``tenant:user``, unverified: for throttling only), or
    ``None`` when it is not even a token."""
    try:
        claims = jwt.decode(token or "", options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return f"{str(claims.get('tenant'))[:20]}:{str(claims.get('sub'))[:20]}"


def format_api_token(tenant_id: int, token_id: int, secret: str) -> str:
    return f"{API_TOKEN_PREFIX}{tenant_id}_{token_id}_{secret}"


def parse_api_token(value: str) -> tuple[int, int, str]:
    """(tenant id, token id, secret) of an API token string; :class:`InvalidToken` otherwise."""
    if not value.startswith(API_TOKEN_PREFIX):
        raise InvalidToken()
    parts = value[len(API_TOKEN_PREFIX) :].split("_", 2)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        raise InvalidToken()
    return int(parts[0]), int(parts[1]), parts[2]
