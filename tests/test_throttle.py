"""Sign-in throttling: per account and per address, shared by every worker (database or Redis)."""

from __future__ import annotations

import itertools
import os
import uuid

import httpx
import pytest

from core.access import throttle
from core.app import create_app
from core.models import AuditRecord
from core.settings import get_settings
from core.tenancy import tenant_scope
from core.testing.world import PASSWORD, make_user
from tests.support import make_tenant

LOGIN = """
mutation($input: LoginInput!) {
  login(input: $input) { errors { code message retryAfter } accessToken }
}
"""
REFRESH = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { errors { code retryAfter } } }"
_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own, so one test's failures never lock another's."""
    n = next(_addresses)
    return f"10.{os.getpid() % 250}.{n // 250}.{n % 250 + 1}"


def worker(address: str) -> httpx.AsyncClient:
    """One app instance (a worker process would build its own) seen from ``address``."""
    app = create_app(manage_db=False, listen_policies=False)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://zhibu")


async def attempt(client: httpx.AsyncClient, tenant, username: str, password: str) -> dict:
    variables = {"input": {"tenant": tenant.slug, "username": username, "password": password}}
    response = await client.post("/graphql", json={"query": LOGIN, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()["data"]["login"]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_the_eleventh_attempt_is_refused_also_with_the_right_password_until_the_window_ends(
    monkeypatch,
):
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    tenant = await make_tenant()
    await make_user(tenant.id, "locked", role="TENANT_ADMIN")
    async with worker(new_address()) as client:
        for _ in range(10):
            assert codes(await attempt(client, tenant, "locked", "wrong-password")) == ["INVALID_CREDENTIALS"]
        refused = await attempt(client, tenant, "locked", "wrong-password")
        assert codes(refused) == ["TOO_MANY_ATTEMPTS"] and refused["errors"][0]["retryAfter"] == 900
        clock[0] += 600
        right = await attempt(client, tenant, "locked", PASSWORD)
        assert codes(right) == ["TOO_MANY_ATTEMPTS"] and right["accessToken"] is None
        assert right["errors"][0]["retryAfter"] == 300
        clock[0] += 301  # the window is over: the account may sign in again
        assert codes(await attempt(client, tenant, "locked", PASSWORD)) == []
    with tenant_scope(tenant.id):
        lockouts = await AuditRecord.filter(operation="signInLocked")
    assert len(lockouts) == 1 and lockouts[0].after["failures"] == 10


async def test_a_success_clears_the_account_count(monkeypatch):
    tenant = await make_tenant()
    await make_user(tenant.id, "forgetful", role="TENANT_ADMIN")
    async with worker(new_address()) as client:
        for _ in range(2):
            for _ in range(9):
                assert codes(await attempt(client, tenant, "forgetful", "nope")) == ["INVALID_CREDENTIALS"]
            assert codes(await attempt(client, tenant, "forgetful", PASSWORD)) == []


async def test_two_workers_share_the_count():
    tenant = await make_tenant()
    await make_user(tenant.id, "shared", role="TENANT_ADMIN")
    async with worker(new_address()) as first, worker(new_address()) as second:
        for index in range(10):
            client = first if index % 2 else second
            assert codes(await attempt(client, tenant, "shared", "wrong")) == ["INVALID_CREDENTIALS"]
        assert codes(await attempt(first, tenant, "shared", PASSWORD)) == ["TOO_MANY_ATTEMPTS"]
        assert codes(await attempt(second, tenant, "shared", PASSWORD)) == ["TOO_MANY_ATTEMPTS"]


async def test_an_address_is_limited_across_accounts(monkeypatch):
    monkeypatch.setenv("ZHIBU_LOGIN_MAX_FAILURES_PER_ADDRESS", "5")
    tenant = await make_tenant()
    await make_user(tenant.id, "victim", role="TENANT_ADMIN")
    address = new_address()
    async with worker(address) as client:
        for index in range(5):
            assert codes(await attempt(client, tenant, f"guess-{index}", "x")) == ["INVALID_CREDENTIALS"]
        assert codes(await attempt(client, tenant, "victim", PASSWORD)) == ["TOO_MANY_ATTEMPTS"]
    async with worker(new_address()) as elsewhere:  # the account itself is not locked
        assert codes(await attempt(elsewhere, tenant, "victim", PASSWORD)) == []


async def test_refresh_tokens_and_platform_login_are_throttled():
    import jwt

    forged = jwt.encode(  # a refresh token for someone, signed with a key the server does not have
        {"sub": "1", "tenant": 10**9 + next(_addresses), "ver": 1, "type": "refresh", "exp": 4102444800},
        "a-guessed-key-that-is-long-enough-to-be-a-key",
        algorithm="HS256",
    )
    async with worker(new_address()) as client:
        for _ in range(10):
            response = await client.post("/graphql", json={"query": REFRESH, "variables": {"t": forged}})
            assert codes(response.json()["data"]["refreshToken"]) == ["UNAUTHENTICATED"]
        response = await client.post("/graphql", json={"query": REFRESH, "variables": {"t": forged}})
        assert codes(response.json()["data"]["refreshToken"]) == ["TOO_MANY_ATTEMPTS"]

        from core.access.services import create_platform_operator

        name = f"ops-{uuid.uuid4().hex[:8]}"
        await create_platform_operator(name, PASSWORD, "运营")
        for _ in range(10):
            response = await client.post("/auth/platform/login", json={"username": name, "password": "bad"})
            assert response.status_code == 401
        response = await client.post("/auth/platform/login", json={"username": name, "password": PASSWORD})
        assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
        assert response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS"


async def _redis_available(url: str) -> bool:
    try:
        import redis.asyncio as redis
    except ImportError:  # the redis client is an optional dependency
        return False

    client = redis.Redis.from_url(url)
    try:
        return bool(await client.ping())
    except Exception:  # noqa: BLE001
        return False
    finally:
        await client.aclose()


async def test_redis_store_is_shared_between_workers(monkeypatch):
    url = get_settings().test_redis_url
    if not await _redis_available(url):
        pytest.skip(f"no Redis at {url} (or the redis package is not installed)")
    monkeypatch.setenv("ZHIBU_REDIS_URL", url)
    assert isinstance(throttle.counter_store(), throttle.RedisCounters)
    tenant = await make_tenant()
    username = f"r{uuid.uuid4().hex[:12]}"
    await make_user(tenant.id, username, role="TENANT_ADMIN")
    async with worker(new_address()) as first, worker(new_address()) as second:
        for index in range(10):
            client = first if index % 2 else second
            assert codes(await attempt(client, tenant, username, "wrong")) == ["INVALID_CREDENTIALS"]
        refused = await attempt(second, tenant, username, PASSWORD)
        assert codes(refused) == ["TOO_MANY_ATTEMPTS"] and 0 < refused["errors"][0]["retryAfter"] <= 900
    failures, _ = await throttle.DatabaseCounters().read(f"account:login:{tenant.slug}:{username}", 900)
    assert failures == 0  # counted in Redis, not in the database
