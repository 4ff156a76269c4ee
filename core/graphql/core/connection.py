"""Relay-style cursor connections with bounded page sizes, paginated in SQL.

Cursors are opaque (base64 of the row's offset in the ordered result); ``first``/``last`` are capped
at ``Settings.max_page_size``. ``totalCount`` is one ``COUNT(*)`` and is only run when asked for.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from core.errors import ValidationFailed
from core.settings import get_settings

T = TypeVar("T")

_PREFIX = "cursor:"


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.b64decode(cursor.encode()).decode()
        if not raw.startswith(_PREFIX):
            raise ValueError(raw)
        return int(raw[len(_PREFIX) :])
    except Exception as exc:  # noqa: BLE001
        raise ValidationFailed("分页游标无效", field="after", cursor=cursor) from exc


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An edge of a connection: a node and its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results (Relay cursor connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count_query: strawberry.Private[QuerySet | None] = None

    @strawberry.field(description="Number of results across all pages (one COUNT query).")
    async def total_count(self) -> int:
        if self._count_query is None:
            return len(self.edges)
        return await self._count_query.count()

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


async def paginate(
    queryset: QuerySet,
    convert: Callable[[Any], T],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[T]:
    """One page of ``queryset`` (which must be ordered) as a :class:`Connection`."""
    settings = get_settings()
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= settings.max_page_size:
            raise ValidationFailed(
                f"{name} 必须在 0 到 {settings.max_page_size} 之间", field=name, limit=value
            )
    if first is not None and last is not None:
        raise ValidationFailed("first 与 last 不能同时使用", field="last")
    start = decode_cursor(after) + 1 if after else 0
    end = decode_cursor(before) if before else None  # exclusive
    if last is not None:
        if end is None:
            total = await queryset.count()
            end = total
        start = max(start, end - last)
        limit = end - start
    else:
        size = first if first is not None else settings.default_page_size
        limit = size if end is None else max(0, min(size, end - start))
    rows = list(await queryset.offset(start).limit(limit + 1)) if limit else []
    has_more = len(rows) > limit
    rows = rows[:limit]
    edges = [Edge(cursor=encode_cursor(start + i), node=convert(row)) for i, row in enumerate(rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_more if last is None else (end is not None and before is not None),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count_query=queryset,
    )
