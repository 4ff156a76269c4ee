"""The probe plugin's GraphQL field."""

from __future__ import annotations

import strawberry

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.models import Organization
from core.permissions import Permission
from core.tenant_config import effective_config


@strawberry.type(description="How many events of one kind the probe plugin heard for the tenant.")
class ProbeEventCount:
    hook: str
    count: int


@strawberry.type(description="What the probe plugin sees of the tenant.")
class ProbeReport:
    text: str
    organizations: int
    context_note: str | None
    events: list[ProbeEventCount]


@strawberry.type
class Query:
    @field(permission="PROBE_SECRET_READ", plugin="probe", description="探针秘密（插件自己声明的权限）。")
    async def probe_secret(self, info: Info) -> str:
        return "秘密"

    @field(permission=Permission.TENANT_READ, plugin="probe", description="探针（测试插件）。")
    async def probe_report(self, info: Info) -> ProbeReport:
        from tests.probe_plugin import EVENTS

        tenant = await info.context.tenant()
        greeting = effective_config(tenant)["probe"]["greeting"]
        heard = EVENTS.get(tenant.id, {})
        return ProbeReport(
            text=f"{greeting}，{tenant.name}",
            organizations=await Organization.all().count(),
            context_note=info.context.extra.get("probe_context"),
            events=[ProbeEventCount(hook=k, count=v) for k, v in sorted(heard.items())],
        )
