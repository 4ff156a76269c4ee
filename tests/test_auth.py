"""Login, tokens, API tokens and platform operators, through HTTP (the real app) and GraphQL."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from core.access.models import User
from core.app import create_app
from core.tenancy import tenant_scope
from core.testing.world import PASSWORD, make_user
from tests.support import make_tenant

LOGIN = """
mutation($input: LoginInput!) {
  login(input: $input) { errors { code message } accessToken refreshToken expiresAt user { username } }
}
"""
REFRESH = """
mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { errors { code } accessToken refreshToken } }
"""
ME = "{ me { user { username } roles grants { permission paths } } tenant { slug } }"


@pytest.fixture
async def http():
    app = create_app(manage_db=False, listen_policies=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as client:
        yield client


async def gql(http, query, variables=None, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.status_code, response.json()


async def login(http, tenant, username, password=PASSWORD):
    status, body = await gql(
        http, LOGIN, {"input": {"tenant": tenant.slug, "username": username, "password": password}}
    )
    assert status == 200
    return body["data"]["login"]


async def test_login_then_query_with_the_token(http):
    tenant = await make_tenant()
    await make_user(tenant.id, "admin", role="TENANT_ADMIN")
    payload = await login(http, tenant, "admin")
    assert payload["errors"] == [] and payload["user"] == {"username": "admin"}
    status, body = await gql(http, ME, token=payload["accessToken"])
    assert status == 200, body
    assert body["data"]["tenant"]["slug"] == tenant.slug
    assert body["data"]["me"]["roles"] == ["TENANT_ADMIN@/"]
    grants = {g["permission"]: g["paths"] for g in body["data"]["me"]["grants"]}
    assert grants["MEMBER_READ"] == ["/"] and "PLATFORM_MANAGE_TENANTS" not in grants
    with tenant_scope(tenant.id):
        user = await User.get(username="admin")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.last_login_at is not None


async def test_wrong_credentials_give_one_generic_error(http):
    tenant = await make_tenant()
    other = await make_tenant()
    user = await make_user(tenant.id, "alice")
    await make_user(other.id, "bob")
    with tenant_scope(tenant.id):
        inactive = await make_user(tenant.id, "carol")
        await User.filter(id=inactive.id).update(is_active=False)
    attempts = [
        (tenant.slug, "alice", "wrong-password"),  # wrong password
        (tenant.slug, "nobody", PASSWORD),  # unknown user
        ("no-such-tenant", "alice", PASSWORD),  # unknown tenant
        (tenant.slug, "bob", PASSWORD),  # user of another tenant
        (tenant.slug, "carol", PASSWORD),  # deactivated
    ]
    seen = set()
    for slug, username, password in attempts:
        _, body = await gql(
            http, LOGIN, {"input": {"tenant": slug, "username": username, "password": password}}
        )
        payload = body["data"]["login"]
        assert payload["accessToken"] is None, (slug, username)
        (error,) = payload["errors"]
        seen.add((error["code"], error["message"]))
    assert seen == {("INVALID_CREDENTIALS", "单位、用户名或密码错误")}
    assert user.id  # the right credentials still work
    assert (await login(http, tenant, "alice"))["errors"] == []


async def test_expired_forged_and_wrong_kind_tokens_are_refused(http, monkeypatch):
    tenant = await make_tenant()
    await make_user(tenant.id, "dave", role="TENANT_ADMIN")
    good = await login(http, tenant, "dave")
    from core.access import tokens

    monkeypatch.setattr(tokens, "access_ttl", lambda: dt.timedelta(seconds=-10))
    expired = (await login(http, tenant, "dave"))["accessToken"]
    monkeypatch.undo()
    forged = good["accessToken"][:-4] + ("AAAA" if not good["accessToken"].endswith("AAAA") else "BBBB")
    cases = {
        expired: "TOKEN_EXPIRED",
        forged: "UNAUTHENTICATED",
        good["refreshToken"]: "UNAUTHENTICATED",  # a refresh token is not an access token
        "not-a-token": "UNAUTHENTICATED",
        "zbt_1_2_guess": "UNAUTHENTICATED",
    }
    for token, code in cases.items():
        status, body = await gql(http, ME, token=token)
        assert status == 401, body
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code
    status, body = await gql(http, ME, token=good["accessToken"])
    assert status == 200 and body["data"]["me"]["user"]["username"] == "dave"


async def test_refresh_rotates_and_logout_kills_every_token(http):
    tenant = await make_tenant()
    await make_user(tenant.id, "erin", role="TENANT_ADMIN")
    first = await login(http, tenant, "erin")
    second = await login(http, tenant, "erin")
    _, body = await gql(http, REFRESH, {"t": first["refreshToken"]})
    refreshed = body["data"]["refreshToken"]
    assert refreshed["errors"] == [] and refreshed["accessToken"]
    # an access token cannot be used to refresh
    _, body = await gql(http, REFRESH, {"t": first["accessToken"]})
    assert body["data"]["refreshToken"]["errors"][0]["code"] == "UNAUTHENTICATED"

    status, body = await gql(
        http, "mutation { logout { errors { code } user { username } } }", token=second["accessToken"]
    )
    assert status == 200 and body["data"]["logout"]["errors"] == []
    for token in (first["accessToken"], second["accessToken"], refreshed["accessToken"]):
        status, body = await gql(http, ME, token=token)
        assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    _, body = await gql(http, REFRESH, {"t": refreshed["refreshToken"]})
    assert body["data"]["refreshToken"]["errors"][0]["code"] == "UNAUTHENTICATED"
    again = await login(http, tenant, "erin")
    assert (await gql(http, ME, token=again["accessToken"]))[0] == 200


CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { errors { code field } token apiToken { id name scopes prefix } }
}
"""


