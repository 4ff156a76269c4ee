"""Tenants through GraphQL: onboarding by platform operators, the caller's tenant, versioned config."""

from __future__ import annotations

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
