"""Per-request DataLoaders that batch by construction, not by timing.

Every loader instance lives in the request's :class:`LoaderRegistry` (``info.context.loaders``), so
nothing is cached across requests or tenants. Two generic shapes cover most needs:

- :meth:`LoaderRegistry.by_id` – rows of a model by primary key,
- :meth:`LoaderRegistry.group_by` – rows of a model grouped by one column (e.g. members by ``branch_id``),

and a domain may add its own batch function (``custom``, e.g. attendance counts aggregated in SQL).

Why not a plain DataLoader: a classic DataLoader dispatches its batch one event-loop tick after the
first ``load``. Fields whose parents arrive from different queries (or after another await) then
call ``load`` in different ticks, and a slow database splits one batch into several — the statement
count of a query would depend on how fast the database answers. Here every loader of a request
shares one :class:`BatchScheduler`: pending batches are dispatched together in *waves*, and a wave
starts only when (1) no batch and no tracked load (:meth:`BatchScheduler.track`, e.g. the tenant
row) of the request is still running and (2) the resolvers woken by the previous wave have run up
to their next ``load`` (the loop's ready queue has drained). The number of statements is then a
function of the query's shape alone.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from tortoise.models import Model

K = TypeVar("K")
V = TypeVar("V")
M = TypeVar("M", bound=Model)
BatchFn = Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]

#: Without visibility into the loop's ready queue (a loop other than asyncio's own), a wave waits
#: this many ticks after the last running batch finished.
_FALLBACK_SETTLE_TICKS = 16
#: A busy server keeps the ready queue full with other requests' work: stop waiting after this many
#: ticks (batches may then split under load, but never in a single request's own right).
_MAX_SETTLE_TICKS = 200


def _ready_callbacks(loop: asyncio.AbstractEventLoop) -> int | None:
    """How many callbacks are ready to run on ``loop`` (``None`` if the loop does not say)."""
    ready = getattr(loop, "_ready", None)
    return len(ready) if ready is not None else None


class BatchScheduler:
    """Dispatches the pending batches of one request's loaders in waves (see module docstring)."""

    def __init__(self) -> None:
        self._pending: dict[int, DataLoader[Any, Any]] = {}
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._flusher: asyncio.Task[None] | None = None
        #: number of waves dispatched so far (for tests and tracing)
        self.waves = 0

    def enqueue(self, loader: DataLoader[Any, Any]) -> None:
        self._pending[id(loader)] = loader
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    def _started(self) -> None:
        self._running += 1
        self._idle.clear()

    def _finished(self, _: Any = None) -> None:
        self._running -= 1
        if self._running == 0:
            self._idle.set()

    async def track(self, awaitable: Awaitable[V]) -> V:
        """Await ``awaitable`` (a database load outside any loader) as part of the running wave, so
        loads that follow it join the same wave as everyone else's."""
        self._started()
        try:
            return await awaitable
        finally:
            self._finished()

    async def _settle(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._idle.wait()
            ticks = 0
            while ticks < _MAX_SETTLE_TICKS:
                await asyncio.sleep(0)
                ticks += 1
                if self._running:
                    break
                ready = _ready_callbacks(loop)
                if (ready == 0) if ready is not None else ticks >= _FALLBACK_SETTLE_TICKS:
                    return
            else:
                return
            # a tracked load started while settling: wait for it, then settle again

    async def _flush(self) -> None:
        try:
            while self._pending:
                await self._settle()
                wave = list(self._pending.values())
                self._pending.clear()
                self.waves += 1
                for loader in wave:
                    loader._dispatch()
        finally:
            self._flusher = None


class DataLoader(Generic[K, V]):
    """Loads values by key in batches through ``batch_fn``; values are cached for the request."""

    def __init__(self, batch_fn: BatchFn, scheduler: BatchScheduler) -> None:
        self.batch_fn = batch_fn
        self.scheduler = scheduler
        self._cache: dict[Any, asyncio.Future[V]] = {}
        self._queue: list[tuple[Any, asyncio.Future[V]]] = []

    def load(self, key: K) -> asyncio.Future[V]:
        """A future of the value for ``key``. Every caller of the same key waits on one shared
        future, through a shield: a caller that is cancelled (graphql-core cancels the sibling
        fields of a field whose error nulls their parent) must not cancel it for the others."""
        return asyncio.shield(self._future(key))

    def _future(self, key: K) -> asyncio.Future[V]:
        """The shared future of ``key`` (queued for the next batch when new)."""
        future = self._cache.get(key)
        if future is None or future.cancelled():
            future = asyncio.get_running_loop().create_future()
            self._cache[key] = future
            self._queue.append((key, future))
            if len(self._queue) == 1:
                self.scheduler.enqueue(self)
        return future

    def load_many(self, keys: Iterable[K]) -> Awaitable[list[V]]:
        """One future of the values of ``keys``, in order (the first failure in key order is raised);
        like ``gather`` of :meth:`load` — cancelling it leaves the shared futures alone — without a
        shield and a task per key."""
        futures = [self._future(k) for k in keys]
        result: asyncio.Future[list[V]] = asyncio.get_running_loop().create_future()
        pending = [f for f in futures if not f.done()]
        if not pending:
            _settle(result, futures)
            return result
        remaining = [len(pending)]

        def one_done(_: Any) -> None:
            remaining[0] -= 1
            if remaining[0] == 0 and not result.done():
                _settle(result, futures)

        for future in pending:
            future.add_done_callback(one_done)
        return result

    def prime(self, key: K, value: V) -> None:
        """Put a known value in the cache (keeps a value already loaded or loading)."""
        if key in self._cache:
            return
        future = asyncio.get_running_loop().create_future()
        future.set_result(value)
        self._cache[key] = future

    def prime_many(self, values: Mapping[K, V]) -> None:
        for key, value in values.items():
            self.prime(key, value)

    def clear(self, key: K) -> None:
        self._cache.pop(key, None)

    def _dispatch(self) -> None:
        queue, self._queue = self._queue, []
        queue = [(k, f) for k, f in queue if not f.cancelled()]
        if not queue:
            return
        self.scheduler._started()
        task = asyncio.get_running_loop().create_task(self._run(queue))
        task.add_done_callback(self.scheduler._finished)

    async def _run(self, queue: list[tuple[Any, asyncio.Future[V]]]) -> None:
        keys = [key for key, _ in queue]
        try:
            values = list(await self.batch_fn(keys))
            if len(values) != len(keys):
                raise RuntimeError(f"batch function returned {len(values)} values for {len(keys)} keys")
        except Exception as error:  # noqa: BLE001 - handed to every waiting caller
            for _, future in queue:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, future), value in zip(queue, values, strict=True):
            if future.done():
                continue
            if isinstance(value, BaseException):
                future.set_exception(value)
            else:
                future.set_result(value)


