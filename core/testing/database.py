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


#: The PostgreSQL role tests run the application as: no SUPERUSER, no BYPASSRLS, owns nothing —
#: so row-level security applies to every statement of the suite, as in production.
TEST_APP_ROLE = "zhibu_test_app"


async def _ensure_app_role(admin_url: str) -> None:
    await _pg_admin(
        admin_url,
        "DO $$ BEGIN "
        f"CREATE ROLE {TEST_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
    )


def as_role(url: str, role: str) -> str:
    """``url`` with its user replaced by ``role`` (no password: the test server trusts local users)."""
    scheme, rest = url.split("://", 1)
    host = rest.rsplit("@", 1)[-1]
    return f"{scheme}://{role}@{host}"


@contextlib.asynccontextmanager
async def test_database() -> AsyncIterator[str]:
    """Create and migrate a database, initialise tortoise on it, yield its URL; drop it after.

    On PostgreSQL the migrations run as the server's admin (the tables' owner) and the application —
    the tests — as :data:`TEST_APP_ROLE`, with row-level security on (see :mod:`core.rls`)."""
    from core.db import close_db, init_db, migrate_db

    names = ("ZHIBU_DB_URL", "ZHIBU_MIGRATE_DB_URL", "ZHIBU_APP_DB_ROLE")
    previous = {name: os.environ.get(name) for name in names}
    async with empty_database() as owner_url:
        url = owner_url
        try:
            if backend() == "postgres":
                await _ensure_app_role(get_settings().test_pg_url)
                await migrate_db(owner_url, app_role=TEST_APP_ROLE)
                url = as_role(owner_url, TEST_APP_ROLE)
                os.environ.update(
                    ZHIBU_MIGRATE_DB_URL=owner_url, ZHIBU_APP_DB_ROLE=TEST_APP_ROLE, ZHIBU_DB_URL=url
                )
            else:
                os.environ["ZHIBU_DB_URL"] = url
                await migrate_db(url)
            await init_db(url)
            try:
                yield url
            finally:
                await close_db()
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
