"""pytest fixtures for zhibu and its plugins (registered through the ``pytest11`` entry point).

Fixtures (none is autouse: a test, or a ``conftest.py`` autouse fixture, asks for them):

- ``zhibu_database`` (session): a freshly migrated database (see :mod:`core.testing.database`);
- ``zhibu_tenant``: a new tenant of the ``other`` domain, no plugins;
- ``zhibu_admin``: a :class:`~core.testing.GraphQLClient` as that tenant's administrator;
- ``zhibu_operator``: a client as a platform operator.

Every coroutine test that uses them runs in the session's event loop (the database connections
belong to it), so a plugin needs no pytest-asyncio loop settings of its own beyond
``asyncio_mode = "auto"``.
"""

from __future__ import annotations

import inspect

import pytest
import pytest_asyncio

KIT_FIXTURES = frozenset({"zhibu_database", "zhibu_tenant", "zhibu_admin", "zhibu_operator"})


def _uses_zhibu(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & KIT_FIXTURES)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        if function is not None and inspect.iscoroutinefunction(function) and _uses_zhibu(item):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def zhibu_database():
    """The URL of the session's migrated test database (tortoise is initialised on it).

    Tests run in development mode (``ZHIBU_DEBUG``) with cheap password hashing, unless the
    environment says otherwise."""
    import os

    from core.testing.database import test_database

    os.environ.setdefault("ZHIBU_DEBUG", "1")
    os.environ.setdefault("ZHIBU_PASSWORD_HASHING", "fast-insecure")
    async with test_database() as url:
        yield url


@pytest_asyncio.fixture(loop_scope="session")
async def zhibu_tenant(zhibu_database):
    """A fresh tenant of the 'other' domain with no plugins."""
    from core.testing import make_tenant

    return await make_tenant()


@pytest.fixture
def zhibu_admin(zhibu_tenant):
    """A GraphQL client acting as the administrator of ``zhibu_tenant``."""
    from core.principal import Principal
    from core.testing import GraphQLClient

    return GraphQLClient(Principal.tenant_admin(zhibu_tenant.id, label="测试管理员"))


@pytest.fixture
def zhibu_operator(zhibu_database):
    """A GraphQL client acting as a platform operator."""
    from core.principal import Principal
    from core.testing import GraphQLClient

    return GraphQLClient(Principal.platform_operator(label="平台运营"))
