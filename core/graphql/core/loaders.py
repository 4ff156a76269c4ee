"""Per-request DataLoaders.

Every loader instance lives in the request's :class:`LoaderRegistry` (``info.context.loaders``), so
nothing is cached across requests or tenants. Two generic shapes cover most needs:

- :func:`by_id` – rows of a model by primary key,
- :func:`group_by` – rows of a model grouped by one column (e.g. members by ``branch_id``),

and a domain may add its own loader factory (e.g. attendance counts aggregated in SQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)
LoaderFactory = Callable[[], DataLoader[Any, Any]]


class LoaderRegistry:
    """The DataLoaders of one request, created on first use and keyed by a hashable name."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(self, key: Hashable, factory: LoaderFactory) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = factory()
        return loader

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        """Rows of ``model`` by primary key (one ``IN`` query per batch)."""

        async def load(ids: Sequence[int]) -> list[M | None]:
            rows = {row.pk: row for row in await model.filter(pk__in=list(set(ids)))}
            return [rows.get(i) for i in ids]

        return self.get(("by_id", model), lambda: DataLoader(load_fn=load))

    def group_by(
        self, model: type[M], column: str, *, order_by: Sequence[str] = ("id",), **filters: Any
    ) -> DataLoader[int, list[M]]:
        """Rows of ``model`` grouped by ``column`` (one ``IN`` query per batch), with filters."""
        key = ("group_by", model, column, tuple(order_by), tuple(sorted(filters.items())))

        async def load(keys: Sequence[int]) -> list[list[M]]:
            groups: dict[Any, list[M]] = defaultdict(list)
            query = model.filter(**{f"{column}__in": list(set(keys))}, **filters).order_by(*order_by)
            for row in await query:
                groups[getattr(row, column)].append(row)
            return [groups.get(k, []) for k in keys]

        return self.get(key, lambda: DataLoader(load_fn=load))

    def custom(
        self, key: Hashable, load: Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]
    ) -> DataLoader[Any, Any]:
        """A loader with a domain-specific batch function (e.g. an SQL aggregate)."""
        return self.get(key, lambda: DataLoader(load_fn=load))
