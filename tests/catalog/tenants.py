"""Catalog entries: tenants (the lead's)."""

from __future__ import annotations

from tests.catalog import Op, Target
from tests.catalog._helpers import seq


async def _none(world, pos):  # noqa: ANN001, ANN202
    return Target({})


async def _config(world, pos):  # noqa: ANN001, ANN202
    return Target({"patch": {"activities": {"themed_party_day": 15 + seq() % 10}}})


async def _create_tenant(world, pos):  # noqa: ANN001, ANN202
    return Target({"slug": f"catalog-tenant-{world.tenant_id}-{seq()}"})


OPERATIONS = [
    Op("tenant", "query", "{ tenant { slug name } }", "TENANT_READ", "holder", _none),
    Op("tenantDomains", "query", "{ tenantDomains { code label } }", None, "self", _none),
    Op(
        "updateTenantConfig",
        "mutation",
        "mutation($patch: JSON!) { updateTenantConfig(input: {patch: $patch}) { errors { code } tenant { configVersion } } }",  # noqa: E501
        "TENANT_MANAGE",
        "tenant",
        _config,
    ),
    Op(
        "createTenant",
        "mutation",
        'mutation($slug: String!) { createTenant(input: {slug: $slug, name: "新单位"}) { errors { code } tenant { slug } } }',  # noqa: E501
        "PLATFORM_MANAGE_TENANTS",
        "platform",
        _create_tenant,
    ),
]
