"""GraphQL types of installed plugins and their per-tenant state."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.graphql.core.mutations import MutationPayload
from core.graphql.tenants.types import Tenant
from core.plugins import PluginInfo, config_schemas
from core.tenant_config import effective_config


@strawberry.type(description="An installed zhibu plugin and whether the caller's tenant uses it.")
class Plugin:
    name: str = strawberry.field(description="Entry-point name, e.g. rural.")
    label: str = strawberry.field(description="Chinese label.")
    description: str
    version: str = strawberry.field(description="Distribution and version it came from.")
    hooks: list[str] = strawberry.field(description="Hooks the plugin implements.")
    provides_scoring: bool = strawberry.field(description="Whether it may be the scoring plugin.")
    enabled: bool = strawberry.field(description="Enabled for the caller's tenant.")
    is_scoring: bool = strawberry.field(description="The tenant's scoring plugin.")
    config: JSON | None = strawberry.field(
        description="The plugin's config section in force for the tenant (null when not enabled)."
    )

    @classmethod
    def build(cls, info: PluginInfo, tenant) -> Plugin:  # noqa: ANN001
        enabled = info.name in (tenant.enabled_plugins or ())
        config = None
        if enabled and any(section == info.name for section, _ in config_schemas([info.name])):
            config = effective_config(tenant).get(info.name)
        return cls(
            name=info.name,
            label=info.label,
            description=info.description,
            version=info.version,
            hooks=list(info.hooks),
            provides_scoring=info.provides_scoring,
            enabled=enabled,
            is_scoring=tenant.scoring_plugin == info.name,
            config=config,
        )


@strawberry.input(description="A plugin named by its entry-point name.")
class PluginNameInput:
    name: str


@strawberry.input(description="A partial change of a plugin's config section.")
class UpdatePluginConfigInput:
    name: str
    patch: JSON = strawberry.field(description="Keys of the plugin's section to change.")


@strawberry.type
class PluginPayload(MutationPayload):
    plugin: Plugin | None = None
    tenant: Tenant | None = None


@strawberry.type(description="An extra member field contributed by an enabled plugin.")
class MemberField:
    code: str
    label: str
    type: str = strawberry.field(description="TEXT, INT, BOOL, DATE or CHOICE.")
    choices: list[str]
    required: bool
    plugin: str | None


@strawberry.type(description="A member's plugin fields (stored in the member's extra data).")
class MemberExtra:
    member_id: strawberry.ID
    values: JSON


@strawberry.input(description="Values of plugin member fields; null clears a field.")
class UpdateMemberExtraInput:
    member_id: strawberry.ID
    values: JSON


@strawberry.type
class MemberExtraPayload(MutationPayload):
    member_extra: MemberExtra | None = None
