"""Filters of the acceptance list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.acceptance.types import AcceptanceApplicationFilter
from core.graphql.core.filters import within_subtree
from core.graphql.core.nodes import decode_id
from core.rectification.models import AcceptanceApplication, ApplicationStatus


async def filter_acceptance_applications(
    query: QuerySet[AcceptanceApplication], f: AcceptanceApplicationFilter
) -> QuerySet[AcceptanceApplication]:
    """``query`` narrowed by an ``AcceptanceApplicationFilter``."""
    query = await within_subtree(query, f.subtree_of, "organization__path")
    if f.statuses:
        query = query.filter(status__in=[ApplicationStatus(s) for s in f.statuses])
    if f.round_id is not None:
        query = query.filter(round_id=decode_id(f.round_id, "AcceptanceRound", field="roundId"))
    if f.onsite_selected is not None:
        query = query.filter(onsite_selected=f.onsite_selected)
    return query
