"""Filters of the organizations list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.core.filters import within_subtree
from core.graphql.organizations.types import OrganizationFilter
from core.models import Organization


async def filter_organizations(
    query: QuerySet[Organization], f: OrganizationFilter
) -> QuerySet[Organization]:
    """``query`` narrowed by an ``OrganizationFilter`` (live organizations unless ``includeDissolved``)."""
    query = await within_subtree(query, f.subtree_of, "path")
    if f.kinds:
        query = query.filter(kind__in=f.kinds)
    if not f.include_dissolved:
        query = query.filter(dissolved_on__isnull=True)
    if f.name_contains:
        query = query.filter(name__contains=f.name_contains)
    return query
