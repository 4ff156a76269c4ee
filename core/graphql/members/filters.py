"""Filters of the members list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.core.filters import within_subtree
from core.graphql.core.nodes import decode_id
from core.graphql.members.types import MemberFilter
from core.models import Member
from core.models.member import ACTIVE_STATUSES


async def filter_members(query: QuerySet[Member], f: MemberFilter) -> QuerySet[Member]:
    """``query`` narrowed by a ``MemberFilter`` (current statuses unless ``statuses`` says)."""
    query = await within_subtree(query, f.subtree_of, "branch__path")
    if f.branch_id is not None:
        query = query.filter(branch_id=decode_id(f.branch_id, "Organization", field="branchId"))
    if f.party_group_id is not None:
        query = query.filter(party_group_id=decode_id(f.party_group_id, "Organization", field="partyGroupId"))
    statuses = f.statuses if f.statuses else list(ACTIVE_STATUSES)
    query = query.filter(status__in=[str(s) for s in statuses])
    if f.categories:
        query = query.filter(category_rows__category__in=f.categories).distinct()
    if f.name_contains:
        query = query.filter(name__contains=f.name_contains.strip())
    return query
