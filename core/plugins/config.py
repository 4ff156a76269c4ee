"""Config contributions: the ``zhibu_config_schema`` sections of core (``core.defaults.config``) and
the enabled plugins — their defaults and their validators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from core.plugins.calls import collect_named, collect_named_from, memoized


def config_schemas(enabled_plugins: Iterable[str] | None, *, core: bool = True) -> list[tuple[str, Any]]:
    """``(section, ConfigSchema)`` of core's plugins and ``enabled_plugins`` (several schemas may
    share a section); with ``core=False`` of the named plugins only."""
    named = (
        collect_named("zhibu_config_schema", enabled_plugins)
        if core
        else collect_named_from("zhibu_config_schema", enabled_plugins or ())
    )
    return [
        (schema.section or name, schema)
        for name, result in named
        for schema in (result if isinstance(result, list | tuple) else [result])
    ]


def plugin_config_defaults(enabled_plugins: tuple[str, ...]) -> Mapping[str, Any]:
    """``{section: defaults}`` contributed by core and the enabled plugins: every default a tenant
    with ``enabled_plugins`` has.

    Shared and read-only: merge it into a copy (``core.tenant_config.deep_merge``), never mutate it.
    """
    from core.tenant_config import deep_merge

    def compute() -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for section, schema in config_schemas(enabled_plugins):
            defaults[section] = deep_merge(defaults.get(section, {}), schema.defaults)
        return defaults

    return MappingProxyType(memoized(("config_defaults", tuple(enabled_plugins)), compute))


def plugin_validate_config(tenant: Any, config: dict) -> None:
    """Run core's and every active plugin's validator on its section of the effective ``config``."""
    for section, schema in config_schemas(tuple(tenant.enabled_plugins or ())):
        if schema.validate is not None:
            schema.validate(config.get(section, {}), config)
