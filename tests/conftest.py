"""The core suite: zhibu's own test kit (:mod:`core.testing`, the fixtures plugin authors use too) on
SQLite (default) or PostgreSQL (``ZHIBU_TEST_DB=postgres``, ``ZHIBU_TEST_PG_URL``), plus the probe
plugin (``tests/probe_plugin``), loaded in-process so every hook is exercised whatever third-party
plugins are installed. Tests isolate from each other by creating their own tenants.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# before anything builds the plugin manager; subprocesses (CLI tests) inherit both
os.environ["ZHIBU_EXTRA_PLUGINS"] = "probe=tests.probe_plugin"
# background jobs queued by a test wait in the database for a worker the test runs itself, so no
# in-process job outlives the test that queued it (tests of the in-process queue unset this)
os.environ["ZHIBU_JOB_QUEUE"] = "database"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)


@pytest.fixture(scope="session", autouse=True)
def database(zhibu_database):
    """Every core test runs against the session's migrated database."""
    return zhibu_database


@pytest.fixture
def tenant(zhibu_tenant):
    return zhibu_tenant


@pytest.fixture
def admin(zhibu_admin):
    return zhibu_admin


@pytest.fixture
def operator(zhibu_operator):
    return zhibu_operator


@pytest.fixture
async def http():
    """The app (no lifespan: the session's database) over an in-process HTTP client."""
    import httpx

    from core.app import create_app

    app = create_app(manage_db=False, listen_policies=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://zhibu") as client:
        yield client
