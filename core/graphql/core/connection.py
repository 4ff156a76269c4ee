"""Relay-style cursor connections with bounded page sizes, paginated in SQL.

Cursors are opaque: keyset cursors (the ordering values of the row) where the ordering allows,
else the row's offset; ``first``/``last`` are capped at ``Settings.max_page_size``. ``totalCount``
is one ``COUNT(*)`` and is only run when asked for. Lists take ``orderBy`` (:func:`order_input`,
:func:`ordering`): up to three columns of an enum per list, each ascending or descending.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core.errors import ValidationFailed
from core.graphql.core.errors import bad_input_error, domain_graphql_error
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
        try:
            return await self._count_query.count()
        except Exception as error:  # a filter value the model refuses (e.g. too long), if no page ran it
            typed = bad_input_error(error)
            if typed is None:
                raise
            raise domain_graphql_error(typed) from error

    @strawberry.field(description="The nodes of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def check_count(name: str, value: int, maximum: int) -> int:
    """A ``first``/``last`` argument within 0–``maximum``; ``INVALID_INPUT`` on ``name`` otherwise."""
    if not 0 <= value <= maximum:
        raise ValidationFailed(f"{name} 必须在 0 到 {maximum} 之间", field=name, limit=value)
    return value


#: nested lists are bounded: the default and the most a ``first`` argument may ask for
NESTED_MEMBERS, NESTED_ACTIVITIES, NESTED_MAX = 200, 100, 1000


def nested_limit(first: int | None, default: int) -> int:
    """``first`` of a nested list, checked (``INVALID_INPUT``), or its default."""
    return default if first is None else check_count("first", first, NESTED_MAX)


async def paginate(
    queryset: QuerySet,
    convert: Callable[[Any], T],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[T]:
    """One page of ``queryset`` (which must be ordered) as a :class:`Connection`.

    When every ordering column is a non-null column of the model (the primary key is added as the
    last tie-breaker), cursors are keyset cursors: a page starts after the values of the cursor's
    row, so inserts and deletes elsewhere never shift or repeat rows. Other orderings (through a
    relation, or on a nullable column) page by offset."""
    settings = get_settings()
    for name, value in (("first", first), ("last", last)):
        if value is not None:
            check_count(name, value, settings.max_page_size)
    if first is not None and last is not None:
        raise ValidationFailed("first 与 last 不能同时使用", field="last")
    keys = keyset_of(queryset)
    if keys is not None:
        return await _keyset_page(queryset, keys, convert, first, after, last, before)
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


# --- orderBy ---------------------------------------------------------------------------------

MAX_ORDER_COLUMNS = 3


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def order_input(name: str, fields: type[Enum], description: str) -> type:
    """A ``<name>`` input ``{field: <fields>!, direction: OrderDirection! = ASC}`` for ``orderBy``."""
    annotations = {"field": fields, "direction": OrderDirection}
    namespace = {"__annotations__": annotations, "direction": OrderDirection.ASC, "__doc__": description}
    return strawberry.input(type(name, (), namespace), description=description)


def ordering(order_by: list[Any] | None, columns: dict[str, str], default: tuple[str, ...]) -> list[str]:
    """``order_by`` (inputs made by :func:`order_input`) as tortoise orderings; ``default`` without it.
    ``columns`` maps each enum value to its column."""
    if not order_by:
        return list(default)
    if len(order_by) > MAX_ORDER_COLUMNS:
        raise ValidationFailed(f"orderBy 最多 {MAX_ORDER_COLUMNS} 项", field="orderBy")
    seen = [item.field.value for item in order_by]
    if len(set(seen)) != len(seen):
        raise ValidationFailed("orderBy 中的字段不能重复", field="orderBy")
    return [
        ("-" if item.direction == OrderDirection.DESC else "") + columns[item.field.value]
        for item in order_by
    ]


# --- keyset cursors ---------------------------------------------------------------------------

Key = tuple[str, bool, Any]  # column, descending, tortoise field
_KEYSET = "keys:"


def keyset_of(queryset: QuerySet) -> list[Key] | None:
    """The ordering as keyset columns (primary key appended), or ``None`` when it cannot be one."""
    meta = queryset.model._meta
    keys: list[Key] = []
    for name, order in queryset._orderings:
        model_field = meta.fields_map.get(name)
        if "__" in name or model_field is None or model_field.null:
            return None
        keys.append((name, str(getattr(order, "value", order)).upper() == "DESC", model_field))
    if not keys:
        return None
    if all(name not in (meta.pk_attr, "pk") for name, _, _ in keys):
        keys.append((meta.pk_attr, False, meta.fields_map[meta.pk_attr]))
    return keys


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def encode_keyset_cursor(row: Any, keys: list[Key]) -> str:
    values = [_plain(getattr(row, name)) for name, _, _ in keys]
    return base64.b64encode((_KEYSET + json.dumps(values, ensure_ascii=False)).encode()).decode()


def _typed(raw: Any, model_field: Any) -> Any:
    kind = type(model_field).__name__
    if kind == "DatetimeField":
        return dt.datetime.fromisoformat(raw)
    if kind == "DateField":
        return dt.date.fromisoformat(raw)
    if kind == "DecimalField":
        return Decimal(raw)
    if kind in ("IntField", "BigIntField", "SmallIntField"):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError(raw)
        return raw
    if not isinstance(raw, str | bool | int | float):
        raise TypeError(raw)
    return raw


def decode_keyset_cursor(cursor: str, keys: list[Key], field: str) -> list[Any]:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
        if not raw.startswith(_KEYSET):
            raise ValueError(raw)
        values = json.loads(raw[len(_KEYSET) :])
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError(raw)
        return [_typed(v, model_field) for v, (_, _, model_field) in zip(values, keys, strict=True)]
    except Exception as exc:  # noqa: BLE001
        raise ValidationFailed("分页游标无效", field=field, cursor=cursor[:100]) from exc


def _beyond(keys: list[Key], values: list[Any], forward: bool) -> Q:
    """Rows strictly after (``forward``) or before the row whose key values are ``values``."""
    clauses = []
    for i, (name, descending, _) in enumerate(keys):
        equal = {keys[j][0]: values[j] for j in range(i)}
        operator = "gt" if descending != forward else "lt"
        clauses.append(Q(**equal, **{f"{name}__{operator}": values[i]}))
    return Q(*clauses, join_type="OR")


async def _keyset_page(
    queryset: QuerySet,
    keys: list[Key],
    convert: Callable[[Any], T],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    query = queryset
    if after:
        query = query.filter(_beyond(keys, decode_keyset_cursor(after, keys, "after"), True))
    if before:
        query = query.filter(_beyond(keys, decode_keyset_cursor(before, keys, "before"), False))
    if last is not None:
        reverse = [("" if descending else "-") + name for name, descending, _ in keys]
        rows = list(await query.order_by(*reverse).limit(last + 1)) if last else []
        has_previous, has_next = len(rows) > last, before is not None
        rows = list(reversed(rows[:last]))
    else:
        size = first if first is not None else get_settings().default_page_size
        ordered = [("-" if descending else "") + name for name, descending, _ in keys]
        rows = list(await query.order_by(*ordered).limit(size + 1)) if size else []
        has_next, has_previous = len(rows) > size or (before is not None and not rows), after is not None
        rows = rows[:size]
    edges = [Edge(cursor=encode_keyset_cursor(row, keys), node=convert(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count_query=queryset,
    )
