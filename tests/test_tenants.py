"""Tenants through GraphQL: onboarding by platform operators, the caller's tenant, versioned config."""

from __future__ import annotations

import httpx
import pytest

from core.access.models import RoleAssignment, User
from core.app import create_app
from core.error_codes import AccessErrorCode
from core.errors import DomainError
from core.models import AuditRecord, Tenant, TenantConfigVersion
from core.tenancy import platform_scope, tenant_scope
from tests.core_factories import member, tree
from tests.support import unique_slug

CREATE = """
mutation($input: CreateTenantInput!) {
  createTenant(input: $input) {
    errors { code message field }
    tenant { slug name domain enabledPlugins scoringPlugin configVersion isActive }
  }
}
"""
CONFIG = """
mutation($patch: JSON!) {
  updateTenantConfig(input: {patch: $patch}) { errors { code field } tenant { configVersion config } }
}
"""


async def test_operator_onboards_a_tenant(operator):
    slug = unique_slug("onboard")
    payload = await operator.mutate(
        CREATE, input={"slug": slug, "name": "某县委组织部", "domain": "RURAL", "enabledPlugins": []}
    )
    assert payload["tenant"] == {
        "slug": slug,
        "name": "某县委组织部",
        "domain": "RURAL",
        "enabledPlugins": [],
        "scoringPlugin": "baseline",
        "configVersion": 1,
        "isActive": True,
    }
    tenant = await Tenant.get(slug=slug)
    with tenant_scope(tenant.id):
        record = await AuditRecord.get(operation="createTenant")
        assert record.target_type == "Tenant" and record.actor == "平台运营"
    with platform_scope():
        assert await TenantConfigVersion.filter(tenant_id=tenant.id).count() == 1
    assert await operator.error_code(CREATE, input={"slug": slug, "name": "重复"}) == "TENANT_SLUG_TAKEN"
    assert await operator.error_code(CREATE, input={"slug": "Bad Slug!", "name": "x"}) == "INVALID_INPUT"
    assert await operator.error_code(CREATE, input={"slug": unique_slug("x"), "name": " "}) == "INVALID_INPUT"


async def test_tenant_admin_cannot_onboard_tenants(admin):
    slug = unique_slug("nope")
    assert await admin.error_code(CREATE, input={"slug": slug, "name": "x"}) == "PERMISSION_DENIED"
    assert not await Tenant.filter(slug=slug).exists()


async def test_tenant_query_returns_the_callers_tenant(admin, tenant):
    data = await admin.ok("{ tenant { slug name configVersion config } }")
    assert data["tenant"]["slug"] == tenant.slug
    assert data["tenant"]["config"]["committee"]["term_years"] == 3


async def test_config_changes_are_versioned_and_used_by_the_rules(admin, tenant):
    payload = await admin.mutate(CONFIG, patch={"committee": {"term_years": 4}})
    assert payload["tenant"]["configVersion"] == 2
    assert payload["tenant"]["config"]["committee"]["term_years"] == 4
    with platform_scope():
        versions = await TenantConfigVersion.filter(tenant_id=tenant.id).order_by("version")
    assert [v.config["committee"]["term_years"] for v in versions] == [3, 4]
    assert await admin.error_code(CONFIG, patch={"committee": {"no_such_key": 1}}) == "INVALID_INPUT"
    assert await admin.error_code(CONFIG, patch={"committee": {"term_years": "three"}}) == "INVALID_INPUT"

    # the committee term length comes from the tenant's config, not a constant
    t = await tree(admin)
    await member(admin, t["branch"], "书记")
    start = """mutation($input: StartCommitteeTermInput!) {
      startCommitteeTerm(input: $input) { errors { code } term { endsOn } } }"""
    term = await admin.mutate(start, input={"organizationId": t["branch"]["id"], "startsOn": "2024-05-01"})
    assert term["term"]["endsOn"] == "2028-05-01"


