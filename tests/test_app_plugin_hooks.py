"""The running app calls the plugin hooks meant for it: startup and the per-request context."""

from __future__ import annotations

import httpx

from core.app import create_app
from core.principal import Principal
from tests.support import make_tenant


async def test_app_runs_startup_and_graphql_context_hooks():
    from tests import probe_plugin

    tenant = await make_tenant(plugins=["probe"])

    async def resolver(request):
        return Principal.tenant_admin(tenant.id, label="test")

    app = create_app(manage_db=False, listen_policies=False, principal_resolver=resolver)
    async with app.router.lifespan_context(app):
        assert app in probe_plugin.STARTED
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post("/graphql", json={"query": "{ probeReport { text contextNote } }"})
    data = response.json()["data"]["probeReport"]
    assert data["contextNote"] == "来自插件的上下文"
    assert tenant.name in data["text"]
