"""GraphQL types of tenants."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.context import Info
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.graphql.tenants.domains import DomainCode, TenantDomain, shown_domain
from core.models import Tenant as TenantModel
from core.plugins.domains import OTHER_DOMAIN
from core.tenant_config import effective_config


@strawberry.type(description="An agency using zhibu.")
class Tenant(ModelNode):
    model = TenantModel

    id: relay.NodeID[int]
    slug: str
    name: str
    domain: TenantDomain
    enabled_plugins: list[str]
    scoring_plugin: str
    config_version: int
    is_active: bool
    _row: strawberry.Private[TenantModel | None] = None

    @strawberry.field(description="Effective configuration (defaults merged with overrides).")
    async def config(self, info: Info) -> JSON:
        row = self._row or await info.context.tenant()
        return effective_config(row)

    @classmethod
    def from_model(cls, obj: Any, **overrides: Any) -> Tenant:
        code = obj["domain"] if isinstance(obj, dict) else obj.domain
        return super().from_model(obj, **{"domain": shown_domain(code), **overrides})

    @classmethod
    def from_row(cls, row: TenantModel) -> Tenant:
        return cls.from_model(row, _row=row)


@strawberry.input(description="The first administrator of a new tenant (TENANT_ADMIN, tenant-wide).")
class FirstAdminInput:
    username: str = strawberry.field(description="Unique in the tenant, no spaces, at most 64 characters.")
    password: str = strawberry.field(description="The initial password, at least 8 characters.")
    display_name: str = ""


@strawberry.input
class CreateTenantInput:
    slug: str
    name: str
    domain: TenantDomain = strawberry.field(
        default=DomainCode(OTHER_DOMAIN), description="One of `tenantDomains` (default OTHER)."
    )
    enabled_plugins: list[str] | None = None
    scoring_plugin: str = "baseline"
    admin: FirstAdminInput | None = strawberry.field(
        default=None,
        description="Creates the tenant's first administrator in the same transaction.",
    )


@strawberry.input
class UpdateTenantConfigInput:
    patch: JSON = strawberry.field(description="Partial config merged into the tenant's overrides.")


@strawberry.type
class TenantPayload(MutationPayload):
    tenant: Tenant | None = None
