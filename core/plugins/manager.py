"""Loading: the process-wide plugin manager, with core's default plugins and hook tracing.

Built once per process (:func:`get_plugin_manager`):

1. the hook specifications of :mod:`core.hookspecs`;
2. core's own plugins (:data:`INTERNAL_PLUGINS`, like datasette's ``DEFAULT_PLUGINS``): core
   contributes its GraphQL domains, tortoise apps, vocabulary, rules, baseline scorer and config
   defaults through the same hooks a plugin implements; always active for every tenant, registered
   first, so their results come first;
3. every plugin of the ``zhibu`` entry-point group, built-in ones (``plugins/<name>``) exactly like
   third-party packages, unless ``ZHIBU_DISABLE_PLUGIN_AUTOLOAD=1``; ``ZHIBU_BLOCK_PLUGINS=a,b``
   blocks named plugins; ``ZHIBU_EXTRA_PLUGINS`` adds unpackaged ones;
4. ``check_pending()``: a hook implementation whose name matches no spec (a misspelling) fails here;
5. with ``ZHIBU_TRACE_HOOKS=1``, pluggy's hook-call monitoring logs every call (:func:`trace_hooks`).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import pluggy

from core import hookspecs
from core.settings import get_settings

ENV_DISABLE_AUTOLOAD = "ZHIBU_DISABLE_PLUGIN_AUTOLOAD"
ENV_BLOCK = "ZHIBU_BLOCK_PLUGINS"
ENV_EXTRA = "ZHIBU_EXTRA_PLUGINS"
ENTRY_POINT_GROUP = "zhibu"
#: the distribution whose entry points are the built-in plugins
CORE_DISTRIBUTION = "zhibu"

#: Core's own plugins, registered for every tenant (always "enabled") before any other, in this
#: order (it is the order of their contributions: the SDL's field order, the tortoise apps…). A
#: listed module that cannot be imported is an error at startup.
INTERNAL_PLUGINS: tuple[str, ...] = (
    "core.defaults.apps",
    "core.defaults.graphql",
    "core.defaults.vocabulary",
    "core.defaults.config",
    "core.defaults.standards",
    "core.access.hooks",
)

log = logging.getLogger("zhibu.plugins")


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
    if get_settings().trace_hooks:
        trace_hooks(pm)
    return pm


def trace_hooks(pm: pluggy.PluginManager) -> Any:
    """Log every hook call of ``pm`` (logger ``zhibu.plugins``, level INFO): the hook, the plugins
    whose implementations were called, and how long the call took (for coroutine implementations:
    the time to call them, not to await them). Returns pluggy's undo function."""
    started: list[float] = []

    def before(hook_name: str, hook_impls: list[pluggy.HookImpl], kwargs: dict[str, Any]) -> None:
        started.append(time.perf_counter())

    def after(outcome: Any, hook_name: str, hook_impls: list[pluggy.HookImpl], kwargs: dict) -> None:
        duration_ms = (time.perf_counter() - started.pop()) * 1000
        names = [impl.plugin_name for impl in reversed(hook_impls)]
        log.info(
            "hook %s: %s (%.3f ms)",
            hook_name,
            ", ".join(names) or "-",
            duration_ms,
            extra={"hook": hook_name, "plugins": names, "duration_ms": round(duration_ms, 3)},
        )

    return pm.add_hookcall_monitoring(before, after)


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
