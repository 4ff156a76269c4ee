"""The plugin system, split by concern; this package re-exports what plugins, commands and docs import.

- :mod:`core.plugins.manager` — loading: the plugin manager with core's own plugins
  (:data:`INTERNAL_PLUGINS`, modules under ``core.defaults``: core contributes through the same
  hooks as any plugin), entry points, the env switches, hook tracing (``ZHIBU_TRACE_HOOKS``);
- :mod:`core.plugins.calls` — calling: per-tenant hook calls through pluggy's
  ``subset_hook_caller`` (core plus the tenant's enabled plugins), events, startup;
- :mod:`core.plugins.vocabulary` — kinds, nesting rules, categories, member fields;
- :mod:`core.plugins.config` — config sections: defaults and validators;
- :mod:`core.plugins.graphql` — GraphQL contributions, core's domains first;
- :mod:`core.plugins.domains` — tenant domains (the kinds of agency a tenant may be);
- :mod:`core.plugins.enablement` — installed plugins and per-tenant enablement;
- :mod:`core.plugins.members` — plugin member fields on a member.
"""

from __future__ import annotations

from core.hookspecs import hookimpl
from core.plugins.calls import (
    call,
    collect,
    collect_named,
    collect_named_from,
    graphql_context,
    hook_caller,
    implementers,
    memoized,
    notify,
    startup,
)
from core.plugins.config import config_schemas, plugin_config_defaults, plugin_validate_config
from core.plugins.domains import OTHER_DOMAIN, tenant_domain, tenant_domains
from core.plugins.enablement import (
    BASELINE_SCORING,
    PluginInfo,
    disable_plugin,
    enable_plugin,
    installed_plugins,
    plugin_info,
    scoring_plugin_names,
    set_scoring_plugin,
    update_plugin_config,
)
from core.plugins.graphql import plugin_graphql_contributions
from core.plugins.manager import (
    CORE_DISTRIBUTION,
    ENTRY_POINT_GROUP,
    ENV_BLOCK,
    ENV_DISABLE_AUTOLOAD,
    ENV_EXTRA,
    INTERNAL_PLUGINS,
    blocked_plugins,
    build_builtin_plugin_manager,
    build_plugin_manager,
    builtin_plugins,
    extra_plugins,
    get_plugin_manager,
    reset_plugin_manager,
    trace_hooks,
    use_plugin_manager,
)
from core.plugins.members import update_member_extra
from core.plugins.vocabulary import plugin_vocabulary

__all__ = [
    "BASELINE_SCORING",
    "CORE_DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "ENV_BLOCK",
    "ENV_DISABLE_AUTOLOAD",
    "ENV_EXTRA",
    "INTERNAL_PLUGINS",
    "OTHER_DOMAIN",
    "PluginInfo",
    "blocked_plugins",
    "build_builtin_plugin_manager",
    "build_plugin_manager",
    "builtin_plugins",
    "call",
    "collect",
    "collect_named",
    "collect_named_from",
    "config_schemas",
    "disable_plugin",
    "enable_plugin",
    "extra_plugins",
    "get_plugin_manager",
    "graphql_context",
    "hook_caller",
    "hookimpl",
    "implementers",
    "installed_plugins",
    "memoized",
    "notify",
    "plugin_config_defaults",
    "plugin_graphql_contributions",
    "plugin_info",
    "plugin_validate_config",
    "plugin_vocabulary",
    "reset_plugin_manager",
    "scoring_plugin_names",
    "set_scoring_plugin",
    "tenant_domain",
    "tenant_domains",
    "startup",
    "trace_hooks",
    "update_member_extra",
    "update_plugin_config",
    "use_plugin_manager",
]
