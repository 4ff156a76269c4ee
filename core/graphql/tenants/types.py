"""GraphQL types of tenants."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.graphql.core.context import Info
from core.graphql.core.mutations import MutationPayload
from core.graphql.core.nodes import ModelNode
from core.models import Tenant as TenantModel
from core.models import TenantDomain as TenantDomainEnum
from core.tenant_config import effective_config

TenantDomain = strawberry.enum(TenantDomainEnum, description="The kind of agency a tenant is.")


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
    domain: TenantDomain = TenantDomainEnum.OTHER
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
