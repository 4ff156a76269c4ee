"""The example plugin's own tests, written with zhibu's test kit (``core.testing``) as any third-party
plugin's would be: ``pytest`` in this folder, on SQLite or (``ZHIBU_TEST_DB=postgres``) PostgreSQL."""

from __future__ import annotations

import importlib.metadata

import httpx
import zhibu_hello

from core.app import create_app
from core.principal import Principal
from core.testing import GraphQLClient, make_tenant

GREETING = "{ helloGreeting { text organizations contextNote events { hook count } } }"
ENABLE = """mutation { enablePlugin(input: {name: "hello"}) { errors { code } } }"""
CREATE_ORG = """mutation { createOrganization(input: {kind: "PARTY_COMMITTEE", name: "机关党委"}) {
  errors { code } organization { id } } }"""


def test_found_through_its_entry_point():
    (entry_point,) = [ep for ep in importlib.metadata.entry_points(group="zhibu") if ep.name == "hello"]
    assert entry_point.dist.name == "zhibu-hello-plugin" and entry_point.load() is zhibu_hello


async def test_greeting_for_a_tenant_that_enabled_it(zhibu_admin, zhibu_tenant):
    assert await zhibu_admin.error_code(GREETING) == "PLUGIN_NOT_ENABLED"
    await zhibu_admin.mutate(ENABLE)
    await zhibu_admin.mutate(CREATE_ORG)
    data = (await zhibu_admin.ok(GREETING))["helloGreeting"]
    assert data["text"] == f"你好，{zhibu_tenant.name}" and data["organizations"] == 1
    assert {"hook": "zhibu_organization_created", "count": 1} in data["events"]
    patch = """mutation { updatePluginConfig(input: {name: "hello", patch: {greeting: "同志们好"}}) {
      errors { code } } }"""
    await zhibu_admin.mutate(patch)
    assert (await zhibu_admin.ok(GREETING))["helloGreeting"]["text"] == f"同志们好，{zhibu_tenant.name}"
    bad = """mutation { updatePluginConfig(input: {name: "hello", patch: {greeting: ""}}) {
      errors { code field } } }"""
    assert await zhibu_admin.error_code(bad) == "INVALID_INPUT"
    listed = (await zhibu_admin.ok("{ plugins { name version enabled } }"))["plugins"]
    assert {"name": "hello", "version": "zhibu-hello-plugin 0.1.0", "enabled": True} in listed


async def test_study_groups_nest_in_branches_only_where_enabled(zhibu_database):
    on, off = await make_tenant(plugins=["hello"]), await make_tenant()
    kinds = "{ organizationKinds { code } }"
    for tenant, present in ((on, True), (off, False)):
        client = GraphQLClient(Principal.tenant_admin(tenant.id))
        codes = {k["code"] for k in (await client.ok(kinds))["organizationKinds"]}
        assert ("STUDY_GROUP" in codes) is present


async def test_app_runs_its_startup_and_context_hooks(zhibu_database):
    tenant = await make_tenant(plugins=["hello"])

    async def resolver(request):  # noqa: ANN001, ANN202
        return Principal.tenant_admin(tenant.id, label="test")

    app = create_app(manage_db=False, listen_policies=False, principal_resolver=resolver)
    async with app.router.lifespan_context(app):
        assert app in zhibu_hello.STARTED
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            response = await http.post("/graphql", json={"query": GREETING})
    assert response.json()["data"]["helloGreeting"]["contextNote"] == "来自插件的上下文"