async def test_create_tenant_checks_plugins_and_scoring_choice(operator):
    from tests.support import unique_slug

    mutation = """
    mutation($input: CreateTenantInput!) {
      createTenant(input: $input) { errors { code field } tenant { enabledPlugins scoringPlugin } }
    }
    """
    base = {"name": "某单位", "domain": "RURAL"}
    code = await operator.error_code(
        mutation, input={**base, "slug": unique_slug("x"), "enabledPlugins": ["no-such-plugin"]}
    )
    assert code == "PLUGIN_NOT_INSTALLED"
    code = await operator.error_code(
        mutation, input={**base, "slug": unique_slug("x"), "scoringPlugin": "rural"}
    )
    assert code == "PLUGIN_NOT_SCORING"  # rural scores only where rural is enabled
    payload = await operator.mutate(
        mutation,
        input={**base, "slug": unique_slug("x"), "enabledPlugins": ["rural"], "scoringPlugin": "rural"},
    )
    assert payload["tenant"] == {"enabledPlugins": ["rural"], "scoringPlugin": "rural"}


CREATE_WITH_ADMIN = """
mutation($input: CreateTenantInput!) {
  createTenant(input: $input) { errors { code message field } tenant { slug } }
}
"""
LOGIN = """
mutation($input: LoginInput!) {
  login(input: $input) { errors { code } accessToken user { username displayName } }
}
"""
CREATE_ORG = """
mutation { createOrganization(input: {kind: "PARTY_COMMITTEE", name: "某镇党委"}) { errors { code } } }
"""


