"""Filters of the activities list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.activities.types import ActivityFilter
from core.graphql.core.filters import within_subtree
from core.graphql.core.nodes import decode_id
from core.models import Activity


async def filter_activities(query: QuerySet[Activity], f: ActivityFilter) -> QuerySet[Activity]:
    """``query`` narrowed by an ``ActivityFilter`` (held activities unless ``includeCancelled``)."""
    query = await within_subtree(query, f.subtree_of, "organization__path")
    if f.organization_id is not None:
        query = query.filter(
            organization_id=decode_id(f.organization_id, "Organization", field="organizationId")
        )
    if f.kinds:
        query = query.filter(kind__in=f.kinds)
    if f.held_from is not None:
        query = query.filter(held_on__gte=f.held_from)
    if f.held_to is not None:
        query = query.filter(held_on__lte=f.held_to)
    if not f.include_cancelled:
        query = query.filter(cancelled_on__isnull=True)
    return query
