"""Sign-in throttling shared by every worker: failed attempts counted per account and per address.

``login``, ``refreshToken`` and the platform login check :meth:`SignInThrottle.refusal` before they
try the credentials and report the outcome with :meth:`SignInThrottle.settle` afterwards (outside
the mutation's transaction, which a failed sign-in rolls back). Within one window
(``ZHIBU_LOGIN_WINDOW_SECONDS``, 15 minutes by default) an account may fail
``ZHIBU_LOGIN_MAX_FAILURES`` times and a client address ``ZHIBU_LOGIN_MAX_FAILURES_PER_ADDRESS``
times; after that every attempt — the right password included — is refused with
``TOO_MANY_ATTEMPTS`` and the seconds until the window ends, and the lockout is written to the
tenant's audit trail. A successful sign-in clears the account's count (not the address's).

The counters live where every worker sees them: Redis when ``ZHIBU_REDIS_URL`` is set, else the
database (table ``access_sign_in_counter``, one atomic upsert per failure) — never process memory.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tortoise import connections

from core.error_codes import AccessErrorCode
from core.errors import DomainError
from core.settings import get_settings

log = logging.getLogger("zhibu.access")

#: Error codes of a failed sign-in attempt (they count); other errors (bad input) do not.
FAILURE_CODES = frozenset(
    {AccessErrorCode.INVALID_CREDENTIALS, AccessErrorCode.UNAUTHENTICATED, AccessErrorCode.TOKEN_EXPIRED}
)


def now() -> float:
    """The clock the windows run on (tests move it)."""
    return time.time()


class CounterStore(Protocol):
    """Failure counters with a fixed window per key."""

    async def read(self, key: str, window: int) -> tuple[int, int]:
        """(failures, seconds left in the window) of ``key``; (0, 0) when none."""

    async def add_failure(self, key: str, window: int) -> tuple[int, int]:
        """Count one failure of ``key`` (a new window when the last one ended); as :meth:`read`."""

    async def clear(self, key: str) -> None:
        """Forget ``key``'s failures."""


class DatabaseCounters:
    """Counters in ``access_sign_in_counter`` (PostgreSQL or SQLite), updated with one upsert."""

    table = "access_sign_in_counter"

    def _sql(self, sql: str) -> str:
        """``?`` placeholders as the dialect wants them (``$1 …`` on PostgreSQL)."""
        if connections.get("default").capabilities.dialect != "postgres":
            return sql
        parts = sql.split("?")
        return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))

    async def read(self, key: str, window: int) -> tuple[int, int]:
        rows = await connections.get("default").execute_query_dict(
            self._sql(f"SELECT failures, window_start FROM {self.table} WHERE key = ?"), [key]
        )
        return self._state(rows, window)

    async def add_failure(self, key: str, window: int) -> tuple[int, int]:
        stamp = int(now())
        expired = stamp - window
        sql = (
            f"INSERT INTO {self.table} (key, failures, window_start) VALUES (?, 1, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            f"failures = CASE WHEN {self.table}.window_start <= ? THEN 1 "
            f"ELSE {self.table}.failures + 1 END, "
            f"window_start = CASE WHEN {self.table}.window_start <= ? THEN ? "
            f"ELSE {self.table}.window_start END "
            "RETURNING failures, window_start"
        )
        rows = await connections.get("default").execute_query_dict(
            self._sql(sql), [key, stamp, expired, expired, stamp]
        )
        return self._state(rows, window)

    async def clear(self, key: str) -> None:
        await connections.get("default").execute_query(
            self._sql(f"DELETE FROM {self.table} WHERE key = ?"), [key]
        )

    @staticmethod
    def _state(rows: list[dict[str, Any]], window: int) -> tuple[int, int]:
        if not rows:
            return 0, 0
        left = int(rows[0]["window_start"]) + window - int(now())
        return (int(rows[0]["failures"]), left) if left > 0 else (0, 0)


