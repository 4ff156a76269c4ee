"""Filters shared by every domain's list fields (each domain's own live in ``<domain>/filters.py``).

The one subtree filter: a ``subtreeOf: ID`` argument narrows a list to the organizations under the
one it names, as one indexed prefix condition on the materialized path (``path_field`` is the
lookup of the owning organization's path: ``path``, ``branch__path``, ``organization__path`` …).
An ID naming no organization of the tenant is ``NOT_FOUND`` on the argument's field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.graphql.core.nodes import decode_id
from core.services.organizations import subtree_root

M = TypeVar("M", bound=Model)

#: the bounds of a date range as arguments named ``from`` / ``to`` (``from`` is a Python keyword)
DateFrom = Annotated[dt.date, strawberry.argument(name="from")]
DateTo = Annotated[dt.date, strawberry.argument(name="to")]
#: the same, optional
OptionalDateFrom = Annotated[dt.date | None, strawberry.argument(name="from")]
OptionalDateTo = Annotated[dt.date | None, strawberry.argument(name="to")]


def between(lookup: str, start: Any | None, end: Any | None) -> dict[str, Any]:
    """ORM filters for ``start <= lookup <= end``, each bound left out when None:
    ``query.filter(**between("held_on", f.held_from, f.held_to))``."""
    bounds = {f"{lookup}__gte": start, f"{lookup}__lte": end}
    return {key: value for key, value in bounds.items() if value is not None}


async def within_subtree(
    query: QuerySet[M], subtree_of: strawberry.ID | None, path_field: str, *, field: str = "subtreeOf"
) -> QuerySet[M]:
    """``query`` narrowed to the subtree of the organization ``subtree_of`` names (unchanged when None)."""
    if subtree_of is None:
        return query
    root = await subtree_root(decode_id(subtree_of, "Organization", field=field), field)
    assert root is not None
    return query.filter(**{f"{path_field}__startswith": root.path})