def _settle(result: asyncio.Future[list[Any]], futures: list[asyncio.Future[Any]]) -> None:
    for future in futures:
        if future.cancelled():
            result.set_exception(asyncio.CancelledError())
            return
        if future.exception() is not None:
            result.set_exception(future.exception())  # type: ignore[arg-type]
            return
    result.set_result([future.result() for future in futures])


class Row(dict):
    """One row read as values (``LoaderRegistry.group_by(values=True)``): a dict whose columns also
    read as attributes (``row.name``), like the model instance it stands in for on read paths."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def pk(self) -> Any:
        return self["id"]


class LoaderRegistry:
    """The DataLoaders of one request, created on first use and keyed by a hashable name."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        self.scheduler = BatchScheduler()

    def get(self, key: Hashable, batch_fn: Callable[[], BatchFn]) -> DataLoader[Any, Any]:
        """The loader named ``key``; ``batch_fn()`` makes its batch function on first use."""
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(batch_fn(), self.scheduler)
        return loader

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        """Rows of ``model`` by primary key (one ``IN`` query per batch)."""

        def make() -> BatchFn:
            async def load(ids: Sequence[int]) -> list[M | None]:
                rows = {row.pk: row for row in await model.filter(pk__in=list(set(ids)))}
                return [rows.get(i) for i in ids]

            return load

        return self.get(("by_id", model), make)

    def group_by(
        self,
        model: type[M],
        column: str,
        *,
        order_by: Sequence[str] = ("id",),
        limit: int | None = None,
        values: bool = False,
        omit: tuple[str, ...] = (),
        **filters: Any,
    ) -> DataLoader[int, list[M]]:
        """Rows of ``model`` grouped by ``column`` (one ``IN`` query per batch), with filters; with
        ``limit``, the first ``limit`` rows of each group only, chosen in SQL (a window function:
        one more statement per batch, however many rows the groups have).

        ``values=True``: the rows as :class:`Row` values (every column, converted as the model
        would, read by attribute) instead of model instances — for read paths that only copy
        columns into GraphQL objects (no methods, no relations, nothing saved); ``omit`` leaves out
        columns the caller never reads (e.g. a JSON ``extra`` it does not show)."""
        key = (
            "group_by", model, column, tuple(order_by), limit, values, omit, tuple(sorted(filters.items()))
        )  # fmt: skip
        if omit and not values:
            raise ValueError("omit applies to values=True only")
        fields = tuple(name for name in model._meta.db_fields if name not in omit)

        def make() -> BatchFn:
            async def load(keys: Sequence[int]) -> list[list[M]]:
                groups: dict[Any, list[M]] = defaultdict(list)
                query = model.filter(**{f"{column}__in": list(set(keys))}, **filters)
                rows: Iterable[Any] = ()
                if limit is not None:
                    ids = await first_per_group(query, column, order_by, limit)
                    if ids and values and _by_pk_applies(model, order_by):
                        rows = map(Row, await rows_by_pk(model, ids, fields, order_by))
                    query = model.filter(pk__in=ids) if ids and not rows else None
                if query is None:
                    pass
                elif values:
                    rows = map(Row, await query.order_by(*order_by).values(*fields))
                else:
                    rows = await query.order_by(*order_by)
                for row in rows:
                    groups[getattr(row, column)].append(row)
                return [groups.get(k, []) for k in keys]

            return load

        return self.get(key, make)

    def custom(self, key: Hashable, load: BatchFn) -> DataLoader[Any, Any]:
        """A loader with a domain-specific batch function (e.g. an SQL aggregate)."""
        return self.get(key, lambda: load)


