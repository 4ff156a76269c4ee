"""Database configuration: the tortoise apps, their migration packages, init and close."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from core.settings import get_settings


def plugin_apps(*, core_only: bool = False) -> dict[str, tuple[str, str]]:
    """The tortoise apps (``zhibu_models``): core's (``core.defaults.apps``) first, then the
    installed plugins' (their models and migrations); with ``core_only`` core's alone."""
    from core.plugins import INTERNAL_PLUGINS, collect_named, collect_named_from

    named = (
        collect_named_from("zhibu_models", INTERNAL_PLUGINS)
        if core_only
        else collect_named("zhibu_models", None)
    )
    apps: dict[str, tuple[str, str]] = {}
    for _name, contribution in named:
        for label, (models_module, migrations_module) in (contribution or {}).items():
            if label in apps:
                raise RuntimeError(f"two plugins declare the tortoise app {label!r}")
            apps[label] = (models_module, migrations_module)
    return apps


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "asyncpg://"))


def connection_config(url: str) -> str | dict[str, Any]:
    """A tortoise connection for ``url``; PostgreSQL through the row-level-security engine."""
    if not is_postgres(url):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    from core.rls import ENGINE

    config = expand_db_url(url)
    config["engine"] = ENGINE
    return config


def tortoise_config(db_url: str | None = None, *, with_plugins: bool = True) -> dict[str, Any]:
    """The tortoise config for ``db_url`` (default: ``ZHIBU_DB_URL``)."""
    apps = plugin_apps(core_only=not with_plugins)
    return {
        "connections": {"default": connection_config(db_url or get_settings().db_url)},
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


def migration_url(db_url: str | None = None) -> str:
    """Where ``zhibu migrate`` connects: ``db_url``, else ``ZHIBU_MIGRATE_DB_URL`` (the tables'
    owner), else ``ZHIBU_DB_URL``."""
    settings = get_settings()
    return db_url or settings.migrate_db_url or settings.db_url


async def migrate_db(db_url: str | None = None, *, app_role: str | None = None) -> None:
    """Apply every pending migration of every app (core and installed plugins); on PostgreSQL then
    put row-level security on every tenant table and grant ``ZHIBU_APP_DB_ROLE`` (:mod:`core.rls`);
    then bring every tenant's access policies up to date (:func:`sync_all_policies`).

    Migrations are platform work (a data migration sees every tenant's rows)."""
    from tortoise import connections
    from tortoise.migrations.api import migrate

    from core.tenancy import platform_scope

    url = migration_url(db_url)
    with platform_scope():
        try:
            await migrate(config=tortoise_config(url))
            await Tortoise.init(config=tortoise_config(url))
            if is_postgres(url):
                from core.rls import ensure_row_level_security

                role = app_role or get_settings().app_db_role
                await ensure_row_level_security(connections.get("default"), role)
            await sync_all_policies()
        finally:
            await Tortoise.close_connections()


async def sync_all_policies() -> None:
    """Every active tenant's access policies brought in line with the role table — which grows when
    an installed plugin declares permissions (``zhibu_permissions``)."""
    from core.access.roles import sync_tenant_policies
    from core.models import Tenant
    from core.tenancy import platform_scope, tenant_scope

    with platform_scope():
        tenant_ids = await Tenant.filter(is_active=True).values_list("id", flat=True)
    for tenant_id in tenant_ids:
        with tenant_scope(tenant_id):
            await sync_tenant_policies(tenant_id)


async def close_db() -> None:
    await Tortoise.close_connections()
