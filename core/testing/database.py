"""A throwaway, migrated database for one test session: SQLite (default) or PostgreSQL.

``ZHIBU_TEST_DB=postgres`` runs against ``ZHIBU_TEST_PG_URL`` (default
``postgres://postgres@127.0.0.1:5432/test``): a database named ``<ZHIBU_TEST_DB_PREFIX>_<random>``
(prefix default ``zhibu_test``) is created for the session and dropped afterwards. SQLite uses a file
in a new temporary directory. Every app is migrated from scratch (core, built-in and installed
plugins), which also tests the migrations.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from core.settings import get_settings


def backend() -> str:
    """``sqlite`` or ``postgres`` (``ZHIBU_TEST_DB``)."""
    return get_settings().test_db


async def _pg_admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def empty_database(prefix: str | None = None) -> AsyncIterator[str]:
    """A new, empty database on the session's backend; yields its URL and removes it afterwards."""
    if backend() == "postgres":
        admin_url = get_settings().test_pg_url
        prefix = prefix or get_settings().test_db_prefix
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", prefix):
            raise RuntimeError("ZHIBU_TEST_DB_PREFIX: lower-case letters, digits and _ only")
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        await _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
        try:
            yield admin_url.rsplit("/", 1)[0] + "/" + name
        finally:
            await _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        folder = Path(tempfile.mkdtemp(prefix=f"{prefix or 'zhibu-test'}-"))
        try:
            yield f"sqlite://{folder / 'test.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.asynccontextmanager
async def test_database() -> AsyncIterator[str]:
    """Create and migrate a database, initialise tortoise on it, yield its URL; drop it after."""
    from core.db import close_db, init_db, migrate_db

    async with empty_database() as url:
        previous = os.environ.get("ZHIBU_DB_URL")
        os.environ["ZHIBU_DB_URL"] = url
        try:
            await migrate_db(url)
            await init_db(url)
            try:
                yield url
            finally:
                await close_db()
        finally:
            if previous is None:
                os.environ.pop("ZHIBU_DB_URL", None)
            else:
                os.environ["ZHIBU_DB_URL"] = previous
