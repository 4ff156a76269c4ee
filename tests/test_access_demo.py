"""The demo accounts: each demo tenant's admin, committee secretary, branch secretary, inspector and
member log in over HTTP with the documented password and see what their position allows."""

from __future__ import annotations

import httpx
import pytest

from core.access.models import User
from core.app import create_app
from core.models import Activity, Member
from core.tenancy import tenant_scope
from tenants.demo.seed import DEMO_TENANTS, seed_tenant
from tenants.demo.users import DEMO_PASSWORD
from tests.support import unique_slug

LOGIN = """mutation($t: String!, $u: String!, $p: String!) {
  login(input: {tenant: $t, username: $u, password: $p}) { errors { code } accessToken } }"""
ME = "{ me { roles user { displayName } member { name phone } } }"
MEMBERS = "{ members(first: 100) { totalCount edges { node { phone } } } }"


async def _post(http, query, variables=None, token=None):  # noqa: ANN001, ANN202
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.json()


@pytest.mark.parametrize("spec", DEMO_TENANTS, ids=[s.slug for s in DEMO_TENANTS])
async def test_demo_accounts_log_in_and_see_their_part(spec):
    tenant, lines = await seed_tenant(spec, slug=unique_slug("demo"))
    assert any("dangyuan" in line for line in lines)
    app = create_app(manage_db=False, listen_policies=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as http:
        tokens = {}
        for username in ("admin", "shuji", "zhibu", "dudao", "dangyuan"):
            body = await _post(http, LOGIN, {"t": tenant.slug, "u": username, "p": DEMO_PASSWORD})
            assert body["data"]["login"]["errors"] == [], username
            tokens[username] = body["data"]["login"]["accessToken"]

        counts = {}
        for username in ("admin", "shuji", "zhibu", "dudao"):
            body = await _post(http, MEMBERS, token=tokens[username])
            counts[username] = body["data"]["members"]["totalCount"]
            phones = [e["node"]["phone"] for e in body["data"]["members"]["edges"] if e["node"]["phone"]]
            masked = [p for p in phones if "*" in p]
            assert (masked == phones) if username == "dudao" else not masked, username
        assert counts["admin"] >= counts["shuji"] >= counts["zhibu"] > 0
        assert counts["dudao"] == counts["shuji"]

        me = (await _post(http, ME, token=tokens["dangyuan"]))["data"]["me"]
        assert me["member"] is not None and "*" not in me["member"]["phone"]
        assert me["roles"] and me["roles"][0].startswith("MEMBER@/")
        denied = await _post(http, MEMBERS, token=tokens["dangyuan"])
        assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        body = await _post(
            http,
            "{ activities(first: 100) { totalCount nodes { organization { path } } } }",
            token=tokens["dangyuan"],
        )
        # a member sees exactly the live activities of their own branch (and its party groups)
        with tenant_scope(tenant.id):
            user = await User.get(username="dangyuan")
            branch = (await Member.get(id=user.member_id).select_related("branch")).branch
            own = await Activity.filter(
                organization__path__startswith=branch.path, cancelled_on__isnull=True
            ).count()
            everywhere = await Activity.filter(cancelled_on__isnull=True).count()
        seen = body["data"]["activities"]
        assert 0 < seen["totalCount"] == own <= everywhere
        assert all(n["organization"]["path"].startswith(branch.path) for n in seen["nodes"])
