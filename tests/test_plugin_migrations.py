"""Migrating an empty database from scratch with every installed plugin, in a fresh process, on the
backend of the run (SQLite, or PostgreSQL with ``ZHIBU_TEST_DB=postgres``); plugin tables follow the
tenancy rules."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from tortoise import Tortoise

from core.db import plugin_apps
from core.testing.database import empty_database as scratch_database

PLUGIN_APPS = ("rural", "enterprise", "newspaper", "foreign_affairs")


async def _zhibu(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()[-3000:]
    return out.decode()


def _plugin_tables() -> dict[str, list[str]]:
    return {label: [model._meta.db_table for model in Tortoise.apps[label].values()] for label in PLUGIN_APPS}


async def _fetch(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite://"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite://")) as conn:
            return list(conn.execute(sql))
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()


@pytest.fixture
async def empty_database():
    """A new, empty database on the run's backend (dropped afterwards)."""
    async with scratch_database("zhibu_scratch") as url:
        yield url


def test_every_plugin_app_has_its_own_migrations():
    apps = plugin_apps()
    for label in PLUGIN_APPS:
        models, migrations = apps[label]
        assert migrations == f"plugins.{label}.migrations"
        package = Path(__file__).resolve().parent.parent / "plugins" / label / "migrations"
        assert (package / "__init__.py").exists() and list(package.glob("0001_*.py"))


def test_plugin_tables_follow_the_tenancy_rules():
    from core.tenancy import TenantManager

    for label, tables in _plugin_tables().items():
        assert all(t.startswith(f"{label}_") for t in tables), tables
        for model in Tortoise.apps[label].values():
            meta = model._meta
            assert isinstance(meta.manager, TenantManager), model
            for index in meta.indexes:
                fields = index if isinstance(index, tuple) else tuple(index.fields)
                assert fields[0] == "tenant_id", (model, fields)
            for unique in meta.unique_together:
                assert unique[0] == "tenant_id", (model, unique)


async def test_migrating_from_scratch_with_all_plugins(empty_database):
    url = empty_database
    await _zhibu("--db", url, "migrate")
    await _zhibu("--db", url, "migrate")  # idempotent
    if url.startswith("sqlite://"):
        rows = await _fetch(url, "SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = await _fetch(
            url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    tables = {r[0] for r in rows}
    for label, expected in _plugin_tables().items():
        assert set(expected) <= tables, (label, set(expected) - tables)
    applied = {r[0] for r in await _fetch(url, "SELECT DISTINCT app FROM tortoise_migrations")}
    assert set(PLUGIN_APPS) | {"core"} <= applied
