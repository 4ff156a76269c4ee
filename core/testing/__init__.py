"""zhibu's test kit, for core and for plugin authors (``pip install zhibu`` ships it).

- :class:`GraphQLClient`: runs operations against the real schema as a given :class:`Principal`;
- :func:`make_tenant`: a fresh tenant (tests isolate from each other by tenant);
- :func:`count_statements`, :func:`slow_database`: how many SQL statements a block sends, and a
  database that answers slowly (batching must not depend on timing);
- :func:`gid` / :func:`db_id`: Relay global IDs.

The pytest fixtures (a migrated database per test session on SQLite or PostgreSQL, clients,
tenants) live in :mod:`core.testing.pytest_plugin`, registered with pytest through the ``pytest11``
entry point, so a plugin's own tests get them by installing zhibu. See docs/plugins.md.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import logging
import re
from collections.abc import Iterator
from typing import Any

from core.graphql.core.context import Context
from core.principal import Principal
from core.tenancy import platform_scope
from schema import get_schema

_SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
_slugs = itertools.count(1)


class GraphQLError(AssertionError):
    pass


class GraphQLClient:
    """Executes operations against the real schema with a context built for ``principal``."""

    def __init__(self, principal: Principal):
        self.principal = principal

    async def execute(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        variables = {**(variables or {}), **kw}
        context = Context(principal=self.principal)
        return await get_schema().execute(query, variable_values=variables, context_value=context)

    async def ok(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        """Run and return ``data``; fail the test on any GraphQL error."""
        result = await self.execute(query, variables, **kw)
        if result.errors:
            raise GraphQLError([(e.message, e.extensions, e.path) for e in result.errors])
        return result.data

    async def mutate(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        """Run a mutation whose single root field returns a payload; fail on payload errors."""
        data = await self.ok(query, variables, **kw)
        (payload,) = data.values()
        if payload.get("errors"):
            raise GraphQLError(payload["errors"])
        return payload

    async def error_code(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> str:
        """The code of the (single) expected failure: payload error or GraphQL error extension."""
        result = await self.execute(query, variables, **kw)
        if result.errors:
            return (result.errors[0].extensions or {}).get("code", result.errors[0].message)
        (payload,) = result.data.values()
        assert payload["errors"], f"expected an error, got {payload}"
        return payload["errors"][0]["code"]


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _SQL.match(message):
            self.statements.append(message)


@contextlib.contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect the SQL statements tortoise sends inside the block."""
    logger = logging.getLogger("tortoise.db_client")
    handler = _Counter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextlib.contextmanager
def slow_database(delays: tuple[float, ...] = (0.004, 0.0, 0.012, 0.001, 0.02, 0.0)) -> Iterator[None]:
    """Every read statement answers after a delay (cycling through ``delays``, in seconds), as a slow
    or loaded database would: batching must not depend on how fast the database answers."""
    from tortoise import connections

    client_class = type(connections.get("default"))
    originals = {name: getattr(client_class, name) for name in ("execute_query", "execute_query_dict")}
    ticks = itertools.count()

    def slowed(original: Any) -> Any:
        async def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(delays[next(ticks) % len(delays)])
            return await original(self, *args, **kwargs)

        return run

    for name, original in originals.items():
        setattr(client_class, name, slowed(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(client_class, name, original)


def gid(type_name: str, pk: int) -> str:
    """The Relay global ID of row ``pk`` of GraphQL type ``type_name``."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def db_id(node_or_gid: dict | str) -> int:
    """The database id inside a Relay global id (or a node dict with ``id``)."""
    value = node_or_gid["id"] if isinstance(node_or_gid, dict) else node_or_gid
    return int(base64.b64decode(value).decode().split(":", 1)[1])


def unique_slug(prefix: str = "t") -> str:
    import os

    return f"{prefix}-{os.getpid()}-{next(_slugs)}"


async def make_tenant(
    *,
    domain: str = "other",
    plugins: list[str] | None = None,
    scoring: str = "baseline",
    name: str = "",
):
    """A fresh tenant (tests isolate from each other by tenant)."""
    from core.services.tenants import create_tenant

    slug = unique_slug(domain.replace("_", "-")[:10])
    with platform_scope():
        return await create_tenant(
            slug=slug,
            name=name or f"测试单位 {slug}",
            domain=domain,
            enabled_plugins=plugins or [],
            scoring_plugin=scoring,
        )
