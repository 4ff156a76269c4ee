"""Filters of the development list fields: what each filter input means in SQL."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from core.graphql.core.filters import within_subtree
from core.graphql.core.nodes import decode_id
from core.graphql.development.types import DevelopmentCaseFilter
from core.lifecycle.models import CaseStatus, DevelopmentCase
from core.lifecycle.steps import STEPS


async def filter_development_cases(
    query: QuerySet[DevelopmentCase], f: DevelopmentCaseFilter
) -> QuerySet[DevelopmentCase]:
    """``query`` narrowed by a ``DevelopmentCaseFilter`` (open cases unless ``statuses`` says)."""
    query = await within_subtree(query, f.subtree_of, "member__branch__path")
    if f.branch_id is not None:
        query = query.filter(member__branch_id=decode_id(f.branch_id, "Organization", field="branchId"))
    if f.member_id is not None:
        query = query.filter(member_id=decode_id(f.member_id, "Member", field="memberId"))
    statuses = f.statuses if f.statuses else [CaseStatus.OPEN]
    query = query.filter(status__in=[str(s) for s in statuses])
    if f.stages:
        # the stage of the next step: last_sequence + 1 falls in the stage
        sequences = [s.sequence - 1 for s in STEPS if s.stage in f.stages]
        query = query.filter(last_sequence__in=sequences)
    if f.next_step_codes:
        sequences = [s.sequence - 1 for s in STEPS if s.code in f.next_step_codes]
        query = query.filter(last_sequence__in=sequences)
    if f.due_before is not None:
        query = query.filter(next_due_on__lte=f.due_before)
    return query
