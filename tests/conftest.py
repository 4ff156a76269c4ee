"""Test database: migrated from scratch once per run, on SQLite (default) or PostgreSQL.

``ZHIBU_TEST_DB=postgres`` runs against ``ZHIBU_TEST_PG_URL`` (default
``postgres://postgres@127.0.0.1:5432/test``): a throwaway database is created for the run and
dropped afterwards. Tests isolate from each other by creating their own tenants.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest
import pytest_asyncio

from core.db import close_db, init_db, migrate_db
from core.principal import Principal
from tests.support import GraphQLClient, make_tenant

BACKEND = os.environ.get("ZHIBU_TEST_DB", "sqlite")


async def _pg_admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest_asyncio.fixture(scope="session", autouse=True)
async def database():
    """Create and migrate the run's database; yield its URL."""
    if BACKEND == "postgres":
        admin_url = os.environ.get("ZHIBU_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
        name = f"zhibu_test_{uuid.uuid4().hex[:12]}"
        await _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
        url = admin_url.rsplit("/", 1)[0] + "/" + name
    else:
        tmp = Path(tempfile.mkdtemp(prefix="zhibu-test-"))
        url = f"sqlite://{tmp / 'test.sqlite3'}"
    os.environ["ZHIBU_DB_URL"] = url
    await migrate_db(url)
    await init_db(url)
    try:
        yield url
    finally:
        await close_db()
        if BACKEND == "postgres":
            await _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest_asyncio.fixture
async def tenant():
    """A fresh tenant of the 'other' domain with no plugins."""
    return await make_tenant()


@pytest.fixture
def admin(tenant) -> GraphQLClient:
    """A GraphQL client acting as the tenant's administrator."""
    return GraphQLClient(Principal.tenant_admin(tenant.id, label="测试管理员"))


@pytest.fixture
def operator() -> GraphQLClient:
    """A GraphQL client acting as a platform operator."""
    return GraphQLClient(Principal.platform_operator(label="平台运营"))
