"""The hello plugin's GraphQL field."""

from __future__ import annotations

import strawberry

from core.graphql.core.context import Info
from core.graphql.core.fields import field
from core.models import Organization
from core.permissions import Permission
from core.tenant_config import effective_config


@strawberry.type(description="How many events of one kind the hello plugin heard for the tenant.")
class HelloEventCount:
    hook: str
    count: int


@strawberry.type(description="A greeting from the hello example plugin.")
class HelloGreeting:
    text: str
    organizations: int
    context_note: str | None
    events: list[HelloEventCount]


@strawberry.type
class Query:
    @field(permission=Permission.TENANT_READ, plugin="hello", description="问候（示例插件）。")
    async def hello_greeting(self, info: Info) -> HelloGreeting:
        from zhibu_hello import EVENTS

        tenant = await info.context.tenant()
        greeting = effective_config(tenant)["hello"]["greeting"]
        count = await Organization.all().count()
        heard = EVENTS.get(tenant.id, {})
        return HelloGreeting(
            text=f"{greeting}，{tenant.name}",
            organizations=count,
            context_note=info.context.extra.get("hello_context"),
            events=[HelloEventCount(hook=k, count=v) for k, v in sorted(heard.items())],
        )
