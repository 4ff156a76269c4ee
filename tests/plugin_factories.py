"""Shared helpers of the plugin tests: tenants with plugins enabled and a small organization tree."""

from __future__ import annotations

from core.principal import Principal
from tests.support import GraphQLClient, make_tenant

CREATE_ORG = """mutation($kind: String!, $name: String!, $parentId: ID, $units: [String!], $body: String,
                         $sector: String) {
  createOrganization(input: {kind: $kind, name: $name, parentId: $parentId, coveredUnits: $units,
                             temporaryBody: $body, sector: $sector}) {
    errors { code message } organization { id path } } }"""


async def plugin_client(*plugins: str, domain: str = "other", scoring: str = "baseline"):
    """(tenant, admin client) for a fresh tenant with ``plugins`` enabled."""
    tenant = await make_tenant(domain=domain, plugins=list(plugins), scoring=scoring)
    return tenant, GraphQLClient(Principal.tenant_admin(tenant.id, label="插件测试管理员"))


async def create_org(client: GraphQLClient, kind: str, name: str, parent: str | None = None, **kw) -> str:
    """Create an organization through GraphQL; return its global ID."""
    payload = await client.mutate(CREATE_ORG, kind=kind, name=name, parentId=parent, **kw)
    return payload["organization"]["id"]


async def create_member(client: GraphQLClient, branch: str, name: str, **extra) -> str:
    """Create a member of ``branch`` through GraphQL; return the member's global ID."""
    from tests.core_factories import member

    return (await member(client, {"id": branch}, name, **extra))["id"]
