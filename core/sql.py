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


#: PostgreSQL array element types of the field classes bulk inserts take
_PG_TYPES = {
    "IntField": "integer",
    "BigIntField": "bigint",
    "SmallIntField": "smallint",
    "FloatField": "double precision",
    "BooleanField": "boolean",
    "CharField": "text",
    "TextField": "text",
    "CharEnumField": "text",
    "JSONField": "jsonb",
    "DateField": "date",
}


def _pg_type(model: Any, column: str) -> str:
    meta = model._meta
    name = meta.fields_db_projection_reverse.get(column, column)
    field = meta.fields_map[name]
    kind = _PG_TYPES.get(type(field).__name__)
    if kind is None:
        raise TypeError(f"insert_rows cannot send {type(field).__name__} column {column}")
    return kind


async def insert_rows(
    model: Any, columns: list[str], rows: list[tuple[Any, ...]], *, batch: int = 5000
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into tenant-owned ``model``'s table in bulk, each
    row stamped with the bound tenant (``tenant_id`` is added here, never taken from the caller).

    No model instance per row. On PostgreSQL one ``INSERT … SELECT FROM unnest($1::int[], …)`` per
    batch (the column arrays travel as binary parameters: one statement, one plan, not a row per
    round trip) — not ``COPY``, which PostgreSQL does not run on tables under row-level security;
    on SQLite one prepared ``INSERT`` run with ``executemany``. Returns the number of rows sent."""
    if "tenant_id" in columns:
        raise ValueError("insert_rows stamps tenant_id itself")
    if not rows:
        return 0
    tenant_id = current_tenant_id()
    table = model._meta.db_table
    names = ["tenant_id", *columns]
    conn = connections.get("default")
    if dialect() == "postgres":
        arrays = ", ".join(f"${n}::{_pg_type(model, c)}[]" for n, c in enumerate(names, start=1))
        query = f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({arrays})"
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            await conn.execute_query(query, [[tenant_id] * len(chunk), *map(list, zip(*chunk, strict=True))])
        return len(rows)
    query = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    for start in range(0, len(rows), batch):
        await conn.execute_many(query, [[tenant_id, *row] for row in rows[start : start + batch]])
    return len(rows)
