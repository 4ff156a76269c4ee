"""Installed plugins (introspection) and per-tenant enablement: enable, disable, pick the scoring
plugin, change a plugin's config section. Each change is audited and stores a new config version
(:func:`core.tenant_config.new_config_version`)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pluggy

from core.error_codes import PluginErrorCode
from core.plugins import manager
from core.plugins.calls import collect
from core.plugins.config import config_schemas, plugin_validate_config
from core.plugins.manager import INTERNAL_PLUGINS


@dataclass(frozen=True)
class PluginInfo:
    """An installed plugin as shown by ``zhibu plugins`` and the ``plugins`` query."""

    name: str
    label: str
    description: str
    version: str
    hooks: tuple[str, ...]
    internal: bool
    provides_scoring: bool


def _describe(name: str, plugin: Any, pm: pluggy.PluginManager) -> PluginInfo:
    version = ""
    for plugin_obj, dist in pm.list_plugin_distinfo():
        if plugin_obj is plugin:
            version = f"{dist.project_name} {dist.version}"
    doc = (inspect.getdoc(plugin) or "").strip()
    hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or []))
    return PluginInfo(
        name=name,
        label=str(getattr(plugin, "LABEL", name)),
        description=" ".join(doc.split("\n\n")[0].split()) if doc else "",
        version=version,
        hooks=hooks,
        internal=name in INTERNAL_PLUGINS,
        provides_scoring="zhibu_scorers" in hooks,
    )


def installed_plugins(*, include_internal: bool = False) -> list[PluginInfo]:
    """Every registered plugin, sorted by name."""
    pm = manager.get_plugin_manager()
    infos = [
        _describe(name, plugin, pm)
        for name, plugin in pm.list_name_plugin()
        if plugin is not None and (include_internal or name not in INTERNAL_PLUGINS)
    ]
    return sorted(infos, key=lambda info: info.name)


def plugin_info(name: str) -> PluginInfo | None:
    """The installed (non-internal) plugin called ``name``."""
    pm = manager.get_plugin_manager()
    plugin = pm.get_plugin(name)
    if plugin is None or name in INTERNAL_PLUGINS:
        return None
    return _describe(name, plugin, pm)


#: The scoring plugin every tenant may use: the engine's core scorer.
BASELINE_SCORING = "baseline"


def _require_installed(name: str) -> PluginInfo:
    from core.errors import DomainError

    info = plugin_info(name)
    if info is None:
        raise DomainError(PluginErrorCode.PLUGIN_NOT_INSTALLED, field="name", plugin=name, name=name)
    return info


async def enable_plugin(tenant: Any, name: str, *, by: str = "") -> Any:
    """Enable an installed plugin for ``tenant``; its config defaults join the tenant's config."""
    from core import audit
    from core.errors import DomainError
    from core.guard import require
    from core.tenant_config import deep_merge, defaults_for, new_config_version

    require(None)
    _require_installed(name)
    enabled = list(tenant.enabled_plugins or [])
    if name in enabled:
        raise DomainError(PluginErrorCode.PLUGIN_ALREADY_ENABLED, field="name", plugin=name, name=name)
    before = audit.snapshot(tenant)
    tenant.enabled_plugins = [*enabled, name]
    try:
        plugin_validate_config(tenant, deep_merge(defaults_for(tenant), tenant.config or {}))
    except DomainError:
        tenant.enabled_plugins = enabled
        raise
    await new_config_version(tenant, by=by)
    audit.changed(tenant, before)
    return tenant


def scoring_plugin_names(tenant: Any) -> list[str]:
    """Scoring plugins ``tenant`` may choose: the baseline and enabled plugins with scorers."""
    names = [BASELINE_SCORING]
    for name in tenant.enabled_plugins or ():
        info = plugin_info(name)
        if info is not None and info.provides_scoring:
            names.append(name)
    for scorer in collect("zhibu_scorers", tenant.enabled_plugins or ()):
        code = getattr(scorer, "code", "")
        if code and code not in names:
            names.append(code)
    return names


async def disable_plugin(tenant: Any, name: str, *, by: str = "") -> Any:
    """Disable a plugin; its config overrides are dropped (kept in the config history)."""
    from core import audit
    from core.errors import DomainError
    from core.guard import require
    from core.tenant_config import new_config_version

    require(None)
    enabled = list(tenant.enabled_plugins or [])
    if name not in enabled:
        raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, field="name", plugin=name, name=name)
    if tenant.scoring_plugin == name:
        raise DomainError(PluginErrorCode.PLUGIN_IS_SCORING, field="name", plugin=name, name=name)
    sections = {section for section, _ in config_schemas([name], core=False) if section != name} | {name}
    sections -= {section for section, _ in config_schemas([n for n in enabled if n != name], core=False)}
    before = audit.snapshot(tenant)
    tenant.enabled_plugins = [n for n in enabled if n != name]
    tenant.config = {k: v for k, v in (tenant.config or {}).items() if k not in sections}
    await new_config_version(tenant, by=by)
    audit.changed(tenant, before)
    return tenant


async def set_scoring_plugin(tenant: Any, name: str, *, by: str = "") -> Any:
    """Pick the tenant's one scoring plugin (the baseline or an enabled plugin with scorers)."""
    from core import audit
    from core.errors import DomainError
    from core.guard import require
    from core.tenant_config import new_config_version

    require(None)
    if name not in scoring_plugin_names(tenant):
        if plugin_info(name) is None:
            _require_installed(name)
        if name not in (tenant.enabled_plugins or ()):
            raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, field="name", plugin=name, name=name)
        raise DomainError(PluginErrorCode.PLUGIN_NOT_SCORING, field="name", plugin=name, name=name)
    if tenant.scoring_plugin == name:
        raise DomainError(PluginErrorCode.SCORING_PLUGIN_UNCHANGED, field="name", name=name)
    before = audit.snapshot(tenant)
    tenant.scoring_plugin = name
    await new_config_version(tenant, by=by)
    audit.changed(tenant, before)
    return tenant


async def update_plugin_config(tenant: Any, name: str, patch: dict[str, Any], *, by: str = "") -> Any:
    """Change the plugin's config section; validated against its schema, stored as a new version."""
    from core import audit
    from core.errors import DomainError, ValidationFailed
    from core.guard import require
    from core.tenant_config import update_config

    require(None)
    _require_installed(name)
    if name not in (tenant.enabled_plugins or ()):
        raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, field="name", plugin=name, name=name)
    if not any(section == name for section, _ in config_schemas([name], core=False)):
        raise DomainError(PluginErrorCode.PLUGIN_HAS_NO_CONFIG, field="name", name=name)
    if not isinstance(patch, dict) or not patch:
        raise ValidationFailed("配置修改不能为空", field="patch")
    before = audit.snapshot(tenant)
    await update_config(tenant, {name: patch}, by=by)
    audit.changed(tenant, before)
    return tenant
