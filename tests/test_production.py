"""Production serving: `zhibu serve` refuses unsafe settings, bounded request cost, a typed error for
every bad input, schema hidden from anonymous callers, the request log, and the demo header rules."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from core.app import create_app
from core.models import Organization
from core.principal import Principal
from core.tenancy import platform_scope, tenant_scope
from core.testing.database import backend
from core.testing.world import PASSWORD, make_user
from tests.support import make_tenant, unique_slug

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { errors { code } accessToken } }"


def production_client(**app_options) -> httpx.AsyncClient:
    app = create_app(manage_db=False, listen_policies=False, development=False, **app_options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu")


async def post(client, query, variables=None, token=None, **kwargs):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    headers.update(kwargs.pop("headers", {}))
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers, **kwargs
    )
    return response.status_code, response.json()


async def admin_token(client, tenant, username="admin") -> str:
    await make_user(tenant.id, username, role="TENANT_ADMIN")
    variables = {"i": {"tenant": tenant.slug, "username": username, "password": PASSWORD}}
    _, body = await post(client, LOGIN, variables)
    return body["data"]["login"]["accessToken"]


def error_codes(body) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


# --- zhibu serve -----------------------------------------------------------------------------


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    environ.update(PYTHONPATH=os.environ.get("PYTHONPATH", ""), **env)
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "ZHIBU_SECRET_KEY is not set: generate one with `zhibu secret generate`"),
        ({"ZHIBU_SECRET_KEY": "short"}, "ZHIBU_SECRET_KEY is shorter than 32 bytes"),
        ({"ZHIBU_SECRET_KEY": "zhibu-development-secret-not-for-production-use"}, "public development key"),
        ({"ZHIBU_SECRET_KEY": "k" * 48, "ZHIBU_DEBUG": "1"}, "ZHIBU_DEBUG is on"),
        ({"ZHIBU_SECRET_KEY": "k" * 48, "ZHIBU_PASSWORD_HASHING": "fast-insecure"}, "for tests only"),
    ],
)
def test_serve_refuses_unsafe_settings(env, message):
    done = run_cli("serve", "--port", "1", **env)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(backend() != "postgres", reason="row-level security is a PostgreSQL feature")
def test_serve_refuses_a_database_role_that_bypasses_row_level_security():
    owner = os.environ["ZHIBU_MIGRATE_DB_URL"]  # the test server's admin: a superuser owning the tables
    done = run_cli("serve", "--port", "1", ZHIBU_SECRET_KEY="k" * 48, ZHIBU_DB_URL=owner)
    assert done.returncode == 2, done.stderr
    assert (
        "is a superuser (row-level security does not apply)" in done.stderr
        and "owns the tables" in done.stderr
    )


def test_secret_generate_and_cli_usage_errors():
    done = run_cli("secret", "generate")
    assert done.returncode == 0 and len(done.stdout.strip()) == 64
    done = run_cli("reminders", "run", "--date", "2026-13-01")
    assert done.returncode == 2 and "not a date" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("schema", "--check", "--db", "sqlite://:memory:")  # global option after the subcommand
    assert done.returncode == 0, done.stderr
    done = run_cli("schema", ZHIBU_MAX_DEPTH="deep")
    assert done.returncode == 2 and "ZHIBU_MAX_DEPTH must be a whole number" in done.stderr


# --- what an anonymous caller learns -----------------------------------------------------------


async def test_production_hides_the_schema_from_anonymous_callers(monkeypatch):
    tenant = await make_tenant()
    async with production_client() as client:
        _, body = await post(client, "{ __schema { queryType { name } } }")
        assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
        _, body = await post(client, "{ tenat { name } }")
        assert "Did you mean" not in str(body) and "tenant" not in body["errors"][0]["message"].replace(
            "tenat", ""
        )
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        token = await admin_token(client, tenant)
        _, body = await post(client, "{ __schema { queryType { name } } }", token=token)
        assert body.get("data") is None  # signed in, but introspection is not allowed by default
        monkeypatch.setenv("ZHIBU_ALLOW_INTROSPECTION", "1")
        _, body = await post(client, "{ __schema { queryType { name } } }", token=token)
        assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}
        _, body = await post(client, "{ __schema { queryType { name } } }")
        assert body.get("data") is None  # never for anonymous callers


async def test_development_mode_shows_the_schema():
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(
            app=create_app(manage_db=False, listen_policies=False, development=True)
        ),
        base_url="http://zhibu",
    ) as client:
        _, body = await post(client, "{ tenat { name } }")
        assert "Did you mean" in body["errors"][0]["message"]
        _, body = await post(client, "{ __schema { queryType { name } } }")
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"


# --- bounded request cost ------------------------------------------------------------------------


async def test_oversized_bodies_get_413_before_anything_runs(monkeypatch):
    monkeypatch.setenv("ZHIBU_MAX_BODY_BYTES", "2048")
    async with production_client() as client:
        big = "{ tenant { " + "name " * 1000 + "} }"
        status, body = await post(client, big)
        assert status == 413 and error_codes(body) == ["REQUEST_TOO_LARGE"]
        # a streamed body without Content-Length is counted as it arrives

        async def chunks():
            for _ in range(10):
                yield b" " * 1000

        response = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        status, body = await post(client, "{ __typename }")
        assert status == 200 and body["data"] == {"__typename": "Query"}


async def test_token_depth_alias_and_directive_limits():
    async with production_client() as client:
        response = await client.post(
            "/graphql", json={"query": '{ tenant(x: "' + "x" * 200_000 + '") { name } }'}
        )
        assert response.status_code == 413 and "文档过长" in response.text
        _, body = await post(client, "{ tenant { " + "name " * 5000 + "} }")
        assert "4000 tokens" in body["errors"][0]["message"] and body.get("data") is None
        _, body = await post(client, "{ " + "__typename @skip(if: false) " * 60 + "}")
        assert any("指令不能超过50个" in e["message"] for e in body["errors"])
        _, body = await post(client, "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }")
        assert body.get("data") is None and body["errors"]


# --- a typed error for every bad input -------------------------------------------------------------


async def test_bad_input_gets_a_typed_error_with_its_field():
    tenant = await make_tenant()
    async with production_client() as client:
        token = await admin_token(client, tenant)
        for bad in ("abc", "", "1", "VXNlcjox"):  # not base64 / empty / no type / the wrong type (User:1)
            _, body = await post(client, "query($id: ID!) { member(id: $id) { name } }", {"id": bad}, token)
            assert error_codes(body) in (["INVALID_INPUT"], []), body
            if body.get("errors"):
                assert body["errors"][0]["extensions"]["field"] == "id"
            else:
                assert body["data"]["member"] is None
        _, body = await post(
            client,
            'mutation { updateMember(input: {id: "not-an-id", name: "x"}) { errors { code field } } }',
            token=token,
        )
        assert body["data"]["updateMember"]["errors"] == [{"code": "INVALID_INPUT", "field": "id"}]
        long_name = "党" * 10_000
        _, body = await post(
            client,
            'mutation($n: String!) { createOrganization(input: {kind: "BRANCH", name: $n}) '
            "{ errors { code field message } organization { id } } }",
            {"n": long_name},
            token,
        )
        (error,) = body["data"]["createOrganization"]["errors"]
        assert error["code"] == "INVALID_INPUT" and error["field"] == "name" and "200" in error["message"]
        with tenant_scope(tenant.id):
            assert not await Organization.filter(name__startswith="党党党党").exists()
        # graphql's own validation errors keep their message, with a code
        _, body = await post(client, "query($id: ID!) { member(id: $id) { name } }", {"id": 5.5}, token)
        assert error_codes(body) == ["INVALID_INPUT"] and "$id" in body["errors"][0]["message"]
        _, body = await post(client, "query($id: ID!) { member(id: $id) { name } }", {}, token)
        assert error_codes(body) == ["INVALID_INPUT"] and "to be provided" in body["errors"][0]["message"]
        org = (await post(client, "{ organizations(first: 1) { edges { node { id } } } }", token=token))[1]
        del org
        _, body = await post(
            client,
            'query($o: ID!) { inspections(organizationId: $o, kind: "XXXXXXXXXXXXXXXXXXXXXX") { id } }',
            {"o": "T3JnYW5pemF0aW9uOjE="},
            token,
        )
        assert error_codes(body) in (["INVALID_INPUT"], ["NOT_FOUND"], ["PERMISSION_DENIED"]), body
        assert "INTERNAL_SERVER_ERROR" not in str(body)


async def test_users_filter_by_role():
    tenant = await make_tenant()
    async with production_client() as client:
        token = await admin_token(client, tenant, "boss")
        await make_user(tenant.id, "clerk")
        query = '{ users(filter: {role: "TENANT_ADMIN"}) { edges { node { username } } } }'
        _, body = await post(client, query, token=token)
        assert body["data"]["users"]["edges"] == [{"node": {"username": "boss"}}], body


async def test_a_refused_mutation_does_not_lose_the_result_of_a_committed_one():
    tenant = await make_tenant()
    name = unique_slug("committed")
    async with production_client() as client:
        token = await admin_token(client, tenant)
        document = f"""mutation {{
          made: createOrganization(input: {{kind: "PARTY_COMMITTEE", name: "{name}"}}) {{
            errors {{ code }} organization {{ name }} }}
          refused: createTenant(input: {{slug: "{unique_slug("x")}", name: "不该建成"}}) {{
            errors {{ code }} tenant {{ slug }} }}
        }}"""
        _, body = await post(client, document, token=token)
    assert "errors" not in body, body
    assert body["data"]["made"] == {"errors": [], "organization": {"name": name}}
    assert body["data"]["refused"] == {"errors": [{"code": "PERMISSION_DENIED"}], "tenant": None}
    with tenant_scope(tenant.id):
        assert await Organization.filter(name=name).exists()


# --- logs ------------------------------------------------------------------------------------------


async def test_one_quiet_log_line_per_request_with_its_request_id(caplog):
    tenant = await make_tenant()
    async with production_client() as client:
        token = await admin_token(client, tenant)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="zhibu"):
            response = await client.post(
                "/graphql",
                json={"query": 'query Mine { tenant { name } nope: member(id: "abc") { name } }'},
                headers={"authorization": f"Bearer {token}", "x-request-id": "req-42"},
            )
            await client.post("/graphql", json={"query": "{ tenant { name } }"})  # anonymous: refused
    assert response.headers["x-request-id"] == "req-42"
    lines = [r for r in caplog.records if r.name == "zhibu.request"]
    assert len(lines) == 2
    first = lines[0]
    assert (first.request_id, first.operation, first.tenant, first.status) == (
        "req-42",
        "Mine",
        tenant.id,
        200,
    )
    assert first.errors == "INVALID_INPUT"
    assert not any(r.exc_info for r in caplog.records), "expected errors must not log tracebacks"


def test_log_values_are_truncated():
    from core.graphql.core.errors import truncate

    assert len(truncate("x" * 1_000_000)) < 400


# --- the demo header ----------------------------------------------------------------------------------


async def test_demo_header_needs_a_loopback_peer_and_host_and_yields_to_a_token():
    from core.app import _default_resolver
    from core.services.tenants import create_tenant
    from tenants.demo.command import demo_principal_resolver

    slug = f"demo-{unique_slug('hdr')}"
    with platform_scope():
        demo = await create_tenant(
            slug=slug, name="演示单位", domain="other", enabled_plugins=[], scoring_plugin="baseline"
        )
    other = await make_tenant()
    app = create_app(
        manage_db=False,
        listen_policies=False,
        development=True,
        principal_resolver=demo_principal_resolver(_default_resolver()),
    )

    def client(host: str, peer: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(peer, 5000))
        return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")

    query = "{ tenant { slug } }"
    async with client("127.0.0.1:8000") as local:
        _, body = await post(local, query, headers={"x-demo-tenant": slug})
        assert body["data"] == {"tenant": {"slug": slug}}
        token = await admin_token(local, other)
        _, body = await post(local, query, token=token, headers={"x-demo-tenant": slug})
        assert body["data"] == {"tenant": {"slug": other.slug}}  # the token wins
        status, body = await post(local, query, token="garbage", headers={"x-demo-tenant": slug})
        assert status == 401  # a bad token beside the header is still a bad token
    async with client("evil.example:8000") as rebinding:  # a loopback peer naming another host
        _, body = await post(rebinding, query, headers={"x-demo-tenant": slug})
        assert body["data"] is None and error_codes(body) == ["UNAUTHENTICATED"]
    async with client("localhost:8000", peer="192.0.2.7") as remote:
        _, body = await post(remote, query, headers={"x-demo-tenant": slug})
        assert body["data"] is None and error_codes(body) == ["UNAUTHENTICATED"]
    assert demo.id != other.id and Principal  # (imported for the resolver's type)
