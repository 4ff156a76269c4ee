"""Per-tenant Casbin enforcers, cached with the tenant in the key and reloaded when policies change.

- An enforcer is built for ONE tenant on a :class:`~core.access.adapter.TenantCasbinAdapter` (it
  can never hold two tenants' policies) and cached under that tenant's id.
- Every policy change bumps the tenant's :class:`~core.access.models.PolicyVersion` row in the
  changing transaction. On PostgreSQL it also sends ``NOTIFY zhibu_access_policy, '<tenant id>'``,
  which PostgreSQL delivers on commit to every process running a :class:`PolicyListener`
  (``LISTEN``); those processes drop their cached enforcer for that tenant.
- Polling fallback (SQLite, or PostgreSQL while no listener is connected): each request reads the
  tenant's version row (one primary-key-sized query) and rebuilds the enforcer when it moved.
- Requests: authentication reads the version row in the same statement as the user
  (:func:`core.access.authentication.load_user`) and passes it in (``version=``), so every request of
  every worker checks the version it acts under — correct across workers by construction, with no
  extra round trip and no dependence on when a notification arrives. The grants a user derives from
  an enforcer are cached with that enforcer (:meth:`EnforcerCache.grants`): a new version builds a
  new entry, so a role change can never be answered from an old one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from casbin import AsyncEnforcer
from casbin.model import Model
from tortoise.expressions import F

from core.access.adapter import TenantCasbinAdapter, TenantFilter
from core.access.models import PolicyVersion
from core.access.roles import BRANCH_PLACEHOLDER, parse_instance
from core.tenancy import tenant_scope

log = logging.getLogger("zhibu.access")

MODEL_PATH = Path(__file__).with_name("rbac_model.conf")
CHANNEL = "zhibu_access_policy"
_MODEL_TEXT = MODEL_PATH.read_text(encoding="utf-8")


async def current_version(tenant_id: int) -> int:
    with tenant_scope(tenant_id):
        rows = await PolicyVersion.all().values_list("version", flat=True)
    return rows[0] if rows else 0


async def build_enforcer(tenant_id: int) -> AsyncEnforcer:
    """A fresh enforcer holding exactly the tenant's policies."""
    model = Model()
    model.load_model_from_text(_MODEL_TEXT)
    enforcer = AsyncEnforcer(model, TenantCasbinAdapter(tenant_id))
    await enforcer.load_filtered_policy(TenantFilter(tenant_id))
    return enforcer


#: grants kept per enforcer entry (users of one tenant); past it the entry's grants start afresh
MAX_CACHED_GRANTS = 10_000


@dataclass
class _Entry:
    version: int
    enforcer: AsyncEnforcer
    #: (user id, member's branch path) -> (grants, role instances), derived from ``enforcer``
    grants: dict[tuple[int, str | None], tuple[dict[str, tuple[str, ...]], list[str]]] = field(
        default_factory=dict
    )


class EnforcerCache:
    """The enforcers of one process, keyed by tenant id."""

    def __init__(self) -> None:
        self._entries: dict[int, _Entry] = {}
        #: True while a LISTEN connection delivers invalidations (then no per-request polling)
        self.listening = False
        self.builds = 0

    async def enforcer(self, tenant_id: int, version: int | None = None) -> AsyncEnforcer:
        """The tenant's enforcer at ``version`` (read by the caller in its own statement), or — when
        ``None`` — at the version LISTEN vouches for or a fresh read of the version row says."""
        return (await self._entry(tenant_id, version)).enforcer

    async def _entry(self, tenant_id: int, version: int | None) -> _Entry:
        entry = self._entries.get(tenant_id)
        if version is None:
            if entry is not None and self.listening:
                return entry
            version = await current_version(tenant_id)
        if entry is not None and entry.version >= version:
            # built from policies at least as new as the caller's version (see below)
            return entry
        # the version was read before the policies: a change committed in between is stored under the
        # older number and rebuilt on the next request — never old policies under a newer number
        enforcer = await build_enforcer(tenant_id)
        self.builds += 1
        entry = self._entries[tenant_id] = _Entry(version, enforcer)
        return entry

    async def grants(
        self, tenant_id: int, user_id: int, branch_path: str | None, version: int | None = None
    ) -> tuple[dict[str, tuple[str, ...]], list[str]]:
        """(permission -> path prefixes, role instances) of a user under the tenant's policies at
        ``version``; computed once per enforcer entry, user and branch."""
        entry = await self._entry(tenant_id, version)
        key = (user_id, branch_path)
        cached = entry.grants.get(key)
        if cached is None:
            cached = await _grants(entry.enforcer, tenant_id, user_id, branch_path)
            if len(entry.grants) >= MAX_CACHED_GRANTS:
                entry.grants.clear()
            entry.grants[key] = cached
        return {perm: prefixes for perm, prefixes in cached[0].items()}, list(cached[1])

    def invalidate(self, tenant_id: int | None = None) -> None:
        if tenant_id is None:
            self._entries.clear()
        else:
            self._entries.pop(int(tenant_id), None)

    def cached_tenants(self) -> set[int]:
        return set(self._entries)


_cache = EnforcerCache()
_current: contextvars.ContextVar[EnforcerCache | None] = contextvars.ContextVar(
    "zhibu_enforcer_cache", default=None
)


