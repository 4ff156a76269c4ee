"""Raw SQL that stays tenant-scoped: for aggregates and bulk updates the ORM cannot express.

Write portable SQL with ``:name`` placeholders; ``:tenant_id`` must appear and is filled from the
bound tenant, so a raw query cannot forget the tenant either. Placeholders are rewritten for the
dialect (``?`` on SQLite, ``$n`` on PostgreSQL).
"""

from __future__ import annotations

import re
from typing import Any

from tortoise import connections

from core.tenancy import current_tenant_id

_PLACEHOLDER = re.compile(r"(?<![:\w]):([a-zA-Z_][a-zA-Z0-9_]*)")


def dialect() -> str:
    return connections.get("default").capabilities.dialect


def _compile(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    names = _PLACEHOLDER.findall(sql)
    if "tenant_id" not in names:
        raise ValueError("tenant-scoped SQL must filter on :tenant_id")
    values: list[Any] = []
    postgres = dialect() == "postgres"
    index: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"missing SQL parameter :{name}")
        if postgres:
            if name not in index:
                values.append(params[name])
                index[name] = len(values)
            return f"${index[name]}"
        values.append(params[name])
        return "?"

    return _PLACEHOLDER.sub(replace, sql), values


async def fetch(sql: str, **params: Any) -> list[dict[str, Any]]:
    """Run a tenant-scoped SELECT; rows as dicts."""
    params["tenant_id"] = current_tenant_id()
    query, values = _compile(sql, params)
    return await connections.get("default").execute_query_dict(query, values)


async def execute(sql: str, **params: Any) -> int:
    """Run a tenant-scoped UPDATE/DELETE/INSERT; returns the affected row count.

    On PostgreSQL tortoise reports 0 affected rows for an INSERT: count inserted rows with
    ``INSERT … RETURNING`` through :func:`fetch` instead."""
    params["tenant_id"] = current_tenant_id()
    query, values = _compile(sql, params)
    affected, _ = await connections.get("default").execute_query(query, values)
    return affected