async def test_api_tokens_are_scoped_and_revocable(http):
    tenant = await make_tenant()
    await make_user(tenant.id, "frank", role="TENANT_ADMIN")
    session = (await login(http, tenant, "frank"))["accessToken"]
    _, body = await gql(http, CREATE_TOKEN, {"input": {"name": "数据同步", "scopes": ["ORG_READ"]}}, session)
    created = body["data"]["createApiToken"]
    assert created["errors"] == [] and created["token"].startswith(f"zbt_{tenant.id}_")
    assert created["apiToken"]["scopes"] == ["ORG_READ"]
    api = created["token"]

    status, body = await gql(http, "{ organizations { totalCount } }", token=api)
    assert status == 200 and body["data"]["organizations"]["totalCount"] == 0
    _, body = await gql(http, "{ tenant { slug } }", token=api)  # TENANT_READ is not in the scopes
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    _, body = await gql(
        http, CREATE_TOKEN, {"input": {"name": "x", "scopes": ["PLATFORM_MANAGE_TENANTS"]}}, session
    )
    assert body["data"]["createApiToken"]["errors"][0]["code"] == "API_TOKEN_SCOPE_NOT_HELD"

    revoke = (
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } apiToken { revokedAt } } }"
    )
    _, body = await gql(http, revoke, {"id": created["apiToken"]["id"]}, session)
    assert body["data"]["revokeApiToken"]["apiToken"]["revokedAt"]
    status, body = await gql(http, "{ organizations { totalCount } }", token=api)
    assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # a tampered secret with the right ids is refused too
    tampered = api[:-3] + "xyz"
    assert (await gql(http, "{ organizations { totalCount } }", token=tampered))[0] == 401


async def test_the_tenant_comes_only_from_the_token(http):
    tenant = await make_tenant()
    await make_user(tenant.id, "gina", role="TENANT_ADMIN")
    # no token: whatever headers say, nothing is readable
    response = await http.post(
        "/graphql",
        json={"query": "{ tenant { slug } }"},
        headers={"x-tenant": tenant.slug, "x-tenant-id": str(tenant.id)},
    )
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = await make_tenant()
    await make_user(other.id, "gina", role="TENANT_ADMIN")
    token = (await login(http, other, "gina"))["accessToken"]
    response = await http.post(
        "/graphql",
        json={"query": "{ tenant { slug } }"},
        headers={"authorization": f"Bearer {token}", "x-tenant": tenant.slug},
    )
    assert response.json()["data"]["tenant"]["slug"] == other.slug


async def test_platform_operator_onboards_tenants_but_reads_no_member_data(http):
    from core.access.services import create_platform_operator

    await create_platform_operator("ops-1", PASSWORD, "平台运营一")
    response = await http.post("/auth/platform/login", json={"username": "ops-1", "password": "bad-password"})
    assert (
        response.status_code == 401
        and response.json()["errors"][0]["extensions"]["code"] == "INVALID_CREDENTIALS"
    )
    response = await http.post("/auth/platform/login", json={"username": "ops-1", "password": PASSWORD})
    tokens = response.json()
    create = """mutation($slug: String!) { createTenant(input: {slug: $slug, name: "新单位"}) {
      errors { code } tenant { slug } } }"""
    _, body = await gql(http, create, {"slug": "onboarded-by-ops"}, tokens["accessToken"])
    assert body["data"]["createTenant"] == {"errors": [], "tenant": {"slug": "onboarded-by-ops"}}
    for query in ("{ members { totalCount } }", "{ organizations { totalCount } }", "{ tenant { slug } }"):
        _, body = await gql(http, query, token=tokens["accessToken"])
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] in (
            "UNAUTHENTICATED",
            "PERMISSION_DENIED",
        )
    # a tenant access token is not a platform token and vice versa
    tenant = await make_tenant()
    await make_user(tenant.id, "henry", role="TENANT_ADMIN")
    session = (await login(http, tenant, "henry"))["accessToken"]
    _, body = await gql(http, create, {"slug": "onboarded-by-tenant"}, session)
    assert body["data"]["createTenant"] == {"errors": [{"code": "PERMISSION_DENIED"}], "tenant": None}
    response = await http.post("/auth/platform/login", json={"refreshToken": tokens["refreshToken"]})
    assert response.status_code == 200 and response.json()["accessToken"]


async def test_signing_in_to_another_tenant_with_a_token_in_hand_is_refused(http):
    first, second = await make_tenant(), await make_tenant()
    await make_user(first.id, "ivan", role="TENANT_ADMIN")
    await make_user(second.id, "ivan", role="TENANT_ADMIN")
    token = (await login(http, second, "ivan"))["accessToken"]
    variables = {"input": {"tenant": first.slug, "username": "ivan", "password": PASSWORD}}
    _, body = await gql(http, LOGIN, variables, token)
    assert body["data"]["login"]["errors"][0]["code"] == "ALREADY_SIGNED_IN"
    with tenant_scope(second.id):
        from core.models import AuditRecord

        assert await AuditRecord.filter(operation="login").count() == 1  # only the first sign-in
