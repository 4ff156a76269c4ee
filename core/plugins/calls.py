"""Calling hooks: every call goes through pluggy, per tenant through ``pm.subset_hook_caller``.

A tenant reaches core's plugins (:data:`core.plugins.manager.INTERNAL_PLUGINS`) plus the plugins
it enabled. :func:`hook_caller` gives pluggy's subset caller that leaves every other plugin out;
it is made once per plugin manager, hook and enabled set (the cache key is the tenant's enabled
tuple — the only tenant data a hook call depends on). Installation-wide hooks use ``pm.hook``.

Results come in registration order — core first, then the plugins in the order they were loaded —
which is ``get_hookimpls()``'s order and pluggy's call order (LIFO) reversed; so core's
contributions (the SDL's fields, the tortoise apps,
the vocabulary, the config defaults) always come first and a plugin can override them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import pluggy

from core.plugins import manager


def _cache(pm: pluggy.PluginManager, name: str) -> dict:
    return pm.__dict__.setdefault(name, {})


def _subset(pm: pluggy.PluginManager, hook_name: str, keep: set[str], key: tuple) -> pluggy.HookCaller:
    callers = _cache(pm, "_zhibu_callers")
    if key not in callers:
        remove = [plugin for name, plugin in pm.list_name_plugin() if plugin is not None and name not in keep]
        callers[key] = pm.subset_hook_caller(hook_name, remove_plugins=remove)
    return callers[key]


def hook_caller(hook_name: str, enabled_plugins: Iterable[str] | None) -> pluggy.HookCaller:
    """The caller of ``hook_name`` for core plus ``enabled_plugins`` (None: every installed plugin)."""
    pm = manager.get_plugin_manager()
    if enabled_plugins is None:
        return getattr(pm.hook, hook_name)
    enabled = tuple(enabled_plugins)
    return _subset(
        pm, hook_name, set(manager.INTERNAL_PLUGINS) | set(enabled), ("tenant", hook_name, enabled)
    )


def _only(hook_name: str, plugin_name: str) -> pluggy.HookCaller:
    """The caller of ``hook_name`` that reaches the one plugin ``plugin_name``."""
    pm = manager.get_plugin_manager()
    return _subset(pm, hook_name, {plugin_name}, ("only", hook_name, plugin_name))


def call(hook_name: str, enabled_plugins: Iterable[str] | None, **kwargs: Any) -> list:
    """The non-None results of the hook for core plus ``enabled_plugins``, in registration order."""
    return list(reversed(hook_caller(hook_name, enabled_plugins)(**kwargs)))


def implementers(hook_name: str, enabled_plugins: Iterable[str] | None) -> list[str]:
    """Names of the plugins that implement ``hook_name`` and are active, in registration order."""
    return [impl.plugin_name for impl in hook_caller(hook_name, enabled_plugins).get_hookimpls()]


def collect_named_from(hook_name: str, plugin_names: Iterable[str], **kwargs: Any) -> list[tuple[str, Any]]:
    """``(plugin name, result)`` of exactly the plugins ``plugin_names`` (core only if named), one
    pluggy call per plugin, in registration order."""
    wanted = set(plugin_names)
    results = []
    for name in implementers(hook_name, None):
        if name in wanted:
            results.extend((name, value) for value in _only(hook_name, name)(**kwargs))
    return results


def collect_named(
    hook_name: str, enabled_plugins: Iterable[str] | None, **kwargs: Any
) -> list[tuple[str, Any]]:
    """``(plugin name, result)`` of each active implementation (core and ``enabled_plugins``; None:
    every installed plugin) that returned something."""
    return collect_named_from(hook_name, implementers(hook_name, enabled_plugins), **kwargs)


def collect(hook_name: str, enabled_plugins: Iterable[str] | None, **kwargs: Any) -> list:
    """Flattened results of a list-returning hook from core's plugins and ``enabled_plugins``.

    ``collect("zhibu_rules", tenant.enabled_plugins, vocabulary=v)`` → core's rules, then every
    rule of the tenant's plugins. ``enabled_plugins=None`` asks every installed plugin.
    """
    flat: list = []
    for value in call(hook_name, enabled_plugins, **kwargs):
        if isinstance(value, list | tuple):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def memoized(key: tuple, compute: Any) -> Any:
    """``compute()`` once per plugin manager and ``key``.

    For declaration hooks only (kinds, fields, config defaults): their results depend on nothing but
    the installed code and the set of enabled plugins, which must be part of ``key``. Never put tenant
    data into such a result.
    """
    cache = _cache(manager.get_plugin_manager(), "_zhibu_memo")
    if key not in cache:
        cache[key] = compute()
    return cache[key]


async def _await_all(values: list) -> list:
    results = []
    for value in values:
        if inspect.isawaitable(value):
            value = await value
        if value is not None:
            results.append(value)
    return results


async def notify(hook_name: str, **kwargs: Any) -> list:
    """Fire an event hook for core's plugins and the bound tenant's enabled plugins.

    Implementations may be coroutine functions (awaited in turn, in registration order). With no
    tenant bound only core's plugins hear it. Returns the non-None results.
    """
    from core.tenancy import bound_tenant_id

    enabled: list[str] = []
    tenant_id = bound_tenant_id()
    if tenant_id is not None:
        enabled = await _enabled_for(tenant_id)
    return await _await_all(call(hook_name, enabled, **kwargs))


async def _enabled_for(tenant_id: int) -> list[str]:
    from core.models import Tenant

    row = await Tenant.get_or_none(id=tenant_id).only("id", "enabled_plugins")
    return list(row.enabled_plugins or []) if row is not None else []


async def startup(app: Any) -> None:
    """Run ``zhibu_startup(app)`` of every installed plugin (call from the app's lifespan)."""
    await _await_all(call("zhibu_startup", None, app=app))


async def graphql_context(context: Any) -> None:
    """Run ``zhibu_graphql_context(context)`` for the request tenant's active plugins."""
    enabled: list[str] = []
    if getattr(context, "tenant_id", None) is not None:
        tenant = await context.tenant()
        enabled = list(tenant.enabled_plugins or [])
    await _await_all(call("zhibu_graphql_context", enabled, context=context))
