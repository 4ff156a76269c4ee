"""Database configuration: the tortoise apps, their migration packages, init and close."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from core.settings import get_settings

#: The platform's own tortoise apps: label -> (models module, migrations package).
INTERNAL_APPS: dict[str, tuple[str, str]] = {
    "core": ("core.models", "migrations.core"),
    "lifecycle": ("core.lifecycle.models", "migrations.lifecycle"),
    "dues": ("core.dues.models", "migrations.dues"),
    "reminders": ("core.reminders.models", "migrations.reminders"),
    "standards": ("core.standards.models", "migrations.standards"),
    "rectification": ("core.rectification.models", "migrations.rectification"),
    "access": ("core.access.models", "migrations.access"),
}


def plugin_apps() -> dict[str, tuple[str, str]]:
    """Apps contributed by installed plugins (their models and migrations)."""
    from core.plugins import get_plugin_manager

    apps: dict[str, tuple[str, str]] = {}
    for contribution in get_plugin_manager().hook.zhibu_models():
        for label, (models_module, migrations_module) in (contribution or {}).items():
            if label in apps or label in INTERNAL_APPS:
                raise RuntimeError(f"two plugins declare the tortoise app {label!r}")
            apps[label] = (models_module, migrations_module)
    return apps


def tortoise_config(db_url: str | None = None, *, with_plugins: bool = True) -> dict[str, Any]:
    """The tortoise config for ``db_url`` (default: ``ZHIBU_DB_URL``)."""
    apps = dict(INTERNAL_APPS)
    if with_plugins:
        apps.update(plugin_apps())
    return {
        "connections": {"default": db_url or get_settings().db_url},
        "apps": {
            label: {"models": [models], "migrations": migrations, "default_connection": "default"}
            for label, (models, migrations) in apps.items()
        },
        "use_tz": True,
        "timezone": "Asia/Shanghai",
    }


async def init_db(db_url: str | None = None) -> None:
    """Initialise tortoise for this process (connections open lazily)."""
    await Tortoise.init(config=tortoise_config(db_url), _enable_global_fallback=True)


async def migrate_db(db_url: str | None = None) -> None:
    """Apply every pending migration of every app (core and installed plugins)."""
    from tortoise.migrations.api import migrate

    try:
        await migrate(config=tortoise_config(db_url))
    finally:
        await Tortoise.close_connections()


async def close_db() -> None:
    await Tortoise.close_connections()
