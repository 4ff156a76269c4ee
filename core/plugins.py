"""The plugin manager: loading, per-tenant hook calls, vocabulary/config/GraphQL contributions.

Loading (once per process, :func:`get_plugin_manager`):

1. the hook specifications of :mod:`core.hookspecs`;
2. the internal plugins (:data:`core.hookspecs.INTERNAL_PLUGINS`), always active for every tenant;
3. every plugin of the ``zhibu`` entry-point group, built-in ones (``plugins/<name>``) exactly like
   third-party packages, unless ``ZHIBU_DISABLE_PLUGIN_AUTOLOAD=1``; ``ZHIBU_BLOCK_PLUGINS=a,b``
   blocks named plugins;
4. ``check_pending()``: a hook implementation whose name matches no spec (a misspelling) fails here.

Per-tenant calls (:func:`collect`, :func:`notify`) reach only the internal plugins plus the
plugins the tenant enabled.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pluggy

from core import hookspecs
from core.error_codes import PluginErrorCode
from core.hookspecs import INTERNAL_PLUGINS, hookimpl
from core.settings import get_settings

__all__ = [
    "hookimpl",
    "get_plugin_manager",
    "reset_plugin_manager",
    "collect",
    "collect_named",
    "notify",
    "startup",
    "graphql_context",
    "plugin_vocabulary",
    "plugin_config_defaults",
    "plugin_validate_config",
    "plugin_graphql_contributions",
    "installed_plugins",
    "PluginInfo",
]

ENV_DISABLE_AUTOLOAD = "ZHIBU_DISABLE_PLUGIN_AUTOLOAD"
ENV_BLOCK = "ZHIBU_BLOCK_PLUGINS"
ENV_EXTRA = "ZHIBU_EXTRA_PLUGINS"
ENTRY_POINT_GROUP = "zhibu"
#: the distribution whose entry points are the built-in plugins
CORE_DISTRIBUTION = "zhibu"


def blocked_plugins() -> set[str]:
    """Plugin names listed in ``ZHIBU_BLOCK_PLUGINS`` (comma separated)."""
    return {name.strip() for name in get_settings().block_plugins.split(",") if name.strip()}


def extra_plugins() -> list[tuple[str, Any]]:
    """Plugin modules named in ``ZHIBU_EXTRA_PLUGINS`` (``name=module.path,…``): loaded like installed
    plugins without being packaged (a plugin under development, a test plugin)."""
    pairs = []
    for item in get_settings().extra_plugins.split(","):
        name, sep, module_name = item.strip().partition("=")
        if not item.strip():
            continue
        if not sep or not name.strip() or not module_name.strip():
            raise RuntimeError(f"{ENV_EXTRA}: expected name=module.path, got {item.strip()!r}")
        pairs.append((name.strip(), importlib.import_module(module_name.strip())))
    return pairs


def builtin_plugins() -> list[tuple[str, Any]]:
    """``(name, module)`` of the plugins zhibu itself ships (its own distribution's entry points)."""
    from importlib.metadata import entry_points

    return sorted(
        (ep.name, ep.load())
        for ep in entry_points(group=ENTRY_POINT_GROUP)
        if ep.dist is not None and ep.dist.name == CORE_DISTRIBUTION
    )


def build_builtin_plugin_manager() -> pluggy.PluginManager:
    """A manager with core and the built-in plugins only (the committed SDL, the catalogue checks)."""
    return build_plugin_manager(autoload=False, extra=builtin_plugins(), with_extra_env=False)


def build_plugin_manager(
    *, autoload: bool | None = None, extra: Iterable[tuple[str, Any]] = (), with_extra_env: bool = True
) -> pluggy.PluginManager:
    """A new, checked plugin manager (``extra``: more ``(name, plugin)`` pairs, e.g. in tests)."""
    pm = pluggy.PluginManager("zhibu")
    pm.add_hookspecs(hookspecs)
    for module_name in INTERNAL_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    for name in blocked_plugins():
        pm.set_blocked(name)
    if autoload is None:
        autoload = not get_settings().disable_plugin_autoload
    if autoload:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for name, plugin in [*(extra_plugins() if with_extra_env else []), *extra]:
        if not pm.is_blocked(name) and pm.get_plugin(name) is None:
            pm.register(plugin, name=name)
    pm.check_pending()
    return pm


_overrides: list[pluggy.PluginManager] = []


@lru_cache(maxsize=1)
def _process_plugin_manager() -> pluggy.PluginManager:
    return build_plugin_manager()


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (built and checked on first use)."""
    if _overrides:
        return _overrides[-1]
    return _process_plugin_manager()


def reset_plugin_manager() -> None:
    """Forget the process-wide manager (tests that change the environment)."""
    _process_plugin_manager.cache_clear()


@contextlib.contextmanager
def use_plugin_manager(pm: pluggy.PluginManager) -> Iterator[pluggy.PluginManager]:
    """Run a block with ``pm`` as the plugin manager (e.g. building the built-in-only schema)."""
    _overrides.append(pm)
    try:
        yield pm
    finally:
        _overrides.remove(pm)


def _active_names(pm: pluggy.PluginManager, enabled_plugins: Iterable[str]) -> set[str]:
    return set(INTERNAL_PLUGINS) | {name for name in enabled_plugins if pm.get_plugin(name) is not None}


def _impls(hook_name: str, enabled_plugins: Iterable[str] | None) -> list[pluggy.HookImpl]:
    """Implementations of ``hook_name`` in call order, limited to active plugins (None: all)."""
    pm = get_plugin_manager()
    impls = list(reversed(getattr(pm.hook, hook_name).get_hookimpls()))  # pluggy calls LIFO
    if enabled_plugins is None:
        return impls
    active = _active_names(pm, enabled_plugins)
    return [impl for impl in impls if impl.plugin_name in active]


def _call(impl: pluggy.HookImpl, kwargs: dict[str, Any]) -> Any:
    return impl.function(*[kwargs[name] for name in impl.argnames])


def collect_named(
    hook_name: str, enabled_plugins: Iterable[str] | None, **kwargs: Any
) -> list[tuple[str, Any]]:
    """``(plugin name, result)`` of each active implementation that returned something."""
    results = []
    for impl in _impls(hook_name, enabled_plugins):
        value = _call(impl, kwargs)
        if value is not None:
            results.append((impl.plugin_name, value))
    return results


def collect(hook_name: str, enabled_plugins: Iterable[str] | None, **kwargs: Any) -> list:
    """Flattened results of a list-returning hook from the internal plugins and ``enabled_plugins``.

    ``collect("zhibu_rules", tenant.enabled_plugins)`` → every rule of the tenant's plugins.
    ``enabled_plugins=None`` asks every installed plugin.
    """
    flat: list = []
    for _name, value in collect_named(hook_name, enabled_plugins, **kwargs):
        if isinstance(value, list | tuple):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


async def _await_me_maybe(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


async def notify(hook_name: str, **kwargs: Any) -> list:
    """Fire an event hook for the internal plugins and the bound tenant's enabled plugins.

    Implementations may be coroutine functions (awaited in turn). With no tenant bound only the
    internal plugins hear it. Returns the non-None results.
    """
    from core.tenancy import bound_tenant_id

    enabled: list[str] = []
    tenant_id = bound_tenant_id()
    if tenant_id is not None:
        enabled = await _enabled_for(tenant_id)
    results = []
    for impl in _impls(hook_name, enabled):
        value = await _await_me_maybe(_call(impl, kwargs))
        if value is not None:
            results.append(value)
    return results


async def _enabled_for(tenant_id: int) -> list[str]:
    from core.models import Tenant

    row = await Tenant.get_or_none(id=tenant_id).only("id", "enabled_plugins")
    return list(row.enabled_plugins or []) if row is not None else []


async def startup(app: Any) -> None:
    """Run ``zhibu_startup(app)`` of every installed plugin (call from the app's lifespan)."""
    for impl in _impls("zhibu_startup", None):
        await _await_me_maybe(_call(impl, {"app": app}))


async def graphql_context(context: Any) -> None:
    """Run ``zhibu_graphql_context(context)`` for the request tenant's active plugins."""
    enabled: list[str] = []
    if getattr(context, "tenant_id", None) is not None:
        tenant = await context.tenant()
        enabled = list(tenant.enabled_plugins or [])
    for impl in _impls("zhibu_graphql_context", enabled):
        await _await_me_maybe(_call(impl, {"context": context}))


# --- contributions -----------------------------------------------------------------------------


def plugin_vocabulary(vocabulary: Any, enabled_plugins: tuple[str, ...]) -> None:
    """Extend ``vocabulary`` (a ``core.registry.Vocabulary``) with the enabled plugins' kinds,
    nesting rules, activity kinds, member categories and member fields."""
    from dataclasses import replace

    for _name, specs in collect_named("zhibu_organization_kinds", enabled_plugins):
        for spec in specs:
            vocabulary.organization_kinds[spec.code] = spec
    for _name, pairs in collect_named("zhibu_nesting_rules", enabled_plugins):
        for parent_kind, child_kind in pairs:
            vocabulary.allow_nesting(parent_kind, child_kind)
    for name, specs in collect_named("zhibu_activity_kinds", enabled_plugins):
        for spec in specs:
            vocabulary.activity_kinds[spec.code] = spec if spec.plugin else replace(spec, plugin=name)
    for name, specs in collect_named("zhibu_member_categories", enabled_plugins):
        for spec in specs:
            vocabulary.member_categories[spec.code] = spec if spec.plugin else replace(spec, plugin=name)
    for name, specs in collect_named("zhibu_member_fields", enabled_plugins):
        for spec in specs:
            if spec.code in vocabulary.member_fields:
                raise RuntimeError(f"member field {spec.code!r} is declared twice (plugin {name})")
            vocabulary.member_fields[spec.code] = spec if spec.plugin else replace(spec, plugin=name)


def config_schemas(enabled_plugins: Iterable[str] | None) -> list[tuple[str, Any]]:
    """``(section, ConfigSchema)`` of the active plugins (several schemas may share a section)."""
    return [
        (schema.section or name, schema)
        for name, result in collect_named("zhibu_config_schema", enabled_plugins)
        for schema in (result if isinstance(result, list | tuple) else [result])
    ]


def memoized(key: tuple, compute: Any) -> Any:
    """``compute()`` once per plugin manager and ``key``.

    For declaration hooks only (kinds, fields, config defaults): their results depend on nothing but
    the installed code and the set of enabled plugins, which must be part of ``key``. Never put tenant
    data into such a result.
    """
    pm = get_plugin_manager()
    cache: dict = pm.__dict__.setdefault("_zhibu_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def plugin_config_defaults(enabled_plugins: tuple[str, ...]) -> Mapping[str, Any]:
    """``{section: defaults}`` contributed by the internal and the enabled plugins.

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
    """Run every active plugin's validator on its section of the effective ``config``."""
    for section, schema in config_schemas(tuple(tenant.enabled_plugins or ())):
        if schema.validate is not None:
            schema.validate(config.get(section, {}), config)


def plugin_graphql_contributions() -> list:
    """``(plugin name, {"query", "mutation", "types"})`` of every installed plugin, by name (so the
    schema's field order does not depend on the order entry points are discovered in)."""
    return sorted(
        ((name, dict(result)) for name, result in collect_named("zhibu_graphql", None)),
        key=lambda item: item[0],
    )


# --- introspection -----------------------------------------------------------------------------


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
    pm = get_plugin_manager()
    infos = [
        _describe(name, plugin, pm)
        for name, plugin in pm.list_name_plugin()
        if plugin is not None and (include_internal or name not in INTERNAL_PLUGINS)
    ]
    return sorted(infos, key=lambda info: info.name)


def plugin_info(name: str) -> PluginInfo | None:
    """The installed (non-internal) plugin called ``name``."""
    pm = get_plugin_manager()
    plugin = pm.get_plugin(name)
    if plugin is None or name in INTERNAL_PLUGINS:
        return None
    return _describe(name, plugin, pm)


# --- per-tenant enablement ---------------------------------------------------------------------

#: The scoring plugin every tenant may use: the engine's core scorer.
BASELINE_SCORING = "baseline"


def _require_installed(name: str) -> PluginInfo:
    from core.errors import DomainError

    info = plugin_info(name)
    if info is None:
        raise DomainError(PluginErrorCode.PLUGIN_NOT_INSTALLED, field="name", plugin=name, name=name)
    return info


async def _store_version(tenant: Any, by: str) -> None:
    """Bump the tenant's config version and keep the effective config it now has."""
    from core.models import TenantConfigVersion
    from core.tenant_config import effective_config

    tenant.config_version = (tenant.config_version or 0) + 1
    await tenant.save()
    await TenantConfigVersion.create(
        tenant=tenant, version=tenant.config_version, config=effective_config(tenant), created_by=by
    )


async def enable_plugin(tenant: Any, name: str, *, by: str = "") -> Any:
    """Enable an installed plugin for ``tenant``; its config defaults join the tenant's config."""
    from core import audit
    from core.errors import DomainError
    from core.guard import require
    from core.tenant_config import deep_merge, defaults_for

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
    await _store_version(tenant, by)
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

    require(None)
    enabled = list(tenant.enabled_plugins or [])
    if name not in enabled:
        raise DomainError(PluginErrorCode.PLUGIN_NOT_ENABLED, field="name", plugin=name, name=name)
    if tenant.scoring_plugin == name:
        raise DomainError(PluginErrorCode.PLUGIN_IS_SCORING, field="name", plugin=name, name=name)
    sections = {section for section, _ in config_schemas([name]) if section != name} | {name}
    sections -= {section for section, _ in config_schemas([n for n in enabled if n != name])}
    before = audit.snapshot(tenant)
    tenant.enabled_plugins = [n for n in enabled if n != name]
    tenant.config = {k: v for k, v in (tenant.config or {}).items() if k not in sections}
    await _store_version(tenant, by)
    audit.changed(tenant, before)
    return tenant


async def set_scoring_plugin(tenant: Any, name: str, *, by: str = "") -> Any:
    """Pick the tenant's one scoring plugin (the baseline or an enabled plugin with scorers)."""
    from core import audit
    from core.errors import DomainError
    from core.guard import require

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
    await _store_version(tenant, by)
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
    if not any(section == name for section, _ in config_schemas([name])):
        raise DomainError(PluginErrorCode.PLUGIN_HAS_NO_CONFIG, field="name", name=name)
    if not isinstance(patch, dict) or not patch:
        raise ValidationFailed("配置修改不能为空", field="patch")
    before = audit.snapshot(tenant)
    await update_config(tenant, {name: patch}, by=by)
    audit.changed(tenant, before)
    return tenant


async def update_member_extra(member: Any, values: dict[str, Any], vocabulary: Any) -> Any:
    """Set plugin member fields (``zhibu_member_fields``) of ``member``; validated, audited."""
    from core import audit
    from core.errors import ValidationFailed
    from core.guard import require

    if not isinstance(values, dict) or not values:
        raise ValidationFailed("扩展信息不能为空", field="values")
    require(member.branch.path)
    cleaned = vocabulary.validate_member_extra(values, partial=True)
    before = audit.snapshot(member)
    extra = dict(member.extra or {})
    for code, value in cleaned.items():
        if value is None:
            extra.pop(code, None)
        else:
            extra[code] = value
    member.extra = extra
    await member.save(update_fields=["extra", "updated_at"])
    audit.changed(member, before)
    return member
