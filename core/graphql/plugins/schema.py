"""Query and mutation fields of plugin enablement and configuration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry import relay

from core import plugins as service
from core.error_codes import PluginErrorCode
from core.graphql.core.context import Info
from core.graphql.core.error_codes import error_code_type
from core.graphql.core.fields import field, require_read
from core.graphql.core.mutations import mutation, run_mutation
from core.graphql.plugins.types import (
    MemberExtra,
    MemberExtraPayload,
    MemberField,
    Plugin,
    PluginNameInput,
    PluginPayload,
    UpdateMemberExtraInput,
    UpdatePluginConfigInput,
)
from core.graphql.tenants.types import Tenant
from core.permissions import Permission


async def _change(info: Info, name: str, action: Callable[[Any], Awaitable[Any]]) -> PluginPayload:
    async def run() -> dict:
        tenant = await action(await info.context.tenant())
        info.context.extra.pop("vocabulary", None)
        plugin = service.plugin_info(name)
        return {
            "tenant": Tenant.from_row(tenant),
            "plugin": Plugin.build(plugin, tenant) if plugin is not None else None,
        }

    return await run_mutation(info, PluginPayload, run)


def _extra(member: Any, vocabulary: Any) -> MemberExtra:
    values = {k: v for k, v in (member.extra or {}).items() if k in vocabulary.member_fields}
    return MemberExtra(member_id=strawberry.ID(str(relay.GlobalID("Member", str(member.id)))), values=values)


@strawberry.type
class Query:
    @field(permission=Permission.TENANT_READ, description="Installed plugins and their state here.")
    async def plugins(self, info: Info) -> list[Plugin]:
        tenant = await info.context.tenant()
        return [Plugin.build(p, tenant) for p in service.installed_plugins()]

    @field(permission=Permission.TENANT_READ, description="Scoring plugins the tenant may choose.")
    async def scoring_plugin_choices(self, info: Info) -> list[str]:
        return service.scoring_plugin_names(await info.context.tenant())

    @field(permission=Permission.TENANT_READ, description="Extra member fields of the enabled plugins.")
    async def member_fields(self, info: Info) -> list[MemberField]:
        vocabulary = await info.context.vocabulary()
        return [
            MemberField(
                code=s.code,
                label=s.label,
                type=str(s.type),
                choices=list(s.choices),
                required=s.required,
                plugin=s.plugin,
            )
            for s in vocabulary.member_fields.values()
        ]

    @field(permission=Permission.MEMBER_READ, description="A member's values of plugin member fields.")
    async def member_extra(self, info: Info, member_id: strawberry.ID) -> MemberExtra:
        from core.graphql.plugins.helpers import member_for

        member = await member_for(member_id)
        require_read(info, member.branch.path)
        return _extra(member, await info.context.vocabulary())


@strawberry.type
class Mutation:
    @mutation(atomic=False, permission=Permission.TENANT_MANAGE, description="Enable an installed plugin.")
    async def enable_plugin(self, info: Info, input: PluginNameInput) -> PluginPayload:
        by = info.context.principal.label
        return await _change(info, input.name, lambda t: service.enable_plugin(t, input.name, by=by))

    @mutation(
        atomic=False,
        permission=Permission.TENANT_MANAGE,
        description="Disable a plugin (not the scoring plugin); its config overrides are dropped.",
    )
    async def disable_plugin(self, info: Info, input: PluginNameInput) -> PluginPayload:
        by = info.context.principal.label
        return await _change(info, input.name, lambda t: service.disable_plugin(t, input.name, by=by))

    @mutation(
        atomic=False,
        permission=Permission.TENANT_MANAGE,
        description="Pick the tenant's one scoring plugin (baseline or an enabled plugin with scorers).",
    )
    async def set_scoring_plugin(self, info: Info, input: PluginNameInput) -> PluginPayload:
        by = info.context.principal.label
        return await _change(info, input.name, lambda t: service.set_scoring_plugin(t, input.name, by=by))

    @mutation(
        atomic=False,
        permission=Permission.TENANT_MANAGE,
        description="Change an enabled plugin's config section; validated and stored as a new version.",
    )
    async def update_plugin_config(self, info: Info, input: UpdatePluginConfigInput) -> PluginPayload:
        by = info.context.principal.label
        patch = dict(input.patch) if isinstance(input.patch, dict) else input.patch
        return await _change(
            info, input.name, lambda t: service.update_plugin_config(t, input.name, patch, by=by)
        )

    @mutation(
        atomic=False,
        permission=Permission.MEMBER_MANAGE,
        description="Set values of plugin member fields (validated against the enabled plugins' fields).",
    )
    async def update_member_extra(self, info: Info, input: UpdateMemberExtraInput) -> MemberExtraPayload:
        from core.graphql.plugins.helpers import member_for

        async def action() -> dict:
            vocabulary = await info.context.vocabulary()
            member = await member_for(input.member_id, write=True)
            values = dict(input.values) if isinstance(input.values, dict) else input.values
            await service.update_member_extra(member, values, vocabulary)
            return {"member_extra": _extra(member, vocabulary)}

        return await run_mutation(info, MemberExtraPayload, action)


#: this domain's error codes, as schema enums
EXTRA_TYPES = (error_code_type(PluginErrorCode),)