def get_cache() -> EnforcerCache:
    """The process-wide enforcer cache."""
    return _cache


def current_cache() -> EnforcerCache:
    """The cache of the app serving the current request (:func:`using_cache`), else the process's."""
    return _current.get() or _cache


@contextlib.contextmanager
def using_cache(cache: EnforcerCache) -> Iterator[EnforcerCache]:
    """Resolve principals of the enclosed work through ``cache`` (an app's own, e.g. two apps in one
    process standing for two workers)."""
    token = _current.set(cache)
    try:
        yield cache
    finally:
        _current.reset(token)


async def policies_changed(tenant_id: int) -> None:
    """Record a policy change of ``tenant_id`` (call inside the changing transaction)."""
    from core import sql

    with tenant_scope(tenant_id):
        updated = await PolicyVersion.all().update(version=F("version") + 1)
        if not updated:
            await PolicyVersion.create(version=1)
        if sql.dialect() == "postgres":
            await sql.fetch(f"SELECT pg_notify('{CHANNEL}', CAST(CAST(:tenant_id AS INTEGER) AS TEXT))")
    # this process: drop now; others: NOTIFY on commit, or their next version check
    _cache.invalidate(tenant_id)
    current_cache().invalidate(tenant_id)


def _normalize(prefixes: set[str]) -> tuple[str, ...]:
    if "/" in prefixes:
        return ("/",)
    kept: list[str] = []
    for prefix in sorted(prefixes, key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return tuple(sorted(kept))


async def grants_for(
    tenant_id: int,
    user_id: int,
    *,
    branch_path: str | None = None,
    cache: EnforcerCache | None = None,
    version: int | None = None,
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """(permission -> path prefixes, role instances) of a user, from the tenant's enforcer.

    ``branch_path`` fills the MEMBER policies' ``{branch}`` placeholder (the user's member's branch
    today); without it those policies grant nothing. ``version``: the tenant's policy version the
    caller read (else LISTEN or a read of the version row decides).
    """
    return await (cache or current_cache()).grants(tenant_id, user_id, branch_path, version)


async def _grants(
    enforcer: AsyncEnforcer, tenant_id: int, user_id: int, branch_path: str | None
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    subject, domain = f"user:{user_id}", str(tenant_id)
    roles = await enforcer.get_implicit_roles_for_user(subject, domain)
    index = _policy_index(enforcer, domain)
    grants: dict[str, set[str]] = {}
    for obj, act in (rule for sub in (subject, *roles) for rule in index.get(sub, ())):
        prefix = obj[:-1] if obj.endswith("*") else obj
        if BRANCH_PLACEHOLDER in prefix:
            if branch_path is None:
                continue
            prefix = prefix.replace(BRANCH_PLACEHOLDER, branch_path)
        grants.setdefault(act, set()).add(prefix or "/")
    resolved_roles = []
    for instance in roles:
        role, path = parse_instance(instance)
        if path == BRANCH_PLACEHOLDER:
            if branch_path is None:
                continue
            instance = f"{role}@{branch_path}"
        resolved_roles.append(instance)
    return {perm: _normalize(p) for perm, p in grants.items()}, sorted(resolved_roles)


def _policy_index(enforcer: AsyncEnforcer, domain: str) -> dict[str, list[tuple[str, str]]]:
    """subject -> [(object pattern, permission)] of the enforcer's p lines, built once per enforcer
    (casbin's implicit-permission lookup scans every line per role)."""
    index = getattr(enforcer, "_zhibu_index", None)
    if index is None:
        index = {}
        for rule in enforcer.get_policy():
            sub, dom, obj, act = rule[:4]
            if dom == domain:
                index.setdefault(sub, []).append((obj, act))
        enforcer._zhibu_index = index  # type: ignore[attr-defined]
    return index


class PolicyListener:
    """``LISTEN zhibu_access_policy`` on a dedicated asyncpg connection (PostgreSQL only)."""

    def __init__(self, dsn: str, cache: EnforcerCache | None = None):
        self.dsn = dsn.replace("postgres://", "postgresql://", 1)
        self.cache = cache or _cache
        self._conn = None
        self.received: list[int] = []
        self.event = asyncio.Event()

    def _on_notify(self, connection, pid, channel, payload) -> None:  # noqa: ANN001
        try:
            tenant_id = int(payload)
        except ValueError:
            self.cache.invalidate()
            return
        self.cache.invalidate(tenant_id)
        self.received.append(tenant_id)
        self.event.set()

    def _on_lost(self, connection) -> None:  # noqa: ANN001
        log.warning("policy listener connection lost: falling back to polling")
        self.cache.listening = False
        self.cache.invalidate()

    async def start(self) -> None:
        import asyncpg

        self._conn = await asyncpg.connect(self.dsn)
        await self._conn.add_listener(CHANNEL, self._on_notify)
        self._conn.add_termination_listener(self._on_lost)
        # anything cached before listening may have missed a notification
        self.cache.invalidate()
        self.cache.listening = True

    async def stop(self) -> None:
        self.cache.listening = False
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.remove_termination_listener(self._on_lost)
            await conn.close()

    async def wait(self, timeout: float = 5.0) -> bool:
        """Wait for the next notification (tests)."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            return False
        self.event.clear()
        return True
