"""Two workers sharing one database answer alike and see each other's changes on their next request.

Two ASGI apps in this process stand for two ``zhibu serve`` workers: each has its own enforcer cache
(``create_app(enforcer_cache=…)``: its Casbin enforcers and derived grants), neither LISTENs, and
they share nothing but the database. A role given or withdrawn, or a sign-out, made through worker
A's GraphQL is seen by worker B on its very next request — every request reads the tenant's policy
version and the user's token version in its one authentication statement, so nothing depends on
when (or whether) a notification arrives.
"""

from __future__ import annotations

import httpx
import pytest

from core.access.enforcer import EnforcerCache
from core.app import create_app
from core.services import organizations
from core.tenancy import tenant_scope
from core.testing.world import PASSWORD, make_user
from tests.support import gid, make_tenant

LOGIN = """mutation($input: LoginInput!) { login(input: $input) { errors { code } accessToken } }"""
ASSIGN = """mutation($input: AssignRoleInput!) {
  assignRole(input: $input) { errors { code } roleAssignment { id } } }"""
REVOKE = """mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { errors { code } } }"""
LOGOUT = """mutation { logout { errors { code } } }"""
ORGANIZATIONS = """{ organizations(first: 20) { nodes { name members { name } } } }"""


class Worker:
    def __init__(self, http: httpx.AsyncClient, cache: EnforcerCache) -> None:
        self.http, self.cache = http, cache

    async def post(self, query: str, token: str, **variables: object) -> httpx.Response:
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )

    async def data(self, query: str, token: str, **variables: object) -> dict:
        response = await self.post(query, token, **variables)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]

    async def login(self, slug: str, username: str) -> str:
        response = await self.http.post(
            "/graphql",
            json={
                "query": LOGIN,
                "variables": {"input": {"tenant": slug, "username": username, "password": PASSWORD}},
            },
        )
        payload = response.json()["data"]["login"]
        assert payload["errors"] == [], payload
        return payload["accessToken"]


@pytest.fixture
async def workers():
    caches = EnforcerCache(), EnforcerCache()
    apps = [create_app(manage_db=False, listen_policies=False, enforcer_cache=cache) for cache in caches]
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[0]), base_url="http://worker-a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[1]), base_url="http://worker-b") as b,
    ):
        yield Worker(a, caches[0]), Worker(b, caches[1])


async def _tenant_with_two_branches():
    tenant = await make_tenant()
    with tenant_scope(tenant.id):
        root = await organizations.create_organization(kind="PARTY_COMMITTEE", name="党委")
        x = await organizations.create_organization(kind="BRANCH", name="甲支部", parent_id=root.id)
        y = await organizations.create_organization(kind="BRANCH", name="乙支部", parent_id=root.id)
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    secretary = await make_user(tenant.id, "secretary", role="ORG_SECRETARY", org_id=x.id)
    return tenant, x, y, secretary


def _names(data: dict) -> list[str]:
    return sorted(node["name"] for node in data["organizations"]["nodes"])


async def test_two_workers_answer_alike_and_see_each_others_role_changes(workers):
    a, b = workers
    tenant, x, y, secretary = await _tenant_with_two_branches()
    admin_token = await a.login(tenant.slug, "admin")
    token = await b.login(tenant.slug, "secretary")

    # the same caller gets the same answer from either worker, each from its own enforcer
    seen_a, seen_b = await a.data(ORGANIZATIONS, token), await b.data(ORGANIZATIONS, token)
    assert seen_a == seen_b
    assert _names(seen_b) == ["甲支部"]
    assert tenant.id in a.cache.cached_tenants() and tenant.id in b.cache.cached_tenants()
    assert await a.data(ORGANIZATIONS, admin_token) == await b.data(ORGANIZATIONS, admin_token)
    builds = b.cache.builds

    # worker A gives the secretary a second branch; B's cache is untouched by it …
    payload = (
        await a.data(
            ASSIGN,
            admin_token,
            input={
                "userId": gid("User", secretary.id),
                "role": "ORG_SECRETARY",
                "organizationId": gid("Organization", y.id),
            },
        )
    )["assignRole"]
    assert payload["errors"] == []
    assert tenant.id in b.cache.cached_tenants()
    # … and B's next request sees the change (it rebuilds its own enforcer once)
    assert _names(await b.data(ORGANIZATIONS, token)) == ["乙支部", "甲支部"]
    assert b.cache.builds == builds + 1
    assert _names(await b.data(ORGANIZATIONS, token)) == ["乙支部", "甲支部"]
    assert b.cache.builds == builds + 1  # unchanged policies: the cached enforcer serves
    assert await a.data(ORGANIZATIONS, token) == await b.data(ORGANIZATIONS, token)

    # withdrawn through A: gone on B's next request
    revoked = await a.data(REVOKE, admin_token, input={"id": payload["roleAssignment"]["id"]})
    assert revoked["revokeRole"]["errors"] == []
    assert _names(await b.data(ORGANIZATIONS, token)) == ["甲支部"]
    assert b.cache.builds == builds + 2


async def test_a_sign_out_on_one_worker_ends_the_token_on_the_other(workers):
    a, b = workers
    tenant, _x, _y, _secretary = await _tenant_with_two_branches()
    token = await a.login(tenant.slug, "secretary")
    assert _names(await b.data(ORGANIZATIONS, token)) == ["甲支部"]
    assert (await a.data(LOGOUT, token))["logout"]["errors"] == []
    response = await b.post(ORGANIZATIONS, token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
