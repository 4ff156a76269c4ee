"""Filters of the activities list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.activities.types import ActivityFilter
from core.graphql.core.filters import between, within_subtree
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
    query = query.filter(**between("held_on", f.held_from, f.held_to))
    if not f.include_cancelled:
        query = query.filter(cancelled_on__isnull=True)
    return query