async def _post(http, query, variables, token=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def http():
    app = create_app(manage_db=False, listen_policies=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as client:
        yield client


async def test_create_tenant_with_its_first_admin_who_can_sign_in(operator, http):
    slug = unique_slug("withadmin")
    admin = {"username": "admin", "displayName": "王管理", "password": "first-pass-2026"}
    payload = await operator.mutate(
        CREATE_WITH_ADMIN, input={"slug": slug, "name": "某镇党委", "admin": admin}
    )
    assert payload["tenant"] == {"slug": slug}

    body = await _post(
        http, LOGIN, {"input": {"tenant": slug, "username": "admin", "password": admin["password"]}}
    )
    login = body["data"]["login"]
    assert login["errors"] == [] and login["user"] == {"username": "admin", "displayName": "王管理"}
    # the initial password must be changed at first sign-in: until then only that is open
    token = login["accessToken"]
    me = await _post(http, "{ me { roles user { mustChangePassword } } }", {}, token=token)
    assert me["data"]["me"] == {"roles": ["TENANT_ADMIN@/"], "user": {"mustChangePassword": True}}
    refused = await _post(http, CREATE_ORG, {}, token=token)
    assert refused["data"]["createOrganization"]["errors"] == [{"code": "PASSWORD_CHANGE_REQUIRED"}]
    refused = await _post(http, "{ tenant { slug } }", {}, token=token)
    assert (
        refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    )
    change = """mutation($old: String!, $new: String!) {
      changePassword(input: {oldPassword: $old, newPassword: $new}) { errors { code } } }"""
    changed = await _post(http, change, {"old": admin["password"], "new": "my-own-pass-2026"}, token=token)
    assert changed["data"]["changePassword"]["errors"] == []
    body = await _post(
        http, LOGIN, {"input": {"tenant": slug, "username": "admin", "password": "my-own-pass-2026"}}
    )
    token = body["data"]["login"]["accessToken"]
    me = await _post(http, "{ me { roles user { mustChangePassword } } tenant { slug } }", {}, token=token)
    assert me["data"] == {
        "me": {"roles": ["TENANT_ADMIN@/"], "user": {"mustChangePassword": False}},
        "tenant": {"slug": slug},
    }
    # now the admin can do tenant-wide work, e.g. build the tree
    created = await _post(http, CREATE_ORG, {}, token=token)
    assert created["data"]["createOrganization"]["errors"] == []

    tenant = await Tenant.get(slug=slug)
    with tenant_scope(tenant.id):
        user = await User.get(username="admin")
        assert user.password_hash.startswith("$argon2id$")
        records = await AuditRecord.filter(operation="createTenant").order_by("id")
        assert {r.target_type for r in records} == {"Tenant", "User", "RoleAssignment"}
        assert all(admin["password"] not in str(r.after) and "password_hash" not in r.after for r in records)


@pytest.mark.parametrize(
    ("admin", "field"),
    [
        ({"username": "admin", "password": "short"}, "admin.password"),
        ({"username": "has space", "password": "long-enough-1"}, "admin.username"),
        ({"username": "", "password": "long-enough-1"}, "admin.username"),
        ({"username": "x" * 65, "password": "long-enough-1"}, "admin.username"),
        ({"username": "admin", "password": "long-enough-1", "displayName": "名" * 101}, "admin.displayName"),
    ],
)
async def test_bad_first_admin_changes_nothing(operator, admin, field):
    slug = unique_slug("badadmin")
    data = await operator.ok(CREATE_WITH_ADMIN, input={"slug": slug, "name": "某单位", "admin": admin})
    errors = data["createTenant"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID_INPUT", field)]
    assert data["createTenant"]["tenant"] is None
    assert not await Tenant.filter(slug=slug).exists()


async def test_failure_after_the_tenant_row_rolls_everything_back(operator, monkeypatch):
    """The admin is created in the onboarding transaction: a refusal there leaves no tenant."""
    from core.access import services as access_services

    async def refuse(**kwargs):
        raise DomainError(AccessErrorCode.ROLE_UNKNOWN, field="role", role="模拟失败")

    monkeypatch.setattr(access_services, "assign_role", refuse)
    slug = unique_slug("rollback")
    admin = {"username": "admin", "password": "long-enough-1"}
    code = await operator.error_code(
        CREATE_WITH_ADMIN, input={"slug": slug, "name": "某单位", "admin": admin}
    )
    assert code == "ROLE_UNKNOWN"
    assert not await Tenant.filter(slug=slug).exists()
    with platform_scope():
        assert not await User.filter(username="admin", tenant__slug=slug).exists()
        assert not await RoleAssignment.filter(tenant__slug=slug).exists()


async def test_taken_slug_with_an_admin_adds_no_account_to_the_existing_tenant(operator):
    slug = unique_slug("taken")
    await operator.mutate(CREATE_WITH_ADMIN, input={"slug": slug, "name": "原单位"})
    admin = {"username": "intruder", "password": "long-enough-1"}
    code = await operator.error_code(CREATE_WITH_ADMIN, input={"slug": slug, "name": "重复", "admin": admin})
    assert code == "TENANT_SLUG_TAKEN"
    tenant = await Tenant.get(slug=slug)
    with tenant_scope(tenant.id):
        assert not await User.filter(username="intruder").exists()


async def test_tenant_domains_come_from_core_and_the_installed_plugins(operator, admin):
    """``tenantDomains``: core's OTHER first, then every installed domain plugin's with its label and
    default plugin; a signed-in tenant user reads the same list."""
    query = "{ tenantDomains { code label description plugin } }"
    listed = (await operator.ok(query))["tenantDomains"]
    assert listed == (await admin.ok(query))["tenantDomains"]
    codes = [d["code"] for d in listed]
    assert codes[0] == "OTHER"
    assert {"RURAL", "ENTERPRISE", "NEWSPAPER", "FOREIGN_AFFAIRS", "OTHER"} <= set(codes)
    newspaper = next(d for d in listed if d["code"] == "NEWSPAPER")
    assert newspaper["label"] == "报社" and newspaper["plugin"] == "newspaper" and newspaper["description"]


async def test_an_unknown_domain_is_refused_with_its_code_and_changes_nothing():
    from core.services.tenants import create_tenant

    slug = unique_slug("nodomain")
    with platform_scope(), pytest.raises(DomainError) as refused:
        await create_tenant(slug=slug, name="某高校党委", domain="university")
    assert refused.value.code == "TENANT_DOMAIN_UNKNOWN" and refused.value.field == "domain"
    assert "“university”" in refused.value.message and "rural" in refused.value.message
    assert not await Tenant.filter(slug=slug).exists()


async def test_a_tenant_whose_domain_plugin_is_gone_shows_other(admin, tenant):
    """The stored code stays (the plugin may come back); the API shows OTHER instead of failing."""
    with platform_scope():
        await Tenant.filter(id=tenant.id).update(domain="retired_domain")
    try:
        assert (await admin.ok("{ tenant { domain } }"))["tenant"]["domain"] == "OTHER"
    finally:
        with platform_scope():
            await Tenant.filter(id=tenant.id).update(domain="other")