class RedisCounters:
    """Counters in Redis: ``INCR`` on a key that expires with its window."""

    prefix = "zhibu:sign-in:"

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.client = redis.Redis.from_url(url)

    async def read(self, key: str, window: int) -> tuple[int, int]:
        async with self.client.pipeline(transaction=True) as pipe:
            failures, left = await pipe.get(self.prefix + key).ttl(self.prefix + key).execute()
        return (int(failures), int(left)) if failures is not None and left > 0 else (0, 0)

    async def add_failure(self, key: str, window: int) -> tuple[int, int]:
        name = self.prefix + key
        async with self.client.pipeline(transaction=True) as pipe:
            _, failures, left = await pipe.set(name, 0, ex=window, nx=True).incr(name).ttl(name).execute()
        return int(failures), max(int(left), 1)

    async def clear(self, key: str) -> None:
        await self.client.delete(self.prefix + key)


_redis_stores: dict[tuple[str, int], RedisCounters] = {}


def counter_store() -> CounterStore:
    """The configured shared store (one Redis client per URL and event loop)."""
    url = get_settings().redis_url
    if not url:
        return DatabaseCounters()
    key = (url, id(asyncio.get_running_loop()))
    if key not in _redis_stores:
        _redis_stores[key] = RedisCounters(url)
    return _redis_stores[key]


@dataclass(frozen=True)
class SignInKeys:
    """What one sign-in attempt is counted against."""

    #: the account (``None`` when the attempt names none, e.g. an unreadable refresh token)
    account: str | None
    address: str | None = None
    #: tenant whose audit trail records a lockout of the account
    tenant_slug: str | None = None

    def limits(self) -> Iterable[tuple[str, int]]:
        settings = get_settings()
        if self.account:
            yield f"account:{self.account}", settings.login_max_failures
        if self.address:
            yield f"address:{self.address}", settings.login_max_failures_per_address


def too_many_attempts(retry_after: int) -> DomainError:
    return DomainError(AccessErrorCode.TOO_MANY_ATTEMPTS, retry_after=retry_after)


class SignInThrottle:
    """Checks and counts sign-in attempts against the shared :class:`CounterStore`."""

    def __init__(self, store: CounterStore | None = None) -> None:
        self.store = store or counter_store()
        self.window = get_settings().login_window_seconds

    async def refusal(self, keys: SignInKeys) -> DomainError | None:
        """``TOO_MANY_ATTEMPTS`` when the account or the address is locked, else ``None``."""
        retry_after = 0
        for key, limit in keys.limits():
            failures, left = await self.store.read(key, self.window)
            if failures >= limit:
                retry_after = max(retry_after, left)
        return too_many_attempts(retry_after) if retry_after else None

    async def settle(self, keys: SignInKeys, error_codes: Sequence[str]) -> None:
        """Count a failed attempt (and record a lockout it causes), or clear a successful one's."""
        if not error_codes:
            if keys.account:
                await self.store.clear(f"account:{keys.account}")
            return
        if not FAILURE_CODES.intersection(error_codes):
            return
        for key, limit in keys.limits():
            failures, left = await self.store.add_failure(key, self.window)
            if failures == limit:
                await record_lockout(keys, key, failures, left)


async def record_lockout(keys: SignInKeys, key: str, failures: int, seconds: int) -> None:
    """Log a lockout, and write it to the tenant's audit trail when the account has a tenant."""
    log.warning("sign-in locked", extra={"key": key, "failures": failures, "seconds": seconds})
    if keys.tenant_slug is None or keys.account is None or not key.startswith("account:"):
        return
    from core.models import AuditRecord, Tenant
    from core.tenancy import tenant_scope

    tenant = await Tenant.get_or_none(slug=keys.tenant_slug)
    if tenant is None:
        return
    with tenant_scope(tenant.id):
        await AuditRecord.create(
            tenant_id=tenant.id,
            operation="signInLocked",
            actor="",
            target_type="SignIn",
            target_id=keys.account[-64:],
            after={"failures": failures, "lockedForSeconds": seconds, "address": keys.address},
        )


def client_address(request: Any) -> str | None:
    """The caller's address (uvicorn resolves trusted ``X-Forwarded-For`` into it)."""
    client = getattr(request, "client", None)
    return client.host if client else None
