"""Query and mutation fields for tenants."""

from __future__ import annotations

import strawberry

from core.error_codes import TenantErrorCode, TransportErrorCode
from core.errors import CommonErrorCode, ValidationFailed
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field
from core.graphql.core.mutations import mutation
from core.graphql.tenants.domains import TenantDomainInfo
from core.graphql.tenants.types import (
    CreateTenantInput,
    Tenant,
    TenantPayload,
    UpdateTenantConfigInput,
)
from core.permissions import Permission
from core.plugins.domains import tenant_domains
from core.services import tenants as service
from core.tenant_config import update_config


@strawberry.type
class Query:
    @field(permission=Permission.TENANT_READ, description="The caller's tenant.")
    async def tenant(self, info: Info) -> Tenant:
        return Tenant.from_row(await info.context.tenant())

    @field(
        permission=None,
        description="The kinds of agency a tenant may be (core's OTHER and the installed domain plugins').",
    )
    def tenant_domains(self) -> list[TenantDomainInfo]:
        return [TenantDomainInfo.of(spec) for spec in tenant_domains().values()]


@strawberry.type
class Mutation:
    @mutation(
        permission=Permission.PLATFORM_MANAGE_TENANTS,
        description="Onboard a tenant (platform operators only).",
    )
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> TenantPayload:
        tenant = await service.create_tenant(
            slug=input.slug,
            name=input.name,
            domain=input.domain,
            enabled_plugins=input.enabled_plugins,
            scoring_plugin=input.scoring_plugin,
            by=info.context.principal.label,
            admin=service.FirstAdmin(
                username=input.admin.username,
                password=input.admin.password,
                display_name=input.admin.display_name,
            )
            if input.admin is not None
            else None,
        )
        return {"tenant": Tenant.from_row(tenant)}

    @mutation(
        permission=Permission.TENANT_MANAGE,
        description="Change the tenant's configuration; stores a new config version.",
    )
    async def update_tenant_config(self, info: Info, input: UpdateTenantConfigInput) -> TenantPayload:
        from core import audit

        if not isinstance(input.patch, dict):
            raise ValidationFailed("配置补丁应为 JSON 对象", field="patch")
        tenant = await info.context.tenant()
        before = audit.snapshot(tenant)
        await update_config(tenant, dict(input.patch), by=info.context.principal.label)
        audit.changed(tenant, before)
        return {"tenant": Tenant.from_row(tenant)}


#: this domain's error codes, as schema enums, with the codes every domain answers (the common ones,
#: and the transport's: refused requests, masked internal errors)
EXTRA_TYPES = (
    error_code_type(TenantErrorCode),
    error_code_type(CommonErrorCode),
    error_code_type(TransportErrorCode),
)
