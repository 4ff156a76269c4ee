"""Plugin manager (placeholder until the plugin issue lands: no plugins registered)."""

from functools import lru_cache

import pluggy

hookimpl = pluggy.HookimplMarker("zhibu")


class _Specs:
    @pluggy.HookspecMarker("zhibu")
    def zhibu_models(self):  # noqa: ANN201
        """Return {app_label: (models module, migrations package)}."""


@lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("zhibu")
    pm.add_hookspecs(_Specs)
    return pm


def plugin_vocabulary(vocabulary, enabled_plugins: tuple[str, ...]) -> None:
    """Extend ``vocabulary`` with the enabled plugins' kinds (filled in by the plugin system)."""
    return None


def plugin_config_defaults(enabled_plugins: tuple[str, ...]) -> dict:
    """Config defaults contributed by the enabled plugins (filled in by the plugin system)."""
    return {}


def plugin_validate_config(tenant, config: dict) -> None:
    """Let enabled plugins validate ``config`` (filled in by the plugin system)."""
    return None


def plugin_graphql_contributions() -> list:
    """(plugin name, {"query", "mutation", "types"}) of installed plugins (plugin system)."""
    return []


def collect(hook_name: str, enabled_plugins, **kwargs) -> list:
    """Flattened results of ``hook_name`` from the given enabled plugins (plugin system)."""
    return []


async def notify(hook_name: str, **kwargs) -> None:
    """Fire an event hook (e.g. ``zhibu_activity_recorded``) for the bound tenant's enabled
    plugins (plugin system)."""
    return None