def _dialect(model: Any) -> str:
    return model._meta.db.capabilities.dialect


def _by_pk_applies(model: Any, order_by: Sequence[str]) -> bool:
    """Whether :func:`rows_by_pk` can stand in for the ORM: on PostgreSQL, ordered by the model's
    own columns (a key through a relation, ``-activity__held_on``, needs the ORM's join)."""
    return all("__" not in name for name in order_by) and _dialect(model) == "postgres"


def _column(meta: Any, name: str) -> str:
    """The database column of field ``name`` (``pk`` is the primary key)."""
    model_field = meta.fields_map[meta.pk_attr if name == "pk" else name]
    return getattr(model_field, "source_field", None) or model_field.model_field_name


async def rows_by_pk(model: Any, ids: Sequence[Any], fields: Sequence[str], order_by: Sequence[str]) -> list:
    """``model.filter(pk__in=ids).order_by(*order_by).values(*fields)`` on PostgreSQL, with one
    ``= ANY($1)`` array parameter instead of an ``IN`` list of ``len(ids)`` parameters that the query
    builder renders one by one (thousands on a page): otherwise the same statement — the tenant
    filter of the model's manager (with its refusal when no tenant is bound), the same columns,
    converted by the same fields."""
    from core.tenancy import TenantModel, bound_tenant_id

    meta = model._meta
    model.all()  # the manager's scoping refuses here when no tenant is bound and no platform work declared
    table = f'"{meta.db_table}"'
    conditions, params = [f'{table}."{_column(meta, "pk")}" = ANY($1)'], [list(ids)]
    tenant_id = bound_tenant_id() if issubclass(model, TenantModel) else None
    if tenant_id is not None:
        params.append(tenant_id)
        conditions.append(f'{table}."tenant_id" = $2')
    columns = ", ".join(f'{table}."{_column(meta, name)}" AS "{name}"' for name in fields)
    ordering = ", ".join(
        f'{table}."{_column(meta, name.lstrip("-"))}" {"DESC" if name.startswith("-") else "ASC"}'
        for name in order_by
    )
    sql = f"SELECT {columns} FROM {table} WHERE {' AND '.join(conditions)} ORDER BY {ordering}"
    rows = await meta.db.execute_query_dict(sql, params)
    native = {entry[1] for entry in meta.db_native_fields}
    converters = [(name, meta.fields_map[name].to_python_value) for name in fields if name not in native]
    for row in rows:
        for name, convert in converters:
            row[name] = convert(row[name])
    return rows


async def first_per_group(query: Any, column: str, order_by: Sequence[str], limit: int) -> list[Any]:
    """Primary keys of the first ``limit`` rows of each ``column`` group of ``query`` in ``order_by``
    order (``ROW_NUMBER() OVER (PARTITION BY …)``, on SQLite and PostgreSQL alike).

    An ``order_by`` key may name a column of a related row (``-activity__held_on``) when ``query``
    filters on that relation (the filter is what joins it)."""
    from tortoise import connections
    from tortoise.expressions import RawSQL

    meta = query.model._meta

    def db_column(name: str) -> str:
        table, model_meta = meta.db_table, meta
        if "__" in name:
            relation, name = name.split("__", 1)
            table, model_meta = f"{table}__{relation}", meta.fields_map[relation].related_model._meta
        model_field = model_meta.fields_map[name]
        return f'"{table}"."{getattr(model_field, "source_field", None) or model_field.model_field_name}"'

    keys = [(name.lstrip("-"), name.startswith("-")) for name in order_by]
    if all(name not in (meta.pk_attr, "pk") for name, _ in keys):
        keys.append((meta.pk_attr, False))
    window = ", ".join(f"{db_column(name)} {'DESC' if desc else 'ASC'}" for name, desc in keys)
    ranked = query.annotate(
        _zhibu_rank=RawSQL(f"ROW_NUMBER() OVER (PARTITION BY {db_column(column)} ORDER BY {window})")
    ).values(meta.pk_attr, "_zhibu_rank")
    ranked._choose_db_if_not_chosen()
    ranked._make_query()
    sql, params = ranked.query.get_parameterized_sql()
    outer = f'SELECT ranked."{meta.pk_attr}" AS pk FROM ({sql}) AS ranked WHERE ranked."_zhibu_rank" <= '
    rows = await connections.get("default").execute_query_dict(outer + str(int(limit)), params)
    return [row["pk"] for row in rows]
